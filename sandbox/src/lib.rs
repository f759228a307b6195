//! cutover-sandbox: a Partner Center emulator (stub; being written).
use std::net::SocketAddr;

/// How the emulator behaves: data scale, seed and injected faults.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// Number of seeded customers.
    pub customers: usize,
    /// Seed of the deterministic data generator.
    pub seed: u64,
    /// When set, every Partner Center call answers with this HTTP status.
    pub fail_status: Option<u16>,
}

/// The emulator's routes.
pub fn app(_config: SandboxConfig) -> axum::Router {
    axum::Router::new()
}

/// Binds 127.0.0.1 on a free port, serves the emulator in a background task and returns its address.
pub async fn spawn(config: SandboxConfig) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = app(config);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(addr)
}
