//! A real proxy over loopback with a temporary `dist/` and data directory, for integration tests.
#![allow(dead_code)]

use cutover_proxy::config::{Config, LogFormat, PartnerCenterMode};
use cutover_proxy::store::StoreLocation;
use cutover_sandbox::SandboxConfig;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// Marker inside `index.html`, so tests can tell the app from anything else.
pub const INDEX_MARKER: &str = "cutover-index-page";
/// Marker inside `status.html` (customers' status pages).
pub const STATUS_MARKER: &str = "cutover-status-page";
/// The inline script of the test `status.html`.
pub const STATUS_INLINE_SCRIPT: &str = "startStatus()";
/// A file next to (outside) `dist/` that must never be served.
pub const OUTSIDE_MARKER: &str = "must-never-be-served-7f3a";

pub struct Proxy {
    pub base: String,
    pub addr: std::net::SocketAddr,
    pub sandbox: Option<String>,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
}

/// A config for a proxy on an ephemeral loopback port with a fresh dist and data dir.
pub fn config(dir: &tempfile::TempDir, sandbox: SandboxConfig) -> Config {
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        format!("<!DOCTYPE html><title>Cutover</title><!-- {INDEX_MARKER} -->"),
    )
    .unwrap();
    std::fs::write(
        dist.join("status.html"),
        format!(
            "<!DOCTYPE html><title>Status</title><!-- {STATUS_MARKER} --><script>{STATUS_INLINE_SCRIPT}</script>"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("outside.txt"), OUTSIDE_MARKER).unwrap();
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        dist_dir: dist,
        data_dir: dir.path().join("data"),
        store: StoreLocation::Sqlite(dir.path().join("data").join(cutover_proxy::DATABASE_FILE)),
        trusted_proxies: Default::default(),
        log_format: LogFormat::Text,
        public_rate: Default::default(),
        notify: Default::default(),
        partner_center: PartnerCenterMode::Sandbox(sandbox),
        access_key: None,
        team: Default::default(),
        partner_name: "Test partner".into(),
    }
}

pub fn small_sandbox() -> SandboxConfig {
    SandboxConfig {
        customers: 20,
        prospects: 5,
        ..SandboxConfig::default()
    }
}

pub async fn start() -> Proxy {
    start_with(small_sandbox(), |_| {}).await
}

pub async fn start_with(sandbox: SandboxConfig, adjust: impl FnOnce(&mut Config)) -> Proxy {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&dir, sandbox);
    adjust(&mut config);
    let running = cutover_proxy::start(config).await.unwrap();
    Proxy {
        base: format!("http://{}", running.addr),
        addr: running.addr,
        sandbox: running.sandbox.map(|a| format!("http://{a}")),
        http: reqwest::Client::new(),
        dir,
    }
}

impl Proxy {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET a path of the proxy without a session cookie.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// PUT a record, with the given precondition header.
    pub async fn put_record(
        &self,
        key: &str,
        doc: &Value,
        precondition: Option<(&str, &str)>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .put(self.url(&format!("/api/store/records/{key}")))
            .json(doc);
        if let Some((name, value)) = precondition {
            req = req.header(name, value);
        }
        req.send().await.unwrap()
    }

    /// Creates a record and returns its version (1).
    pub async fn create(&self, doc: &Value) -> u64 {
        let key = doc["key"]["value"].as_str().unwrap();
        let resp = self
            .put_record(key, doc, Some(("If-None-Match", "*")))
            .await;
        assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
        let v: Value = resp.json().await.unwrap();
        v["version"].as_u64().unwrap()
    }

    /// Creates a share link for `key`; returns (link id, token).
    pub async fn share(&self, key: &str, expires_at: Option<&str>) -> (String, String) {
        let resp = self
            .http
            .post(self.url(&format!("/api/store/records/{key}/links")))
            .json(&json!({"expiresAt": expires_at}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let v: Value = resp.json().await.unwrap();
        (
            v["link"]["id"].as_str().unwrap().to_string(),
            v["token"].as_str().unwrap().to_string(),
        )
    }

    /// One Partner Center customer id from the sandbox.
    pub async fn some_customer_id(&self) -> String {
        let text = self
            .http
            .get(self.url("/api/pc/v1/customers?size=5"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let page = cutover_plan::partner_center::parse_customer_page(&text).unwrap();
        page.customers[0].id.clone()
    }
}

/// A migration record as the app would send it.
pub fn record(kind: &str, key: &str, name: &str, domain: &str) -> Value {
    json!({
        "key": {"kind": kind, "value": key},
        "customerName": name,
        "domain": domain,
        "notes": "",
        "originals": [{
            "id": "o1",
            "offerName": "Office 365 E3",
            "seats": 10,
            "endDate": "2027-03-31",
            "channel": "ea",
            "autoRenew": true
        }]
    })
}

pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Asserts the customer-facing privacy headers.
pub fn assert_private(headers: &HeaderMap, what: &str) {
    assert_eq!(header(headers, "cache-control"), "no-store", "{what}");
    assert!(
        header(headers, "x-robots-tag").contains("noindex"),
        "{what}"
    );
    assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{what}");
}

/// Sends raw bytes as one HTTP/1.1 request (paths reqwest would normalise); returns the answer.
pub async fn raw_request(addr: std::net::SocketAddr, request_line_path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req =
        format!("GET {request_line_path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}
