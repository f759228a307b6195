//! The answer to `GET /api/store/records`, kept while the records stay as they are.
//!
//! Every partner page load asks for every migration record: with the sandbox's first-run plans
//! at 10,000 customers that is 5,968 records, 5.0 MB of JSON (6.5 MB before records left absent
//! values out), which took this proxy about 120 ms (140 ms) to read, serialize and compress on
//! every load, and more while a browser shared the machine.
//! Records change far less often than the list is opened, so the serialized list (and each
//! compressed form, made on first request) is kept under the records' stamp
//! ([`Store::records_stamp`](crate::store::Store::records_stamp): every record's key, version
//! and time of its last write). Each request reads the stamp (no documents) and answers from
//! here only when it is unchanged, so a write through this or any other instance is seen on the
//! next request. One list is kept; the memory is the JSON plus its compressed forms.
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

/// How a list is sent: the encodings this proxy compresses to, by preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Brotli.
    Br,
    /// Gzip.
    Gzip,
    /// Uncompressed.
    Identity,
}

impl Encoding {
    /// The best encoding `Accept-Encoding` allows: brotli, then gzip, else none. A coding with
    /// `q=0` is refused; other weights are not compared (browsers send none).
    #[must_use]
    pub fn from_headers(headers: &HeaderMap) -> Encoding {
        let accepted = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';').map(str::trim);
                    let coding = parts.next().unwrap_or_default();
                    let refused = parts.any(|p| {
                        p.strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                            .is_some_and(|q| q <= 0.0)
                    });
                    (coding.eq_ignore_ascii_case(name) || coding == "*") && !refused
                })
        };
        if accepted("br") {
            Encoding::Br
        } else if accepted("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Br => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }
}

/// One serialized list and the compressed forms asked for so far.
struct Entry {
    stamp: [u8; 32],
    json: Bytes,
    br: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

impl Entry {
    /// The body in `encoding`, compressing it on first use (off the async workers: a large
    /// list takes tens of milliseconds).
    async fn body(self: Arc<Self>, encoding: Encoding) -> Bytes {
        let made = match encoding {
            Encoding::Identity => return self.json.clone(),
            Encoding::Br => self.br.get(),
            Encoding::Gzip => self.gzip.get(),
        };
        if let Some(b) = made {
            return b.clone();
        }
        let entry = Arc::clone(&self);
        let compressed = tokio::task::spawn_blocking(move || match encoding {
            Encoding::Br => entry.br.get_or_init(|| brotli(&entry.json)).clone(),
            _ => entry.gzip.get_or_init(|| gzip(&entry.json)).clone(),
        })
        .await;
        // Only a panic in the encoder fails the task: send the list uncompressed then.
        compressed.unwrap_or_else(|_| self.json.clone())
    }
}

/// The kept list (shared by every request of this instance).
#[derive(Default)]
pub struct RecordsCache {
    entry: Mutex<Option<Arc<Entry>>>,
}

impl RecordsCache {
    /// The answer for `stamp`, if that is the list kept.
    pub async fn answer(&self, stamp: &[u8; 32], encoding: Encoding) -> Option<Response> {
        let entry = self.current().filter(|e| &e.stamp == stamp)?;
        Some(respond(entry, encoding).await)
    }

    /// Keeps `json` as the list of `stamp` and answers with it.
    pub async fn keep(&self, stamp: [u8; 32], json: Vec<u8>, encoding: Encoding) -> Response {
        let entry = Arc::new(Entry {
            stamp,
            json: Bytes::from(json),
            br: OnceLock::new(),
            gzip: OnceLock::new(),
        });
        *self.entry.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&entry));
        respond(entry, encoding).await
    }

    fn current(&self) -> Option<Arc<Entry>> {
        self.entry.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The list as the JSON route would send it; `Content-Encoding` set here keeps the compression
/// layer from compressing it again.
async fn respond(entry: Arc<Entry>, encoding: Encoding) -> Response {
    let mut resp = Response::new(Body::from(entry.body(encoding).await));
    *resp.status_mut() = StatusCode::OK;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(name) = encoding.header() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    resp
}

/// Brotli at quality 4 (a 22-bit window), as the compression layer does it,
/// made once per list.
fn brotli(data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(data.len() / 8);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 4,
        lgwin: 22,
        ..Default::default()
    };
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &data[..], &mut out, &params);
    Bytes::from(out)
}

/// Gzip at the default level.
fn gzip(data: &[u8]) -> Bytes {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 8),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    Bytes::from(enc.finish().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        h
    }

    #[test]
    fn the_encoding_follows_accept_encoding() {
        let cases = [
            ("gzip, deflate, br, zstd", Encoding::Br),
            ("gzip, deflate", Encoding::Gzip),
            ("br;q=0, gzip", Encoding::Gzip),
            ("br; q=0.0, gzip;q=0", Encoding::Identity),
            ("identity", Encoding::Identity),
            ("*", Encoding::Br),
            ("GZIP", Encoding::Gzip),
        ];
        for (accept, want) in cases {
            assert_eq!(Encoding::from_headers(&headers(accept)), want, "{accept}");
        }
        assert_eq!(
            Encoding::from_headers(&HeaderMap::new()),
            Encoding::Identity
        );
    }

    async fn body_of(resp: Response) -> Vec<u8> {
        axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    #[tokio::test]
    async fn a_kept_list_answers_only_its_own_stamp_in_every_encoding() {
        let cache = RecordsCache::default();
        let json = br#"{"records":[{"key":"contoso.com","version":1}]}"#.repeat(50);
        assert!(cache.answer(&[1; 32], Encoding::Identity).await.is_none());
        let first = cache.keep([1; 32], json.clone(), Encoding::Identity).await;
        assert_eq!(body_of(first).await, json);
        assert!(cache.answer(&[2; 32], Encoding::Identity).await.is_none());

        let br = cache.answer(&[1; 32], Encoding::Br).await.unwrap();
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        let compressed = body_of(br).await;
        assert!(compressed.len() < json.len() / 4, "{}", compressed.len());
        let mut plain = Vec::new();
        brotli::Decompressor::new(&compressed[..], 4096)
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, json);

        let gz = cache.answer(&[1; 32], Encoding::Gzip).await.unwrap();
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&body_of(gz).await[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, json);

        // A new list replaces the old one.
        let _ = cache
            .keep([2; 32], b"{\"records\":[]}".to_vec(), Encoding::Identity)
            .await;
        assert!(cache.answer(&[1; 32], Encoding::Br).await.is_none());
        let now = cache.answer(&[2; 32], Encoding::Identity).await.unwrap();
        assert!(now.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body_of(now).await, b"{\"records\":[]}");
    }
}
