//! Shapes that cross the wire between the proxy and the app (and nothing else).
use serde::{Deserialize, Serialize};

/// The one error body the proxy sends for every failed `/api/*` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// A stable machine code, e.g. `partner_center_throttled`, `not_allowed`, `conflict`.
    pub code: String,
    /// One sentence a partner can act on.
    pub message: String,
    /// True when trying again later can succeed (throttling, timeouts, 5xx).
    pub retryable: bool,
    /// The `MS-RequestId` of the Partner Center call, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Seconds to wait before trying again, when Partner Center said (`Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with no Partner Center request behind it.
    pub fn new(code: &str, message: impl Into<String>, retryable: bool) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            retryable,
            request_id: None,
            retry_after: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// Header carrying Partner Center's continuation token for the next page.
pub const CONTINUATION_HEADER: &str = "MS-ContinuationToken";

use crate::checklist::PcFacts;
use crate::record::{CustomerKey, MigrationRecord};
use crate::settings::Settings;

/// A stored document with its version (optimistic concurrency: every write names the version it
/// was based on, sent as `If-Match: "<version>"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Versioned<T> {
    /// The store key: the Partner Center customer id, or the domain of a prospect.
    pub key: String,
    /// Starts at 1 and grows by one per write.
    pub version: u64,
    /// When it was last written (RFC 3339, UTC).
    pub updated_at: String,
    /// The document.
    pub doc: T,
}

/// `GET /api/store/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordList {
    /// Every migration record.
    pub records: Vec<Versioned<MigrationRecord>>,
}

/// Body of a 409: the write was based on a stale version; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict<T> {
    /// Always `conflict`.
    pub code: String,
    /// A sentence for the partner.
    pub message: String,
    /// Always false: re-applying needs a decision.
    pub retryable: bool,
    /// What is stored now.
    pub current: Versioned<T>,
}

/// `POST /api/store/import`: new and changed records written all together or not at all.
///
/// Creates name no version (the key must not exist yet); updates name the version they were
/// based on. If any create's key exists, or any update's version is stale or its key is gone,
/// nothing at all is written and the answer is a 409 [`ImportConflicts`]. An import with nothing
/// in it writes nothing and answers `{created: 0, updated: 0, records: []}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRequest {
    /// New records; none of their keys may exist yet.
    #[serde(default)]
    pub records: Vec<MigrationRecord>,
    /// Changed records, each with the version the change was based on (its key is the record's).
    #[serde(default)]
    pub updates: Vec<ImportUpdate>,
}

/// One changed record in an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportUpdate {
    /// The stored version this change was based on.
    pub version: u64,
    /// The whole new document.
    pub record: MigrationRecord,
}

/// Answer to a successful import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportResult {
    /// How many records were created.
    pub created: usize,
    /// How many records were updated.
    #[serde(default)]
    pub updated: usize,
    /// Every record written, with its new version, in request order (creates first).
    #[serde(default)]
    pub records: Vec<Versioned<MigrationRecord>>,
}

/// Body of a 409 to an import: nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportConflicts {
    /// Always `conflict`.
    pub code: String,
    /// A sentence for the partner.
    pub message: String,
    /// Always false.
    pub retryable: bool,
    /// What is stored now for every create whose key exists and every stale update.
    #[serde(default)]
    pub current: Vec<Versioned<MigrationRecord>>,
    /// Keys of updates whose record no longer exists.
    #[serde(default)]
    pub missing: Vec<String>,
}

/// A share link as the partner sees it (never the token after creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareLinkInfo {
    /// Link id (not the token).
    pub id: String,
    /// Created at (RFC 3339, UTC).
    pub created_at: String,
    /// Stops working at, if set.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Last opened by the customer.
    #[serde(default)]
    pub last_used_at: Option<String>,
    /// Revoked at, if revoked.
    #[serde(default)]
    pub revoked_at: Option<String>,
}

/// `POST /api/store/records/{key}/links` body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateShareLink {
    /// Optional expiry (RFC 3339, UTC).
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The language the link is shared in (its feed and calendar speak it by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<crate::lang::Lang>,
}

/// Answer to creating a share link: the only time the token is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedShareLink {
    /// The new link.
    pub link: ShareLinkInfo,
    /// The secret token; the status page is `/status/{token}`.
    pub token: String,
}

/// `GET /api/store/records/{key}/links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareLinkList {
    /// Every link of the record, newest first.
    pub links: Vec<ShareLinkInfo>,
}

/// `GET /api/public/status/{token}`: everything a customer's status page may show, nothing more.
///
/// The browser computes every date from this with the planner; the proxy only filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusProjection {
    /// The partner's name.
    pub partner_name: String,
    /// The record with prices, notes and internal ids removed (see [`redact_for_customer`]).
    pub record: MigrationRecord,
    /// The partner's planning settings (the record carries the customer's overrides).
    pub settings: Settings,
    /// What Partner Center says about this customer.
    pub facts: PcFacts,
    /// The reseller invitation link to accept, while the relationship is not accepted.
    #[serde(default)]
    pub invitation_url: Option<String>,
    /// When the projection was built (RFC 3339, UTC).
    pub as_of: String,
    /// True when Partner Center could not be asked just now: `facts` are then the defaults
    /// (nothing detected), and the page should say so rather than show steps as not started.
    #[serde(default)]
    pub facts_unavailable: bool,
    /// The record's stored version (a calendar file's SEQUENCE grows with it).
    #[serde(default)]
    pub record_version: u64,
    /// The settings' stored version; 0 while they were never saved.
    #[serde(default)]
    pub settings_version: u64,
    /// The server can send mail, so the page may offer e-mail subscriptions.
    #[serde(default)]
    pub mail_enabled: bool,
    /// The language the partner shared the link in, when they chose one.
    #[serde(default)]
    pub lang: Option<crate::lang::Lang>,
}

/// `POST /api/public/status/{token}/subscribe`: e-mail updates on this status page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeRequest {
    /// The address to send updates to (a confirmation mail goes there first).
    pub address: String,
    /// The language of the mails.
    #[serde(default)]
    pub lang: crate::lang::Lang,
}

/// Answer to a subscription request (the same whether or not the address was subscribed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeAnswer {
    /// Always `check_your_inbox`.
    pub status: String,
}

/// A status page's e-mail subscriber, as the partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriberInfo {
    /// Its id (for removing it).
    pub id: String,
    /// The share link it subscribed through.
    pub link_id: String,
    /// The address.
    pub address: String,
    /// The language of its mails.
    pub lang: crate::lang::Lang,
    /// When it subscribed (RFC 3339, UTC).
    pub created_at: String,
    /// When it confirmed; `None` while the confirmation mail waits for a click.
    #[serde(default)]
    pub confirmed_at: Option<String>,
}

/// `GET /api/store/records/{key}/subscribers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriberList {
    /// Every subscriber of the record's status links, oldest first.
    pub subscribers: Vec<SubscriberInfo>,
    /// Whether the server sends mail at all (`CUTOVER_SMTP_URL`).
    #[serde(default)]
    pub mail_enabled: bool,
}

/// A calendar link for partner staff (never its token after creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarLinkInfo {
    /// Its id.
    pub id: String,
    /// Whom it is for.
    pub label: String,
    /// The language of its events.
    pub lang: crate::lang::Lang,
    /// When it was made.
    pub created_at: String,
    /// When a calendar last fetched it.
    #[serde(default)]
    pub last_used_at: Option<String>,
    /// When it was revoked.
    #[serde(default)]
    pub revoked_at: Option<String>,
}

/// `GET /api/store/calendar-links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarLinkList {
    /// Every calendar link, newest first.
    pub links: Vec<CalendarLinkInfo>,
}

/// `POST /api/store/calendar-links`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCalendarLink {
    /// Whom it is for (`Ann's Outlook`).
    #[serde(default)]
    pub label: String,
    /// The language of its events.
    #[serde(default)]
    pub lang: crate::lang::Lang,
}

/// Answer to creating a calendar link: the only time the token is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedCalendarLink {
    /// The new link.
    pub link: CalendarLinkInfo,
    /// The address to subscribe to (`…/api/public/calendar/{token}.ics`).
    pub url: String,
}

/// One write in a record's change log (`GET /api/store/records/{key}/changes?since=N`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeInfo {
    /// The version this write created (1, 2, 3, … without gaps).
    pub version: u64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: `partner`, or the label given at login.
    pub actor: String,
    /// `created`, `updated`, `imported` or `rekeyed`.
    pub kind: String,
}

/// `GET /api/store/records/{key}/changes?since=N`: writes after version `N`, oldest first, at most
/// 1,000 per call (ask again with the last version for more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeList {
    /// The writes, oldest first.
    pub changes: Vec<ChangeInfo>,
}

/// `POST /api/session`: log in with the access key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest {
    /// The access key configured on the server (`CUTOVER_ACCESS_KEY`).
    pub access_key: String,
    /// Optional name recorded as the actor of this session's changes (default `partner`).
    #[serde(default)]
    pub label: Option<String>,
}

/// `GET /api/session` (and the answer to `POST /api/session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionStatus {
    /// The server needs a login for partner pages (an access key is configured).
    pub required: bool,
    /// This browser has a valid session (always true when no login is required).
    pub active: bool,
    /// The partner's name as customers see it (`CUTOVER_PARTNER_NAME`).
    #[serde(default)]
    pub partner_name: String,
    /// Who this session's changes are attributed to, when active.
    #[serde(default)]
    pub actor: Option<String>,
    /// How people sign in, who is signed in and what they may do.
    #[serde(default, flatten)]
    pub team: TeamSession,
}

// --- Team use: sign-in, people and roles, history -------------------------------------------

/// How partner staff get in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SignInMode {
    /// No login (loopback, the default): everyone is an admin.
    #[default]
    Open,
    /// The shared access key (`CUTOVER_ACCESS_KEY`): everyone who has it is an admin.
    AccessKey,
    /// OpenID Connect with the partner's identity provider (Microsoft Entra ID), with roles.
    Oidc,
}

/// The part of `GET /api/session` about people and roles.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamSession {
    /// How people sign in.
    #[serde(default)]
    pub mode: SignInMode,
    /// What this session may do; `None` while signed out, or signed in without a role yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::roles::Role>,
    /// The signed-in person's display name (OpenID Connect only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where to start signing in (OpenID Connect only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_url: Option<String>,
    /// Orders of more seats than this need a second person's approval before they are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_approval_seats: Option<u32>,
}

/// Why someone has the role they have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RoleSource {
    /// An admin gave it in Cutover (this wins over groups).
    Assigned,
    /// Named in `CUTOVER_OIDC_ADMINS`: always admin.
    Configured,
    /// Mapped from a group (or app-role) claim at their last sign-in.
    Group,
    /// `CUTOVER_OIDC_DEFAULT_ROLE`.
    Default,
    /// Nothing gives them a role: they can sign in but see nothing.
    None,
}

/// A person who signed in at least once (`GET /api/people`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonInfo {
    /// The identity provider's stable id for them (`oid`, else `sub`); used in URLs.
    pub subject: String,
    /// Display name.
    pub name: String,
    /// Sign-in name or e-mail (what the history shows).
    pub email: String,
    /// The role an admin gave them in Cutover, if any.
    #[serde(default)]
    pub assigned: Option<crate::roles::Role>,
    /// The role they have now, all sources considered.
    #[serde(default)]
    pub role: Option<crate::roles::Role>,
    /// Where that role comes from.
    pub source: RoleSource,
    /// First sign-in (RFC 3339, UTC).
    pub first_seen_at: String,
    /// Latest sign-in (RFC 3339, UTC).
    pub last_seen_at: String,
}

/// `GET /api/people`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeopleList {
    /// Everyone who signed in, by name.
    pub people: Vec<PersonInfo>,
}

/// `PUT /api/people/{subject}`: give a role, or take it away (`null`: groups decide again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetRole {
    /// The role to give.
    pub role: Option<crate::roles::Role>,
}

/// `GET /api/store/records/{key}/history` and `GET /api/activity`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryList {
    /// What was done, newest first.
    pub entries: Vec<crate::history::HistoryEntry>,
    /// True when there was more than one answer may hold: narrow the dates or filters.
    #[serde(default)]
    pub truncated: bool,
}

/// A large order waiting for, or given, a second person's approval (`GET /api/approvals`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderApproval {
    /// The order's `MS-RequestId`: the approval is for exactly this order.
    pub request_id: String,
    /// The Partner Center customer it is for.
    pub customer_id: String,
    /// The customer's name, as the requester's record named it.
    #[serde(default)]
    pub customer_name: String,
    /// What it buys.
    pub lines: Vec<crate::orders::OrderLine>,
    /// Seats in all.
    pub seats: u64,
    /// Who asked.
    pub requested_by: String,
    /// When (RFC 3339, UTC).
    pub requested_at: String,
    /// Who approved, once approved.
    #[serde(default)]
    pub approved_by: Option<String>,
    /// When.
    #[serde(default)]
    pub approved_at: Option<String>,
    /// When Partner Center was first sent it.
    #[serde(default)]
    pub sent_at: Option<String>,
}

/// `POST /api/approvals`: ask for a second person's approval of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRequest {
    /// The `MS-RequestId` the order will be sent with.
    pub request_id: String,
    /// The Partner Center customer.
    pub customer_id: String,
    /// The customer's name, for the approver.
    #[serde(default)]
    pub customer_name: String,
    /// What it buys (exactly what will be sent).
    pub lines: Vec<crate::orders::OrderLine>,
}

/// `GET /api/approvals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalList {
    /// Newest first.
    pub approvals: Vec<OrderApproval>,
}

/// Partner Center's and Graph's facts as a customer may see them: the admin relationship's id is
/// dropped (the approval link, which the customer needs, stays while a request waits).
pub fn redact_facts_for_customer(facts: &PcFacts) -> PcFacts {
    let mut f = facts.clone();
    f.admin_access.relationship_id = None;
    f
}

/// The id a customer sees for an original subscription: a stable 64-bit hash of the partner's
/// id, so the customer's calendar events keep their identity when originals are added, removed
/// or reordered, without showing the partner's own id.
pub fn public_original_id(id: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("s{hash:016x}")
}

/// The record as a customer may see it: no prices, no notes, no Partner Center or internal ids,
/// no order ids or who placed them (orders keep only what they cover and where they stand).
pub fn redact_for_customer(record: &MigrationRecord) -> MigrationRecord {
    let mut r = record.clone();
    r.key = CustomerKey::Domain(r.domain.clone());
    r.notes = String::new();
    r.tenant = None;
    let mut renamed = std::collections::HashMap::new();
    for o in &mut r.originals {
        let public = public_original_id(&o.id);
        renamed.insert(std::mem::replace(&mut o.id, public.clone()), public);
        o.price = None;
        o.offer_id = None;
        o.tenant_subscription_id = None;
        if let Some(t) = &mut o.target {
            t.offer_id = None;
        }
    }
    for (n, order) in r.orders.iter_mut().enumerate() {
        order.request_id = format!("order-{}", n + 1);
        order.id = None;
        order.placed_by = String::new();
        order.error = None;
        order.created_at = order.created_at.chars().take(10).collect();
        for line in &mut order.lines {
            line.offer_id = String::new();
            line.original_id = line
                .original_id
                .as_ref()
                .and_then(|id| renamed.get(id).cloned());
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_drops_prices_notes_and_ids() {
        let json = r#"{"key":{"kind":"pcCustomerId","value":"b44bb1fb-c595-45b0-9e09-d657365580bf"},
          "customerName":"Contoso","domain":"contoso.com","notes":"internal: discount 20%",
          "originals":[{"id":"orig-7f3a","offerName":"Microsoft 365 Business Basic","seats":10,
            "endDate":"2027-05-12","channel":"direct","autoRenew":true,
            "price":{"perSeatPerMonth":"6.00","currency":"USD"}}]}"#;
        let record: MigrationRecord = serde_json::from_str(json).unwrap();
        let text = serde_json::to_string(&redact_for_customer(&record)).unwrap();
        for secret in [
            "b44bb1fb",
            "discount",
            "orig-7f3a",
            "6.00",
            "USD",
            "perSeatPerMonth",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert!(text.contains("Microsoft 365 Business Basic") && text.contains("2027-05-12"));
    }

    #[test]
    fn redaction_keeps_what_orders_cover_but_not_their_ids_or_authors() {
        use crate::orders::{OrderLine, PlacedOrder};
        let mut record = MigrationRecord::prospect("Contoso", "contoso.com");
        record.originals.push(crate::record::OriginalSubscription {
            offer_id: Some("CFQ7TTC0LH18:0001:CFQ7TTC0K971".into()),
            ..crate::record::OriginalSubscription::for_test(
                "orig-7f3a",
                "Microsoft 365 Business Basic",
                10,
                "2027-05-12",
            )
        });
        let mut order = PlacedOrder::intent(
            "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60",
            vec![OrderLine {
                offer_id: "CFQ7TTC0LH18:0001:CFQ7TTC0K971".into(),
                offer_name: "Microsoft 365 Business Basic".into(),
                quantity: 10,
                original_id: Some("orig-7f3a".into()),
                custom_term_end: None,
            }],
            "2026-12-01T09:14:02Z",
            "ann@partner.example",
        );
        order.apply_answer("ba0e0a1c-secret-order", "pending");
        record.orders.push(order);
        let redacted = redact_for_customer(&record);
        let text = serde_json::to_string(&redacted).unwrap();
        for secret in [
            "5f0c7a52",
            "ba0e0a1c",
            "ann@partner",
            "orig-7f3a",
            "CFQ7TTC0LH18",
            "09:14",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert!(redacted.orders[0].covers(&public_original_id("orig-7f3a")));
        assert_eq!(redacted.originals[0].id, public_original_id("orig-7f3a"));
        assert_eq!(redacted.orders[0].created_at, "2026-12-01");
    }
}
