//! The built app from Trunk's `dist/`: hashed assets cached for a year, everything else
//! revalidated, and unknown page paths answered with `index.html` so that every tab URL loads
//! the app. A missing file (a path with an extension) is a 404, never `index.html`: after a
//! deploy, an old asset URL must not be cached as HTML.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::first_screen;

/// `api`: the API routes, which answer the first screen's reads put into the page (OPS-6).
pub fn app(dist: &Path, api: Router) -> Router {
    // The page every app URL loads, read once: it does not change while the server runs, and
    // reading it from disk for each request cost most of the time of `GET /`.
    let index = std::fs::read(dist.join("index.html")).ok().map(Bytes::from);
    // `xtask` writes `.br` and `.gz` beside each asset at the highest levels.
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip();
    let app = tower::service_fn(move |request: Request| {
        let (index, files, api) = (index.clone(), files.clone(), api.clone());
        async move {
            // Pages and files are only ever read.
            if !matches!(*request.method(), Method::GET | Method::HEAD) {
                return Ok(StatusCode::METHOD_NOT_ALLOWED.into_response());
            }
            if names_a_file(request.uri().path()) {
                return Ok::<_, Infallible>(match files.oneshot(request).await {
                    Ok(response) => response.into_response(),
                    Err(never) => match never {},
                });
            }
            Ok(match index {
                Some(page) => {
                    let path = request.uri().path().to_owned();
                    first_screen::page(page, &path, request, api).await
                }
                None => StatusCode::NOT_FOUND.into_response(),
            })
        }
    });
    Router::new()
        .fallback_service(app)
        .layer(middleware::from_fn(cache_control))
}

/// `/pc-app-1a2b.js` names a file (served from `dist/`, or 404); `/agent-info` and `/` name a
/// page of the app (`index.html`).
fn names_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let value = if immutable && response.status().is_success() && !is_html {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    // A page with the agent's data says itself that it is not to be stored.
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Trunk names built assets `<name>-<hash>[_bg].<ext>`, the hash being a 64-bit number in hex
/// without leading zeros; their content never changes under that name.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) => {
            !name.is_empty()
                && (8..=16).contains(&hash.len())
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// `'sha256-…'` sources for each inline `<script>` of `index.html` (Trunk's loader), so the
/// Content-Security-Policy can allow exactly those and no other inline script.
pub fn inline_script_hashes(index_html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};

    let mut hashes = Vec::new();
    let mut rest = index_html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(tag_end) = after_tag.find('>') else {
            break;
        };
        let tag = &after_tag[..tag_end];
        let body_and_rest = &after_tag[tag_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body_and_rest.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_and_rest[close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed_asset("/pc-app-4f1c2b3a9d8e7f60_bg.wasm"));
        assert!(is_hashed_asset("/pc-app-4f1c2b3a9d8e7f60.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(is_hashed_asset("/pc-app-3cd2fb9fa6f546b_bg.wasm"));
        // OPS-7: the chunks, the chunks they share and their loader carry the same hash.
        assert!(is_hashed_asset(
            "/split_agent_parameters-f4de8f1a8ab393dd.wasm"
        ));
        assert!(is_hashed_asset("/chunk_5-f4de8f1a8ab393dd.wasm"));
        assert!(is_hashed_asset("/__wasm_split-f4de8f1a8ab393dd.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/avatars/avatar-1.svg"));
        assert!(!is_hashed_asset("/agent-info"));
    }

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html =
            r#"<head><script src="/x.js"></script><script type="module">init();</script></head>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        // `printf "init();" | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            hashes[0],
            "'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc='"
        );
    }
}
