//! The emulator's settings: data scale, seed, "today", credentials and injected faults.
use crate::dates::Date;

/// How the emulator behaves: data scale, seed and injected faults.
///
/// Fault rates are fractions of Partner Center requests (`/v1/*`); they are rolled in this order —
/// 429, 5xx, malformed JSON, truncated body, dropped connection — from a counter-based generator
/// seeded by `seed`, so a sequential client sees the same faults on every run.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxConfig {
    /// Number of seeded reseller customers (those listed by `GET /v1/customers`).
    pub customers: usize,
    /// Number of seeded prospects: tenants that have not accepted the reseller relationship yet.
    pub prospects: usize,
    /// Seed of the deterministic data and fault generator.
    pub seed: u64,
    /// The date the seeded end dates are spread from; `None` means today's UTC date.
    pub today: Option<Date>,
    /// When set, every Partner Center call answers with this HTTP status and the real error body.
    pub fail_status: Option<u16>,
    /// Share of Partner Center calls answered 429 with `Retry-After`.
    pub rate_429: f64,
    /// Seconds sent in `Retry-After` on injected and rate-limit 429s.
    pub retry_after_secs: u32,
    /// Share answered 500 or 503.
    pub rate_5xx: f64,
    /// Share answered 200 with a body that is not valid JSON.
    pub rate_malformed: f64,
    /// Share whose body is cut off mid-way (the connection closes before the body is complete).
    pub rate_truncated: f64,
    /// Share whose connection is dropped without any response.
    pub rate_drop: f64,
    /// Latency added to every Partner Center call.
    pub latency_ms: u64,
    /// Extra latency of up to this many milliseconds, drawn per request.
    pub latency_jitter_ms: u64,
    /// Requests per minute allowed per tenant identifier (the real service allows 500); `None` = no limit.
    pub rate_limit_per_minute: Option<u32>,
    /// Share of collection items sent untidy (PascalCase keys, numbers as strings, a missing
    /// domain, dates without a zone), always the same items for a seed.
    pub rate_quirks: f64,
    /// Lifetime of issued access tokens.
    pub token_ttl_secs: u64,
    /// When set, the token endpoint only accepts this client id.
    pub client_id: Option<String>,
    /// When set, the token endpoint only accepts this client secret.
    pub client_secret: Option<String>,
    /// When set, this refresh token (and those the sandbox issued) is accepted; otherwise any.
    pub refresh_token: Option<String>,
    /// Seconds an order stays `pending` before it is `completed` and its lines `fulfilled`.
    pub order_fulfil_secs: u64,
    /// When true, orders for a customer without a recorded Microsoft Customer Agreement
    /// acceptance fail with 403 / `13605`.
    pub require_mca: bool,
    /// Whether a proxy embedding the sandbox fills an empty store with the plans a partner would
    /// have after a while (`CUTOVER_SANDBOX_FIRST_RUN=plans`, the default when read from the
    /// environment; `empty` starts with nothing, as the tests do).
    pub first_run_plans: bool,
    /// The secret the webhook receiver (`POST /sandbox/webhooks`) checks signatures with
    /// (`CUTOVER_SANDBOX_WEBHOOK_SECRET`; set it to the proxy's `CUTOVER_WEBHOOK_SECRET`).
    pub webhook_secret: Option<WebhookSecret>,
}

/// A webhook signing secret; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(pub String);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<secret>")
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            customers: 300,
            prospects: 40,
            seed: 20_260_101,
            today: None,
            fail_status: None,
            rate_429: 0.0,
            retry_after_secs: 2,
            rate_5xx: 0.0,
            rate_malformed: 0.0,
            rate_truncated: 0.0,
            rate_drop: 0.0,
            latency_ms: 0,
            latency_jitter_ms: 0,
            rate_limit_per_minute: None,
            rate_quirks: 0.0,
            token_ttl_secs: 3600,
            client_id: None,
            client_secret: None,
            refresh_token: None,
            order_fulfil_secs: 3,
            require_mca: false,
            first_run_plans: false,
            webhook_secret: None,
        }
    }
}

/// Largest number of customers the sandbox generates.
pub const MAX_CUSTOMERS: usize = 100_000;

impl SandboxConfig {
    /// Reads `CUTOVER_SANDBOX_*` variables over the defaults; the error is one sentence naming the variable.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`SandboxConfig::from_env`], reading variables through `get` (for tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut c = SandboxConfig::default();
        if let Some(v) = var("CUTOVER_SANDBOX_CUSTOMERS") {
            c.customers = parse_count("CUTOVER_SANDBOX_CUSTOMERS", &v, MAX_CUSTOMERS)?;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_PROSPECTS") {
            c.prospects = parse_count("CUTOVER_SANDBOX_PROSPECTS", &v, MAX_CUSTOMERS)?;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_SEED") {
            c.seed = v.parse().map_err(|_| {
                format!(
                    "CUTOVER_SANDBOX_SEED must be a whole number from 0 to 2^64-1, not \"{v}\"."
                )
            })?;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_TODAY") {
            c.today = Some(Date::parse(&v).ok_or_else(|| {
                format!("CUTOVER_SANDBOX_TODAY must be a date written YYYY-MM-DD, not \"{v}\".")
            })?);
        }
        c.webhook_secret = var("CUTOVER_SANDBOX_WEBHOOK_SECRET").map(WebhookSecret);
        if let Some(v) = var("CUTOVER_SANDBOX_FAIL_STATUS") {
            let status = v.parse::<u16>().ok().filter(|s| (400..=599).contains(s));
            c.fail_status = Some(status.ok_or_else(|| {
                format!("CUTOVER_SANDBOX_FAIL_STATUS must be an HTTP error status from 400 to 599, not \"{v}\".")
            })?);
        }
        let rates: [(&str, &mut f64); 5] = [
            ("CUTOVER_SANDBOX_RATE_429", &mut c.rate_429),
            ("CUTOVER_SANDBOX_RATE_5XX", &mut c.rate_5xx),
            ("CUTOVER_SANDBOX_RATE_MALFORMED", &mut c.rate_malformed),
            ("CUTOVER_SANDBOX_RATE_TRUNCATED", &mut c.rate_truncated),
            ("CUTOVER_SANDBOX_RATE_DROP", &mut c.rate_drop),
        ];
        for (name, slot) in rates {
            if let Some(v) = var(name) {
                *slot = v
                    .parse::<f64>()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| {
                        format!(
                            "{name} must be a fraction from 0 to 1 (for example 0.1), not \"{v}\"."
                        )
                    })?;
            }
        }
        if c.fault_share() > 1.0 {
            return Err("CUTOVER_SANDBOX_RATE_429, _RATE_5XX, _RATE_MALFORMED, _RATE_TRUNCATED and _RATE_DROP add up to more than 1.".into());
        }
        if let Some(v) = var("CUTOVER_SANDBOX_RATE_QUIRKS") {
            c.rate_quirks = v.parse::<f64>().ok().filter(|r| (0.0..=1.0).contains(r)).ok_or_else(|| {
                format!("CUTOVER_SANDBOX_RATE_QUIRKS must be a fraction from 0 to 1 (for example 0.1), not \"{v}\".")
            })?;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_RETRY_AFTER") {
            c.retry_after_secs = parse_count("CUTOVER_SANDBOX_RETRY_AFTER", &v, 3600)? as u32;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_LATENCY_MS") {
            c.latency_ms = parse_count("CUTOVER_SANDBOX_LATENCY_MS", &v, 600_000)? as u64;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_LATENCY_JITTER_MS") {
            c.latency_jitter_ms =
                parse_count("CUTOVER_SANDBOX_LATENCY_JITTER_MS", &v, 600_000)? as u64;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_RATE_LIMIT_PER_MIN") {
            let limit = parse_count("CUTOVER_SANDBOX_RATE_LIMIT_PER_MIN", &v, 1_000_000)?;
            c.rate_limit_per_minute = (limit > 0).then_some(limit as u32);
        }
        if let Some(v) = var("CUTOVER_SANDBOX_TOKEN_TTL_SECS") {
            let ttl = parse_count("CUTOVER_SANDBOX_TOKEN_TTL_SECS", &v, 86_400)?;
            if ttl == 0 {
                return Err("CUTOVER_SANDBOX_TOKEN_TTL_SECS must be at least 1.".into());
            }
            c.token_ttl_secs = ttl as u64;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_ORDER_FULFIL_SECS") {
            c.order_fulfil_secs =
                parse_count("CUTOVER_SANDBOX_ORDER_FULFIL_SECS", &v, 86_400)? as u64;
        }
        if let Some(v) = var("CUTOVER_SANDBOX_REQUIRE_MCA") {
            c.require_mca = match v.as_str() {
                "1" | "true" => true,
                "0" | "false" => false,
                _ => {
                    return Err(format!(
                        "CUTOVER_SANDBOX_REQUIRE_MCA must be 1 or 0, not \"{v}\"."
                    ));
                }
            };
        }
        c.first_run_plans = match var("CUTOVER_SANDBOX_FIRST_RUN").as_deref() {
            None | Some("plans") => true,
            Some("empty") => false,
            Some(other) => {
                return Err(format!(
                    "CUTOVER_SANDBOX_FIRST_RUN must be plans (the default) or empty, not \"{other}\"."
                ));
            }
        };
        c.client_id = var("CUTOVER_SANDBOX_CLIENT_ID");
        c.client_secret = var("CUTOVER_SANDBOX_CLIENT_SECRET");
        c.refresh_token = var("CUTOVER_SANDBOX_REFRESH_TOKEN");
        Ok(c)
    }

    /// The sum of all fault rates.
    pub fn fault_share(&self) -> f64 {
        self.rate_429 + self.rate_5xx + self.rate_malformed + self.rate_truncated + self.rate_drop
    }
}

fn parse_count(name: &str, value: &str, max: usize) -> Result<usize, String> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| format!("{name} must be a whole number from 0 to {max}, not \"{value}\"."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<SandboxConfig, String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SandboxConfig::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn empty_environment_gives_defaults_and_first_run_plans() {
        // Read from the environment, a first run opens on plans; a library default starts empty.
        let expected = SandboxConfig {
            first_run_plans: true,
            ..SandboxConfig::default()
        };
        assert_eq!(from(&[]).unwrap(), expected);
        assert!(
            !from(&[("CUTOVER_SANDBOX_FIRST_RUN", "empty")])
                .unwrap()
                .first_run_plans
        );
        assert!(
            from(&[("CUTOVER_SANDBOX_FIRST_RUN", "maybe")])
                .unwrap_err()
                .contains("CUTOVER_SANDBOX_FIRST_RUN")
        );
    }

    #[test]
    fn reads_scale_seed_and_faults() {
        let c = from(&[
            ("CUTOVER_SANDBOX_CUSTOMERS", "10000"),
            ("CUTOVER_SANDBOX_SEED", "7"),
            ("CUTOVER_SANDBOX_RATE_429", "0.25"),
            ("CUTOVER_SANDBOX_FAIL_STATUS", "503"),
            ("CUTOVER_SANDBOX_TODAY", "2026-11-24"),
        ])
        .unwrap();
        assert_eq!(c.customers, 10_000);
        assert_eq!(c.seed, 7);
        assert_eq!(c.rate_429, 0.25);
        assert_eq!(c.fail_status, Some(503));
        assert_eq!(c.today, Date::parse("2026-11-24"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = from(&[("CUTOVER_SANDBOX_RATE_5XX", "lots")]).unwrap_err();
        assert!(err.starts_with("CUTOVER_SANDBOX_RATE_5XX must be"), "{err}");
        let err = from(&[("CUTOVER_SANDBOX_FAIL_STATUS", "200")]).unwrap_err();
        assert!(err.contains("CUTOVER_SANDBOX_FAIL_STATUS"), "{err}");
        let err = from(&[("CUTOVER_SANDBOX_CUSTOMERS", "-3")]).unwrap_err();
        assert!(err.contains("CUTOVER_SANDBOX_CUSTOMERS"), "{err}");
        let err = from(&[
            ("CUTOVER_SANDBOX_RATE_429", "0.6"),
            ("CUTOVER_SANDBOX_RATE_DROP", "0.6"),
        ])
        .unwrap_err();
        assert!(err.contains("more than 1"), "{err}");
    }
}
