//! Proxy configuration: from environment variables, optionally loaded from a `KEY=VALUE` file.
//!
//! The file named by `CUTOVER_CONFIG` is read once at start-up and never served. Secrets stay in
//! this process: nothing here is ever serialized into a response.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::client_addr::TrustedProxies;
use crate::store::StoreLocation;

/// Where Partner Center calls go.
#[derive(Debug, Clone)]
pub enum PartnerCenterMode {
    /// Start the embedded emulator and talk to it over loopback (the default).
    Sandbox(cutover_sandbox::SandboxConfig),
    /// The real Partner Center.
    Real(RealCredentials),
}

/// Credentials and endpoints for the real Partner Center.
#[derive(Clone)]
pub struct RealCredentials {
    /// API base, e.g. `https://api.partnercenter.microsoft.com`.
    pub api_base: String,
    /// Token authority base, e.g. `https://login.microsoftonline.com`.
    pub auth_base: String,
    /// The partner's Entra tenant id.
    pub tenant_id: String,
    /// The web app's application (client) id.
    pub client_id: String,
    /// The web app's secret.
    pub client_secret: String,
    /// Refresh token for App+User calls (invitation link, subscribed SKUs, Graph); optional.
    pub refresh_token: Option<String>,
    /// Microsoft Graph base, e.g. `https://graph.microsoft.com` (`CUTOVER_GRAPH_API_BASE`).
    pub graph_api_base: String,
}

impl std::fmt::Debug for RealCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secrets, not even in debug logs.
        f.debug_struct("RealCredentials")
            .field("api_base", &self.api_base)
            .field("auth_base", &self.auth_base)
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// How log lines are written (to standard error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event, with `key=value` fields.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Everything the proxy needs to start.
#[derive(Clone)]
pub struct Config {
    /// Address to listen on; loopback by default.
    pub listen: SocketAddr,
    /// The built app (Trunk's `dist/`).
    pub dist_dir: PathBuf,
    /// Where the SQLite file lives.
    pub data_dir: PathBuf,
    /// Sandbox or real Partner Center.
    pub partner_center: PartnerCenterMode,
    /// Required when listening on a non-loopback address: partner staff log in with it.
    pub access_key: Option<String>,
    /// Name shown to customers on status pages.
    pub partner_name: String,
    /// The SQLite file in `data_dir` (default), or PostgreSQL (`CUTOVER_DATABASE_URL`).
    pub store: StoreLocation,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`CUTOVER_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// Text or JSON log lines (`CUTOVER_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Per-address limit of the customer-facing `/api/public/*` routes.
    pub public_rate: crate::routes::rate_limit::PublicRate,
    /// Mail, webhooks and the outbox (`CUTOVER_SMTP_URL`, `CUTOVER_PUBLIC_URL`, …).
    pub notify: crate::notify::NotifyConfig,
    /// Sign-in with OpenID Connect, roles, order approvals.
    pub team: crate::team_config::TeamConfig,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the access key, and the database URL only without its password.
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("dist_dir", &self.dist_dir)
            .field("data_dir", &self.data_dir)
            .field("partner_center", &self.partner_center)
            .field("access_key", &self.access_key.as_ref().map(|_| "<set>"))
            .field("partner_name", &self.partner_name)
            .field("store", &self.store)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log_format", &self.log_format)
            .field("notify", &self.notify)
            .field("team", &self.team)
            .finish()
    }
}

impl Config {
    /// Reads the configuration from the process environment (and `CUTOVER_CONFIG`, if set).
    pub fn from_env() -> Result<Config, String> {
        let mut vars: HashMap<String, String> = std::env::vars().collect();
        if let Some(path) = vars.get("CUTOVER_CONFIG").cloned() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("The config file {path} could not be read ({e})."))?;
            for (key, value) in parse_config_file(&text)? {
                // The environment wins over the file.
                vars.entry(key).or_insert(value);
            }
        }
        Config::from_vars(&vars)
    }

    /// Builds the configuration from a variable map; errors are one sentence naming the variable.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Config, String> {
        let get = |key: &str| vars.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
        let listen: SocketAddr = get("CUTOVER_LISTEN")
            .unwrap_or("127.0.0.1:8080")
            .parse()
            .map_err(|_| {
                "CUTOVER_LISTEN must be an address with a port, such as 127.0.0.1:8080.".to_string()
            })?;
        let access_key = get("CUTOVER_ACCESS_KEY").map(str::to_string);
        let team = crate::team_config::from_vars(
            &get,
            get("CUTOVER_PC_MODE").is_none_or(|m| m == "sandbox"),
        )?;
        if team.oidc.is_some() && access_key.is_some() {
            return Err("Set either CUTOVER_ACCESS_KEY (one shared key) or CUTOVER_OIDC_ISSUER (sign-in with roles), not both.".to_string());
        }
        if !listen.ip().is_loopback() {
            if team.oidc.is_some() && team.public_url.is_none() {
                return Err(format!(
                    "Listening on {listen} with sign-in needs CUTOVER_PUBLIC_URL, the address people open (the sign-in redirect URI is built on it)."
                ));
            }
            if team.oidc.is_none() && access_key.as_ref().is_none_or(|k| k.len() < 16) {
                return Err(format!(
                    "Listening on {listen} exposes Cutover beyond this machine: set CUTOVER_ACCESS_KEY to a secret of at least 16 characters, or sign-in with CUTOVER_OIDC_ISSUER."
                ));
            }
        }
        let mode = get("CUTOVER_PC_MODE").unwrap_or("sandbox");
        let partner_center = match mode {
            "sandbox" => PartnerCenterMode::Sandbox(cutover_sandbox::SandboxConfig::from_env()?),
            "real" => PartnerCenterMode::Real(real_credentials(&get)?),
            other => {
                return Err(format!(
                    "CUTOVER_PC_MODE is {other:?}; use sandbox (the default) or real."
                ));
            }
        };
        let data_dir: PathBuf = get("CUTOVER_DATA_DIR").unwrap_or("data").into();
        let store = match get("CUTOVER_DATABASE_URL") {
            None => StoreLocation::Sqlite(data_dir.join(crate::DATABASE_FILE)),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                StoreLocation::Postgres(url.to_string())
            }
            Some(_) => {
                return Err("CUTOVER_DATABASE_URL must be a PostgreSQL URL such as postgres://cutover:password@127.0.0.1:5432/cutover; leave it unset to use the SQLite file in CUTOVER_DATA_DIR.".to_string());
            }
        };
        let trusted_proxies = TrustedProxies::parse(get("CUTOVER_TRUSTED_PROXIES").unwrap_or(""))
            .map_err(|e| format!("CUTOVER_TRUSTED_PROXIES: {e}"))?;
        let log_format = match get("CUTOVER_LOG_FORMAT").unwrap_or("text") {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(format!(
                    "CUTOVER_LOG_FORMAT is {other:?}; use text (the default) or json."
                ));
            }
        };
        let public_rate = match get("CUTOVER_PUBLIC_RATE_LIMIT") {
            Some(v) => crate::routes::rate_limit::PublicRate::parse(v)?,
            None => crate::routes::rate_limit::PublicRate::default(),
        };
        let notify = crate::notify::NotifyConfig::from_vars(&get)?;
        Ok(Config {
            notify,
            team,
            public_rate,
            listen,
            dist_dir: get("CUTOVER_DIST").unwrap_or("dist").into(),
            data_dir,
            store,
            trusted_proxies,
            log_format,
            partner_center,
            access_key,
            partner_name: get("CUTOVER_PARTNER_NAME")
                .unwrap_or("Cutover sandbox partner")
                .to_string(),
        })
    }
}

fn real_credentials<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Result<RealCredentials, String> {
    let missing: Vec<&str> = [
        "CUTOVER_PC_TENANT_ID",
        "CUTOVER_PC_CLIENT_ID",
        "CUTOVER_PC_CLIENT_SECRET",
    ]
    .into_iter()
    .filter(|k| get(k).is_none())
    .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Real Partner Center mode needs {} (see the README's \"Real Partner Center\" section).",
            missing.join(", ")
        ));
    }
    let api_base = get("CUTOVER_PC_API_BASE").unwrap_or("https://api.partnercenter.microsoft.com");
    let auth_base = get("CUTOVER_PC_AUTH_BASE").unwrap_or("https://login.microsoftonline.com");
    let graph_api_base = get("CUTOVER_GRAPH_API_BASE").unwrap_or("https://graph.microsoft.com");
    for (key, url) in [
        ("CUTOVER_PC_API_BASE", api_base),
        ("CUTOVER_PC_AUTH_BASE", auth_base),
        ("CUTOVER_GRAPH_API_BASE", graph_api_base),
    ] {
        if !(url.starts_with("https://") || url.starts_with("http://127.0.0.1")) {
            return Err(format!(
                "{key} must be an https:// address (or http://127.0.0.1 for testing)."
            ));
        }
    }
    Ok(RealCredentials {
        api_base: api_base.trim_end_matches('/').to_string(),
        auth_base: auth_base.trim_end_matches('/').to_string(),
        tenant_id: get("CUTOVER_PC_TENANT_ID").unwrap_or_default().to_string(),
        client_id: get("CUTOVER_PC_CLIENT_ID").unwrap_or_default().to_string(),
        client_secret: get("CUTOVER_PC_CLIENT_SECRET")
            .unwrap_or_default()
            .to_string(),
        refresh_token: get("CUTOVER_PC_REFRESH_TOKEN").map(str::to_string),
        graph_api_base: graph_api_base.trim_end_matches('/').to_string(),
    })
}

/// Parses `KEY=VALUE` lines; `#` starts a comment; values may be wrapped in double quotes.
pub fn parse_config_file(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("Line {} of the config file is not KEY=VALUE.", n + 1))?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        out.push((key.trim().to_string(), value.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_to_loopback_sandbox() {
        let c = Config::from_vars(&vars(&[])).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(matches!(c.partner_center, PartnerCenterMode::Sandbox(_)));
    }

    #[test]
    fn public_address_needs_an_access_key() {
        let err = Config::from_vars(&vars(&[("CUTOVER_LISTEN", "0.0.0.0:8080")])).unwrap_err();
        assert!(err.contains("CUTOVER_ACCESS_KEY"), "{err}");
        let ok = Config::from_vars(&vars(&[
            ("CUTOVER_LISTEN", "0.0.0.0:8080"),
            ("CUTOVER_ACCESS_KEY", "a-long-enough-secret"),
        ]));
        assert!(ok.is_ok());
    }

    #[test]
    fn real_mode_names_every_missing_variable() {
        let err = Config::from_vars(&vars(&[
            ("CUTOVER_PC_MODE", "real"),
            ("CUTOVER_PC_CLIENT_ID", "app"),
        ]))
        .unwrap_err();
        assert!(err.contains("CUTOVER_PC_TENANT_ID") && err.contains("CUTOVER_PC_CLIENT_SECRET"));
        assert!(!err.contains("CUTOVER_PC_CLIENT_ID,"));
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let c = Config::from_vars(&vars(&[
            ("CUTOVER_PC_MODE", "real"),
            ("CUTOVER_PC_TENANT_ID", "t"),
            ("CUTOVER_PC_CLIENT_ID", "c"),
            ("CUTOVER_PC_CLIENT_SECRET", "very-secret-value"),
            ("CUTOVER_PC_REFRESH_TOKEN", "refresh-secret"),
        ]))
        .unwrap();
        let text = format!("{c:?}");
        assert!(!text.contains("very-secret-value") && !text.contains("refresh-secret"));
    }

    #[test]
    fn the_store_is_sqlite_in_the_data_directory_unless_a_postgres_url_is_set() {
        let c = Config::from_vars(&vars(&[("CUTOVER_DATA_DIR", "/srv/cutover")])).unwrap();
        assert_eq!(
            c.store,
            StoreLocation::Sqlite("/srv/cutover/cutover.sqlite3".into())
        );
        let url = "postgres://cutover:pw-secret@127.0.0.1:5432/cutover";
        let c = Config::from_vars(&vars(&[("CUTOVER_DATABASE_URL", url)])).unwrap();
        assert_eq!(c.store, StoreLocation::Postgres(url.into()));
        assert!(!format!("{c:?}").contains("pw-secret"));
        let err = Config::from_vars(&vars(&[("CUTOVER_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(err.contains("PostgreSQL URL"), "{err}");
    }

    #[test]
    fn trusted_proxies_and_log_format_are_checked() {
        let err =
            Config::from_vars(&vars(&[("CUTOVER_TRUSTED_PROXIES", "10.0.0.0/33")])).unwrap_err();
        assert!(err.starts_with("CUTOVER_TRUSTED_PROXIES"), "{err}");
        let err = Config::from_vars(&vars(&[("CUTOVER_LOG_FORMAT", "xml")])).unwrap_err();
        assert!(err.contains("json"), "{err}");
        let c = Config::from_vars(&vars(&[
            ("CUTOVER_TRUSTED_PROXIES", "127.0.0.2, 10.0.0.0/8"),
            ("CUTOVER_LOG_FORMAT", "json"),
        ]))
        .unwrap();
        assert_eq!(c.log_format, LogFormat::Json);
        assert!(c.trusted_proxies.contains("10.1.2.3".parse().unwrap()));
    }

    #[test]
    fn the_access_key_never_appears_in_debug_output() {
        let c = Config::from_vars(&vars(&[("CUTOVER_ACCESS_KEY", "access-key-secret-1")])).unwrap();
        assert!(!format!("{c:?}").contains("access-key-secret-1"));
    }

    #[test]
    fn config_file_lines_parse_and_bad_lines_are_named() {
        let parsed = parse_config_file("# c\nA=1\nB = \"two words\"\n").unwrap();
        assert_eq!(
            parsed,
            vec![("A".into(), "1".into()), ("B".into(), "two words".into())]
        );
        assert!(parse_config_file("oops").unwrap_err().contains("Line 1"));
    }
}
