//! The built app: hashed assets cached forever, `index.html` revalidated, client routes on reload.
use std::path::Path;

use axum::http::{HeaderValue, Request, header};
use axum::response::Response;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// A service serving `dist/`, answering unknown paths with `index.html` (client-side routes).
pub fn service(dist: &Path) -> axum::routing::MethodRouter {
    let index = dist.join("index.html");
    let files = ServeDir::new(dist).fallback(ServeFile::new(index));
    axum::routing::get(move |req: Request<axum::body::Body>| {
        let files = files.clone();
        async move {
            let path = req.uri().path().to_string();
            let resp = files.oneshot(req).await.unwrap_or_else(|e| match e {});
            with_cache_policy(&path, resp.map(axum::body::Body::new))
        }
    })
}

fn with_cache_policy(path: &str, mut resp: Response) -> Response {
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = if !is_html && is_hashed(path) && resp.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    resp
}

/// Trunk names built assets `name-<16 hex digits>.ext` (e.g. `cutover-1a2b3c4d5e6f7a8b_bg.wasm`).
pub fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    file.split(['-', '_', '.'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed("/cutover-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/customers/b44bb1fb"));
    }
}
