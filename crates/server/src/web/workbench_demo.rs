//! EMB-1: a small workbench page for the demo and the tests: it frames the app from another
//! site, sizes the iframe from `pc.resize`, offers language and tab buttons, lists the messages
//! it receives and asks before navigating away from unsaved changes.

use axum::response::Html;
use axum::routing::get;
use axum::Router;

const PAGE: &str = include_str!("workbench_demo.html");

/// The workbench page, framing the app served at `app_origin` (e.g. `http://127.0.0.1:8080`).
pub fn app(app_origin: &str) -> Router {
    let quoted = serde_json::to_string(app_origin).unwrap_or_default();
    let page = PAGE.replace("\"__APP_ORIGIN__\"", &quoted);
    Router::new().route("/", get(move || async move { Html(page) }))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;

    #[test]
    fn the_page_frames_the_app_it_is_given() {
        let page = PAGE.replace("\"__APP_ORIGIN__\"", "\"http://127.0.0.1:8080\"");
        assert!(page.contains(r#"const APP = "http://127.0.0.1:8080";"#));
        assert!(!page.contains("__APP_ORIGIN__"));
    }

    #[tokio::test]
    async fn it_is_served_at_the_root() {
        let response = app("http://127.0.0.1:9")
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}
