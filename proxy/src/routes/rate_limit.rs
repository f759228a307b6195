//! A per-address rate limit for the customer-facing `/api/public/*` routes.
//!
//! Share tokens carry 256 random bits, so guessing is hopeless anyway; the limit keeps one client
//! from turning status pages into a load on Partner Center (each view asks it for fresh facts).
//! Behind a load balancer the client is the address the trusted reverse proxy reports
//! (`CUTOVER_TRUSTED_PROXIES`, see `client_addr`), so each customer has its own bucket instead of
//! every request sharing the balancer's. The buckets live in this instance's memory: nothing
//! else needs them, and losing them on restart only resets the limit. With N instances behind a
//! balancer a client may reach N times the rate (each instance counts what it serves).
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use cutover_plan::wire::ApiError;

use super::error_response;
use crate::observability::ClientAddr;

/// Forget idle clients beyond this many buckets.
const MAX_CLIENTS: usize = 10_000;

/// How many public requests one client address may make: a burst, then a sustained rate
/// (`CUTOVER_PUBLIC_RATE_LIMIT=burst/per-second`, default `30/1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublicRate {
    /// Requests a client may burst.
    pub burst: f64,
    /// Sustained requests per second.
    pub per_second: f64,
}

impl Default for PublicRate {
    fn default() -> Self {
        PublicRate {
            burst: 30.0,
            per_second: 1.0,
        }
    }
}

impl PublicRate {
    /// Reads `burst/per-second`, e.g. `30/1` or `100/2.5`.
    pub fn parse(text: &str) -> Result<PublicRate, String> {
        let bad = || {
            format!(
                "CUTOVER_PUBLIC_RATE_LIMIT must be burst/per-second with positive numbers, such as 30/1, not \"{text}\"."
            )
        };
        let (b, r) = text.split_once('/').ok_or_else(bad)?;
        let burst: f64 = b.trim().parse().map_err(|_| bad())?;
        let per_second: f64 = r.trim().parse().map_err(|_| bad())?;
        if !(burst >= 1.0 && burst.is_finite() && per_second > 0.0 && per_second.is_finite()) {
            return Err(bad());
        }
        Ok(PublicRate { burst, per_second })
    }
}

/// Token buckets keyed by client address.
pub struct RateLimiter {
    rate: PublicRate,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(PublicRate::default())
    }
}

impl RateLimiter {
    /// A limiter with this rate.
    pub fn new(rate: PublicRate) -> RateLimiter {
        RateLimiter {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`; false when the client must wait.
    pub fn allow(&self, ip: IpAddr, now: Instant) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let PublicRate { burst, per_second } = self.rate;
        if buckets.len() >= MAX_CLIENTS {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_second < burst
            });
        }
        let (tokens, at) = buckets.entry(ip).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_second).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Middleware: 429 with `Retry-After` once a client address has used its budget.
pub async fn limit_public(
    limiter: axum::extract::State<std::sync::Arc<RateLimiter>>,
    req: Request,
    next: Next,
) -> Response {
    let ip = req
        .extensions()
        .get::<ClientAddr>()
        .map(|c| c.0)
        .or_else(|| {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        });
    if let Some(ip) = ip
        && !limiter.allow(ip, Instant::now())
    {
        let mut resp = error_response(
            StatusCode::TOO_MANY_REQUESTS,
            ApiError::new(
                "too_many_requests",
                "Too many requests from this address; wait a few seconds and reload.",
                true,
            ),
        );
        resp.headers_mut().insert("retry-after", 5.into());
        return resp;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_refused_then_refilled() {
        let limiter = RateLimiter::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        let allowed = (0..40).filter(|_| limiter.allow(ip, t0)).count();
        assert_eq!(allowed, PublicRate::default().burst as usize);
        assert!(
            limiter.allow(other, t0),
            "another address has its own budget"
        );
        assert!(!limiter.allow(ip, t0));
        assert!(limiter.allow(ip, t0 + Duration::from_secs(2)));
    }

    #[test]
    fn the_rate_is_read_as_burst_over_per_second() {
        assert_eq!(
            PublicRate::parse(" 100 / 2.5 ").unwrap(),
            PublicRate {
                burst: 100.0,
                per_second: 2.5
            }
        );
        for bad in ["30", "0/1", "30/0", "x/1", "30/-1", "inf/1"] {
            let err = PublicRate::parse(bad).unwrap_err();
            assert!(err.contains("CUTOVER_PUBLIC_RATE_LIMIT"), "{bad}: {err}");
        }
    }
}
