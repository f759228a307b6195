//! Admin access to a customer's tenant (GDAP, granular delegated admin privileges): reading
//! Graph's `delegatedAdminRelationship`, where access stands, how long is left, and the request
//! Cutover sends.
//!
//! Life cycle (Microsoft Graph): the partner creates a relationship (`created`), locks it for
//! approval (`approvalPending`), the customer approves it at the approval link (`active`); it ends
//! after its duration (`expired`) unless it auto-extends, or is ended early (`terminated`). A
//! request nobody approves expires 90 days after it was created.
//!
//! Warnings (the thresholds are Cutover's choice, in [`APPROVAL_WARNING_DAYS`] and
//! [`END_WARNING_DAYS`]): an approval request with 14 days or fewer left, so the partner can chase
//! the customer in time; an active relationship that does not auto-extend and ends in 30 days or
//! fewer, so a new request can be approved before access lapses (about one reminder cycle of a
//! customer's IT admin).
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::date::Date;
use crate::partner_center::{ItemProblem, calendar_date, field, text};

/// Global Reader: reads subscriptions and licences, changes nothing.
pub const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
/// Directory Readers: also enough to read subscriptions and licences.
pub const DIRECTORY_READERS: &str = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
/// Days a request waits for approval before it expires.
pub const REQUEST_EXPIRY_DAYS: u32 = 90;
/// Relationship length Cutover asks for (the longest Graph allows).
pub const DURATION: &str = "P730D";
/// Auto-extension Cutover asks for.
pub const AUTO_EXTEND: &str = "P180D";
/// Warn when an approval request has this many days or fewer left.
pub const APPROVAL_WARNING_DAYS: i32 = 14;
/// Warn when an active relationship without auto-extension ends in this many days or fewer.
pub const END_WARNING_DAYS: i32 = 30;
/// Longest `displayName` Graph accepts.
pub const MAX_DISPLAY_NAME: usize = 50;

/// The least-privilege role Cutover requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GdapRole {
    /// Global Reader (`f2ef992c-…`).
    #[default]
    GlobalReader,
    /// Directory Readers (`88d8e3e3-…`).
    DirectoryReaders,
}

impl GdapRole {
    /// The role definition id Graph expects.
    #[must_use]
    pub fn role_definition_id(self) -> &'static str {
        match self {
            GdapRole::GlobalReader => GLOBAL_READER,
            GdapRole::DirectoryReaders => DIRECTORY_READERS,
        }
    }
}

/// One admin relationship as Cutover reads it from Graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GdapRelationship {
    /// Graph's relationship id (used in the approval link).
    pub id: String,
    /// `displayName`.
    pub display_name: String,
    /// `customer.tenantId`, lower-cased.
    pub customer_tenant_id: Option<String>,
    /// `customer.displayName`.
    pub customer_name: Option<String>,
    /// `status`, as Graph wrote it (`approvalPending`, `active`, …).
    pub status: String,
    /// `duration` in days, when readable (`P730D`, `P2Y`).
    pub duration_days: Option<u32>,
    /// `autoExtendDuration` in days (0 when off).
    pub auto_extend_days: u32,
    /// `createdDateTime` as a date.
    pub created_on: Option<Date>,
    /// `activatedDateTime` as a date.
    pub activated_on: Option<Date>,
    /// `endDateTime` as a date.
    pub ends_on: Option<Date>,
    /// `accessDetails.unifiedRoles[].roleDefinitionId`.
    pub roles: Vec<String>,
}

/// One page of relationships: those read, those that could not be, and the next page's link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GdapPage {
    /// Relationships that could be read.
    pub relationships: Vec<GdapRelationship>,
    /// Items that could not be read, and why.
    pub problems: Vec<ItemProblem>,
    /// `@odata.nextLink`, when more pages remain.
    pub next_link: Option<String>,
}

/// Days in an ISO 8601 duration of days or years (`P730D`, `P2Y`, `PT0S`, `P0D`).
#[must_use]
pub fn duration_days(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_uppercase();
    if t == "PT0S" {
        return Some(0);
    }
    let body = t.strip_prefix('P')?;
    if let Some(n) = body.strip_suffix('D') {
        return n.parse().ok();
    }
    body.strip_suffix('Y')?
        .parse::<u32>()
        .ok()
        .map(|y| y.saturating_mul(365))
}

/// Reads one `delegatedAdminRelationship`; the error names the missing field.
pub fn parse_relationship(item: &Value) -> Result<GdapRelationship, String> {
    if !item.is_object() {
        return Err("the item is not an object".into());
    }
    let id = text(item, "id")
        .filter(|s| !s.is_empty())
        .ok_or("field id is missing")?;
    let status = text(item, "status")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("relationship {id}: field status is missing"))?;
    let customer = field(item, "customer").unwrap_or(&Value::Null);
    let date = |key: &str| text(item, key).as_deref().and_then(calendar_date);
    let roles = field(item, "accessDetails")
        .and_then(|a| field(a, "unifiedRoles"))
        .and_then(Value::as_array)
        .map(|roles| {
            roles
                .iter()
                .filter_map(|r| text(r, "roleDefinitionId"))
                .map(|r| r.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    Ok(GdapRelationship {
        display_name: text(item, "displayName").unwrap_or_default(),
        customer_tenant_id: text(customer, "tenantId")
            .filter(|s| !s.is_empty())
            .map(|s| s.to_ascii_lowercase()),
        customer_name: text(customer, "displayName").filter(|s| !s.is_empty()),
        status,
        duration_days: text(item, "duration").as_deref().and_then(duration_days),
        auto_extend_days: text(item, "autoExtendDuration")
            .as_deref()
            .and_then(duration_days)
            .unwrap_or(0),
        created_on: date("createdDateTime"),
        activated_on: date("activatedDateTime"),
        ends_on: date("endDateTime"),
        roles,
        id,
    })
}

/// Parses a page of `GET …/delegatedAdminRelationships` (Graph's `value` + `@odata.nextLink`).
/// A body that is one relationship (`GET …/{id}`, or a `POST` answer) gives a page of one.
pub fn parse_relationship_page(body: &str) -> Result<GdapPage, String> {
    let root: Value = serde_json::from_str(body).map_err(|e| {
        format!("Microsoft Graph sent admin relationships that are not valid JSON ({e}).")
    })?;
    let mut page = GdapPage {
        next_link: text(&root, "@odata.nextLink").filter(|s| !s.is_empty()),
        ..GdapPage::default()
    };
    let single;
    let items = match field(&root, "value").and_then(Value::as_array) {
        Some(items) => items,
        None if field(&root, "id").is_some() => {
            single = vec![root.clone()];
            &single
        }
        None => {
            return Err(
                "Microsoft Graph sent an admin-relationship list without a value array.".into(),
            );
        }
    };
    for (index, item) in items.iter().enumerate() {
        match parse_relationship(item) {
            Ok(r) => page.relationships.push(r),
            Err(message) => page.problems.push(ItemProblem {
                index,
                id: text(item, "id"),
                message,
            }),
        }
    }
    Ok(page)
}

/// Where admin access to one customer's tenant stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum GdapState {
    /// No relationship requested.
    None,
    /// Created but not yet sent for approval (lock it for approval next).
    Created,
    /// Waiting for the customer; the request expires on this day.
    #[serde(rename_all = "camelCase")]
    ApprovalPending {
        /// The last day the customer can approve.
        expires_on: Date,
    },
    /// Cutover can read the tenant until `ends_on` (when known).
    #[serde(rename_all = "camelCase")]
    Active {
        /// The day access ends unless extended; `None` when Graph gave no end or activation date.
        ends_on: Option<Date>,
        /// Whether Graph extends it by itself at the end.
        auto_extend: bool,
    },
    /// The request or the relationship ran out.
    Expired,
    /// The partner or the customer ended it.
    Terminated,
}

impl GdapState {
    /// Whether Cutover can read the customer's tenant now.
    #[must_use]
    pub fn is_active(self) -> bool {
        matches!(self, GdapState::Active { .. })
    }
}

/// The state of one relationship on `today`: Graph's status, corrected by the dates (a pending
/// request past 90 days, or an active relationship past its end without auto-extension, has
/// expired even if Graph has not said so yet).
#[must_use]
pub fn relationship_state(r: &GdapRelationship, today: Date) -> GdapState {
    let auto_extend = r.auto_extend_days > 0;
    match r.status.to_ascii_lowercase().as_str() {
        "created" => GdapState::Created,
        "approvalpending" => match r.created_on {
            Some(created) => {
                let expires_on = created.plus_days(REQUEST_EXPIRY_DAYS).add_days(-1);
                if today > expires_on {
                    GdapState::Expired
                } else {
                    GdapState::ApprovalPending { expires_on }
                }
            }
            // Without a creation date, assume the whole window is left from today.
            None => GdapState::ApprovalPending {
                expires_on: today.plus_days(REQUEST_EXPIRY_DAYS),
            },
        },
        "active" | "approved" | "activating" | "expiring" => {
            let ends_on = r
                .ends_on
                .or_else(|| Some(r.activated_on?.plus_days(r.duration_days?)));
            match ends_on {
                Some(end) if today > end && !auto_extend => GdapState::Expired,
                _ => GdapState::Active {
                    ends_on,
                    auto_extend,
                },
            }
        }
        "terminated" | "terminating" | "terminationrequested" => GdapState::Terminated,
        "expired" => GdapState::Expired,
        // An unknown future status: treat as not usable, not as lost.
        _ => GdapState::Created,
    }
}

/// The state for one customer from all its relationships: the most useful one wins (active, then
/// awaiting approval, then created, then the most recent ended one).
#[must_use]
pub fn customer_state(relationships: &[GdapRelationship], today: Date) -> GdapState {
    let states: Vec<(GdapState, Option<Date>)> = relationships
        .iter()
        .map(|r| (relationship_state(r, today), r.created_on))
        .collect();
    let rank = |s: &GdapState| match s {
        GdapState::Active { .. } => 5,
        GdapState::ApprovalPending { .. } => 4,
        GdapState::Created => 3,
        GdapState::Expired | GdapState::Terminated => 1,
        GdapState::None => 0,
    };
    states
        .into_iter()
        .max_by(|(a, ca), (b, cb)| rank(a).cmp(&rank(b)).then(ca.cmp(cb)))
        .map_or(GdapState::None, |(s, _)| s)
}

/// Admin access to one customer's tenant as the checklist and the status page use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminAccess {
    /// Where it stands.
    pub state: GdapState,
    /// Where the customer approves it, while a request waits for approval.
    #[serde(default)]
    pub approval_link: Option<String>,
    /// The relationship the state comes from.
    #[serde(default)]
    pub relationship_id: Option<String>,
}

impl Default for AdminAccess {
    fn default() -> Self {
        AdminAccess {
            state: GdapState::None,
            approval_link: None,
            relationship_id: None,
        }
    }
}

/// Admin access for one customer from all its relationships (the one [`customer_state`] picks),
/// with the approval link while it waits for the customer.
#[must_use]
pub fn admin_access(relationships: &[GdapRelationship], today: Date) -> AdminAccess {
    let state = customer_state(relationships, today);
    let chosen = relationships
        .iter()
        .filter(|r| relationship_state(r, today) == state)
        .max_by_key(|r| r.created_on);
    AdminAccess {
        state,
        approval_link: match state {
            GdapState::ApprovalPending { .. } => chosen.map(|r| approval_link(&r.id)),
            _ => None,
        },
        relationship_id: chosen.map(|r| r.id.clone()),
    }
}

/// The customer tenants (lower-cased ids) whose admin access is active on `today`, from all of the
/// partner's relationships, in first-seen order.
#[must_use]
pub fn active_tenants(relationships: &[GdapRelationship], today: Date) -> Vec<String> {
    let mut by_tenant: Vec<(String, Vec<GdapRelationship>)> = Vec::new();
    for r in relationships {
        let Some(t) = &r.customer_tenant_id else {
            continue;
        };
        match by_tenant.iter_mut().find(|(id, _)| id == t) {
            Some((_, list)) => list.push(r.clone()),
            None => by_tenant.push((t.clone(), vec![r.clone()])),
        }
    }
    by_tenant
        .into_iter()
        .filter(|(_, list)| customer_state(list, today).is_active())
        .map(|(id, _)| id)
        .collect()
}

/// The page where the customer approves the request.
#[must_use]
pub fn approval_link(relationship_id: &str) -> String {
    format!(
        "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/{relationship_id}"
    )
}

/// Days left until the request expires (awaiting approval) or access ends (active); negative when
/// already past; `None` in other states or when the end is unknown.
#[must_use]
pub fn days_left(state: GdapState, today: Date) -> Option<i32> {
    match state {
        GdapState::ApprovalPending { expires_on } => Some(expires_on.days_since(today)),
        GdapState::Active {
            ends_on: Some(end), ..
        } => Some(end.days_since(today)),
        _ => None,
    }
}

/// Something about admin access the partner should act on soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum GdapWarning {
    /// The customer has not approved yet and the request expires soon.
    #[serde(rename_all = "camelCase")]
    ApprovalExpiresSoon {
        /// Days left to approve (0 = today is the last day).
        days_left: i32,
        /// The last day.
        expires_on: Date,
    },
    /// Access ends soon and does not extend by itself.
    #[serde(rename_all = "camelCase")]
    AccessEndsSoon {
        /// Days until access ends.
        days_left: i32,
        /// The day it ends.
        ends_on: Date,
    },
    /// Access ran out or was ended: the tenant cannot be read until a new request is approved.
    AccessLost,
}

/// Warnings for a state on `today` (thresholds in the module documentation).
#[must_use]
pub fn warnings(state: GdapState, today: Date) -> Vec<GdapWarning> {
    match state {
        GdapState::ApprovalPending { expires_on } => {
            let days_left = expires_on.days_since(today);
            if days_left <= APPROVAL_WARNING_DAYS {
                vec![GdapWarning::ApprovalExpiresSoon {
                    days_left,
                    expires_on,
                }]
            } else {
                Vec::new()
            }
        }
        GdapState::Active {
            ends_on: Some(ends_on),
            auto_extend: false,
        } => {
            let days_left = ends_on.days_since(today);
            if days_left <= END_WARNING_DAYS {
                vec![GdapWarning::AccessEndsSoon { days_left, ends_on }]
            } else {
                Vec::new()
            }
        }
        GdapState::Expired | GdapState::Terminated => vec![GdapWarning::AccessLost],
        _ => Vec::new(),
    }
}

/// A display name of at most 50 characters, unique among `taken` (the names of this partner's
/// existing relationships): `Cutover <company> <tenant prefix>`, with ` 2`, ` 3`, … when repeated.
#[must_use]
pub fn display_name(customer_name: &str, customer_tenant_id: &str, taken: &[String]) -> String {
    let prefix: String = customer_tenant_id.chars().take(8).collect();
    let company: String = customer_name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for n in 1u32.. {
        let suffix = if n == 1 {
            format!(" {prefix}")
        } else {
            format!(" {prefix} {n}")
        };
        let room = MAX_DISPLAY_NAME - "Cutover ".len() - suffix.chars().count();
        let head: String = company.chars().take(room).collect();
        let name = format!("Cutover {}{suffix}", head.trim_end());
        if !taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
            return name;
        }
    }
    unreachable!("some counter gives a free name")
}

/// The body of `POST /v1.0/tenantRelationships/delegatedAdminRelationships`: 730 days, the
/// least-privilege role, auto-extension by 180 days.
#[must_use]
pub fn request_body(
    customer_tenant_id: &str,
    customer_name: &str,
    role: GdapRole,
    taken_names: &[String],
) -> Value {
    json!({
        "displayName": display_name(customer_name, customer_tenant_id, taken_names),
        "duration": DURATION,
        "customer": {"tenantId": customer_tenant_id, "displayName": customer_name},
        "accessDetails": {"unifiedRoles": [{"roleDefinitionId": role.role_definition_id()}]},
        "autoExtendDuration": AUTO_EXTEND,
    })
}

/// The body of `POST …/delegatedAdminRelationships/{id}/requests` that sends it for approval.
#[must_use]
pub fn lock_for_approval_body() -> Value {
    json!({"action": "lockForApproval"})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn rel(status: &str, created: &str) -> GdapRelationship {
        GdapRelationship {
            id: "r1".into(),
            display_name: "Cutover".into(),
            customer_tenant_id: Some("t".into()),
            customer_name: None,
            status: status.into(),
            duration_days: Some(730),
            auto_extend_days: 0,
            created_on: Some(d(created)),
            activated_on: None,
            ends_on: None,
            roles: vec![GLOBAL_READER.into()],
        }
    }

    #[test]
    fn parses_graphs_relationship_leniently_and_reports_bad_items() {
        let body = r#"{"@odata.context":"x","value":[
          {"id":"a-1","displayName":"Cutover A","duration":"P730D","status":"active",
           "autoExtendDuration":"P180D","createdDateTime":"2025-01-02T03:04:05.1234567Z",
           "activatedDateTime":"2025-01-03T00:00:00Z","endDateTime":"2027-01-03T00:00:00Z",
           "customer":{"tenantId":"ABC","displayName":"Contoso"},
           "accessDetails":{"unifiedRoles":[{"roleDefinitionId":"F2EF992C-3AFB-46B9-B7CF-A126EE74C451"}]}},
          {"displayName":"no id"},
          {"id":"b-2"},
          "junk"],
          "@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=abc"}"#;
        let page = parse_relationship_page(body).unwrap();
        assert_eq!(page.relationships.len(), 1);
        let r = &page.relationships[0];
        assert_eq!(r.customer_tenant_id.as_deref(), Some("abc"));
        assert_eq!(r.auto_extend_days, 180);
        assert_eq!(r.ends_on, Some(d("2027-01-03")));
        assert_eq!(r.roles, vec![GLOBAL_READER.to_string()]);
        assert_eq!(page.problems.len(), 3);
        assert!(page.problems[1].message.contains("status"));
        assert_eq!(page.problems[1].id.as_deref(), Some("b-2"));
        assert!(page.next_link.is_some());
        let one = parse_relationship_page(r#"{"id":"x","status":"created"}"#).unwrap();
        assert_eq!(one.relationships[0].status, "created");
        assert!(parse_relationship_page("{}").is_err());
        assert!(parse_relationship_page("<html>").is_err());
    }

    #[test]
    fn a_pending_request_expires_ninety_days_after_creation() {
        let r = rel("approvalPending", "2026-01-01");
        let expires_on = d("2026-03-31");
        assert_eq!(
            relationship_state(&r, d("2026-03-31")),
            GdapState::ApprovalPending { expires_on }
        );
        assert_eq!(relationship_state(&r, d("2026-04-01")), GdapState::Expired);
        let s = relationship_state(&r, d("2026-03-20"));
        assert_eq!(days_left(s, d("2026-03-20")), Some(11));
    }

    #[test]
    fn an_active_relationship_ends_unless_it_auto_extends() {
        let mut r = rel("active", "2025-01-01");
        r.activated_on = Some(d("2025-01-02"));
        let state = relationship_state(&r, d("2026-12-01"));
        assert_eq!(
            state,
            GdapState::Active {
                ends_on: Some(d("2027-01-02")),
                auto_extend: false
            }
        );
        assert_eq!(relationship_state(&r, d("2027-01-03")), GdapState::Expired);
        r.auto_extend_days = 180;
        assert!(relationship_state(&r, d("2027-01-03")).is_active());
    }

    #[test]
    fn warnings_start_two_weeks_before_approval_expiry_and_thirty_days_before_the_end() {
        let pending = GdapState::ApprovalPending {
            expires_on: d("2026-03-31"),
        };
        assert!(warnings(pending, d("2026-03-16")).is_empty());
        assert_eq!(
            warnings(pending, d("2026-03-17")),
            vec![GdapWarning::ApprovalExpiresSoon {
                days_left: 14,
                expires_on: d("2026-03-31")
            }]
        );
        let ending = GdapState::Active {
            ends_on: Some(d("2026-06-30")),
            auto_extend: false,
        };
        assert!(warnings(ending, d("2026-05-30")).is_empty());
        assert_eq!(warnings(ending, d("2026-05-31")).len(), 1);
        let extending = GdapState::Active {
            ends_on: Some(d("2026-06-30")),
            auto_extend: true,
        };
        assert!(warnings(extending, d("2026-06-29")).is_empty());
        assert_eq!(
            warnings(GdapState::Terminated, d("2026-01-01")),
            vec![GdapWarning::AccessLost]
        );
    }

    #[test]
    fn the_most_useful_relationship_decides_the_customers_state() {
        let mut old = rel("terminated", "2024-01-01");
        old.id = "old".into();
        let pending = rel("approvalPending", "2026-02-01");
        assert_eq!(customer_state(&[], d("2026-02-10")), GdapState::None);
        assert!(matches!(
            customer_state(&[old.clone(), pending], d("2026-02-10")),
            GdapState::ApprovalPending { .. }
        ));
        assert_eq!(
            customer_state(&[old], d("2026-02-10")),
            GdapState::Terminated
        );
    }

    #[test]
    fn request_body_asks_for_least_privilege_for_730_days_with_auto_extend() {
        let body = request_body(
            "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
            "株式会社あおいシステムズ",
            GdapRole::GlobalReader,
            &[],
        );
        assert_eq!(body["duration"], "P730D");
        assert_eq!(body["autoExtendDuration"], "P180D");
        assert_eq!(
            body["accessDetails"]["unifiedRoles"][0]["roleDefinitionId"],
            GLOBAL_READER
        );
        assert_eq!(
            body["customer"]["tenantId"],
            "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
        );
        assert_eq!(
            body["displayName"],
            "Cutover 株式会社あおいシステムズ 0f1e2d3c"
        );
        assert_eq!(lock_for_approval_body()["action"], "lockForApproval");
    }

    #[test]
    fn display_names_fit_fifty_characters_and_avoid_names_in_use() {
        let long = "International Business Consolidated Holdings Worldwide Limited";
        let first = display_name(long, "0f1e2d3c-aaaa", &[]);
        assert!(first.chars().count() <= MAX_DISPLAY_NAME, "{first}");
        assert!(first.ends_with(" 0f1e2d3c"));
        let second = display_name(long, "0f1e2d3c-aaaa", std::slice::from_ref(&first));
        assert_ne!(first, second);
        assert!(second.chars().count() <= MAX_DISPLAY_NAME, "{second}");
        assert!(second.ends_with(" 0f1e2d3c 2"));
    }

    #[test]
    fn the_approval_link_names_the_relationship() {
        assert_eq!(
            approval_link("abc-123"),
            "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/abc-123"
        );
        assert_eq!(duration_days("P2Y"), Some(730));
        assert_eq!(duration_days("PT0S"), Some(0));
        assert_eq!(duration_days("two years"), None);
    }

    #[test]
    fn admin_access_takes_the_state_and_link_of_the_relationship_that_counts() {
        let rel = |id: &str, status: &str, created: &str| GdapRelationship {
            id: id.into(),
            display_name: format!("Cutover {id}"),
            customer_tenant_id: Some("c".into()),
            customer_name: None,
            status: status.into(),
            duration_days: Some(730),
            auto_extend_days: 180,
            created_on: Some(Date::parse(created).unwrap()),
            activated_on: None,
            ends_on: None,
            roles: vec![],
        };
        let today = Date::parse("2026-12-01").unwrap();
        let a = admin_access(
            &[
                rel("old", "expired", "2025-01-01"),
                rel("new", "approvalPending", "2026-11-20"),
            ],
            today,
        );
        assert!(matches!(a.state, GdapState::ApprovalPending { .. }));
        assert_eq!(a.relationship_id.as_deref(), Some("new"));
        assert_eq!(a.approval_link, Some(approval_link("new")));
        let none = admin_access(&[], today);
        assert_eq!(none, AdminAccess::default());
        let active = admin_access(&[rel("act", "active", "2026-01-01")], today);
        assert!(active.state.is_active());
        assert_eq!(active.approval_link, None);
    }

    #[test]
    fn active_tenants_are_those_with_a_usable_relationship() {
        let rel = |id: &str, tenant: &str, status: &str| GdapRelationship {
            id: id.into(),
            display_name: id.into(),
            customer_tenant_id: Some(tenant.into()),
            customer_name: None,
            status: status.into(),
            duration_days: Some(730),
            auto_extend_days: 0,
            created_on: Some(Date::parse("2026-06-01").unwrap()),
            activated_on: Some(Date::parse("2026-06-02").unwrap()),
            ends_on: None,
            roles: vec![],
        };
        let today = Date::parse("2026-12-01").unwrap();
        let all = [
            rel("1", "a", "active"),
            rel("2", "b", "approvalPending"),
            rel("3", "c", "terminated"),
            rel("4", "c", "active"),
            rel("5", "d", "expired"),
        ];
        assert_eq!(
            active_tenants(&all, today),
            vec!["a".to_string(), "c".to_string()]
        );
    }
}
