//! `cutover-proxy`: reads the configuration, starts everything, prints where to open Cutover.
use cutover_proxy::config::Config;

#[tokio::main]
async fn main() {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(why) => {
            eprintln!("cutover-proxy: {why}");
            std::process::exit(2);
        }
    };
    let running = match cutover_proxy::start(config).await {
        Ok(r) => r,
        Err(why) => {
            eprintln!("cutover-proxy: {why}");
            std::process::exit(1);
        }
    };
    if let Some(sb) = running.sandbox {
        println!("Partner Center sandbox on http://{sb}");
    }
    println!("Cutover is running on http://{}", running.addr);
    tokio::select! {
        r = running.server => {
            if let Ok(Err(e)) = r {
                eprintln!("cutover-proxy: the server stopped ({e}).");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
}
