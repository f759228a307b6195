//! `cutover-sandbox [PORT]`: serves the emulator on 127.0.0.1 (port from the argument,
//! `CUTOVER_SANDBOX_PORT`, or 8787), configured by `CUTOVER_SANDBOX_*` variables.
use std::process::ExitCode;

use cutover_sandbox::{SandboxConfig, serve};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match SandboxConfig::from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("cutover-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let port_text = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("CUTOVER_SANDBOX_PORT").ok())
        .unwrap_or_else(|| "8787".into());
    let Ok(port) = port_text.trim().parse::<u16>() else {
        eprintln!(
            "cutover-sandbox: the port must be a number from 0 to 65535, not \"{port_text}\"."
        );
        return ExitCode::from(2);
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cutover-sandbox: cannot listen on 127.0.0.1:{port}: {e}.");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    eprintln!(
        "cutover-sandbox: {} customers, {} prospects, seed {}, listening on http://{addr}",
        config.customers, config.prospects, config.seed
    );
    if let Err(e) = serve(listener, config).await {
        eprintln!("cutover-sandbox: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
