//! Seek-based paging: `size`, `seekOperation=Next` and the `MS-ContinuationToken` header.
use serde_json::{Value, json};

use crate::base64url;
use crate::prng::derive;

/// Page size when the request gives none (and for `size=0`, as the domain search uses).
pub const DEFAULT_PAGE_SIZE: usize = 500;
/// Larger requested sizes are served as this many.
pub const MAX_PAGE_SIZE: usize = 500;
/// Header carrying the continuation token.
pub const CONTINUATION_HEADER: &str = "MS-ContinuationToken";

const TAG_TOKEN: u64 = 0x7061_6765;

/// An opaque token for "continue at `offset`", tied to the sandbox's seed.
pub fn token(seed: u64, offset: usize) -> String {
    let mac = derive(seed, TAG_TOKEN, offset as u64) as u32;
    let inner = format!(
        "{{\"token\":\"+RID:~{mac:08x}#RT:1#TRC:{offset}\",\"range\":{{\"min\":\"\",\"max\":\"FF\"}}}}"
    );
    base64url::encode(inner.as_bytes())
}

/// The offset a token stands for; `None` when it was not issued by this sandbox.
pub fn offset(seed: u64, token: &str) -> Option<usize> {
    let inner = String::from_utf8(base64url::decode(token.trim())?).ok()?;
    let offset: usize = inner
        .split("#TRC:")
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()?;
    (self::token(seed, offset) == token.trim()).then_some(offset)
}

/// One page of a seek-based collection: items plus `links.next` and `continuationToken` when more
/// remain.
pub fn page(
    items: Vec<Value>,
    total: usize,
    next: Option<(String, String)>,
    self_uri: &str,
) -> Value {
    let mut links = json!({"self": crate::resources::link(self_uri)});
    let mut body = json!({"totalCount": total, "items": items});
    if let Some((next_uri, token)) = next {
        links["next"] = json!({
            "uri": next_uri,
            "method": "GET",
            "headers": [{"key": CONTINUATION_HEADER, "value": token}],
        });
        body["continuationToken"] = json!(token);
    }
    body["links"] = links;
    body["attributes"] = json!({"objectType": "Collection"});
    body
}

/// Percent-encodes a query value.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_forgeries() {
        let t = token(9, 1500);
        assert_eq!(offset(9, &t), Some(1500));
        assert_eq!(offset(10, &t), None);
        assert_eq!(offset(9, "not-a-token"), None);
    }

    #[test]
    fn encodes_filter_json() {
        assert_eq!(
            encode_query("{\"Field\":\"Domain\"}"),
            "%7B%22Field%22%3A%22Domain%22%7D"
        );
    }
}
