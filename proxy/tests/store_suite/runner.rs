//! Runs every case of the store suite against one backend, each on a fresh store, and prints
//! one line per case and a closing `N passed, M failed` line. A test binary with
//! `harness = false` calls [`run`] from `main`; the process exits non-zero when a case failed.
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use cutover_proxy::store::{Store, StoreLocation};

/// A fresh, empty store for one case, and where it lives (to open a second handle on it).
#[derive(Clone)]
pub struct Fixture {
    pub store: Store,
    pub location: StoreLocation,
    /// Keeps a temporary directory alive for as long as the case runs.
    pub _keep: Option<Arc<tempfile::TempDir>>,
}

pub type CaseFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
pub type Case = fn(Fixture) -> CaseFuture;

/// Runs `cases` (those whose name contains the first command-line argument, if one is given),
/// each on a store made by `fresh`; true when every case passed.
#[must_use]
pub async fn run<F, Fut>(backend: &str, cases: Vec<(&'static str, Case)>, fresh: F) -> bool
where
    F: Fn(&'static str) -> Fut,
    Fut: Future<Output = Fixture>,
{
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let (mut passed, mut failed) = (0, Vec::new());
    let started = std::time::Instant::now();
    for (name, case) in cases {
        if !name.contains(&filter) {
            continue;
        }
        let fixture = fresh(name).await;
        // Each case in its own task: a panic fails that case and the suite goes on.
        let outcome = tokio::spawn(case(fixture)).await;
        match outcome {
            Ok(()) => {
                passed += 1;
                println!("test {backend}::{name} ... ok");
            }
            Err(_) => {
                failed.push(name);
                println!("test {backend}::{name} ... FAILED");
            }
        }
    }
    println!();
    if !failed.is_empty() {
        println!("failures ({backend}):");
        for name in &failed {
            println!("    {name}");
        }
    }
    println!(
        "store suite on {backend} finished in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The plain closing line CI reads: `word: N passed, N failed`.
    println!("{backend}: {passed} passed, {} failed", failed.len());
    failed.is_empty()
}
