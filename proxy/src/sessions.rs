//! Partner login: the access key is exchanged for a signed session cookie.
//!
//! Sessions are HMAC-SHA256-signed cookies keyed by the access key rather than rows in the
//! database: any proxy instance that knows the key can check a cookie without a shared session
//! table or a write per login, and changing `CUTOVER_ACCESS_KEY` logs everyone out at once (which
//! is also how a leaked cookie is revoked). The cookie carries only an expiry, a random nonce and
//! the label the partner typed; nothing in it is secret, it is only unforgeable.
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The cookie's name.
pub const COOKIE_NAME: &str = "cutover_session";
/// How long a login lasts.
pub const SESSION_SECS: u64 = 7 * 24 * 3600;
/// Longest label (shown as the actor in the change log).
pub const MAX_LABEL_CHARS: usize = 60;
/// Domain separation: a MAC made for anything else never verifies as a session.
const CONTEXT: &str = "cutover-session-v1";

type HmacSha256 = Hmac<Sha256>;

/// Checks a typed access key against the configured one in constant time (both are hashed first,
/// so neither the content nor the length leaks through timing).
pub fn access_key_matches(configured: &str, given: &str) -> bool {
    let a = Sha256::digest(configured.as_bytes());
    let b = Sha256::digest(given.as_bytes());
    a.ct_eq(&b).into()
}

/// A new cookie value for `label`, valid until `now + SESSION_SECS`.
pub fn issue(access_key: &str, label: &str, now: u64) -> String {
    let mut nonce = [0u8; 16];
    // Without OS randomness the nonce is zero; the MAC still makes the cookie unforgeable.
    let _ = getrandom::fill(&mut nonce);
    let payload = format!(
        "{}.{}.{}",
        now + SESSION_SECS,
        hex::encode(label.as_bytes()),
        hex::encode(nonce)
    );
    let tag = mac(access_key, &payload).finalize().into_bytes();
    format!("{payload}.{}", hex::encode(tag))
}

/// The session's label if `cookie` was issued with `access_key` and has not expired at `now`.
pub fn verify(access_key: &str, cookie: &str, now: u64) -> Option<String> {
    if cookie.len() > 1024 {
        return None;
    }
    let (payload, tag) = cookie.rsplit_once('.')?;
    let tag = hex::decode(tag).ok()?;
    mac(access_key, payload).verify_slice(&tag).ok()?;
    let mut parts = payload.split('.');
    let expires: u64 = parts.next()?.parse().ok()?;
    let label = String::from_utf8(hex::decode(parts.next()?).ok()?).ok()?;
    (expires > now).then_some(label)
}

fn mac(access_key: &str, payload: &str) -> HmacSha256 {
    let mut m =
        HmacSha256::new_from_slice(access_key.as_bytes()).expect("HMAC accepts keys of any length");
    m.update(CONTEXT.as_bytes());
    m.update(b"|");
    m.update(payload.as_bytes());
    m
}

/// Tidies a label typed at login: trimmed, no control characters, bounded; empty means "partner".
pub fn clean_label(label: Option<&str>) -> String {
    let label: String = label
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_LABEL_CHARS)
        .collect();
    let label = label.trim();
    if label.is_empty() {
        "partner".to_string()
    } else {
        label.to_string()
    }
}

/// The value of the session cookie in a `Cookie` header, if present.
pub fn cookie_value(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "a-long-enough-secret";

    #[test]
    fn issued_cookies_verify_until_they_expire() {
        let c = issue(KEY, "Ann", 1000);
        assert_eq!(verify(KEY, &c, 1001).as_deref(), Some("Ann"));
        assert_eq!(verify(KEY, &c, 1000 + SESSION_SECS), None);
        assert_eq!(verify("another-access-key", &c, 1001), None);
    }

    #[test]
    fn tampered_cookies_are_refused() {
        let c = issue(KEY, "Ann", 1000);
        let (payload, tag) = c.rsplit_once('.').unwrap();
        let later = payload.replacen(&(1000 + SESSION_SECS).to_string(), "99999999999", 1);
        assert_eq!(verify(KEY, &format!("{later}.{tag}"), 1001), None);
        for bad in ["", ".", "x.y.z.w", "1.2.3.zz"] {
            assert_eq!(verify(KEY, bad, 1001), None);
        }
    }

    #[test]
    fn access_keys_compare_exactly() {
        assert!(access_key_matches(KEY, KEY));
        assert!(!access_key_matches(KEY, "a-long-enough-secreT"));
        assert!(!access_key_matches(KEY, ""));
    }

    #[test]
    fn cookie_header_parsing_and_labels() {
        assert_eq!(
            cookie_value("a=1; cutover_session=abc.def ; b=2"),
            Some("abc.def")
        );
        assert_eq!(cookie_value("a=1"), None);
        assert_eq!(clean_label(Some("  ")), "partner");
        assert_eq!(clean_label(Some("Ann\n")), "Ann");
    }
}
