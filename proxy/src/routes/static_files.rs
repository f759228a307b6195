//! The built app: hashed assets cached forever, HTML revalidated, client routes on reload.
//!
//! Two entry points share `dist/`: customers' status pages (`/status/{token}` → `status.html`,
//! a small bundle of its own) and the partner app (every other path → `index.html`). Each HTML
//! page carries the Content-Security-Policy naming its own inline loader. Assets are sent as the
//! build precompressed them (brotli or gzip, whichever the browser accepts).
use std::path::Path;

use axum::http::{HeaderValue, Request, header};
use axum::response::Response;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::security_headers;

/// A service serving `dist/`, answering `/status/…` with `status.html` and other unknown paths
/// with `index.html` (client-side routes).
pub fn service(dist: &Path) -> axum::routing::MethodRouter {
    let index = dist.join("index.html");
    let mut status = dist.join("status.html");
    if !status.is_file() {
        // A build without the status page: the partner app answers (and says "not found").
        status = index.clone();
    }
    let app_policy = security_headers::page_policy(&index);
    let status_policy = security_headers::page_policy(&status);
    // `trunk build` writes .br and .gz beside every wasm, JS and CSS file (scripts/post-build.mjs).
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(index));
    let status_page = ServeFile::new(status);
    axum::routing::get(move |req: Request<axum::body::Body>| {
        let files = files.clone();
        let status_page = status_page.clone();
        let (app_policy, status_policy) = (app_policy.clone(), status_policy.clone());
        async move {
            let path = req.uri().path().to_string();
            let is_status = is_status_page(&path);
            let resp = if is_status {
                status_page.oneshot(req).await
            } else {
                files.oneshot(req).await
            }
            .unwrap_or_else(|e| match e {});
            let mut resp = with_cache_policy(&path, resp.map(axum::body::Body::new));
            if is_html(&resp) {
                let policy = if is_status { status_policy } else { app_policy };
                resp.headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, policy);
            }
            resp
        }
    })
}

/// Paths answered with the customer status page.
fn is_status_page(path: &str) -> bool {
    path.starts_with("/status/") || path == "/status.html"
}

fn is_html(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn with_cache_policy(path: &str, mut resp: Response) -> Response {
    let policy = if !is_html(&resp) && is_hashed(path) && resp.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    resp
}

/// Trunk names built assets `name-<hash>.ext` (e.g. `cutover-1a2b3c4d5e6f7a8b_bg.wasm`); the
/// hash is a 64-bit number in hex without leading zeros, so now and then shorter than 16 digits.
pub fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    file.split(['-', '_', '.'])
        .any(|part| (12..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::{is_hashed, is_status_page};

    #[test]
    fn status_links_get_the_status_page_and_nothing_else_does() {
        assert!(is_status_page("/status/0123abcd"));
        assert!(is_status_page("/status.html"));
        assert!(!is_status_page("/"));
        assert!(!is_status_page("/statusx"));
        assert!(!is_status_page("/customers/status"));
    }

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed("/cutover-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(
            is_hashed("/cutover-status-d1a01502b58ec33_bg.wasm"),
            "a hash with a leading zero"
        );
        assert!(is_hashed("/split_calendar_screen-5fe0099ee01d723a.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/customers/b44bb1fb"));
    }
}
