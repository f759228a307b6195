//! An open-loop HTTP load generator for loopback only.
//!
//! Reads a JSON job on stdin:
//! `{"rate":500,"count":5000,"warmup":200,"rounds":2,"timeoutMs":10000,
//!   "targets":[{"name":"direct","url":"http://127.0.0.1:1/v1/customers?size=100","headers":{"Authorization":"Bearer …"}}, …]}`
//! and runs, for each round, `count / rounds` requests per target at a fixed `rate` (requests are
//! sent on schedule whether or not earlier ones have answered), targets taking turns round by round
//! so that drift on a busy machine affects them alike. Latency is measured from the moment a
//! request is handed to the client until its whole body has arrived. Prints one JSON object with
//! p50/p90/p99/max per target. Refuses any URL that is not http://127.0.0.1.
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Read;
use std::rc::Rc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Target {
    name: String,
    url: String,
    headers: reqwest::header::HeaderMap,
}

#[derive(Default)]
struct Stats {
    lat_ms: Vec<f64>,
    statuses: BTreeMap<String, u64>,
    late_ms: Vec<f64>,
    elapsed_s: f64,
    sent: u64,
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1]
}

async fn phase(
    client: &reqwest::Client,
    t: &Target,
    rate: f64,
    count: u64,
    timeout: Duration,
    stats: Option<Rc<RefCell<Stats>>>,
) {
    let start = Instant::now() + Duration::from_millis(5);
    let mut handles = Vec::with_capacity(count as usize);
    for i in 0..count {
        let at = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(at.into()).await;
        let late = Instant::now().saturating_duration_since(at);
        let req = client
            .get(&t.url)
            .headers(t.headers.clone())
            .timeout(timeout);
        let stats = stats.clone();
        handles.push(tokio::task::spawn_local(async move {
            let t0 = Instant::now();
            let outcome = match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16().to_string();
                    match resp.bytes().await {
                        Ok(_) => status,
                        Err(_) => "body_error".to_string(),
                    }
                }
                Err(e) if e.is_timeout() => "timeout".to_string(),
                Err(_) => "connect_error".to_string(),
            };
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            if let Some(s) = stats {
                let mut s = s.borrow_mut();
                s.sent += 1;
                if outcome == "200" {
                    s.lat_ms.push(ms);
                }
                s.late_ms.push(late.as_secs_f64() * 1e3);
                *s.statuses.entry(outcome).or_default() += 1;
            }
        }));
    }
    for h in handles {
        let _ = h.await;
    }
    if let Some(s) = stats {
        s.borrow_mut().elapsed_s += start.elapsed().as_secs_f64();
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("read the job from stdin");
    let job: Value = serde_json::from_str(&input).expect("the job is JSON");
    let rate = job["rate"].as_f64().unwrap_or(500.0).clamp(1.0, 5_000.0);
    let count = job["count"].as_u64().unwrap_or(5_000).min(200_000);
    let warmup = job["warmup"].as_u64().unwrap_or(200).min(10_000);
    let rounds = job["rounds"].as_u64().unwrap_or(2).clamp(1, 20);
    let timeout = Duration::from_millis(job["timeoutMs"].as_u64().unwrap_or(10_000).min(60_000));
    let mut targets = Vec::new();
    for t in job["targets"].as_array().expect("targets") {
        let url = t["url"].as_str().expect("url").to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(h) = t["headers"].as_object() {
            for (k, v) in h {
                headers.insert(
                    reqwest::header::HeaderName::from_bytes(k.as_bytes()).expect("header name"),
                    v.as_str()
                        .unwrap_or_default()
                        .parse()
                        .expect("header value"),
                );
            }
        }
        targets.push(Target {
            name: t["name"].as_str().unwrap_or("target").to_string(),
            url,
            headers,
        });
    }
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true)
        .build()
        .expect("client");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    let started = Instant::now();
    let results = local.block_on(&rt, async {
        let all: Vec<Rc<RefCell<Stats>>> = targets.iter().map(|_| Rc::default()).collect();
        for t in &targets {
            phase(&client, t, rate, warmup, timeout, None).await;
        }
        let per_round = count.div_ceil(rounds);
        for _ in 0..rounds {
            for (t, s) in targets.iter().zip(&all) {
                phase(&client, t, rate, per_round, timeout, Some(s.clone())).await;
            }
        }
        all
    });
    let mut out = serde_json::Map::new();
    for (t, s) in targets.iter().zip(results) {
        let mut s = s.borrow_mut();
        s.lat_ms.sort_by(f64::total_cmp);
        s.late_ms.sort_by(f64::total_cmp);
        let n = s.lat_ms.len();
        out.insert(
            t.name.clone(),
            json!({
                "sent": s.sent,
                "ok": n,
                "statuses": s.statuses,
                "p50_ms": pct(&s.lat_ms, 50.0),
                "p90_ms": pct(&s.lat_ms, 90.0),
                "p99_ms": pct(&s.lat_ms, 99.0),
                "max_ms": s.lat_ms.last().copied().unwrap_or(f64::NAN),
                "mean_ms": if n > 0 { s.lat_ms.iter().sum::<f64>() / n as f64 } else { f64::NAN },
                "achieved_rps": s.sent as f64 / s.elapsed_s.max(1e-9),
                "schedule_lateness_p99_ms": pct(&s.late_ms, 99.0),
            }),
        );
    }
    out.insert("rate".into(), json!(rate));
    out.insert("wall_s".into(), json!(started.elapsed().as_secs_f64()));
    println!("{}", Value::Object(out));
}
