//! `cutover-proxy`: reads the configuration, starts everything, says where to open Cutover, and
//! shuts down gracefully on SIGTERM or Ctrl-C.
//!
//! `cutover-proxy migrate-store --from <cutover.sqlite3> --to <postgres://…>` copies an SQLite
//! store into an empty PostgreSQL database instead.
use std::path::PathBuf;
use std::time::Duration;

use cutover_proxy::config::{Config, LogFormat};
use cutover_proxy::observability;

/// How long requests in progress may take to finish after SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

const USAGE: &str = "Usage:
  cutover-proxy                                   start Cutover (configured by CUTOVER_* variables; see the README)
  cutover-proxy migrate-store --from FILE --to URL  copy an SQLite store (FILE, e.g. data/cutover.sqlite3)
                                                  into an empty PostgreSQL database (URL, postgres://…)";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => serve().await,
        Some("migrate-store") => migrate_store(&args[1..]).await,
        Some("-h" | "--help" | "help") => println!("{USAGE}"),
        Some(other) => {
            eprintln!("cutover-proxy: unknown command {other:?}.\n{USAGE}");
            std::process::exit(2);
        }
    }
}

async fn serve() {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(why) => {
            eprintln!("cutover-proxy: {why}");
            std::process::exit(2);
        }
    };
    observability::init_logging(config.log_format);
    let mut running = match cutover_proxy::start(config).await {
        Ok(r) => r,
        Err(why) => {
            tracing::error!(error = %why, "Cutover could not start");
            eprintln!("cutover-proxy: {why}");
            std::process::exit(1);
        }
    };
    if let Some(sb) = running.sandbox {
        println!("Partner Center sandbox on http://{sb}");
    }
    tracing::info!(
        listen = %running.addr,
        mode = running.mode,
        api_base = %running.api_base,
        store = %running.store,
        "Cutover started"
    );
    println!("{}", running.describe());
    tokio::select! {
        r = &mut running.server => {
            if let Ok(Err(e)) = r {
                tracing::error!(error = %e, "the server stopped");
                eprintln!("cutover-proxy: the server stopped ({e}).");
            }
            std::process::exit(1);
        }
        signal = stop_signal() => {
            tracing::info!(signal, "shutting down: finishing requests in progress");
        }
    }
    match running.shutdown(SHUTDOWN_GRACE).await {
        Ok(()) => tracing::info!("stopped"),
        Err(why) => {
            tracing::warn!(%why, "stopped");
            std::process::exit(1);
        }
    }
}

/// Resolves on SIGTERM (what service managers and container runtimes send) or Ctrl-C.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "SIGINT",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

async fn migrate_store(args: &[String]) {
    let mut from: Option<PathBuf> = None;
    let mut to: Option<String> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--from" => from = rest.next().map(PathBuf::from),
            "--to" => to = rest.next().cloned(),
            other => {
                eprintln!("cutover-proxy migrate-store: unknown argument {other:?}.\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        eprintln!("cutover-proxy migrate-store needs --from and --to.\n{USAGE}");
        std::process::exit(2);
    };
    observability::init_logging(LogFormat::Text);
    let target = cutover_proxy::store::postgres::redact_url(&to);
    println!("Copying {} into {target} …", from.display());
    match cutover_proxy::store::copy::sqlite_to_postgres(&from, &to).await {
        Ok(counts) => println!(
            "Copied and verified: {} records, {} settings, {} changes, {} share links (version sum {}). Set CUTOVER_DATABASE_URL to use PostgreSQL.",
            counts.records, counts.settings, counts.changes, counts.share_links, counts.version_sum
        ),
        Err(why) => {
            eprintln!("cutover-proxy migrate-store: {why}");
            std::process::exit(1);
        }
    }
}
