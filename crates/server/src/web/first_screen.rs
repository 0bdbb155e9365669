//! OPS-6: the first screen's data in the page itself. A page request that carries a valid
//! session gets `index.html` with the answers to the reads its first screen makes, as a JSON
//! data island (`<script type="application/json" id="pc-first-screen">`), so that the app
//! paints without a round trip after it starts; it takes each answer once (`first_screen` in `src/api.rs`)
//! and asks the API for anything else. The answers are the API's own, made by sending it the
//! same reads with the page request's headers, so no rule is stated twice. A request without a
//! valid session gets the page as it is, and a page with data is never stored by a cache.

use axum::body::{to_bytes, Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use futures::future::join_all;
use pc_model::first_screen::{reads_of, ISLAND_ID, SESSION_READ};
use tower::ServiceExt;

/// An answer larger than this is left for the app to ask for (none of the reads comes close).
const ANSWER_LIMIT: usize = 256 * 1024;

/// `index` for the page at `page_path`, with the first screen's data when the request is signed in.
pub async fn page(index: Bytes, page_path: &str, request: Request<Body>, api: Router) -> Response {
    let (parts, _) = request.into_parts();
    let read = |path: &'static str| {
        let api = api.clone();
        let mut sub_request = Request::get(path.strip_prefix("/api").unwrap_or(path))
            .body(Body::empty())
            .expect("a GET of a fixed path");
        *sub_request.headers_mut() = parts.headers.clone();
        *sub_request.extensions_mut() = parts.extensions.clone();
        async move {
            let response = api.oneshot(sub_request).await.ok()?;
            if response.status() != StatusCode::OK {
                return None;
            }
            let body = to_bytes(response.into_body(), ANSWER_LIMIT).await.ok()?;
            Some((path, body))
        }
    };
    let Some(session) = read(SESSION_READ).await else {
        return Html(index).into_response();
    };
    let mut answers = vec![session];
    answers.extend(
        join_all(reads_of(page_path).into_iter().map(read))
            .await
            .into_iter()
            .flatten(),
    );
    let mut response = Html(with_island(&index, &answers)).into_response();
    let headers: &mut HeaderMap = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
    response
}

/// `index` with the island before `</head>`: `{"/api/session": <answer>, …}`. Every `<` of
/// the JSON is written `\u003c`, so no answer can end the script element early.
fn with_island(index: &[u8], answers: &[(&str, Bytes)]) -> Vec<u8> {
    let mut island = String::from("{");
    for (i, (path, body)) in answers.iter().enumerate() {
        if i > 0 {
            island.push(',');
        }
        island.push_str(&serde_json::to_string(path).expect("a path is a JSON string"));
        island.push(':');
        island.push_str(&String::from_utf8_lossy(body));
    }
    island.push('}');
    let island = island.replace('<', "\\u003c");
    let element = format!(r#"<script type="application/json" id="{ISLAND_ID}">{island}</script>"#);
    let text = String::from_utf8_lossy(index);
    match text.find("</head>") {
        Some(at) => [&text[..at], &element, &text[at..]].concat().into_bytes(),
        None => [text.as_ref(), &element].concat().into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_island_goes_before_the_heads_end_and_no_answer_can_end_it() {
        let answers = [
            ("/api/session", Bytes::from_static(br#"{"a":1}"#)),
            (
                "/api/me/settings",
                Bytes::from_static(br#"{"signature":"</script><script>alert(1)</script>"}"#),
            ),
        ];
        let page = String::from_utf8(with_island(
            b"<html><head><title>x</title></head></html>",
            &answers,
        ))
        .unwrap();
        let (before, island) = page
            .split_once(r#"<script type="application/json" id="pc-first-screen">"#)
            .unwrap();
        assert_eq!(before, "<html><head><title>x</title>");
        let (json, after) = island.split_once("</script>").unwrap();
        assert_eq!(after, "</head></html>");
        let json: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(json["/api/session"]["a"], 1);
        assert_eq!(
            json["/api/me/settings"]["signature"],
            "</script><script>alert(1)</script>"
        );
    }
}
