//! cutover-sandbox: a Partner Center emulator speaking the real wire format, with seeded
//! deterministic data (English and Japanese customers, CSP subscriptions, non-CSP licences,
//! prospects) and configurable faults. The proxy starts it in-process by default.
use std::net::SocketAddr;

mod auth;
mod base64url;
mod catalog;
mod config;
mod csv;
mod data;
mod dates;
mod directory;
mod errors;
mod faults;
mod first_run;
mod gdap;
mod names;
pub mod oidc;
mod paging;
mod prng;
mod quirks;
mod resources;
mod routes;
mod seed;
mod state;
mod transfers;

pub use config::{MAX_CUSTOMERS, SandboxConfig, WebhookSecret};
pub use dates::Date;

/// The emulator's routes: Partner Center under `/v1`, the Entra token endpoint under
/// `/{tenant}/oauth2/…`, and sandbox controls under `/sandbox`.
pub fn app(config: SandboxConfig) -> axum::Router {
    routes::router(config)
}

/// The migration records a partner would have after using Cutover for a while with this sandbox
/// (the same as `GET /sandbox/records.json` right after start).
pub fn seeded_records(config: &SandboxConfig) -> Vec<cutover_plan::record::MigrationRecord> {
    let today = config.today.unwrap_or_else(Date::today_utc);
    let world = seed::world(config, today);
    first_run::records(&world, config.seed)
}

/// Binds 127.0.0.1 on a free port, serves the emulator in a background task and returns its address.
pub async fn spawn(config: SandboxConfig) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = serve(listener, config).await;
    });
    Ok(addr)
}

/// Serves the emulator on `listener` until the process ends, with TCP_NODELAY on every
/// connection as Partner Center's front ends and the proxy do (no 40 ms delayed-ACK stalls).
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: SandboxConfig,
) -> std::io::Result<()> {
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app(config)).await
}
