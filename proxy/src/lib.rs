//! cutover-proxy: serves the app, forwards allow-listed Partner Center calls, stores records.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub mod allow_list;
pub mod atom_feed;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod first_run;
pub mod graph_allow_list;
pub mod graph_client;
pub mod health;
pub mod ids;
pub mod metrics;
pub mod notify;
pub mod observability;
pub mod oidc;
pub mod pc_client;
pub mod routes;
pub mod sessions;
pub mod store;
pub mod team_config;

use client_addr::TrustedProxies;
use config::{Config, PartnerCenterMode, RealCredentials};
use graph_client::GraphClient;
use pc_client::{PartnerCenter, RetryPolicy};
use store::{Store, StoreLocation};

/// The SQLite file's name inside the data directory.
pub const DATABASE_FILE: &str = "cutover.sqlite3";

/// What every request handler shares.
pub struct AppState {
    /// The Partner Center client (real or sandbox).
    pub pc: PartnerCenter,
    /// The Microsoft Graph client (real or sandbox): GDAP and customer tenants' subscriptions.
    pub graph: GraphClient,
    /// The built app.
    pub dist_dir: PathBuf,
    /// Migration records, settings, change log and share links (SQLite or PostgreSQL).
    pub store: Store,
    /// Per-address limit of the customer-facing routes.
    pub public_rate: routes::rate_limit::PublicRate,
    /// Name shown to customers on status pages.
    pub partner_name: String,
    /// When set, partner routes need a session obtained with this key.
    pub access_key: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
    /// Mail to status-page subscribers and webhooks, through the outbox.
    pub notify: Arc<notify::Notifier>,
    /// Team use: sign-in settings, session length, order approvals.
    pub team: team_config::TeamConfig,
    /// Sign-in with OpenID Connect, when configured.
    pub oidc: Option<Arc<oidc::OidcClient>>,
    /// The last answer to `GET /api/store/records`, kept while the records are unchanged.
    pub records_cache: routes::records_cache::RecordsCache,
}

/// A running proxy.
pub struct Running {
    /// Where the proxy listens.
    pub addr: SocketAddr,
    /// Where the embedded sandbox listens, when it runs.
    pub sandbox: Option<SocketAddr>,
    /// `sandbox` or `real`.
    pub mode: &'static str,
    /// The Partner Center API base the proxy forwards to.
    pub api_base: String,
    /// The store, described without secrets (`sqlite:/path` or `postgres://user@host:port/db`).
    pub store: String,
    /// Resolves when the server stops.
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    shutdown: tokio::sync::watch::Sender<bool>,
    store_handle: Store,
    outbox_worker: tokio::task::JoinHandle<()>,
}

impl Running {
    /// The one start-up line: where, which Partner Center, which store.
    pub fn describe(&self) -> String {
        format!(
            "Cutover is running on http://{} (mode {}, Partner Center API {}, store {})",
            self.addr, self.mode, self.api_base, self.store
        )
    }

    /// Graceful shutdown: stops accepting connections, lets requests in progress finish (for at
    /// most `grace`), then closes the store's connection pool.
    pub async fn shutdown(self, grace: std::time::Duration) -> Result<(), String> {
        let _ = self.shutdown.send(true);
        // What the worker was sending stays claimed until its lease ends, then is sent again.
        self.outbox_worker.abort();
        let abort = self.server.abort_handle();
        let result = match tokio::time::timeout(grace, self.server).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(format!("the server stopped with an error ({e})")),
            Ok(Err(_)) => Err("the server task failed".to_owned()),
            Err(_) => {
                abort.abort();
                Err(format!(
                    "requests were still running after {} s and were cut off",
                    grace.as_secs()
                ))
            }
        };
        self.store_handle.close();
        result
    }
}

/// Starts the sandbox (if configured) and the proxy; returns once both listen.
pub async fn start(config: Config) -> Result<Running, String> {
    let real = matches!(config.partner_center, PartnerCenterMode::Real(_));
    let first_run = match &config.partner_center {
        PartnerCenterMode::Sandbox(sb) => Some(sb.clone()),
        PartnerCenterMode::Real(_) => None,
    };
    let (creds, sandbox) = match config.partner_center.clone() {
        PartnerCenterMode::Real(creds) => (creds, None),
        PartnerCenterMode::Sandbox(mut sb) => {
            // The sandbox checks credentials like the real token endpoint, with placeholder values.
            let placeholder = sandbox_credentials("127.0.0.1:0".parse().expect("static address"));
            sb.client_id = Some(placeholder.client_id);
            sb.client_secret = Some(placeholder.client_secret);
            sb.refresh_token = placeholder.refresh_token;
            let addr = cutover_sandbox::spawn(sb)
                .await
                .map_err(|e| format!("The Partner Center sandbox could not start ({e})."))?;
            (sandbox_credentials(addr), Some(addr))
        }
    };
    let graph = GraphClient::new(creds.clone(), RetryPolicy::default())?;
    let api_base = creds.api_base.clone();
    let pc = PartnerCenter::new(creds, RetryPolicy::default())?;
    if !config.dist_dir.join("index.html").is_file() {
        return Err(format!(
            "The built app is missing: {} has no index.html (run trunk build --release first).",
            config.dist_dir.display()
        ));
    }
    let oidc = match &config.team.oidc {
        Some(settings) => {
            let sandbox_base = sandbox.map(|a| format!("http://{a}"));
            Some(Arc::new(
                oidc::OidcClient::discover(settings.clone(), sandbox_base.as_deref()).await?,
            ))
        }
        None => None,
    };
    let store = open_store(&config.store).await?;
    if let Some(sb) = &first_run {
        first_run::seed_if_empty(&store, sb, &clock::now_utc()).await?;
    }
    if real {
        // Say now, in one sentence, if the credentials are missing or refused.
        pc.check_sign_in().await?;
    }
    let notify = Arc::new(notify::Notifier::new(
        config.notify.clone(),
        &config.partner_name,
    )?);
    let state = Arc::new(AppState {
        notify,
        pc,
        graph,
        dist_dir: config.dist_dir.clone(),
        store: store.clone(),
        partner_name: config.partner_name.clone(),
        access_key: config.access_key.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        public_rate: config.public_rate,
        team: config.team.clone(),
        oidc,
        records_cache: Default::default(),
    });
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| {
            format!(
                "Cutover could not listen on {} ({e}); is another copy running?",
                config.listen
            )
        })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Answers go out at once: without TCP_NODELAY a response written in two parts can wait for
    // the client's delayed ACK (40 ms on Linux), which showed as the proxy's p99 latency.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let outbox_worker = notify::spawn(Arc::clone(&state));
    let app = routes::router(state);
    let (shutdown, mut stop) = tokio::sync::watch::channel(false);
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            // Dropping the `Running` without calling `shutdown` keeps serving (tests do that).
            if stop.wait_for(|stop| *stop).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
    });
    Ok(Running {
        addr,
        sandbox,
        mode: if real { "real" } else { "sandbox" },
        api_base,
        store: store.describe(),
        server,
        shutdown,
        store_handle: store,
        outbox_worker,
    })
}

/// Opens the store, creating the SQLite data directory if needed.
async fn open_store(location: &StoreLocation) -> Result<Store, String> {
    if let StoreLocation::Sqlite(path) = location
        && let Some(data_dir) = path.parent()
    {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            format!(
                "The data directory {} could not be created ({e}); set CUTOVER_DATA_DIR to a writable directory.",
                data_dir.display()
            )
        })?;
    }
    Store::open(location).await.map_err(|e| e.to_string())
}

/// The embedded sandbox takes any client id and secret; these are placeholders, not secrets.
fn sandbox_credentials(addr: SocketAddr) -> RealCredentials {
    RealCredentials {
        api_base: format!("http://{addr}"),
        auth_base: format!("http://{addr}"),
        tenant_id: "sandbox-partner".into(),
        client_id: "cutover-sandbox-app".into(),
        client_secret: "sandbox-client-secret".into(),
        refresh_token: Some("sandbox-refresh-token".into()),
        graph_api_base: format!("http://{addr}"),
    }
}
