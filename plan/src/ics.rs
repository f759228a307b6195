//! iCalendar (RFC 5545) files of a move's dates: all-day events that calendars can import once or
//! subscribe to.
//!
//! **Identity.** An event's UID says what the event is — which customer (by domain), which
//! subscription, which action — and never its date, so importing a file again after the dates
//! moved (a lead time or the holidays changed) updates events instead of duplicating them.
//!
//! **SEQUENCE.** Calendars take a re-published event with a higher SEQUENCE as a newer version of
//! it. Besides today, a date moves only when the customer's record or the partner's settings are
//! written, and both are versioned documents whose versions only grow. So an event's SEQUENCE is
//! the record's version plus the settings' version ([`sequence`]): it grows with every write that
//! could have moved the event, costs no state of its own, and is the same in the browser and in
//! the proxy. (An event a write did not move also gets the higher number; calendars then replace
//! it with an identical copy.) Files made from plain plan rows, without versions, use 0.
//!
//! **Done work.** Actions that are done or no longer apply are left out of one-off files; a
//! subscribable feed lists them with `STATUS:CANCELLED`, so a calendar that showed them drops them.

use std::collections::{BTreeMap, HashMap};

use crate::checklist::{
    Checklist, ContinuityState, OriginalState, PcFacts, ProvisionState, RelationshipState,
    checklist,
};
use crate::customer_messages::{date_text, renewal_text, status_from, status_title, todo_text};
use crate::customer_status::{CustomerStatus, SubscriptionStatus, Todo};
use crate::date::Date;
use crate::lang::Lang;
use crate::move_path::MovePath;
use crate::planner::{ActionKind, Plan, PlanRow, Planner};
use crate::record::MigrationRecord;

/// Longest content line in octets, CRLF excluded (RFC 5545 §3.1).
const MAX_LINE: usize = 75;

/// One all-day event.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IcsEvent {
    /// What the event is (see the module documentation).
    pub uid: String,
    /// The day.
    pub date: Date,
    /// Its title.
    pub summary: String,
    /// Its details.
    pub description: String,
    /// Done or no longer applicable (`STATUS:CANCELLED`).
    pub cancelled: bool,
    /// The version of the event (see [`sequence`]).
    pub sequence: u64,
}

/// A calendar file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IcsCalendar {
    /// Its name, as calendars show it (`X-WR-CALNAME`).
    pub name: String,
    /// The language of its text (`LANGUAGE` of the titles).
    pub lang: Lang,
    /// When it was made, as a UTC DATE-TIME (`20261124T093000Z`).
    pub stamp: String,
    /// The events, in the order they are written.
    pub events: Vec<IcsEvent>,
}

impl IcsCalendar {
    /// The calendar as iCalendar text, CRLF line ends, folded at 75 octets.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut line = |text: &str| fold_into(&mut out, text);
        let lang = self.lang.tag();
        line("BEGIN:VCALENDAR");
        line("VERSION:2.0");
        line("PRODID:-//Cutover//cutover-plan//EN");
        line("CALSCALE:GREGORIAN");
        line("METHOD:PUBLISH");
        line(&format!("X-WR-CALNAME:{}", escape_text(&self.name)));
        for e in &self.events {
            line("BEGIN:VEVENT");
            line(&format!("UID:{}", escape_text(&e.uid)));
            line(&format!("DTSTAMP:{}", self.stamp));
            line(&format!("SEQUENCE:{}", e.sequence));
            line(&format!("DTSTART;VALUE=DATE:{}", e.date.basic()));
            line(&format!("DTEND;VALUE=DATE:{}", e.date.add_days(1).basic()));
            line(&format!(
                "SUMMARY;LANGUAGE={lang}:{}",
                escape_text(&e.summary)
            ));
            line(&format!(
                "DESCRIPTION;LANGUAGE={lang}:{}",
                escape_text(&e.description)
            ));
            line(if e.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            });
            line("TRANSP:TRANSPARENT");
            line("END:VEVENT");
        }
        line("END:VCALENDAR");
        out
    }
}

/// An event's SEQUENCE: the record's version plus the settings' version (see the module
/// documentation for why).
#[must_use]
pub fn sequence(record_version: u64, settings_version: u64) -> u64 {
    record_version.saturating_add(settings_version)
}

/// A UID from what an event is: the file it belongs to (`scope`), the action, the customer's
/// domain and the subscription (empty for per-customer actions). Never the date. The domain is
/// repeated in readable form (`partner-provision-3f…-contoso.com@cutover`).
#[must_use]
pub fn event_uid(scope: &str, action: &str, domain: &str, subscription: &str) -> String {
    // FNV-1a 64 over the parts: stable across builds and platforms, and keeps UIDs short and ASCII
    // whatever the offer names are.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [domain.to_ascii_lowercase().as_str(), "\u{1f}", subscription] {
        for b in part.as_bytes() {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let readable: String = domain
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{scope}-{action}-{hash:016x}-{readable}@cutover")
}

/// An RFC 3339 UTC instant (`2026-11-24T09:30:00Z`) as a DTSTAMP value; `None` if it is not one.
#[must_use]
pub fn stamp_of(instant: &str) -> Option<String> {
    let b = instant.as_bytes();
    let ok = b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && instant.ends_with('Z');
    if !ok {
        return None;
    }
    let digits: String = instant[..19].chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 14).then(|| format!("{}T{}Z", &digits[..8], &digits[8..]))
}

/// The days a partner's subscribed calendar shows: Monday of this week to Sunday of next week.
#[must_use]
pub fn week_window(today: Date) -> (Date, Date) {
    let monday = today.add_days(-(today.weekday() as i32));
    (monday, monday.add_days(13))
}

/// An action's title for partner staff.
#[must_use]
pub fn action_title(l: Lang, kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Invite => l.pick("Send the reseller invitation", "再販業者の招待を送信"),
        ActionKind::RequestTransfer => l.pick(
            "Request the partner-to-partner transfer",
            "パートナー間の移管を要求",
        ),
        ActionKind::Schedule => l.pick(
            "Schedule the EA channel transfer",
            "EA のチャネル移管をスケジュール",
        ),
        ActionKind::Provision => l.pick(
            "Provision CSP subscriptions",
            "CSP サブスクリプションをプロビジョニング",
        ),
        ActionKind::AutoRenewOff => l.pick("Switch auto-renew off", "自動更新をオフにする"),
        ActionKind::Reassign => l.pick("Reassign licences", "ライセンスの割り当てを変更"),
    }
}

fn seats_line(l: Lang, offer: &str, seats: u32, end: Date, path: MovePath) -> String {
    let path = match path {
        MovePath::Overlap => String::new(),
        p => format!(", path {p}"),
    };
    match l {
        Lang::En => format!("{offer} ({seats} seats, ends {end}{path})"),
        Lang::Ja => format!("{offer} ({seats} ライセンス、有効期限 {end}{path})"),
    }
}

/// The action dates of `plan` that are today or later, as a one-off file in English (the CLI's
/// and the CSV importer's export). `rows` are the rows the plan was made from, in order. Plain
/// rows have no ids, so a subscription is named by its offer and which of the customer's rows
/// with that offer it is; the invitation is one event per customer, on its earliest date.
#[must_use]
pub fn export_ics(rows: &[PlanRow], plan: &Plan) -> String {
    let l = Lang::En;
    let mut events = Vec::new();
    let mut invites: BTreeMap<&str, (Date, &str, Vec<String>)> = BTreeMap::new();
    let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
    for (row, s) in rows.iter().zip(&plan.subscriptions) {
        let n = seen.entry((&*s.domain, &*s.offer)).or_insert(0);
        *n += 1;
        let subscription = format!("{}#{n}", s.offer);
        for (kind, date) in s.actions(row.relationship) {
            let Some(date) = date.filter(|d| *d >= plan.today) else {
                continue;
            };
            let line = match (kind, row.target_offer.as_deref()) {
                (ActionKind::Reassign, Some(target)) => seats_line(
                    l,
                    &format!("{} → {}", s.offer, target.trim()),
                    s.seats,
                    s.end_date,
                    s.path,
                ),
                _ => seats_line(l, &s.offer, s.seats, s.end_date, s.path),
            };
            if kind == ActionKind::Invite {
                let e = invites
                    .entry(&*s.domain)
                    .or_insert((date, &*s.customer, Vec::new()));
                e.0 = e.0.min(date);
                e.2.push(line);
                continue;
            }
            events.push(IcsEvent {
                uid: event_uid("plan", kind.code(), &s.domain, &subscription),
                date,
                summary: format!("{}: {}", action_title(l, kind), s.customer),
                description: format!("{}\n{line}", s.domain),
                cancelled: false,
                sequence: 0,
            });
        }
    }
    for (domain, (date, customer, lines)) in invites {
        events.push(IcsEvent {
            uid: event_uid("plan", ActionKind::Invite.code(), domain, ""),
            date,
            summary: format!("{}: {customer}", action_title(l, ActionKind::Invite)),
            description: format!("{domain}\n{}", lines.join("\n")),
            cancelled: false,
            sequence: 0,
        });
    }
    events.sort_by(|a, b| (a.date, &a.uid).cmp(&(b.date, &b.uid)));
    IcsCalendar {
        name: "Cutover plan".into(),
        lang: l,
        stamp: format!("{}T000000Z", plan.today.basic()),
        events,
    }
    .render()
}

/// One customer in a partner's calendar: its record, checklist and stored version.
#[derive(Clone, Copy, Debug)]
pub struct PartnerCustomer<'a> {
    /// The migration record.
    pub record: &'a MigrationRecord,
    /// Its checklist (with the planner's dates).
    pub checklist: &'a Checklist,
    /// The record's stored version.
    pub version: u64,
}

/// Which events a partner's calendar holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PartnerWindow {
    /// A file downloaded once: open actions dated today or later.
    OneOff,
    /// A subscribed feed: open and cancelled actions dated within these days (inclusive).
    Feed {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
}

/// How to make a partner's calendar.
#[derive(Clone, Copy, Debug)]
pub struct PartnerIcsOptions<'a> {
    /// The language of the titles.
    pub lang: Lang,
    /// Today (UTC).
    pub today: Date,
    /// The stored version of the partner's settings (0 when never saved).
    pub settings_version: u64,
    /// DTSTAMP (see [`stamp_of`]).
    pub stamp: &'a str,
    /// The calendar's name.
    pub name: &'a str,
    /// One-off or feed.
    pub window: PartnerWindow,
}

/// Partner staff's calendar of actions over these customers: one invitation per customer, then
/// per original subscription the transfer, provisioning, auto-renew and licence actions.
#[must_use]
pub fn partner_ics(customers: &[PartnerCustomer<'_>], o: &PartnerIcsOptions<'_>) -> String {
    let l = o.lang;
    let mut events = Vec::new();
    for c in customers {
        let r = c.record;
        let seq = sequence(c.version, o.settings_version);
        let mut push =
            |kind: ActionKind, subscription: &str, date: Date, open: bool, line: String| {
                let keep = match o.window {
                    PartnerWindow::OneOff => open && date >= o.today,
                    PartnerWindow::Feed { from, to } => date >= from && date <= to,
                };
                if keep {
                    events.push(IcsEvent {
                        uid: event_uid("partner", kind.code(), &r.domain, subscription),
                        date,
                        summary: format!("{}: {}", action_title(l, kind), r.customer_name),
                        description: format!("{}\n{line}", r.domain),
                        cancelled: !open,
                        sequence: seq,
                    });
                }
            };
        let invite_line = r
            .originals
            .iter()
            .map(|s| seats_line(l, &s.offer_name, s.seats, s.end_date, s.path))
            .collect::<Vec<_>>()
            .join("\n");
        match c.checklist.relationship {
            RelationshipState::NotRequested => {
                if let Some(by) = c.checklist.invite_by {
                    push(ActionKind::Invite, "", by, true, invite_line);
                }
            }
            RelationshipState::InvitationSent { on } => {
                push(ActionKind::Invite, "", on, false, invite_line);
            }
            RelationshipState::Accepted => {
                if let Some(on) = r.invitation_sent_on {
                    push(ActionKind::Invite, "", on, false, invite_line);
                }
            }
        }
        for (s, oc) in r.originals.iter().zip(&c.checklist.originals) {
            let line = seats_line(l, &s.offer_name, s.seats, s.end_date, s.path);
            let reassign_line = match &s.target {
                Some(t) => seats_line(
                    l,
                    &format!("{} → {}", s.offer_name, t.offer_name.trim()),
                    s.seats,
                    s.end_date,
                    s.path,
                ),
                None => line.clone(),
            };
            let buy = oc.needs_provisioning();
            let actions = [
                (
                    ActionKind::RequestTransfer,
                    oc.plan.request_transfer_by,
                    buy,
                ),
                (ActionKind::Schedule, oc.plan.schedule_by, buy),
                (ActionKind::Provision, Some(oc.plan.provision_on), buy),
                (
                    ActionKind::AutoRenewOff,
                    oc.plan.auto_renew_off_by,
                    oc.auto_renew_off_due().is_some(),
                ),
                (
                    ActionKind::Reassign,
                    oc.plan.reassign_by,
                    oc.reassign_due().is_some(),
                ),
            ];
            for (kind, date, open) in actions {
                if let Some(date) = date {
                    let text = if kind == ActionKind::Reassign {
                        reassign_line.clone()
                    } else {
                        line.clone()
                    };
                    push(kind, &s.id, date, open, text);
                }
            }
        }
    }
    events.sort_by(|a, b| (a.date, &a.uid).cmp(&(b.date, &b.uid)));
    IcsCalendar {
        name: o.name.to_owned(),
        lang: l,
        stamp: o.stamp.to_owned(),
        events,
    }
    .render()
}

/// One customer for [`partner_ics_for_records`]: its record, Partner Center's facts about it and
/// the record's stored version.
#[derive(Clone, Copy, Debug)]
pub struct PartnerRecord<'a> {
    /// The migration record.
    pub record: &'a MigrationRecord,
    /// What Partner Center says (relationship accepted, subscriptions).
    pub facts: &'a PcFacts,
    /// The record's stored version.
    pub version: u64,
}

/// [`partner_ics`] over records: each customer's checklist is made with `planner` (and the
/// record's own overrides) as of `o.today`.
#[must_use]
pub fn partner_ics_for_records(
    records: &[PartnerRecord<'_>],
    planner: &Planner,
    o: &PartnerIcsOptions<'_>,
) -> String {
    let lists: Vec<Checklist> = records
        .iter()
        .map(|r| checklist(r.record, r.facts, o.today, planner))
        .collect();
    let customers: Vec<PartnerCustomer<'_>> = records
        .iter()
        .zip(&lists)
        .map(|(r, list)| PartnerCustomer {
            record: r.record,
            checklist: list,
            version: r.version,
        })
        .collect();
    partner_ics(&customers, o)
}

/// One dated entry of a customer's own calendar, before it is worded (see [`customer_events`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerEvent<'a> {
    /// Accept the reseller invitation by this day.
    AcceptInvitation(&'a Todo, Date),
    /// Approve the partner's admin access request by this day.
    ApproveAdminAccess(&'a Todo, Date),
    /// Switch auto-renew off on this original by this day.
    AutoRenewOff(&'a SubscriptionStatus, Date),
    /// Reassign this original's licences to the new offer by this day.
    Reassign(&'a SubscriptionStatus, Date),
    /// The partner provisions this original's replacement on its planned day.
    Provision(&'a SubscriptionStatus),
    /// This original's last day.
    OriginalEnds(&'a SubscriptionStatus),
}

/// What the customer's own calendar holds, in the status page's order: the customer's deadlines
/// (accept the invitation, approve admin access, switch auto-renew off, reassign licences;
/// overdue ones included), the partner's planned provisioning and the originals' last days still
/// ahead. Done work is left out. The status page offers the file only when this is not empty.
#[must_use]
pub fn customer_events(status: &CustomerStatus) -> Vec<CustomerEvent<'_>> {
    let today = status.today;
    let mut events = Vec::new();
    for todo in &status.todos {
        match todo {
            Todo::AcceptInvitation { by: Some(by), .. } => {
                events.push(CustomerEvent::AcceptInvitation(todo, *by));
            }
            Todo::ApproveAdminAccess { by, .. } => {
                events.push(CustomerEvent::ApproveAdminAccess(todo, *by));
            }
            _ => {}
        }
    }
    for s in &status.subscriptions {
        if let (OriginalState::AutoRenewToSwitchOff, Some(by)) = (s.original, s.auto_renew_off_by) {
            events.push(CustomerEvent::AutoRenewOff(s, by));
        }
        if let (ContinuityState::ReassignLicences, Some(by)) = (s.continuity, s.reassign_by) {
            events.push(CustomerEvent::Reassign(s, by));
        }
        if s.provision != ProvisionState::Provisioned && s.provision_on >= today {
            events.push(CustomerEvent::Provision(s));
        }
        if !matches!(s.original, OriginalState::Ended { .. }) && s.end_date >= today {
            events.push(CustomerEvent::OriginalEnds(s));
        }
    }
    events
}

/// The customer's own calendar file, as its status page offers it, in the customer's language:
/// every [`customer_events`] entry, worded. `None` when there is nothing to add.
#[must_use]
pub fn customer_ics(
    status: &CustomerStatus,
    partner: &str,
    lang: Lang,
    sequence: u64,
    stamp: &str,
) -> Option<String> {
    let l = lang;
    let domain = status.domain.as_str();
    let today = status.today;
    let about = status_from(l, partner);
    let mut events: Vec<IcsEvent> = customer_events(status)
        .into_iter()
        .map(|event| {
            let (action, subscription, date, summary, detail) = worded(event, l, partner, today);
            IcsEvent {
                uid: event_uid("status", action, domain, subscription),
                date,
                summary,
                description: format!("{detail}\n\n{about}: {}", status.customer_name),
                cancelled: false,
                sequence,
            }
        })
        .collect();
    if events.is_empty() {
        return None;
    }
    events.sort_by(|a, b| (a.date, &a.uid).cmp(&(b.date, &b.uid)));
    Some(
        IcsCalendar {
            name: status_title(l, &status.customer_name),
            lang: l,
            stamp: stamp.to_owned(),
            events,
        }
        .render(),
    )
}

/// One customer event's action code, subscription id, date, summary and description.
fn worded<'a>(
    event: CustomerEvent<'a>,
    l: Lang,
    partner: &str,
    today: Date,
) -> (&'static str, &'a str, Date, String, String) {
    match event {
        CustomerEvent::AcceptInvitation(todo, by) => (
            "accept_invitation",
            "",
            by,
            match l {
                Lang::En => format!("Accept the reseller invitation from {partner}"),
                Lang::Ja => format!("{partner} からの再販業者の招待を承諾する期限"),
            },
            todo_text(l, todo, partner),
        ),
        CustomerEvent::ApproveAdminAccess(todo, by) => (
            "approve_admin_access",
            "",
            by,
            match l {
                Lang::En => format!("Approve {partner}'s admin access request"),
                Lang::Ja => format!("{partner} の管理者アクセス要求を承認する期限"),
            },
            todo_text(l, todo, partner),
        ),
        CustomerEvent::AutoRenewOff(s, by) => {
            let offer = s.offer.as_str();
            let todo = Todo::SwitchOffAutoRenew {
                offer: offer.to_owned(),
                by: Some(by),
                end_date: s.end_date,
                overdue: by < today,
            };
            (
                "auto_renew_off",
                &s.id,
                by,
                match l {
                    Lang::En => format!("Switch off auto-renew: {offer}"),
                    Lang::Ja => format!("自動更新をオフにする期限: {offer}"),
                },
                todo_text(l, &todo, partner),
            )
        }
        CustomerEvent::Reassign(s, by) => {
            let offer = s.offer.as_str();
            let to = s.target.clone().unwrap_or_default();
            let summary = match l {
                Lang::En => format!("Reassign licences: {offer} → {to}"),
                Lang::Ja => format!("ライセンスの割り当てを変更: {offer} → {to}"),
            };
            let todo = Todo::ReassignLicences {
                from: offer.to_owned(),
                to,
                by: Some(by),
            };
            ("reassign", &s.id, by, summary, todo_text(l, &todo, partner))
        }
        CustomerEvent::Provision(s) => {
            let offer = s.offer.as_str();
            (
                "provision",
                &s.id,
                s.provision_on,
                match l {
                    Lang::En => format!("{partner} provisions {offer} in CSP"),
                    Lang::Ja => format!("{partner} が CSP で {offer} をプロビジョニング"),
                },
                match l {
                    Lang::En => format!("Planned for {}.", date_text(l, s.provision_on)),
                    Lang::Ja => format!("{} に予定しています。", date_text(l, s.provision_on)),
                },
            )
        }
        CustomerEvent::OriginalEnds(s) => {
            let offer = s.offer.as_str();
            (
                "original_ends",
                &s.id,
                s.end_date,
                match l {
                    Lang::En => format!("Last day of your original {offer}"),
                    Lang::Ja => format!("元の {offer} の有効期限"),
                },
                match l {
                    Lang::En => format!(
                        "Your original {offer} subscription ({} licences) ends at {}.",
                        s.seats,
                        renewal_text(l, s.end_date)
                    ),
                    Lang::Ja => format!(
                        "元の {offer} サブスクリプション ({} ライセンス) は {} に終了します。",
                        s.seats,
                        renewal_text(l, s.end_date)
                    ),
                },
            )
        }
    }
}

/// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
#[must_use]
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character, ending in CRLF.
/// A piece never ends in a space: some readers trim line ends before unfolding.
fn fold_into(out: &mut String, line: &str) {
    let mut start = 0;
    // The continuation's leading space counts towards its 75 octets.
    let mut budget = MAX_LINE;
    while line.len() - start > budget {
        let mut end = start + budget;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        while end - start > 1 && line[..end].ends_with(' ') {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        budget = MAX_LINE - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn record(auto_renew_off_on: Option<&str>, invited: bool) -> MigrationRecord {
        serde_json::from_value(serde_json::json!({
            "key": {"kind": "domain", "value": "fabrikam.example"},
            "customerName": "有限会社ファブリカム",
            "domain": "fabrikam.example",
            "invitationSentOn": if invited { Some("2026-11-02") } else { None },
            "originals": [
                {"id": "o1", "offerName": "Office 365 E3", "seats": 10, "endDate": "2027-05-06",
                 "channel": "direct", "autoRenew": true,
                 "confirmed": {"autoRenewOffOn": auto_renew_off_on}},
                {"id": "o2", "offerName": "Exchange Online (Plan 1)", "seats": 5,
                 "endDate": "2027-06-30", "channel": "open", "autoRenew": false,
                 "target": {"offerName": "Microsoft 365 Business Basic"}}
            ]
        }))
        .unwrap()
    }

    fn partner_file(
        r: &MigrationRecord,
        settings: &Settings,
        settings_version: u64,
        window: PartnerWindow,
    ) -> String {
        let today = d("2026-11-24");
        let list = checklist(r, &PcFacts::default(), today, &Planner::new(settings));
        partner_ics(
            &[PartnerCustomer {
                record: r,
                checklist: &list,
                version: 4,
            }],
            &PartnerIcsOptions {
                lang: Lang::En,
                today,
                settings_version,
                stamp: "20261124T093000Z",
                name: "Cutover",
                window,
            },
        )
    }

    /// (UID, DTSTART, SEQUENCE, STATUS) of every event, unfolded.
    fn events(ics: &str) -> Vec<(String, String, u64, String)> {
        let text = ics.replace("\r\n ", "");
        text.split("BEGIN:VEVENT")
            .skip(1)
            .map(|e| {
                let get = |name: &str| {
                    e.lines()
                        .find_map(|l| l.strip_prefix(name))
                        .unwrap_or_default()
                        .trim_end()
                        .to_owned()
                };
                (
                    get("UID:"),
                    get("DTSTART;VALUE=DATE:"),
                    get("SEQUENCE:").parse().unwrap(),
                    get("STATUS:"),
                )
            })
            .collect()
    }

    #[test]
    fn a_settings_change_moves_events_under_the_same_uids_with_a_higher_sequence() {
        let r = record(None, false);
        let window = PartnerWindow::OneOff;
        let before = events(&partner_file(&r, &Settings::default(), 1, window));
        let mut later = Settings::default();
        later.holidays.japan = true;
        later.provision_lead_days += 5;
        let after = events(&partner_file(&r, &later, 2, window));
        let uids = |e: &[(String, String, u64, String)]| {
            let mut u: Vec<String> = e.iter().map(|x| x.0.clone()).collect();
            u.sort();
            u
        };
        assert_eq!(uids(&before), uids(&after));
        assert!(
            before.iter().all(|e| !e.0.contains("2027")),
            "no dates in UIDs"
        );
        let moved = before
            .iter()
            .filter(|b| after.iter().any(|a| a.0 == b.0 && a.1 != b.1))
            .count();
        assert!(moved > 0, "the lead time moved some events");
        assert!(after.iter().all(|a| a.2 == 6) && before.iter().all(|b| b.2 == 5));
    }

    #[test]
    fn a_partner_file_has_one_invitation_per_customer() {
        let file = partner_file(
            &record(None, false),
            &Settings::default(),
            0,
            PartnerWindow::OneOff,
        );
        assert_eq!(
            file.matches("SUMMARY;LANGUAGE=en:Send the reseller invitation")
                .count(),
            1
        );
        // Rows of a CSV, too: two subscriptions, two end dates, one invitation.
        let rows = crate::csv_import::import_csv_text(
            "customer,domain,offer,seats,end_date,channel,auto_renew,relationship\n\
             Fabrikam,fabrikam.example,Office 365 E3,10,2027-05-06,direct,true,none\n\
             Fabrikam,fabrikam.example,Exchange Online (Plan 1),5,2027-09-30,open,false,none\n",
        )
        .unwrap();
        let plan = crate::plan(&rows, d("2026-11-24"), &Settings::default());
        let ics = export_ics(&rows, &plan);
        let invites: Vec<_> = events(&ics)
            .into_iter()
            .filter(|e| e.0.starts_with("plan-invite-"))
            .collect();
        assert_eq!(invites.len(), 1);
        let earliest = plan
            .subscriptions
            .iter()
            .map(|s| s.invite_by)
            .min()
            .unwrap();
        assert_eq!(invites[0].1, earliest.basic());
    }

    #[test]
    fn done_work_is_cancelled_in_the_feed_and_left_out_of_one_off_files() {
        let r = record(Some("2026-11-20"), true);
        let one_off = partner_file(&r, &Settings::default(), 0, PartnerWindow::OneOff);
        assert!(!one_off.contains("Switch auto-renew off"), "{one_off}");
        assert!(!one_off.contains("Send the reseller invitation"));
        let feed = partner_file(
            &r,
            &Settings::default(),
            0,
            PartnerWindow::Feed {
                from: d("2026-01-01"),
                to: d("2027-12-31"),
            },
        );
        let auto_renew = events(&feed)
            .into_iter()
            .find(|e| e.0.starts_with("partner-auto_renew_off-"))
            .expect("the done action is in the feed");
        assert_eq!(auto_renew.3, "CANCELLED");
        let invite = events(&feed)
            .into_iter()
            .find(|e| e.0.starts_with("partner-invite-"))
            .unwrap();
        assert_eq!(
            (invite.1.as_str(), invite.3.as_str()),
            ("20261102", "CANCELLED")
        );
        assert!(events(&feed).iter().any(|e| e.3 == "CONFIRMED"));
    }

    #[test]
    fn the_feed_window_runs_from_this_monday_to_next_sunday() {
        // 2026-11-26 is a Thursday.
        assert_eq!(
            week_window(d("2026-11-26")),
            (d("2026-11-23"), d("2026-12-06"))
        );
        assert_eq!(week_window(d("2026-11-23")).0, d("2026-11-23"));
    }

    #[test]
    fn the_customers_file_is_in_their_language_with_their_deadlines_and_end_dates() {
        let r = record(None, true);
        let today = d("2026-11-24");
        let status = CustomerStatus::new(
            &r,
            &PcFacts::default(),
            today,
            &Planner::new(&Settings::default()),
            None,
        );
        let ics = customer_ics(&status, "コントソ", Lang::Ja, 7, "20261124T093000Z").unwrap();
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("SUMMARY;LANGUAGE=ja:コントソ からの再販業者の招待を承諾する期限"),
            "{unfolded}"
        );
        assert!(unfolded.contains("SUMMARY;LANGUAGE=ja:元の Office 365 E3 の有効期限"));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20270506"));
        assert!(unfolded.contains("X-WR-CALNAME:有限会社ファブリカム: CSP への移行"));
        assert!(
            events(&ics)
                .iter()
                .all(|e| e.2 == 7 && e.0.starts_with("status-"))
        );
        // The file holds exactly the listed events, and the list is what the page asks about.
        let listed = customer_events(&status);
        assert_eq!(events(&ics).len(), listed.len());
        assert!(matches!(listed[0], CustomerEvent::AcceptInvitation(_, _)));
        assert!(
            listed
                .iter()
                .any(|e| matches!(e, CustomerEvent::OriginalEnds(s) if s.offer == "Office 365 E3"))
        );
    }

    #[test]
    fn stamps_come_from_utc_instants_only() {
        assert_eq!(
            stamp_of("2026-11-24T09:30:05Z").as_deref(),
            Some("20261124T093005Z")
        );
        assert_eq!(stamp_of("2026-11-24T09:30:05+09:00"), None);
        assert_eq!(stamp_of("yesterday"), None);
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "あ".repeat(60));
        fold_into(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        let mut short = String::new();
        fold_into(&mut short, &"x".repeat(75));
        assert_eq!(short, format!("{}\r\n", "x".repeat(75)));
        let mut just_over = String::new();
        fold_into(&mut just_over, &"x".repeat(76));
        assert_eq!(just_over, format!("{}\r\n x\r\n", "x".repeat(75)));
        let mut spaced = String::new();
        fold_into(&mut spaced, &format!("{} y", "x".repeat(74)));
        assert_eq!(spaced, format!("{}\r\n  y\r\n", "x".repeat(74)));
    }
}
