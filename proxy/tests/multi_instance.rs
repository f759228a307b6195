//! Several instances on one PostgreSQL behind a real load balancer, all on loopback:
//! a real PostgreSQL server (Debian's package, temporary directory), two `cutover-proxy`
//! processes and HAProxy in front of them. It checks what a distributor relies on:
//! - a session and a share link made on one instance work on the other;
//! - a write through one instance is read through the other, and a stale write on the other
//!   gets 409;
//! - concurrent read-modify-writes through both give 0 silent overwrites;
//! - rate limits follow the client address HAProxy reports, not HAProxy's own;
//! - `kill -9` of one instance during 400 concurrent creates loses no acknowledged write, and the
//!   balancer carries on with the other;
//! - the logs never hold the access key, a cookie, a share token or the database password;
//! - `/readyz` fails when the database is gone, and SIGTERM stops an instance cleanly.
//!
//! Not part of a plain `cargo test`: scripts/test runs it with
//! `cargo test -p cutover-proxy --test multi_instance`.
mod support;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::haproxy::{Haproxy, SOURCE};
use support::postgres::{PASSWORD, PgServer};

const ACCESS_KEY: &str = "multi-instance-access-key-5c2b";
const CREATES: usize = 400;
const KILL_AFTER_ACKS: usize = 100;

struct Instance {
    name: &'static str,
    child: Child,
    url: String,
    log: PathBuf,
}

impl Instance {
    fn start(name: &'static str, dir: &std::path::Path, database_url: &str) -> Instance {
        let log = dir.join(format!("{name}.log"));
        let data = dir.join(format!("data-{name}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_cutover-proxy"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("CUTOVER_LISTEN", "127.0.0.1:0")
            .env("CUTOVER_DIST", dir.join("dist"))
            .env("CUTOVER_DATA_DIR", &data)
            .env("CUTOVER_DATABASE_URL", database_url)
            .env("CUTOVER_TRUSTED_PROXIES", SOURCE)
            .env("CUTOVER_ACCESS_KEY", ACCESS_KEY)
            .env("CUTOVER_LOG_FORMAT", "json")
            .env("CUTOVER_SANDBOX_CUSTOMERS", "20")
            .env("CUTOVER_SANDBOX_FIRST_RUN", "empty")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("cutover-proxy starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Cutover is running on ") {
                    let url = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = tx.send((url, line));
                }
            }
        });
        let (url, line) = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| {
                panic!(
                    "instance {name} did not start: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            });
        assert!(
            line.contains("store postgres://postgres@127.0.0.1:"),
            "{line}"
        );
        assert!(!line.contains(PASSWORD), "{line}");
        Instance {
            name,
            child,
            url,
            log,
        }
    }

    fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    fn kill_9(&mut self) {
        self.child.kill().expect("SIGKILL"); // std's kill() is SIGKILL on Unix
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Checks(usize);

impl Checks {
    fn ok(&mut self, what: &str) {
        self.0 += 1;
        println!("check {what} ... ok");
    }
}

fn client(local: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30));
    if let Some(ip) = local {
        b = b.local_address(ip.parse::<IpAddr>().unwrap());
    }
    b.build().unwrap()
}

/// The records `GET {url}` lists.
async fn listed_records(api: &Api, url: String) -> Vec<Value> {
    let list: Value = api.get(url).await.json().await.unwrap();
    list["records"]
        .as_array()
        .cloned()
        .expect("a list of records")
}

fn record(key: &str, notes: &str) -> Value {
    json!({
        "key": {"kind": "domain", "value": key},
        "customerName": format!("Customer {key}"),
        "domain": key,
        "notes": notes,
        "originals": [{
            "id": "o1", "offerName": "Office 365 E3", "seats": 10,
            "endDate": "2027-03-31", "channel": "ea", "autoRenew": true
        }]
    })
}

/// Sends a request with the session cookie.
struct Api {
    http: reqwest::Client,
    cookie: String,
}

impl Api {
    async fn get(&self, url: String) -> reqwest::Response {
        self.http
            .get(url)
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    async fn put(
        &self,
        url: String,
        doc: &Value,
        precondition: (&str, String),
    ) -> reqwest::Result<reqwest::Response> {
        self.http
            .put(url)
            .header("cookie", &self.cookie)
            .header(precondition.0, precondition.1)
            .json(doc)
            .send()
            .await
    }

    async fn post(&self, url: String, body: &Value) -> reqwest::Response {
        self.http
            .post(url)
            .header("cookie", &self.cookie)
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let mut checks = Checks(0);
    let pg = PgServer::start().unwrap_or_else(|why| {
        eprintln!("multi_instance: {why}");
        std::process::exit(1);
    });
    let db = pg.create_database("cutover").await;
    let database_url = pg.url(&db);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    std::fs::write(
        dir.path().join("dist/index.html"),
        "<!DOCTYPE html><title>Cutover</title>",
    )
    .unwrap();

    // Both instances start at once: one migrates the empty database, the other waits for it.
    let (dir_a, dir_b) = (dir.path().to_owned(), dir.path().to_owned());
    let (url_a, url_b) = (database_url.clone(), database_url.clone());
    let a = std::thread::spawn(move || Instance::start("a", &dir_a, &url_a));
    let b = std::thread::spawn(move || Instance::start("b", &dir_b, &url_b));
    let mut a = a.join().expect("instance a");
    let mut b = b.join().expect("instance b");
    checks.ok("two instances started together on one empty database");

    let lb = Haproxy::start(&[a.port(), b.port()]).unwrap_or_else(|why| panic!("{why}"));
    let anon = client(None);
    // Wait until HAProxy has seen both instances ready (several answers in a row).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut in_a_row = 0;
    while in_a_row < 6 {
        assert!(Instant::now() < deadline, "HAProxy never became ready");
        match anon.get(lb.url("/readyz")).send().await {
            Ok(r) if r.status() == 200 => in_a_row += 1,
            _ => {
                in_a_row = 0;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }

    // A session made through the balancer works on each instance directly.
    let resp = anon
        .post(lb.url("/api/session"))
        .json(&json!({"accessKey": ACCESS_KEY, "label": "Ann"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let cookie_value = cookie.split_once('=').unwrap().1.to_string();
    let api = Api {
        http: anon.clone(),
        cookie,
    };
    for inst in [&a, &b] {
        let resp = api.get(format!("{}/api/store/records", inst.url)).await;
        assert_eq!(resp.status(), 200, "session on instance {}", inst.name);
        let resp = anon
            .get(format!("{}/api/store/records", inst.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
    }
    checks.ok("a session made through the balancer is valid on both instances");

    // Write on A, read on B; stale write on B gets 409.
    let key = "contoso.example";
    let resp = api
        .put(
            format!("{}/api/store/records/{key}", a.url),
            &record(key, "v1"),
            ("If-None-Match", "*".into()),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let got: Value = api
        .get(format!("{}/api/store/records/{key}", b.url))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (got["version"].as_u64(), got["doc"]["notes"].as_str()),
        (Some(1), Some("v1"))
    );
    checks.ok("a write through one instance is read through the other");
    // Each instance keeps its last list of records; a write through the other must show in it.
    let listed_notes = |base: String| {
        let api = &api;
        async move {
            listed_records(api, format!("{base}/api/store/records"))
                .await
                .iter()
                .find(|r| r["key"] == key)
                .map(|r| {
                    (
                        r["version"].as_u64(),
                        r["doc"]["notes"].as_str().map(str::to_owned),
                    )
                })
        }
    };
    assert_eq!(
        listed_notes(b.url.clone()).await,
        Some((Some(1), Some("v1".into())))
    );
    let resp = api
        .put(
            format!("{}/api/store/records/{key}", a.url),
            &record(key, "v2 from a"),
            ("If-Match", "\"1\"".into()),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        listed_notes(b.url.clone()).await,
        Some((Some(2), Some("v2 from a".into())))
    );
    checks.ok("the list of records on one instance shows a write through the other at once");
    let resp = api
        .put(
            format!("{}/api/store/records/{key}", b.url),
            &record(key, "stale from b"),
            ("If-Match", "\"1\"".into()),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let conflict: Value = resp.json().await.unwrap();
    assert_eq!(conflict["current"]["version"], 2);
    assert_eq!(conflict["current"]["doc"]["notes"], "v2 from a");
    checks.ok("a stale write on the other instance gets 409 with the current record");

    // A share link made on A opens on B; revoked on B, it stops on A.
    let made: Value = api
        .post(
            format!("{}/api/store/records/{key}/links", a.url),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = made["token"].as_str().unwrap().to_string();
    let link_id = made["link"]["id"].as_str().unwrap().to_string();
    let mut tokens = vec![token.clone()];
    let resp = anon
        .get(format!("{}/api/public/status/{token}", b.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = api
        .http
        .delete(format!("{}/api/store/records/{key}/links/{link_id}", b.url))
        .header("cookie", &api.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let resp = anon
        .get(format!("{}/api/public/status/{token}", a.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let made: Value = api
        .post(
            lb.url(&format!("/api/store/records/{key}/links")),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    tokens.push(made["token"].as_str().unwrap().to_string());
    checks.ok(
        "a share link made on one instance opens on the other, and revoking it works everywhere",
    );

    // Concurrent read-modify-writes through A, B and the balancer.
    let silent = concurrent_writes(&api, [a.url.clone(), b.url.clone(), lb.url("")]).await;
    assert_eq!(silent, 0, "silent overwrites");
    checks.ok(
        "concurrent read-modify-writes through both instances: 0 silent overwrites (stale -> 409)",
    );

    // Imports across instances: all-or-nothing, stale updates refused.
    let resp = api
        .post(
            format!("{}/api/store/import", a.url),
            &json!({"records": [record("x.example", ""), record("y.example", "")]}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let resp = api
        .post(
            format!("{}/api/store/import", b.url),
            &json!({"updates": [{"version": 1, "record": record("x.example", "from b")}]}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let resp = api
        .post(
            format!("{}/api/store/import", a.url),
            &json!({"records": [record("z.example", "")], "updates": [{"version": 1, "record": record("x.example", "stale from a")}]}),
        )
        .await;
    assert_eq!(resp.status(), 409);
    let conflict: Value = resp.json().await.unwrap();
    assert_eq!(conflict["current"][0]["version"], 2);
    assert_eq!(
        api.get(lb.url("/api/store/records/z.example"))
            .await
            .status(),
        404
    );
    checks.ok("an import on one instance conflicting with one on the other writes nothing");

    // Rate limits follow the client address HAProxy reports.
    let unknown = format!("/api/public/status/{}", "0".repeat(64));
    let from3 = client(Some("127.0.0.3"));
    let mut statuses = Vec::new();
    for _ in 0..80 {
        statuses.push(
            from3
                .get(lb.url(&unknown))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let from4 = client(Some("127.0.0.4"));
    let status = from4.get(lb.url(&unknown)).send().await.unwrap().status();
    assert_eq!(
        status, 404,
        "another client behind the balancer has its own budget"
    );
    let mut forged = 0;
    for i in 0..10 {
        let s = from3
            .get(lb.url(&unknown))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .send()
            .await
            .unwrap()
            .status();
        forged += usize::from(s == 429);
    }
    assert!(
        forged >= 5,
        "a forged X-Forwarded-For bought a new budget ({forged}/10 throttled)"
    );
    checks.ok("rate limits are keyed by the forwarded client address, and a forged header does not reset them");

    // One Partner Center call through the balancer (it is logged with its MS-RequestId).
    let resp = api.get(lb.url("/api/pc/v1/customers?size=5")).await;
    assert_eq!(resp.status(), 200);

    // kill -9 of instance A while 400 creates are in flight through the balancer.
    let acked = Arc::new(AtomicUsize::new(0));
    let kill_now = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::with_capacity(CREATES);
    for i in 0..CREATES {
        let api = Api {
            http: api.http.clone(),
            cookie: api.cookie.clone(),
        };
        let url = lb.url(&format!("/api/store/records/kill-{i}.example"));
        let acked = Arc::clone(&acked);
        let kill_now = Arc::clone(&kill_now);
        tasks.push(tokio::spawn(async move {
            let key = format!("kill-{i}.example");
            let outcome = api
                .put(
                    url,
                    &record(&key, &format!("create {i}")),
                    ("If-None-Match", "*".into()),
                )
                .await;
            let ok = matches!(&outcome, Ok(r) if r.status() == 200);
            if ok && acked.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER_ACKS {
                kill_now.notify_one();
            }
            (
                key,
                outcome
                    .map(|r| r.status().as_u16())
                    .map_err(|e| e.to_string()),
            )
        }));
    }
    kill_now.notified().await;
    a.kill_9();
    let mut acknowledged = Vec::new();
    let mut refused: HashMap<String, usize> = HashMap::new();
    for t in tasks {
        let (key, outcome) = t.await.unwrap();
        match outcome {
            Ok(200) => acknowledged.push(key),
            Ok(s) => *refused.entry(format!("HTTP {s}")).or_default() += 1,
            Err(_) => *refused.entry("no answer".into()).or_default() += 1,
        }
    }
    let mut lost = Vec::new();
    for key in &acknowledged {
        let resp = api.get(lb.url(&format!("/api/store/records/{key}"))).await;
        if resp.status() != 200 {
            lost.push(key.clone());
            continue;
        }
        let v: Value = resp.json().await.unwrap();
        let n = key.trim_start_matches("kill-").trim_end_matches(".example");
        if v["doc"]["notes"] != format!("create {n}") || v["version"] != 1 {
            lost.push(key.clone());
        }
    }
    let stored = {
        listed_records(&api, lb.url("/api/store/records"))
            .await
            .iter()
            .filter(|r| r["key"].as_str().unwrap().starts_with("kill-"))
            .count()
    };
    println!(
        "kill -9 of instance a during {CREATES} concurrent creates: {} acknowledged, {} not ({refused:?}), {} stored in all, {} acknowledged writes lost",
        acknowledged.len(),
        CREATES - acknowledged.len(),
        stored,
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    assert!(acknowledged.len() >= KILL_AFTER_ACKS);
    let mut after = 0;
    for i in 0..50 {
        let key = format!("after-{i}.example");
        let resp = api
            .put(
                lb.url(&format!("/api/store/records/{key}")),
                &record(&key, ""),
                ("If-None-Match", "*".into()),
            )
            .await;
        after += usize::from(matches!(resp, Ok(r) if r.status() == 200));
    }
    println!("after the kill, the balancer carried {after}/50 creates");
    assert_eq!(
        after, 50,
        "the balancer did not carry on with the remaining instance"
    );
    checks.ok("kill -9 of one instance during 400 concurrent creates loses no acknowledged write, and the balancer carries on");

    // Metrics on the surviving instance.
    let text = anon
        .get(format!("{}/metrics", b.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("cutover_http_requests_total{"), "{text}");
    assert!(
        text.contains(r#"cutover_store_conflicts_total{kind="record"}"#),
        "{text}"
    );
    checks.ok("/metrics counts requests and conflicts");

    // Readiness when the database is gone, then a graceful stop on SIGTERM.
    drop(lb);
    drop(pg);
    let resp = anon.get(format!("{}/readyz", b.url)).send().await.unwrap();
    assert_eq!(resp.status(), 503);
    let ready: Value = resp.json().await.unwrap();
    assert!(
        ready["store"]
            .as_str()
            .unwrap()
            .contains("could not be reached"),
        "{ready}"
    );
    assert!(!ready.to_string().contains(PASSWORD), "{ready}");
    assert_eq!(
        anon.get(format!("{}/healthz", b.url))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    checks.ok("/readyz answers 503 naming the store when PostgreSQL is down, /healthz stays 200");
    let term = Command::new("kill")
        .args(["-TERM", &b.child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let code = b.child.wait().unwrap();
    assert!(
        code.success(),
        "SIGTERM ends the instance cleanly: {code:?}"
    );
    checks.ok("SIGTERM stops an instance cleanly");

    // The logs: structured, with request ids and Partner Center request ids, and no secrets.
    let logs = format!(
        "{}\n{}",
        std::fs::read_to_string(&a.log).unwrap(),
        std::fs::read_to_string(&b.log).unwrap()
    );
    for line in logs.lines().filter(|l| !l.trim().is_empty()) {
        serde_json::from_str::<Value>(line)
            .unwrap_or_else(|_| panic!("not a JSON log line: {line}"));
    }
    for needle in [
        "\"request_id\"",
        "\"route\":\"/api/store/records/{key}\"",
        "\"ms_request_id\"",
        "Cutover started",
        "/api/public/status/[redacted]",
        "\"stopped\"",
    ] {
        assert!(logs.contains(needle), "the logs lack {needle}");
    }
    let mut secrets: Vec<(&str, String)> = vec![
        ("the access key", ACCESS_KEY.into()),
        ("the session cookie", cookie_value.clone()),
        ("the database password", PASSWORD.into()),
        ("the sandbox secret", "sandbox-client-secret".into()),
        ("the sandbox refresh token", "sandbox-refresh-token".into()),
        ("a bearer token", "Bearer".into()),
    ];
    secrets.extend(tokens.iter().map(|t| ("a share token", t.clone())));
    for (what, secret) in &secrets {
        assert!(!logs.contains(secret.as_str()), "the logs contain {what}");
    }
    let lines = logs.lines().count();
    checks.ok(&format!(
        "{lines} JSON log lines hold request ids and MS-RequestIds and none of {} secrets",
        secrets.len()
    ));

    drop(dir);
    println!(
        "multi-instance scenario finished in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("multi_instance: {} passed, 0 failed", checks.0);
}

/// Writers read a record, append their token to its notes and write it back with `If-Match`,
/// through the given base URLs in turn. Returns the number of silent overwrites: acknowledged
/// tokens missing from the final notes, unacknowledged ones present, or a final version that is
/// not 1 + the acknowledged writes.
async fn concurrent_writes(api: &Api, bases: [String; 3]) -> usize {
    const KEYS: usize = 3;
    const WRITERS: usize = 12;
    const ROUNDS: usize = 8;
    let api = Arc::new(Api {
        http: api.http.clone(),
        cookie: api.cookie.clone(),
    });
    let bases = Arc::new(bases);
    for k in 0..KEYS {
        let key = format!("rmw-{k}.example");
        let resp = api
            .put(
                format!("{}/api/store/records/{key}", bases[0]),
                &record(&key, ""),
                ("If-None-Match", "*".into()),
            )
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }
    let mut tasks = Vec::new();
    for k in 0..KEYS {
        for w in 0..WRITERS {
            let api = Arc::clone(&api);
            let bases = Arc::clone(&bases);
            tasks.push(tokio::spawn(async move {
                let key = format!("rmw-{k}.example");
                let (mut acked, mut refused, mut stale_answered_200) = (Vec::new(), Vec::new(), 0);
                for r in 0..ROUNDS {
                    let base = &bases[(w + r) % bases.len()];
                    let current: Value = api
                        .get(format!("{base}/api/store/records/{key}"))
                        .await
                        .json()
                        .await
                        .unwrap();
                    let version = current["version"].as_u64().unwrap();
                    let token = format!("[w{w}r{r}]");
                    let notes = format!("{}{token}", current["doc"]["notes"].as_str().unwrap());
                    let resp = api
                        .put(
                            format!("{base}/api/store/records/{key}"),
                            &record(&key, &notes),
                            ("If-Match", format!("\"{version}\"")),
                        )
                        .await
                        .unwrap();
                    match resp.status().as_u16() {
                        200 => {
                            let v: Value = resp.json().await.unwrap();
                            if v["version"].as_u64() != Some(version + 1) {
                                stale_answered_200 += 1;
                            }
                            acked.push(token);
                        }
                        409 => refused.push(token),
                        other => panic!("unexpected {other}"),
                    }
                }
                (k, acked, refused, stale_answered_200)
            }));
        }
    }
    let mut acked: HashMap<usize, Vec<String>> = HashMap::new();
    let mut refused: HashMap<usize, Vec<String>> = HashMap::new();
    let mut silent = 0;
    for t in tasks {
        let (k, a, r, s) = t.await.unwrap();
        acked.entry(k).or_default().extend(a);
        refused.entry(k).or_default().extend(r);
        silent += s;
    }
    let (mut total_acked, mut total_refused) = (0, 0);
    for k in 0..KEYS {
        let key = format!("rmw-{k}.example");
        let v: Value = api
            .get(format!("{}/api/store/records/{key}", bases[1]))
            .await
            .json()
            .await
            .unwrap();
        let notes = v["doc"]["notes"].as_str().unwrap();
        let present: HashSet<&str> = notes.split_inclusive(']').collect();
        let acked_k = &acked[&k];
        silent += acked_k
            .iter()
            .filter(|t| !present.contains(t.as_str()))
            .count();
        silent += refused[&k]
            .iter()
            .filter(|t| present.contains(t.as_str()))
            .count();
        if v["version"].as_u64() != Some(1 + acked_k.len() as u64) {
            silent += 1;
        }
        total_acked += acked_k.len();
        total_refused += refused[&k].len();
    }
    println!(
        "concurrent read-modify-writes: {} attempts, {total_acked} acknowledged, {total_refused} refused as stale (409), {silent} silent overwrites",
        KEYS * WRITERS * ROUNDS
    );
    silent
}
