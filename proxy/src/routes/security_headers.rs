//! The Content-Security-Policy: the wasm app from this origin and nothing more.
//!
//! Trunk puts one inline `<script type="module">` into each built HTML page to start its wasm
//! (`index.html` for the partner app, `status.html` for customers' status pages, which also starts
//! its one API request inline). Rather than allowing every inline script, each page's policy names
//! that page's own inline scripts by their SHA-256, computed from the built file when the proxy
//! starts (restart the proxy after rebuilding the app).
use std::path::Path;

use axum::http::HeaderValue;
use sha2::{Digest, Sha256};

/// The policy for the partner app in `dist`; inline scripts other than its loader will not run.
pub fn content_security_policy(dist: &Path) -> HeaderValue {
    page_policy(&dist.join("index.html"))
}

/// The policy for one built HTML page: only that page's own inline scripts may run.
pub fn page_policy(html_file: &Path) -> HeaderValue {
    let html = std::fs::read_to_string(html_file).unwrap_or_default();
    let hashes: String = inline_scripts(&html)
        .map(|s| format!(" 'sha256-{}'", base64(&Sha256::digest(s.as_bytes()))))
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(
        "default-src 'self'; frame-ancestors 'none'",
    ))
}

/// The bodies of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, after) = rest.split_once('>')?;
        if attrs.contains("src=") {
            return None;
        }
        after.split_once("</script>").map(|(body, _)| body)
    })
}

/// Standard base64 with padding (CSP hash sources use it).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn hashes_only_inline_scripts() {
        let dir = tempfile::tempdir().unwrap();
        let html = "<script src=\"/a.js\"></script><script type=\"module\">boot()</script>";
        std::fs::write(dir.path().join("index.html"), html).unwrap();
        let policy = content_security_policy(dir.path());
        let policy = policy.to_str().unwrap();
        let expected = base64(&Sha256::digest(b"boot()"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("sha256-").count(), 1);
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(
            !policy.contains(" 'unsafe-eval'")
                && !policy.contains("script-src 'self' 'unsafe-inline'")
        );
    }

    #[test]
    fn each_page_allows_only_its_own_inline_scripts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<script>app()</script>").unwrap();
        let status = dir.path().join("status.html");
        std::fs::write(
            &status,
            "<script>early()</script><script type=module>boot()</script>",
        )
        .unwrap();
        let app = content_security_policy(dir.path());
        let page = page_policy(&status);
        let hash = |s: &str| format!("'sha256-{}'", base64(&Sha256::digest(s.as_bytes())));
        let (app, page) = (app.to_str().unwrap(), page.to_str().unwrap());
        assert!(app.contains(&hash("app()")) && !app.contains(&hash("boot()")));
        assert!(page.contains(&hash("early()")) && page.contains(&hash("boot()")));
        assert!(!page.contains(&hash("app()")));
    }
}
