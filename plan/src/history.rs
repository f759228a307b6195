//! History: who changed what and when, field by field (old → new).
//!
//! The store keeps every version of every record in an append-only change log, with who wrote it
//! and when. [`record_history`] compares consecutive versions and says, per field, what changed
//! and what kind of change it was (a plan edit, an import, a confirmation, an order, discovery
//! from the tenant). Share links, settings and roles are not record fields; they get entries of
//! their own ([`share_link_entry`], [`settings_entry`], [`role_entry`]). [`HistoryFilter`] picks
//! entries for the activity page and [`to_csv`] exports them.
//!
//! Everything here is a pure function of the versions it is given.
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::date::Date;
use crate::orders::PlacedOrder;
use crate::record::{MigrationRecord, OriginalSubscription};
use crate::roles::Role;

/// What kind of change, as people think of it (the activity page filters by these).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HistoryKind {
    /// The record was made (its first version, written on its own).
    Created,
    /// The plan was edited: originals, dates, notes, overrides, the customer's name or key.
    Plan,
    /// Written by an import.
    Import,
    /// Something the partner confirmed by hand (auto-renew off, ended, licences reassigned).
    Confirmation,
    /// An order placed, or followed to fulfilment.
    Order,
    /// Read from the customer's tenant, and originals accepted from it.
    Discovery,
    /// A share link made or revoked.
    ShareLink,
    /// The partner's settings.
    Settings,
    /// Someone's role.
    People,
}

impl HistoryKind {
    /// Every kind, in the order filters list them.
    pub const ALL: [HistoryKind; 9] = [
        HistoryKind::Created,
        HistoryKind::Plan,
        HistoryKind::Import,
        HistoryKind::Confirmation,
        HistoryKind::Order,
        HistoryKind::Discovery,
        HistoryKind::ShareLink,
        HistoryKind::Settings,
        HistoryKind::People,
    ];

    /// The code in URLs, JSON and CSV (`plan`, `share-link`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            HistoryKind::Created => "created",
            HistoryKind::Plan => "plan",
            HistoryKind::Import => "import",
            HistoryKind::Confirmation => "confirmation",
            HistoryKind::Order => "order",
            HistoryKind::Discovery => "discovery",
            HistoryKind::ShareLink => "share-link",
            HistoryKind::Settings => "settings",
            HistoryKind::People => "people",
        }
    }

    /// Reads a code.
    #[must_use]
    pub fn parse(text: &str) -> Option<HistoryKind> {
        HistoryKind::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(text.trim()))
    }
}

/// How the store wrote a version (the kind in its change log).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteKind {
    /// First version, written on its own.
    Created,
    /// A newer version replaced the one before.
    Updated,
    /// Created or replaced by a bulk import.
    Imported,
    /// Moved to a new key (a prospect's domain to its Partner Center id).
    Rekeyed,
}

impl WriteKind {
    /// Reads the store's name for it; anything unknown counts as an update.
    #[must_use]
    pub fn parse(text: &str) -> WriteKind {
        match text {
            "created" => WriteKind::Created,
            "imported" => WriteKind::Imported,
            "rekeyed" => WriteKind::Rekeyed,
            _ => WriteKind::Updated,
        }
    }
}

/// Which attribute of an original subscription changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OriginalAttr {
    /// The original was added (new: its offer name).
    Added,
    /// The original was removed (old: its offer name).
    Removed,
    /// Offer name.
    Offer,
    /// Offer id.
    OfferId,
    /// Seats.
    Seats,
    /// Last day of service.
    EndDate,
    /// Channel code (`direct`, `partner`, `open`, `ea`).
    Channel,
    /// Renews by itself.
    AutoRenew,
    /// Price per seat per month with its currency.
    Price,
    /// The CSP offer to move to.
    Target,
    /// Move path code (`overlap`, `grace`, `ea_transfer`, `csp_transfer`).
    Path,
    /// Confirmed: auto-renew switched off on this day.
    AutoRenewOff,
    /// Confirmed: ended on this day (`expired` or `cancelled` is a separate change).
    Ended,
    /// Confirmed: how it ended (`expired` or `cancelled`).
    EndedHow,
    /// Confirmed: licences reassigned on this day.
    LicencesReassigned,
    /// Linked to a subscription in the customer's tenant.
    TenantSubscription,
}

/// Which attribute of an order changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OrderAttr {
    /// Placed (new: what it buys).
    Placed,
    /// Taken out of the record (old: what it bought).
    Removed,
    /// What it buys changed.
    Lines,
    /// Partner Center's status (`sending`, `pending`, `completed`, `failed`, …).
    Status,
    /// Partner Center's order id.
    OrderId,
    /// Every line provisioned.
    Fulfilled,
    /// Why it failed.
    Error,
    /// Put up for a second person's approval (new: what it buys).
    ApprovalAsked,
    /// Approved by a second person (old: who asked).
    Approved,
}

/// What a share-link entry says.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LinkAttr {
    /// Made (new: its expiry, if any).
    Created,
    /// Revoked.
    Revoked,
}

/// Which field changed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "part")]
pub enum Field {
    /// The company name.
    CustomerName,
    /// The primary domain.
    Domain,
    /// The store key (domain, then Partner Center id).
    Key,
    /// Free-text notes.
    Notes,
    /// When the reseller invitation was sent.
    InvitationSentOn,
    /// One of the customer's exceptions to the settings (`provisionLeadDays`, …).
    #[serde(rename_all = "camelCase")]
    Override {
        /// The override's JSON name.
        name: String,
    },
    /// An original subscription.
    #[serde(rename_all = "camelCase")]
    Original {
        /// Its id in the record.
        id: String,
        /// Its offer name (the newest known), to say which one.
        offer: String,
        /// What about it.
        attr: OriginalAttr,
    },
    /// An order placed through Cutover.
    #[serde(rename_all = "camelCase")]
    Order {
        /// Its `MS-RequestId`.
        request_id: String,
        /// What it buys, e.g. `Microsoft 365 E3 × 300`.
        lines: String,
        /// What about it.
        attr: OrderAttr,
    },
    /// What was read from the customer's tenant (new: the day it was read).
    TenantRead,
    /// A share link.
    #[serde(rename_all = "camelCase")]
    ShareLink {
        /// The link's id (never its token).
        id: String,
        /// Made or revoked.
        attr: LinkAttr,
    },
    /// A setting, by its JSON path (`holidays.country`, …).
    #[serde(rename_all = "camelCase")]
    Setting {
        /// Dotted path into the settings document.
        path: String,
    },
    /// A person's role.
    #[serde(rename_all = "camelCase")]
    Role {
        /// Who.
        person: String,
    },
    /// This version could not be read by this Cutover, so what changed is unknown.
    Unreadable,
}

/// An old or new value.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "value")]
pub enum Value {
    /// Not set.
    None,
    /// Text as typed (names, notes, ids, amounts with currency).
    Text(String),
    /// A calendar date.
    Date(Date),
    /// A whole number.
    Number(u64),
    /// Yes or no.
    Flag(bool),
    /// A code the screens translate (channel, move path, how an original ended, a role).
    Code(String),
}

impl Value {
    fn opt_text(v: Option<&str>) -> Value {
        v.map_or(Value::None, |s| Value::Text(s.to_owned()))
    }

    fn opt_date(v: Option<Date>) -> Value {
        v.map_or(Value::None, Value::Date)
    }

    /// Plain text for CSV and logs (dates as `YYYY-MM-DD`, flags as `true`/`false`).
    #[must_use]
    pub fn plain(&self) -> String {
        match self {
            Value::None => String::new(),
            Value::Text(s) | Value::Code(s) => s.clone(),
            Value::Date(d) => d.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Flag(b) => b.to_string(),
        }
    }
}

/// One field's change.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// What kind of change this field's change is.
    pub kind: HistoryKind,
    /// Which field.
    pub field: Field,
    /// Before.
    pub old: Value,
    /// After.
    pub new: Value,
}

/// One thing someone did: a version of a record, of the settings, a share link, a role.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who, as the change log names them.
    pub actor: String,
    /// The record's key at the time (`settings` for the settings, the person for a role).
    pub key: String,
    /// The customer's name (empty for settings and roles).
    pub customer: String,
    /// The record's (or the settings') version this wrote.
    #[serde(default)]
    pub version: Option<u64>,
    /// Every kind among the changes, in [`HistoryKind`] order.
    pub kinds: Vec<HistoryKind>,
    /// Field by field.
    pub changes: Vec<FieldChange>,
}

impl HistoryEntry {
    fn new(at: &str, actor: &str, key: &str, customer: &str, version: Option<u64>) -> Self {
        HistoryEntry {
            at: at.to_owned(),
            actor: actor.to_owned(),
            key: key.to_owned(),
            customer: customer.to_owned(),
            version,
            kinds: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// Sets `kinds` from the changes; with none, `fallback`.
    fn finish(mut self, fallback: HistoryKind) -> Self {
        let mut kinds: Vec<HistoryKind> = self.changes.iter().map(|c| c.kind).collect();
        if kinds.is_empty() {
            kinds.push(fallback);
        }
        kinds.sort();
        kinds.dedup();
        self.kinds = kinds;
        self
    }
}

/// One version of a record from the change log.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RecordVersion {
    /// The version it wrote (1, 2, 3, …).
    pub version: u64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// How the store wrote it.
    pub write: WriteKind,
    /// The record's key at the time.
    pub key: String,
    /// The record as written; `None` when this Cutover cannot read it.
    pub record: Option<MigrationRecord>,
}

/// The entries of consecutive versions of one record, oldest first. `before` is the version
/// just before the first one given (`None` when the first is version 1, or is unknown).
#[must_use]
pub fn record_history(
    before: Option<&MigrationRecord>,
    versions: &[RecordVersion],
) -> Vec<HistoryEntry> {
    let mut prev = before;
    let mut out = Vec::with_capacity(versions.len());
    for v in versions {
        out.push(record_entry(prev, v));
        prev = v.record.as_ref();
    }
    out
}

/// The entry of one version, compared with the version before it (`None`: there was none, or it
/// is unknown, and everything in this one counts as new).
#[must_use]
pub fn record_entry(prev: Option<&MigrationRecord>, v: &RecordVersion) -> HistoryEntry {
    let customer = v
        .record
        .as_ref()
        .or(prev)
        .map(|r| r.customer_name.as_str())
        .unwrap_or_default();
    let mut entry = HistoryEntry::new(&v.at, &v.actor, &v.key, customer, Some(v.version));
    let fallback = match v.write {
        WriteKind::Created => HistoryKind::Created,
        WriteKind::Imported => HistoryKind::Import,
        WriteKind::Updated | WriteKind::Rekeyed => HistoryKind::Plan,
    };
    match &v.record {
        Some(record) => entry.changes = diff_records(prev, record, v.write),
        None => entry.changes.push(FieldChange {
            kind: fallback,
            field: Field::Unreadable,
            old: Value::None,
            new: Value::None,
        }),
    }
    entry.finish(fallback)
}

/// Field by field, what changed from `old` (`None`: nothing before) to `new`, each change with its
/// kind. A bulk import's changes are all imports, a first version's all `created`; otherwise
/// orders are orders, confirmations are confirmations, and a write that read the customer's
/// tenant made its changes to originals by accepting what was discovered there.
#[must_use]
pub fn diff_records(
    old: Option<&MigrationRecord>,
    new: &MigrationRecord,
    write: WriteKind,
) -> Vec<FieldChange> {
    let mut d = Differ::default();
    let old_name = old.map(|r| r.customer_name.as_str());
    d.push(
        Field::CustomerName,
        Value::opt_text(old_name),
        Value::Text(new.customer_name.clone()),
    );
    d.push(
        Field::Domain,
        Value::opt_text(old.map(|r| r.domain.as_str())),
        Value::Text(new.domain.clone()),
    );
    if let Some(old) = old {
        d.push(
            Field::Key,
            Value::Text(key_text(old)),
            Value::Text(key_text(new)),
        );
    }
    d.push(
        Field::Notes,
        text_or_none(old.map(|r| r.notes.as_str())),
        text_or_none(Some(&new.notes)),
    );
    d.push(
        Field::InvitationSentOn,
        Value::opt_date(old.and_then(|r| r.invitation_sent_on)),
        Value::opt_date(new.invitation_sent_on),
    );
    overrides(&mut d, old, new);
    let tenant_read = old.and_then(|r| r.tenant.as_ref()) != new.tenant.as_ref();
    if tenant_read {
        d.push(
            Field::TenantRead,
            Value::opt_date(old.and_then(|r| r.tenant.as_ref()).map(|t| t.read_on)),
            Value::opt_date(new.tenant.as_ref().map(|t| t.read_on)),
        );
    }
    originals(
        &mut d,
        old.map_or(&[][..], |r| &r.originals),
        &new.originals,
    );
    orders(&mut d, old.map_or(&[][..], |r| &r.orders), &new.orders);
    let kind_of = |field: &Field| match write {
        WriteKind::Imported => HistoryKind::Import,
        WriteKind::Created => HistoryKind::Created,
        WriteKind::Updated | WriteKind::Rekeyed => match field {
            Field::Order { .. } => HistoryKind::Order,
            Field::TenantRead => HistoryKind::Discovery,
            Field::Original { attr, .. } => match attr {
                OriginalAttr::AutoRenewOff
                | OriginalAttr::Ended
                | OriginalAttr::EndedHow
                | OriginalAttr::LicencesReassigned => HistoryKind::Confirmation,
                _ if tenant_read => HistoryKind::Discovery,
                OriginalAttr::TenantSubscription => HistoryKind::Discovery,
                _ => HistoryKind::Plan,
            },
            _ => HistoryKind::Plan,
        },
    };
    d.changes
        .into_iter()
        .map(|(field, old, new)| FieldChange {
            kind: kind_of(&field),
            field,
            old,
            new,
        })
        .collect()
}

#[derive(Default)]
struct Differ {
    changes: Vec<(Field, Value, Value)>,
}

impl Differ {
    fn push(&mut self, field: Field, old: Value, new: Value) {
        if old != new {
            self.changes.push((field, old, new));
        }
    }
}

fn key_text(r: &MigrationRecord) -> String {
    match &r.key {
        crate::record::CustomerKey::PcCustomerId(v) | crate::record::CustomerKey::Domain(v) => {
            v.clone()
        }
    }
}

fn text_or_none(v: Option<&str>) -> Value {
    match v {
        Some(s) if !s.is_empty() => Value::Text(s.to_owned()),
        _ => Value::None,
    }
}

fn overrides(d: &mut Differ, old: Option<&MigrationRecord>, new: &MigrationRecord) {
    let num = |v: Option<u32>| v.map_or(Value::None, |n| Value::Number(u64::from(n)));
    let o = old.map(|r| &r.settings);
    let n = &new.settings;
    for (name, before, after) in [
        (
            "provisionLeadDays",
            o.and_then(|s| s.provision_lead_days),
            n.provision_lead_days,
        ),
        (
            "inviteLeadDays",
            o.and_then(|s| s.invite_lead_days),
            n.invite_lead_days,
        ),
        (
            "autoRenewNoticeDays",
            o.and_then(|s| s.auto_renew_notice_days),
            n.auto_renew_notice_days,
        ),
    ] {
        d.push(
            Field::Override {
                name: name.to_owned(),
            },
            num(before),
            num(after),
        );
    }
}

/// Every attribute of an original that history shows, in display order.
fn original_values(o: &OriginalSubscription) -> Vec<(OriginalAttr, Value)> {
    vec![
        (OriginalAttr::Offer, Value::Text(o.offer_name.clone())),
        (
            OriginalAttr::OfferId,
            Value::opt_text(o.offer_id.as_deref()),
        ),
        (OriginalAttr::Seats, Value::Number(u64::from(o.seats))),
        (OriginalAttr::EndDate, Value::Date(o.end_date)),
        (
            OriginalAttr::Channel,
            Value::Code(o.channel.code().to_owned()),
        ),
        (OriginalAttr::AutoRenew, Value::Flag(o.auto_renew)),
        (
            OriginalAttr::Price,
            o.price.as_ref().map_or(Value::None, |p| {
                Value::Text(format!("{} {}", p.per_seat_per_month, p.currency))
            }),
        ),
        (
            OriginalAttr::Target,
            Value::opt_text(o.target.as_ref().map(|t| t.offer_name.as_str())),
        ),
        (OriginalAttr::Path, Value::Code(o.path.code().to_owned())),
        (
            OriginalAttr::AutoRenewOff,
            Value::opt_date(o.confirmed.auto_renew_off_on),
        ),
        (
            OriginalAttr::Ended,
            Value::opt_date(o.confirmed.ended.map(|e| e.on)),
        ),
        (
            OriginalAttr::EndedHow,
            o.confirmed.ended.map_or(Value::None, |e| {
                Value::Code(
                    match e.how {
                        crate::record::EndedHow::Expired => "expired",
                        crate::record::EndedHow::Cancelled => "cancelled",
                    }
                    .to_owned(),
                )
            }),
        ),
        (
            OriginalAttr::LicencesReassigned,
            Value::opt_date(o.confirmed.licences_reassigned_on),
        ),
        (
            OriginalAttr::TenantSubscription,
            Value::opt_text(o.tenant_subscription_id.as_deref()),
        ),
    ]
}

fn originals(d: &mut Differ, old: &[OriginalSubscription], new: &[OriginalSubscription]) {
    let field = |o: &OriginalSubscription, attr| Field::Original {
        id: o.id.clone(),
        offer: o.offer_name.clone(),
        attr,
    };
    for n in new {
        match old.iter().find(|o| o.id == n.id) {
            Some(o) => {
                for ((attr, a), (_, b)) in original_values(o).into_iter().zip(original_values(n)) {
                    d.push(field(n, attr), a, b);
                }
            }
            None => {
                d.push(
                    field(n, OriginalAttr::Added),
                    Value::None,
                    Value::Text(n.offer_name.clone()),
                );
                // What it was added with; a default move path is not worth a line.
                for (attr, v) in original_values(n) {
                    let default_path = attr == OriginalAttr::Path
                        && n.path == crate::move_path::MovePath::default();
                    let nothing = v == Value::None || v == Value::Flag(false);
                    if attr != OriginalAttr::Offer && !default_path && !nothing {
                        d.push(field(n, attr), Value::None, v);
                    }
                }
            }
        }
    }
    for o in old {
        if !new.iter().any(|n| n.id == o.id) {
            d.push(
                field(o, OriginalAttr::Removed),
                Value::Text(o.offer_name.clone()),
                Value::None,
            );
        }
    }
}

/// What an order buys, e.g. `Microsoft 365 E3 × 300, Exchange Online (Plan 1) × 5`.
#[must_use]
pub fn order_lines(o: &PlacedOrder) -> String {
    o.lines
        .iter()
        .map(|l| {
            let name = if l.offer_name.is_empty() {
                &l.offer_id
            } else {
                &l.offer_name
            };
            format!("{name} × {}", l.quantity)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn orders(d: &mut Differ, old: &[PlacedOrder], new: &[PlacedOrder]) {
    let field = |o: &PlacedOrder, attr| Field::Order {
        request_id: o.request_id.clone(),
        lines: order_lines(o),
        attr,
    };
    for n in new {
        match old.iter().find(|o| o.request_id == n.request_id) {
            None => {
                d.push(
                    field(n, OrderAttr::Placed),
                    Value::None,
                    Value::Text(order_lines(n)),
                );
                d.push(
                    field(n, OrderAttr::Status),
                    Value::None,
                    Value::Code(n.status.clone()),
                );
                d.push(
                    field(n, OrderAttr::OrderId),
                    Value::None,
                    Value::opt_text(n.id.as_deref()),
                );
            }
            Some(o) => {
                d.push(
                    field(n, OrderAttr::Lines),
                    Value::Text(order_lines(o)),
                    Value::Text(order_lines(n)),
                );
                d.push(
                    field(n, OrderAttr::Status),
                    Value::Code(o.status.clone()),
                    Value::Code(n.status.clone()),
                );
                d.push(
                    field(n, OrderAttr::OrderId),
                    Value::opt_text(o.id.as_deref()),
                    Value::opt_text(n.id.as_deref()),
                );
                d.push(
                    field(n, OrderAttr::Fulfilled),
                    Value::Flag(o.fulfilled),
                    Value::Flag(n.fulfilled),
                );
                d.push(
                    field(n, OrderAttr::Error),
                    Value::opt_text(o.error.as_deref()),
                    Value::opt_text(n.error.as_deref()),
                );
            }
        }
    }
    for o in old {
        if !new.iter().any(|n| n.request_id == o.request_id) {
            d.push(
                field(o, OrderAttr::Removed),
                Value::Text(order_lines(o)),
                Value::None,
            );
        }
    }
}

/// A share link made (`revoked == false`, with its expiry) or revoked, for the record `key`.
#[must_use]
pub fn share_link_entry(
    at: &str,
    actor: &str,
    key: &str,
    customer: &str,
    link_id: &str,
    revoked: bool,
    expires_at: Option<&str>,
) -> HistoryEntry {
    let mut entry = HistoryEntry::new(at, actor, key, customer, None);
    let (attr, old, new) = if revoked {
        (LinkAttr::Revoked, Value::None, Value::Flag(true))
    } else {
        (LinkAttr::Created, Value::None, Value::opt_text(expires_at))
    };
    entry.changes.push(FieldChange {
        kind: HistoryKind::ShareLink,
        field: Field::ShareLink {
            id: link_id.to_owned(),
            attr,
        },
        old,
        new,
    });
    entry.finish(HistoryKind::ShareLink)
}

/// A large order put up for approval (`approved == false`) or approved by a second person.
#[must_use]
#[allow(clippy::too_many_arguments)]
pub fn approval_entry(
    at: &str,
    actor: &str,
    key: &str,
    customer: &str,
    request_id: &str,
    lines: &str,
    approved: bool,
    requested_by: &str,
) -> HistoryEntry {
    let mut entry = HistoryEntry::new(at, actor, key, customer, None);
    let (attr, old, new) = if approved {
        (
            OrderAttr::Approved,
            Value::Text(requested_by.to_owned()),
            Value::Flag(true),
        )
    } else {
        (
            OrderAttr::ApprovalAsked,
            Value::None,
            Value::Text(lines.to_owned()),
        )
    };
    entry.changes.push(FieldChange {
        kind: HistoryKind::Order,
        field: Field::Order {
            request_id: request_id.to_owned(),
            lines: lines.to_owned(),
            attr,
        },
        old,
        new,
    });
    entry.finish(HistoryKind::Order)
}

/// A role given or taken away (`None`: no role).
#[must_use]
pub fn role_entry(
    at: &str,
    actor: &str,
    person: &str,
    old: Option<Role>,
    new: Option<Role>,
) -> HistoryEntry {
    let code = |r: Option<Role>| r.map_or(Value::None, |r| Value::Code(r.code().to_owned()));
    let mut entry = HistoryEntry::new(at, actor, person, "", None);
    entry.changes.push(FieldChange {
        kind: HistoryKind::People,
        field: Field::Role {
            person: person.to_owned(),
        },
        old: code(old),
        new: code(new),
    });
    entry.finish(HistoryKind::People)
}

/// A version of the settings, compared with the one before it, leaf by leaf.
#[must_use]
pub fn settings_entry(
    prev: Option<&Json>,
    doc: &Json,
    version: u64,
    at: &str,
    actor: &str,
) -> HistoryEntry {
    let mut entry = HistoryEntry::new(at, actor, "settings", "", Some(version));
    let mut leaves = Vec::new();
    diff_json("", prev.unwrap_or(&Json::Null), doc, &mut leaves);
    entry.changes = leaves
        .into_iter()
        .map(|(path, old, new)| FieldChange {
            kind: HistoryKind::Settings,
            field: Field::Setting { path },
            old,
            new,
        })
        .collect();
    entry.finish(HistoryKind::Settings)
}

fn json_value(v: &Json) -> Value {
    match v {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Flag(*b),
        Json::Number(n) => n
            .as_u64()
            .map_or_else(|| Value::Text(n.to_string()), Value::Number),
        Json::String(s) => Date::parse(s).map_or_else(|_| Value::Text(s.clone()), Value::Date),
        other => Value::Text(other.to_string()),
    }
}

/// Objects are compared key by key; anything else (arrays included) as a whole.
fn diff_json(path: &str, old: &Json, new: &Json, out: &mut Vec<(String, Value, Value)>) {
    if old == new {
        return;
    }
    let join = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match (old, new) {
        (Json::Object(a), Json::Object(b)) => {
            for (k, v) in b {
                diff_json(&join(k), a.get(k).unwrap_or(&Json::Null), v, out);
            }
            for (k, v) in a {
                if !b.contains_key(k) {
                    diff_json(&join(k), v, &Json::Null, out);
                }
            }
        }
        (Json::Null, Json::Object(b)) => {
            for (k, v) in b {
                diff_json(&join(k), &Json::Null, v, out);
            }
        }
        _ => out.push((path.to_owned(), json_value(old), json_value(new))),
    }
}

/// What the activity page shows: any combination of a person, a customer and a kind.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryFilter {
    /// Part of the actor's name (ignoring case).
    #[serde(default)]
    pub person: Option<String>,
    /// Part of the customer's name or key (ignoring case).
    #[serde(default)]
    pub customer: Option<String>,
    /// Only entries with a change of this kind.
    #[serde(default)]
    pub kind: Option<HistoryKind>,
}

fn contains_folded(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

impl HistoryFilter {
    /// Whether `entry` passes every filter that is set (blank text filters are not set).
    #[must_use]
    pub fn matches(&self, entry: &HistoryEntry) -> bool {
        fn set(f: &Option<String>) -> Option<&str> {
            f.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        set(&self.person).is_none_or(|p| contains_folded(&entry.actor, p))
            && set(&self.customer).is_none_or(|c| {
                contains_folded(&entry.customer, c) || contains_folded(&entry.key, c)
            })
            && self.kind.is_none_or(|k| entry.kinds.contains(&k))
    }
}

/// Newest first; entries at the same instant keep their order reversed too (later writes first).
pub fn newest_first(entries: &mut [HistoryEntry]) {
    entries.reverse();
    entries.sort_by(|a, b| b.at.cmp(&a.at));
}

/// Column headings and cell texts of a CSV export, in the reader's language.
pub struct CsvText<'a> {
    /// Headings: time (UTC), local time, person, customer, key, kind, field, old, new.
    pub headings: [&'a str; 9],
    /// A kind's name.
    pub kind: &'a dyn Fn(HistoryKind) -> String,
    /// A field's name, and its old and new values, as the screen shows them.
    pub change: &'a dyn Fn(&FieldChange) -> (String, String, String),
    /// An instant in the reader's time zone.
    pub local_time: &'a dyn Fn(&str) -> String,
}

/// The entries as CSV (UTF-8 with a byte-order mark, CRLF, formula-guarded cells), one row per
/// changed field; an entry without field changes gets one row.
#[must_use]
pub fn to_csv(entries: &[HistoryEntry], text: &CsvText<'_>) -> String {
    let mut out = String::from("\u{feff}");
    crate::csv_export::write_record(&mut out, text.headings.iter().copied());
    for e in entries {
        let local = (text.local_time)(&e.at);
        let mut row = |kind: String, field: String, old: String, new: String| {
            let cells = [
                e.at.as_str(),
                local.as_str(),
                e.actor.as_str(),
                e.customer.as_str(),
                e.key.as_str(),
                kind.as_str(),
                field.as_str(),
                old.as_str(),
                new.as_str(),
            ];
            crate::csv_export::write_record(&mut out, cells.into_iter());
        };
        if e.changes.is_empty() {
            let kind = e.kinds.first().map(|k| (text.kind)(*k)).unwrap_or_default();
            row(kind, String::new(), String::new(), String::new());
        }
        for c in &e.changes {
            let (field, old, new) = (text.change)(c);
            row((text.kind)(c.kind), field, old, new);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::OrderLine;
    use crate::record::{CustomerKey, Ended, EndedHow};
    use crate::tenant::TenantSnapshot;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn original(id: &str, offer: &str, seats: u32) -> OriginalSubscription {
        OriginalSubscription::for_test(id, offer, seats, "2027-03-31")
    }

    fn record() -> MigrationRecord {
        let mut r = MigrationRecord::prospect("Contoso", "contoso.example");
        r.originals.push(original("o1", "Office 365 E3", 300));
        r
    }

    fn version(n: u64, actor: &str, write: WriteKind, r: &MigrationRecord) -> RecordVersion {
        RecordVersion {
            version: n,
            at: format!("2026-12-0{n}T09:00:00Z"),
            actor: actor.into(),
            write,
            key: "contoso.example".into(),
            record: Some(r.clone()),
        }
    }

    fn fields(changes: &[FieldChange]) -> Vec<(&Field, &Value, &Value, HistoryKind)> {
        changes
            .iter()
            .map(|c| (&c.field, &c.old, &c.new, c.kind))
            .collect()
    }

    fn original_field(attr: OriginalAttr, offer: &str) -> Field {
        Field::Original {
            id: "o1".into(),
            offer: offer.into(),
            attr,
        }
    }

    #[test]
    fn a_date_moved_by_hand_is_a_plan_edit_with_old_and_new_dates() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.originals[0].end_date = d("2027-04-30");
        let entry = record_entry(Some(&v1), &version(2, "ann", WriteKind::Updated, &v2));
        assert_eq!(entry.actor, "ann");
        assert_eq!(entry.version, Some(2));
        assert_eq!(entry.customer, "Contoso");
        assert_eq!(entry.kinds, vec![HistoryKind::Plan]);
        assert_eq!(
            fields(&entry.changes),
            vec![(
                &original_field(OriginalAttr::EndDate, "Office 365 E3"),
                &Value::Date(d("2027-03-31")),
                &Value::Date(d("2027-04-30")),
                HistoryKind::Plan
            )]
        );
    }

    #[test]
    fn a_first_version_lists_what_the_record_was_made_with() {
        let mut v1 = record();
        v1.originals[0].auto_renew = true;
        let entry = record_entry(None, &version(1, "ann", WriteKind::Created, &v1));
        assert_eq!(entry.kinds, vec![HistoryKind::Created]);
        let parts: Vec<_> = entry.changes.iter().map(|c| c.field.clone()).collect();
        assert!(parts.contains(&Field::CustomerName));
        assert!(parts.contains(&original_field(OriginalAttr::Added, "Office 365 E3")));
        assert!(parts.contains(&original_field(OriginalAttr::Seats, "Office 365 E3")));
        assert!(parts.contains(&original_field(OriginalAttr::AutoRenew, "Office 365 E3")));
        // Nothing unset, and no default move path.
        assert!(!parts.contains(&original_field(OriginalAttr::Price, "Office 365 E3")));
        assert!(!parts.contains(&original_field(OriginalAttr::Path, "Office 365 E3")));
        assert!(!parts.contains(&Field::Notes));
    }

    #[test]
    fn an_imported_version_counts_as_an_import_whatever_it_changed() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.originals[0].seats = 320;
        v2.originals[0].confirmed.auto_renew_off_on = Some(d("2026-11-30"));
        let entry = record_entry(Some(&v1), &version(2, "ivan", WriteKind::Imported, &v2));
        assert_eq!(entry.kinds, vec![HistoryKind::Import]);
        assert_eq!(entry.changes.len(), 2);
        assert!(entry.changes.iter().all(|c| c.kind == HistoryKind::Import));
    }

    #[test]
    fn confirmations_are_told_apart_from_plan_edits_in_one_save() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.originals[0].confirmed.ended = Some(Ended {
            on: d("2027-04-01"),
            how: EndedHow::Cancelled,
        });
        v2.notes = "Called the customer".into();
        let entry = record_entry(Some(&v1), &version(2, "ann", WriteKind::Updated, &v2));
        assert_eq!(
            entry.kinds,
            vec![HistoryKind::Plan, HistoryKind::Confirmation]
        );
        let how = entry
            .changes
            .iter()
            .find(|c| c.field == original_field(OriginalAttr::EndedHow, "Office 365 E3"))
            .unwrap();
        assert_eq!(
            (&how.old, &how.new),
            (&Value::None, &Value::Code("cancelled".into()))
        );
        let notes = entry
            .changes
            .iter()
            .find(|c| c.field == Field::Notes)
            .unwrap();
        assert_eq!(notes.new, Value::Text("Called the customer".into()));
    }

    #[test]
    fn an_order_placed_then_followed_is_two_order_entries() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.orders.push(PlacedOrder::intent(
            "req-1",
            vec![OrderLine {
                offer_id: "CFQ7TTC0LF8R:0001".into(),
                offer_name: "Office 365 E3".into(),
                quantity: 300,
                original_id: Some("o1".into()),
                custom_term_end: None,
            }],
            "2026-12-02T09:00:00Z",
            "olga",
        ));
        let mut v3 = v2.clone();
        v3.orders[0].apply_answer("ord-77", "pending");
        let entries = record_history(
            Some(&v1),
            &[
                version(2, "olga", WriteKind::Updated, &v2),
                version(3, "ann", WriteKind::Updated, &v3),
            ],
        );
        assert_eq!(entries[0].kinds, vec![HistoryKind::Order]);
        let placed = &entries[0].changes[0];
        assert_eq!(
            placed.field,
            Field::Order {
                request_id: "req-1".into(),
                lines: "Office 365 E3 × 300".into(),
                attr: OrderAttr::Placed
            }
        );
        assert_eq!(placed.new, Value::Text("Office 365 E3 × 300".into()));
        assert_eq!(entries[1].actor, "ann");
        let follow: Vec<_> = entries[1]
            .changes
            .iter()
            .map(|c| (&c.old, &c.new))
            .collect();
        assert_eq!(
            follow,
            vec![
                (
                    &Value::Code("sending".into()),
                    &Value::Code("pending".into())
                ),
                (&Value::None, &Value::Text("ord-77".into())),
            ]
        );
    }

    #[test]
    fn originals_changed_with_a_tenant_read_were_accepted_from_discovery() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.originals[0].seats = 310;
        v2.originals[0].tenant_subscription_id = Some("graph-sub-1".into());
        v2.originals
            .push(original("o2", "Exchange Online (Plan 1)", 5));
        v2.tenant = Some(TenantSnapshot {
            read_on: d("2026-12-03"),
            subscriptions: Vec::new(),
        });
        let entry = record_entry(Some(&v1), &version(2, "dan", WriteKind::Updated, &v2));
        assert_eq!(entry.kinds, vec![HistoryKind::Discovery]);
        assert!(
            entry
                .changes
                .iter()
                .any(|c| c.field == Field::TenantRead && c.new == Value::Date(d("2026-12-03")))
        );
        assert!(entry.changes.iter().any(|c| matches!(
            &c.field,
            Field::Original { id, attr: OriginalAttr::Added, .. } if id == "o2"
        )));
    }

    #[test]
    fn a_removed_original_and_a_rekey_are_named() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.originals.clear();
        v2.key = CustomerKey::PcCustomerId("b44bb1fb".into());
        let entry = record_entry(Some(&v1), &version(2, "ann", WriteKind::Rekeyed, &v2));
        assert_eq!(
            fields(&entry.changes),
            vec![
                (
                    &Field::Key,
                    &Value::Text("contoso.example".into()),
                    &Value::Text("b44bb1fb".into()),
                    HistoryKind::Plan
                ),
                (
                    &original_field(OriginalAttr::Removed, "Office 365 E3"),
                    &Value::Text("Office 365 E3".into()),
                    &Value::None,
                    HistoryKind::Plan
                ),
            ]
        );
    }

    #[test]
    fn an_unreadable_version_is_shown_and_the_next_compares_with_nothing() {
        let v1 = record();
        let mut broken = version(2, "eve", WriteKind::Updated, &v1);
        broken.record = None;
        let mut v3 = v1.clone();
        v3.notes = "n".into();
        let entries = record_history(
            Some(&v1),
            &[broken, version(3, "ann", WriteKind::Updated, &v3)],
        );
        assert_eq!(entries[0].changes[0].field, Field::Unreadable);
        assert_eq!(entries[0].customer, "Contoso");
        assert!(
            entries[1]
                .changes
                .iter()
                .any(|c| c.field == Field::CustomerName),
            "compared with nothing, everything is new"
        );
    }

    #[test]
    fn a_save_that_changed_nothing_still_says_who_saved() {
        let v1 = record();
        let entry = record_entry(Some(&v1), &version(2, "ann", WriteKind::Updated, &v1));
        assert!(entry.changes.is_empty());
        assert_eq!(entry.kinds, vec![HistoryKind::Plan]);
    }

    #[test]
    fn settings_are_compared_leaf_by_leaf() {
        let old = serde_json::json!({"provisionLeadDays": 14, "holidays": {"country": "US", "extra": []}});
        let new = serde_json::json!({"provisionLeadDays": 21, "holidays": {"country": "JP", "extra": ["2027-01-02"]}});
        let entry = settings_entry(Some(&old), &new, 4, "2026-12-01T09:00:00Z", "ada");
        let got: Vec<_> = entry
            .changes
            .iter()
            .map(|c| match &c.field {
                Field::Setting { path } => (path.as_str(), c.old.plain(), c.new.plain()),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("holidays.country", "US".into(), "JP".into()),
                ("holidays.extra", "[]".into(), "[\"2027-01-02\"]".into()),
                ("provisionLeadDays", "14".into(), "21".into()),
            ]
        );
        assert_eq!(entry.kinds, vec![HistoryKind::Settings]);
        let first = settings_entry(None, &new, 1, "2026-12-01T09:00:00Z", "ada");
        assert_eq!(first.changes.len(), 3);
    }

    #[test]
    fn share_links_and_roles_get_entries_of_their_own() {
        let made = share_link_entry(
            "2026-12-01T09:00:00Z",
            "ann",
            "contoso.example",
            "Contoso",
            "a1b2",
            false,
            Some("2027-01-01T00:00:00Z"),
        );
        assert_eq!(made.kinds, vec![HistoryKind::ShareLink]);
        assert_eq!(
            made.changes[0].new,
            Value::Text("2027-01-01T00:00:00Z".into())
        );
        let revoked = share_link_entry(
            "2026-12-02T09:00:00Z",
            "bob",
            "contoso.example",
            "Contoso",
            "a1b2",
            true,
            None,
        );
        assert!(matches!(
            revoked.changes[0].field,
            Field::ShareLink {
                attr: LinkAttr::Revoked,
                ..
            }
        ));
        let role = role_entry(
            "2026-12-01T09:00:00Z",
            "ada",
            "olga@partner.example",
            None,
            Some(Role::Orderer),
        );
        assert_eq!(role.kinds, vec![HistoryKind::People]);
        assert_eq!(role.changes[0].new, Value::Code("orderer".into()));
    }

    #[test]
    fn filters_combine_person_customer_and_kind() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.originals[0].seats = 1;
        let e = record_entry(Some(&v1), &version(2, "Ann Lee", WriteKind::Updated, &v2));
        let f = |person: Option<&str>, customer: Option<&str>, kind| HistoryFilter {
            person: person.map(str::to_owned),
            customer: customer.map(str::to_owned),
            kind,
        };
        assert!(f(None, None, None).matches(&e));
        assert!(f(Some("ann"), Some("CONTOSO"), Some(HistoryKind::Plan)).matches(&e));
        assert!(f(Some("  "), Some("contoso.example"), None).matches(&e));
        assert!(!f(Some("bob"), None, None).matches(&e));
        assert!(!f(None, Some("fabrikam"), None).matches(&e));
        assert!(!f(None, None, Some(HistoryKind::Order)).matches(&e));
    }

    #[test]
    fn newest_first_keeps_later_writes_of_one_second_first() {
        let mut entries: Vec<HistoryEntry> = ["a", "b", "c"]
            .iter()
            .zip([
                "2026-12-01T09:00:00Z",
                "2026-12-02T09:00:00Z",
                "2026-12-02T09:00:00Z",
            ])
            .map(|(actor, at)| HistoryEntry::new(at, actor, "k", "", None))
            .collect();
        newest_first(&mut entries);
        let order: Vec<_> = entries.iter().map(|e| e.actor.as_str()).collect();
        assert_eq!(order, vec!["c", "b", "a"]);
    }

    #[test]
    fn csv_has_one_row_per_field_and_guards_formulas() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.notes = "=HYPERLINK(\"x\")".into();
        v2.originals[0].seats = 320;
        let entries = vec![
            record_entry(Some(&v1), &version(2, "ann", WriteKind::Updated, &v2)),
            record_entry(Some(&v2), &version(3, "bob", WriteKind::Updated, &v2)),
        ];
        let kind = |k: HistoryKind| k.code().to_owned();
        let change = |c: &FieldChange| (format!("{:?}", c.field), c.old.plain(), c.new.plain());
        let local = |at: &str| format!("local {at}");
        let csv = to_csv(
            &entries,
            &CsvText {
                headings: [
                    "at", "local", "who", "customer", "key", "kind", "field", "old", "new",
                ],
                kind: &kind,
                change: &change,
                local_time: &local,
            },
        );
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "at,local,who,customer,key,kind,field,old,new");
        assert_eq!(lines.len(), 5, "{csv}");
        assert!(
            lines[1].ends_with(",\"'=HYPERLINK(\"\"x\"\")\""),
            "{}",
            lines[1]
        );
        assert!(lines[2].ends_with(",300,320"), "{}", lines[2]);
        assert!(
            lines[3].starts_with("2026-12-03T09:00:00Z,local 2026-12-03T09:00:00Z,bob,Contoso"),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn entries_round_trip_as_json() {
        let v1 = record();
        let mut v2 = v1.clone();
        v2.originals[0].end_date = d("2027-04-30");
        let entry = record_entry(Some(&v1), &version(2, "ann", WriteKind::Updated, &v2));
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["changes"][0]["field"]["part"], "original");
        assert_eq!(json["changes"][0]["field"]["attr"], "endDate");
        assert_eq!(json["changes"][0]["new"]["value"], "2027-04-30");
        assert_eq!(json["kinds"][0], "plan");
        let back: HistoryEntry = serde_json::from_value(json).unwrap();
        assert_eq!(back, entry);
    }
}
