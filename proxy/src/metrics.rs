//! Prometheus metrics, served at `/metrics` in the OpenMetrics text format.
//!
//! One registry per process. Labels are bounded: routes are axum's route templates
//! (`/api/store/records/{key}`), never raw paths, so a key or a share token never becomes a label.
use std::sync::OnceLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamLabels {
    service: String,
    /// The HTTP status, or `none` when no answer came (timeout, connection refused).
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServiceLabels {
    service: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConflictLabels {
    kind: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily<RouteLabels>,
    upstream: Family<UpstreamLabels, Counter>,
    upstream_latency: HistogramFamily<ServiceLabels>,
    upstream_retries: Family<ServiceLabels, Counter>,
    conflicts: Family<ConflictLabels, Counter>,
    outbox_backlog: Gauge,
}

/// 1 ms to about 16 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("cutover");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        let latency: HistogramFamily<RouteLabels> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from request to response headers, by route",
            latency.clone(),
        );
        let upstream = Family::<UpstreamLabels, Counter>::default();
        registry.register(
            "upstream_requests",
            "Calls to Partner Center, its token endpoint and Microsoft Graph, by status (each attempt counts)",
            upstream.clone(),
        );
        let upstream_latency: HistogramFamily<ServiceLabels> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "upstream_request_duration_seconds",
            "Time of one upstream attempt, by service",
            upstream_latency.clone(),
        );
        let upstream_retries = Family::<ServiceLabels, Counter>::default();
        registry.register(
            "upstream_retries",
            "Upstream attempts that were retried (429, 5xx, timeouts, unreadable answers)",
            upstream_retries.clone(),
        );
        let conflicts = Family::<ConflictLabels, Counter>::default();
        registry.register(
            "store_conflicts",
            "Writes refused because they were based on a stale version or an existing key",
            conflicts.clone(),
        );
        let outbox_backlog = Gauge::default();
        registry.register(
            "outbox_backlog",
            "Notifications waiting in the outbox (0 until the outbox exists)",
            outbox_backlog.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            upstream,
            upstream_latency,
            upstream_retries,
            conflicts,
            outbox_backlog,
        }
    })
}

/// Counts one answered request and its latency.
pub fn request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let m = metrics();
    m.requests
        .get_or_create(&RequestLabels {
            method: method.to_owned(),
            route: route.to_owned(),
            status,
        })
        .inc();
    m.latency
        .get_or_create(&RouteLabels {
            route: route.to_owned(),
        })
        .observe(elapsed.as_secs_f64());
}

/// Counts one upstream attempt; `status` is `None` when no answer came.
pub fn upstream(service: &str, status: Option<u16>, elapsed: Duration) {
    let m = metrics();
    m.upstream
        .get_or_create(&UpstreamLabels {
            service: service.to_owned(),
            status: status.map_or_else(|| "none".to_owned(), |s| s.to_string()),
        })
        .inc();
    m.upstream_latency
        .get_or_create(&ServiceLabels {
            service: service.to_owned(),
        })
        .observe(elapsed.as_secs_f64());
}

/// Counts one retried upstream attempt.
pub fn upstream_retry(service: &str) {
    metrics()
        .upstream_retries
        .get_or_create(&ServiceLabels {
            service: service.to_owned(),
        })
        .inc();
}

/// Counts one write refused as stale or as a duplicate (`record`, `settings`, `import`, `rekey`).
pub fn store_conflict(kind: &str) {
    metrics()
        .conflicts
        .get_or_create(&ConflictLabels {
            kind: kind.to_owned(),
        })
        .inc();
}

/// Sets the number of notifications waiting to be sent.
pub fn set_outbox_backlog(waiting: i64) {
    metrics().outbox_backlog.set(waiting);
}

/// Everything, in the OpenMetrics text format.
pub fn render() -> String {
    let mut text = String::new();
    // Writing into a String cannot fail.
    let _ = prometheus_client::encoding::text::encode(&mut text, &metrics().registry);
    text
}

/// The content type of [`render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_metrics_name_routes_statuses_and_the_outbox() {
        request("GET", "/api/test-route", 200, Duration::from_millis(3));
        upstream("partner_center", Some(429), Duration::from_millis(20));
        upstream("partner_center", None, Duration::from_millis(20));
        store_conflict("record");
        let text = render();
        assert!(
            text.contains(
                r#"cutover_http_requests_total{method="GET",route="/api/test-route",status="200"}"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"cutover_http_request_duration_seconds_bucket{le="#));
        assert!(text.contains(r#"service="partner_center",status="429""#));
        assert!(text.contains(r#"service="partner_center",status="none""#));
        assert!(text.contains(r#"cutover_store_conflicts_total{kind="record"}"#));
        assert!(text.contains("cutover_outbox_backlog 0"), "{text}");
        assert!(text.ends_with("# EOF\n"));
    }
}
