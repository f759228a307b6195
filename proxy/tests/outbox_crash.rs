//! `kill -9` of the proxy loses no mail: the real `cutover-proxy` binary, a real SMTP server
//! (aiosmtpd) and an SQLite store on disk. Every message queued before the kill is delivered after
//! the restart, each carrying its deduplication id (a message the kill caught mid-send may arrive
//! twice: at least once, never zero times).
//!
//! Prints what it measured (latency of one mail, time to drain the backlog after a restart);
//! nothing here asserts on time.
mod support;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use cutover_proxy::store::{Store, StoreLocation};
use serde_json::{Value, json};
use support::smtp::SmtpServer;

struct Proxy {
    child: Child,
    base: String,
}

impl Proxy {
    /// Starts the binary and waits for its start-up line.
    fn start(env: &[(String, String)]) -> Proxy {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cutover-proxy"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("cutover-proxy starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("cutover-proxy printed its address")
                .unwrap();
            if let Some(rest) = line.strip_prefix("Cutover is running on ") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Proxy { child, base }
    }

    /// `kill -9`.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn env(dir: &Path, port: u16, smtp_port: u16) -> Vec<(String, String)> {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>Cutover</title>",
    )
    .unwrap();
    [
        ("CUTOVER_LISTEN", format!("127.0.0.1:{port}")),
        ("CUTOVER_DIST", dist.display().to_string()),
        ("CUTOVER_DATA_DIR", dir.join("data").display().to_string()),
        ("CUTOVER_SANDBOX_FIRST_RUN", "empty".into()),
        ("CUTOVER_SANDBOX_CUSTOMERS", "5".into()),
        ("CUTOVER_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
        ("CUTOVER_PUBLIC_URL", format!("http://127.0.0.1:{port}")),
        ("CUTOVER_PUBLIC_RATE_LIMIT", "10000/1000".into()),
        ("CUTOVER_SUBSCRIBE_RATE_LIMIT", "10000/1000".into()),
        // A message the kill caught mid-attempt is tried again 2 s after the restart.
        ("CUTOVER_OUTBOX_LEASE_SECS", "2".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Makes a share link for the record and subscribes `n` addresses through it.
async fn subscribe(http: &reqwest::Client, base: &str, batch: &str, n: usize) {
    let resp = http
        .post(format!("{base}/api/store/records/crash.example/links"))
        .json(&json!({"lang": "ja"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let token = resp.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for i in 0..n {
        let resp = http
            .post(format!("{base}/api/public/status/{token}/subscribe"))
            .json(&json!({"address": format!("{batch}-{i}@crash.example"), "lang": "ja"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 202);
    }
}

/// The confirmation mails in the outbox: dedup id → state.
async fn confirmations(store: &Store) -> HashMap<String, String> {
    store
        .outbox_ids()
        .await
        .unwrap()
        .into_iter()
        .filter(|(id, _)| id.starts_with("confirm:"))
        .collect()
}

/// Waits until every id in `ids` arrived; returns how long it took and the copies received.
fn delivered(smtp: &SmtpServer, ids: &HashSet<String>, secs: u64) -> (Duration, usize) {
    let started = Instant::now();
    loop {
        let mails = smtp.messages();
        let seen: HashSet<String> = mails
            .iter()
            .filter_map(|m| m["dedupId"].as_str().map(str::to_owned))
            .collect();
        if ids.is_subset(&seen) {
            let copies = mails
                .iter()
                .filter(|m| ids.contains(m["dedupId"].as_str().unwrap_or("")))
                .count();
            return (started.elapsed(), copies);
        }
        assert!(
            started.elapsed() < Duration::from_secs(secs),
            "after {secs} s, {} of {} queued mails had arrived",
            ids.intersection(&seen).count(),
            ids.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_while_mails_are_queued_loses_none_of_them() {
    let Some(py) = support::python::with_modules("outbox kill -9", &["aiosmtpd"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let maildir: PathBuf = dir.path().join("mail");
    let (port, smtp_port) = (support::free_port(), support::free_port());
    let env = env(dir.path(), port, smtp_port);
    let http = reqwest::Client::new();
    let store_location =
        StoreLocation::Sqlite(dir.path().join("data").join(cutover_proxy::DATABASE_FILE));

    // 1. Latency of one mail, SMTP up: the request that queues it to the mail in the Maildir.
    let smtp = SmtpServer::start(&py, smtp_port, &maildir);
    let proxy = Proxy::start(&env);
    let doc = json!({"key": {"kind": "domain", "value": "crash.example"}, "customerName": "クラッシュ株式会社",
        "domain": "crash.example", "originals": []});
    let resp = http
        .put(format!("{}/api/store/records/crash.example", proxy.base))
        .header("if-none-match", "*")
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let mut latencies = Vec::new();
    for i in 0..5 {
        let started = SystemTime::now();
        subscribe(&http, &proxy.base, &format!("latency{i}"), 1).await;
        smtp.wait_for(i + 1, 30, |_| true);
        // When the file landed in the Maildir, not when this loop noticed it.
        let landed = arrivals(&maildir).into_iter().max().unwrap();
        latencies.push(landed.duration_since(started).unwrap_or_default());
    }
    latencies.sort();
    let store = Store::open(&store_location).await.unwrap();

    // 2. SMTP down: mails queue up (and fail, and wait to be retried). Then kill -9.
    drop(smtp);
    subscribe(&http, &proxy.base, "queued", 50).await;
    let queued: HashSet<String> = confirmations(&store)
        .await
        .into_iter()
        .filter(|(_, state)| state == "pending")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(queued.len(), 50, "every mail waits in the outbox");
    proxy.kill_9();

    // 3. SMTP back, proxy restarted on the same data: every queued mail arrives.
    let smtp = SmtpServer::start(&py, smtp_port, &maildir);
    let restarted = Instant::now();
    let proxy = Proxy::start(&env);
    let (_, copies) = delivered(&smtp, &queued, 90);
    let drained = restarted.elapsed();

    // 4. Killed while sending: SMTP down while 150 mails queue, then up, then kill -9 as soon as
    //    the first of them arrives.
    drop(smtp);
    let known: HashSet<String> = confirmations(&store).await.into_keys().collect();
    for link in 0..3 {
        subscribe(&http, &proxy.base, &format!("burst{link}"), 50).await;
    }
    let burst: HashSet<String> = confirmations(&store)
        .await
        .into_keys()
        .filter(|id| !known.contains(id))
        .collect();
    let before = smtp_count(&py, &maildir);
    let smtp = SmtpServer::start(&py, smtp_port, &maildir);
    while smtp.messages().len() == before {
        std::thread::sleep(Duration::from_millis(5));
    }
    proxy.kill_9();
    let pending_at_kill = confirmations(&store)
        .await
        .iter()
        .filter(|(id, state)| burst.contains(*id) && *state == "pending")
        .count();
    let landed_before = arrivals(&maildir).len();
    let restarted = Instant::now();
    let proxy = Proxy::start(&env);
    let (_, burst_copies) = delivered(&smtp, &burst, 120);
    let burst_drained = restarted.elapsed();
    let mut after_restart = arrivals(&maildir);
    after_restart.sort();
    let after_restart = &after_restart[landed_before.min(after_restart.len())..];
    let spread = match (after_restart.first(), after_restart.last()) {
        (Some(a), Some(b)) => b.duration_since(*a).unwrap_or_default(),
        _ => Duration::ZERO,
    };
    drop(proxy);

    println!(
        "outbox kill -9 (SQLite): one mail queued→in the Maildir p50 {:?} (5 runs: {:?}); \
         50 mails queued while SMTP was down, proxy killed: all delivered {:?} after the restart \
         ({copies} copies); {} mails, killed mid-send with {pending_at_kill} still pending: all \
         delivered {:?} after the restart ({burst_copies} copies, {} duplicates), {} mails landing \
         within {:?} ({:.0} mails/s)",
        latencies[2],
        latencies,
        drained,
        burst.len(),
        burst_drained,
        burst_copies - burst.len(),
        after_restart.len(),
        spread,
        after_restart.len() as f64 / spread.as_secs_f64().max(0.001),
    );
    assert_eq!(burst.len(), 150);
    assert!(copies >= 50 && burst_copies >= 150);
}

/// When each message landed in the Maildir (its file's modification time).
fn arrivals(maildir: &Path) -> Vec<SystemTime> {
    ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(maildir.join(d)).ok())
        .flatten()
        .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
        .collect()
}

fn smtp_count(py: &Path, maildir: &Path) -> usize {
    support::smtp::read(py, maildir).len()
}
