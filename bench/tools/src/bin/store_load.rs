//! A closed-loop store write load for loopback only: `concurrency` workers each create records
//! (`PUT /api/store/records/{prefix}-{n}.example` with `If-None-Match: *`, a ~1 KB migration
//! record) one after the other until `count` writes were answered.
//!
//! Reads a JSON job on stdin: `{"base":"http://127.0.0.1:8080","count":2000,"warmup":200,
//! "concurrency":16,"prefix":"sqlite"}` and prints one JSON object: writes per second, latency
//! p50/p90/p99/max in ms (send → whole answer), and the answers by status. The warm-up writes are
//! not measured. Refuses any base that is not http://127.0.0.1.
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1]
}

fn record(key: &str, n: usize) -> String {
    json!({
        "key": {"kind": "domain", "value": key},
        "customerName": format!("Benchmark customer {n}"),
        "domain": key,
        "notes": "x".repeat(600),
        "originals": [{
            "id": "o1", "offerName": "Office 365 E3", "seats": 25,
            "endDate": "2027-03-31", "channel": "ea", "autoRenew": true
        }]
    })
    .to_string()
}

#[derive(Default)]
struct Stats {
    lat_ms: Vec<f64>,
    statuses: BTreeMap<String, u64>,
}

/// Runs `count` creates with `concurrency` workers; keys continue from `first`.
async fn run(
    client: &reqwest::Client,
    base: &str,
    prefix: &str,
    first: usize,
    count: usize,
    concurrency: usize,
) -> (Stats, f64) {
    let next = Arc::new(AtomicUsize::new(0));
    let stats = Arc::new(Mutex::new(Stats::default()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, next, stats) = (client.clone(), Arc::clone(&next), Arc::clone(&stats));
        let (base, prefix) = (base.to_string(), prefix.to_string());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= count {
                    break;
                }
                let n = first + i;
                let key = format!("{prefix}-{n}.example");
                let body = record(&key, n);
                let sent = Instant::now();
                let outcome = client
                    .put(format!("{base}/api/store/records/{key}"))
                    .header("content-type", "application/json")
                    .header("if-none-match", "*")
                    .body(body)
                    .send()
                    .await;
                let status = match outcome {
                    Ok(resp) => {
                        let status = resp.status().as_u16().to_string();
                        let _ = resp.bytes().await;
                        status
                    }
                    Err(e) if e.is_timeout() => "timeout".to_string(),
                    Err(_) => "error".to_string(),
                };
                let ms = sent.elapsed().as_secs_f64() * 1e3;
                let mut s = stats
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                s.lat_ms.push(ms);
                *s.statuses.entry(status).or_default() += 1;
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let stats = std::mem::take(
        &mut *stats
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    (stats, seconds)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("a JSON job on stdin");
    let job: Value = serde_json::from_str(&input).expect("the job is JSON");
    let base = job["base"].as_str().expect("base").trim_end_matches('/');
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "store_load only talks to http://127.0.0.1"
    );
    let count = job["count"].as_u64().unwrap_or(2000) as usize;
    let warmup = job["warmup"].as_u64().unwrap_or(200) as usize;
    let concurrency = job["concurrency"].as_u64().unwrap_or(16).max(1) as usize;
    let prefix = job["prefix"].as_str().unwrap_or("bench");
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("an HTTP client");
    let _ = run(
        &client,
        base,
        &format!("{prefix}-warm"),
        0,
        warmup,
        concurrency,
    )
    .await;
    let (mut stats, seconds) = run(&client, base, prefix, 0, count, concurrency).await;
    stats.lat_ms.sort_by(f64::total_cmp);
    let ok = stats.statuses.get("200").copied().unwrap_or(0);
    println!(
        "{}",
        json!({
            "count": count,
            "concurrency": concurrency,
            "ok": ok,
            "statuses": stats.statuses,
            "seconds": seconds,
            "throughput": ok as f64 / seconds,
            "p50": pct(&stats.lat_ms, 50.0),
            "p90": pct(&stats.lat_ms, 90.0),
            "p99": pct(&stats.lat_ms, 99.0),
            "max": stats.lat_ms.last().copied().unwrap_or(f64::NAN),
        })
    );
}
