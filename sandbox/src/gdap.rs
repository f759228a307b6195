//! Granular delegated admin privileges (GDAP): the partner's admin relationships with customer
//! tenants, their life cycle and their Graph shape (`delegatedAdminRelationship`).
//!
//! Status is worked out at the moment of the request from the stored events and the sandbox's
//! clock: a request not approved within 90 days of creation is `expired`; an active relationship
//! ends `duration` after activation, or is extended by `autoExtendDuration` when that is set.
use serde_json::{Value, json};

use crate::data::Tenant;
use crate::dates::{Date, timestamp};
use crate::prng::{Rng, derive};

/// Days an approval request stays open.
pub const REQUEST_DAYS: i64 = 90;
/// Global Reader: enough to read subscriptions and licences.
pub const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
/// Directory Readers.
pub const DIRECTORY_READERS: &str = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
/// Global Administrator: relationships with it cannot auto-extend.
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

const TAG_GDAP: u64 = 0x6764_6170;
const DAY: i64 = 86_400;

/// What has happened to a relationship (the stored events; status is derived from them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Created, not yet locked for approval.
    Created,
    /// Locked for approval at this instant.
    ApprovalPending { locked: i64 },
    /// Approved by the customer at this instant.
    Active { activated: i64 },
    /// Ended early by the partner or the customer at this instant (after `activated`, if any).
    Terminated { at: i64, activated: Option<i64> },
    /// Forced to expire by the sandbox control route at this instant.
    Expired { at: i64, activated: Option<i64> },
}

/// One delegated admin relationship of the partner.
#[derive(Debug, Clone)]
pub struct Relationship {
    pub id: String,
    pub display_name: String,
    pub customer_tenant_id: String,
    pub customer_name: String,
    /// `duration` as ISO 8601 (`P730D`) and in days.
    pub duration: String,
    pub duration_days: i64,
    pub roles: Vec<String>,
    /// `PT0S` or `P180D`.
    pub auto_extend: String,
    pub created: i64,
    pub last_modified: i64,
    pub stage: Stage,
}

/// A relationship's status and dates at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub status: &'static str,
    pub activated: Option<i64>,
    pub end: Option<i64>,
}

impl Relationship {
    /// Auto-extension in days (0 when off).
    fn extend_days(&self) -> i64 {
        parse_duration_days(&self.auto_extend).unwrap_or(0)
    }

    /// Status, activation and end at `now` (Unix seconds).
    pub fn status_at(&self, now: i64) -> Status {
        match self.stage {
            Stage::Created => Status {
                status: "created",
                activated: None,
                end: None,
            },
            Stage::ApprovalPending { .. } => {
                let expires = self.created + REQUEST_DAYS * DAY;
                if now >= expires {
                    Status {
                        status: "expired",
                        activated: None,
                        end: Some(expires),
                    }
                } else {
                    Status {
                        status: "approvalPending",
                        activated: None,
                        end: None,
                    }
                }
            }
            Stage::Active { activated } => {
                let mut end = activated + self.duration_days * DAY;
                let extend = self.extend_days();
                if extend > 0 && now >= end {
                    let periods = (now - end) / (extend * DAY) + 1;
                    end += periods * extend * DAY;
                }
                Status {
                    status: if now >= end { "expired" } else { "active" },
                    activated: Some(activated),
                    end: Some(end),
                }
            }
            Stage::Terminated { at, activated } => Status {
                status: "terminated",
                activated,
                end: Some(at),
            },
            Stage::Expired { at, activated } => Status {
                status: "expired",
                activated,
                end: Some(at),
            },
        }
    }

    /// The Graph resource at `now`.
    pub fn to_json(&self, now: i64) -> Value {
        let s = self.status_at(now);
        let roles: Vec<Value> = self
            .roles
            .iter()
            .map(|r| json!({"roleDefinitionId": r}))
            .collect();
        json!({
            "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
            "id": self.id,
            "displayName": self.display_name,
            "duration": self.duration,
            "status": s.status,
            "autoExtendDuration": self.auto_extend,
            "createdDateTime": graph_time(self.created),
            "lastModifiedDateTime": graph_time(self.last_modified.max(s.end.filter(|e| *e <= now).unwrap_or(0))),
            "activatedDateTime": s.activated.map(graph_time),
            "endDateTime": s.end.map(graph_time),
            "customer": {"tenantId": self.customer_tenant_id, "displayName": self.customer_name},
            "accessDetails": {"unifiedRoles": roles},
        })
    }
}

/// Graph's instant format, with seven fractional digits.
pub fn graph_time(unix: i64) -> String {
    timestamp(unix, Some(0))
}

/// Days in an ISO 8601 duration of whole days or years (`P730D`, `P2Y`, `P180D`, `PT0S`, `P0D`).
pub fn parse_duration_days(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_uppercase();
    if t == "PT0S" {
        return Some(0);
    }
    let body = t.strip_prefix('P')?;
    if let Some(n) = body.strip_suffix('D') {
        return n.parse().ok();
    }
    if let Some(n) = body.strip_suffix('Y') {
        return n.parse::<i64>().ok().map(|y| y * 365);
    }
    None
}

/// Where a seeded customer stands with admin access (weights in [`seed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seeded {
    None,
    Created,
    Pending,
    PendingNearExpiry,
    Active,
    ActiveEndingSoon,
    Expired,
    Terminated,
}

/// Seeds admin relationships for the reseller customers: every stage occurs, including requests
/// close to their 90-day expiry and relationships close to their end.
pub fn seed(seed: u64, tenants: &[Tenant], customers: usize, today: Date) -> Vec<Relationship> {
    let now = today.midnight() + 9 * 3600;
    let mut out = Vec::new();
    for (i, t) in tenants.iter().take(customers).enumerate() {
        let mut rng = Rng::new(derive(seed, TAG_GDAP, i as u64));
        let stage = [
            Seeded::None,
            Seeded::Created,
            Seeded::Pending,
            Seeded::PendingNearExpiry,
            Seeded::Active,
            Seeded::ActiveEndingSoon,
            Seeded::Expired,
            Seeded::Terminated,
        ][rng.weighted(&[22, 4, 10, 5, 42, 7, 5, 5])];
        let days_ago = |rng: &mut Rng, lo: u64, hi: u64| now - rng.range(lo, hi) as i64 * DAY;
        let auto_extend = if rng.chance(0.4) { "P180D" } else { "PT0S" };
        let (created, stage) = match stage {
            Seeded::None => continue,
            Seeded::Created => (days_ago(&mut rng, 0, 3), Stage::Created),
            Seeded::Pending => {
                let c = days_ago(&mut rng, 1, 75);
                (c, Stage::ApprovalPending { locked: c + 60 })
            }
            Seeded::PendingNearExpiry => {
                let c = days_ago(&mut rng, 80, 89);
                (c, Stage::ApprovalPending { locked: c + 60 })
            }
            Seeded::Active => {
                let c = days_ago(&mut rng, 20, 600);
                let a = c + rng.range(1, 14) as i64 * DAY;
                (c, Stage::Active { activated: a })
            }
            Seeded::ActiveEndingSoon => {
                // Ends within the next 3 to 30 days (730-day duration).
                let a = now - (730 - rng.range(3, 30) as i64) * DAY;
                (a - 2 * DAY, Stage::Active { activated: a })
            }
            Seeded::Expired => {
                let c = days_ago(&mut rng, 95, 200);
                (c, Stage::ApprovalPending { locked: c + 3600 })
            }
            Seeded::Terminated => {
                let c = days_ago(&mut rng, 100, 500);
                let a = c + 2 * DAY;
                (
                    c,
                    Stage::Terminated {
                        at: a + rng.range(30, 90) as i64 * DAY,
                        activated: Some(a),
                    },
                )
            }
        };
        // A relationship that ends soon is one without auto-extend.
        let auto_extend = if stage_is_ending_soon(stage, now) {
            "PT0S"
        } else {
            auto_extend
        };
        let last_modified = match stage {
            Stage::Created => created,
            Stage::ApprovalPending { locked } => locked.min(now),
            Stage::Active { activated } => activated,
            Stage::Terminated { at, .. } | Stage::Expired { at, .. } => at,
        };
        out.push(Relationship {
            id: relationship_id(&mut rng, &t.id),
            display_name: display_name(&t.name, &t.id),
            customer_tenant_id: t.id.clone(),
            customer_name: t.name.clone(),
            duration: "P730D".into(),
            duration_days: 730,
            // Least privilege: Global Reader, or Directory Readers for some partners.
            roles: vec![
                if i % 5 == 0 {
                    DIRECTORY_READERS
                } else {
                    GLOBAL_READER
                }
                .into(),
            ],
            auto_extend: auto_extend.into(),
            created,
            last_modified,
            stage,
        });
    }
    out
}

fn stage_is_ending_soon(stage: Stage, now: i64) -> bool {
    matches!(stage, Stage::Active { activated } if activated + 700 * DAY <= now)
}

/// Graph's relationship ids: a GUID, a dash and the customer's tenant id.
pub fn relationship_id(rng: &mut Rng, customer_tenant_id: &str) -> String {
    format!("{}-{customer_tenant_id}", rng.guid())
}

/// `Cutover <company>` cut to fit 50 characters, with a short tenant suffix to stay unique.
fn display_name(company: &str, tenant_id: &str) -> String {
    let suffix = &tenant_id[..tenant_id.len().min(8)];
    let head: String = company.chars().take(50 - 9 - suffix.len()).collect();
    format!("Cutover {head} {suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(stage: Stage, auto_extend: &str) -> Relationship {
        Relationship {
            id: "r".into(),
            display_name: "d".into(),
            customer_tenant_id: "t".into(),
            customer_name: "c".into(),
            duration: "P730D".into(),
            duration_days: 730,
            roles: vec![GLOBAL_READER.into()],
            auto_extend: auto_extend.into(),
            created: 0,
            last_modified: 0,
            stage,
        }
    }

    #[test]
    fn a_pending_request_expires_ninety_days_after_creation() {
        let r = rel(Stage::ApprovalPending { locked: 10 }, "PT0S");
        assert_eq!(r.status_at(89 * DAY).status, "approvalPending");
        let s = r.status_at(90 * DAY);
        assert_eq!(s.status, "expired");
        assert_eq!(s.end, Some(90 * DAY));
    }

    #[test]
    fn an_active_relationship_ends_after_its_duration_unless_it_auto_extends() {
        let r = rel(Stage::Active { activated: DAY }, "PT0S");
        assert_eq!(r.status_at(730 * DAY).status, "active");
        assert_eq!(r.status_at(731 * DAY).status, "expired");
        let r = rel(Stage::Active { activated: DAY }, "P180D");
        let s = r.status_at(731 * DAY);
        assert_eq!(s.status, "active");
        assert_eq!(s.end, Some(911 * DAY));
    }

    #[test]
    fn durations_parse_in_days_and_years() {
        assert_eq!(parse_duration_days("P730D"), Some(730));
        assert_eq!(parse_duration_days("P2Y"), Some(730));
        assert_eq!(parse_duration_days("PT0S"), Some(0));
        assert_eq!(parse_duration_days("730"), None);
    }

    #[test]
    fn display_names_fit_fifty_characters() {
        let long = "株式会社".repeat(30);
        let name = display_name(&long, "0123456789abcdef");
        assert!(name.chars().count() <= 50, "{name}");
    }
}
