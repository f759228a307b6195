//! The planning rules: per original subscription, then per customer.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::customer_groups::{CustomerGroups, FxDomainHash, OfferNames};
use crate::date::Date;
use crate::money::{Money, UnitPrice, prorated};
use crate::move_path::{MovePath, PathUnavailable, TRANSFER_REQUEST_DAYS};
use crate::record::{Channel, Relationship};
use crate::settings::{Settings, SettingsOverrides};
use crate::warnings::{Warning, Warnings};

/// One original subscription to plan (one CSV data row).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct PlanRow {
    /// Customer name.
    pub customer: String,
    /// Customer's primary domain; rows are grouped by it, case-insensitively.
    pub domain: String,
    /// The original offer's name.
    pub offer: String,
    /// Seats paid for.
    pub seats: u32,
    /// `E`: last day of service, inclusive.
    pub end_date: Date,
    /// How it is bought.
    pub channel: Channel,
    /// Whether it renews by itself.
    pub auto_renew: bool,
    /// Price per seat per month; `None` when unknown.
    pub monthly_price: Option<UnitPrice>,
    /// ISO 4217 code of the price.
    pub currency: Option<String>,
    /// The CSP offer to move to; `None` means the same offer.
    pub target_offer: Option<String>,
    /// Where the reseller relationship stands.
    pub relationship: Relationship,
    /// The requested move path; the planner falls back to overlap when it is not possible.
    #[serde(default)]
    pub path: MovePath,
}

/// More subscriptions than this, duplicated at once for one customer, can pass the tenant's
/// subscription maximum (`tenant_limit`).
pub const TENANT_SUBSCRIPTION_LIMIT: usize = 150;

/// Where an original subscription is in its lifecycle today.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Today is on or before the end date.
    Active,
    /// In the grace period.
    Expired,
    /// Admin-only access.
    Disabled,
    /// Data gone.
    Deleted,
}

impl Stage {
    /// The code in output (`active`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Stage::Active => "active",
            Stage::Expired => "expired",
            Stage::Disabled => "disabled",
            Stage::Deleted => "deleted",
        }
    }
}

/// A kind of dated action, in tie-break order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Send the reseller invitation.
    Invite,
    /// Request the partner-to-partner transfer (path `csp_transfer`).
    RequestTransfer,
    /// Schedule the EA channel transfer in Partner Center (path `ea_transfer`).
    Schedule,
    /// Provision the CSP subscription.
    Provision,
    /// Switch auto-renew off on the original.
    AutoRenewOff,
    /// Reassign users to the target offer's licences.
    Reassign,
}

impl ActionKind {
    /// The code in output (`auto_renew_off`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Invite => "invite",
            ActionKind::RequestTransfer => "request_transfer",
            ActionKind::Schedule => "schedule",
            ActionKind::Provision => "provision",
            ActionKind::AutoRenewOff => "auto_renew_off",
            ActionKind::Reassign => "reassign",
        }
    }
}

/// The next thing to do for a customer.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct NextAction {
    /// What.
    pub kind: ActionKind,
    /// By when.
    pub date: Date,
}

/// The plan for one original subscription; field order is the CLI's JSON order.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SubscriptionPlan {
    /// 1-based position in the input.
    pub row: u32,
    /// Customer name (trimmed), this row's own; shared with the customer's other rows that
    /// have the same name.
    pub customer: Arc<str>,
    /// Domain, trimmed and lower-cased; shared by the customer's rows.
    pub domain: Arc<str>,
    /// Offer name, trimmed; shared by the rows with the same offer.
    pub offer: Arc<str>,
    /// Seats.
    pub seats: u32,
    /// `E`.
    pub end_date: Date,
    /// Lifecycle stage today.
    pub stage: Stage,
    /// The move path planned (the requested one, or overlap when that is not possible).
    pub path: MovePath,
    /// The suggested cutover date.
    pub provision_on: Date,
    /// Send the reseller invitation by.
    pub invite_by: Date,
    /// Schedule the EA channel transfer by (path `ea_transfer` only).
    pub schedule_by: Option<Date>,
    /// Request the partner-to-partner transfer by (path `csp_transfer` only).
    pub request_transfer_by: Option<Date>,
    /// Switch auto-renew off by (only when auto-renew is on).
    pub auto_renew_off_by: Option<Date>,
    /// Reassign licences by (only when the offer changes).
    pub reassign_by: Option<Date>,
    /// Days paid twice.
    pub overlap_days: u32,
    /// Cost of those days; `None` when the price is unknown.
    pub overlap_cost: Option<Money>,
    /// What cancelling today forfeits; `None` when expired or price unknown.
    pub cancel_today_cost: Option<Money>,
    /// First day users have no service.
    pub access_lost_on: Date,
    /// First day the data is gone.
    pub data_deleted_on: Date,
    /// Sorted, unique warning codes.
    pub warnings: Warnings,
}

impl SubscriptionPlan {
    /// Every dated action of the subscription, in tie-break order (invite only while there is
    /// no relationship).
    #[must_use]
    pub fn actions(&self, relationship: Relationship) -> [(ActionKind, Option<Date>); 6] {
        row_actions(
            relationship,
            self.invite_by,
            self.request_transfer_by,
            self.schedule_by,
            self.provision_on,
            self.auto_renew_off_by,
            self.reassign_by,
        )
    }
}

/// The plan for one customer (all rows with the same domain).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CustomerPlan {
    /// Lower-cased domain.
    pub domain: Arc<str>,
    /// The name on the customer's first row.
    pub customer: Arc<str>,
    /// The earliest `provision_on`.
    pub cutover_on: Date,
    /// The earliest action dated today or later.
    pub next_action: Option<NextAction>,
    /// Union of its subscriptions' warnings.
    pub warnings: Warnings,
}

/// The whole plan, exactly as the CLI prints it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Plan {
    /// `T`.
    pub today: Date,
    /// One per input row, in input order.
    pub subscriptions: Vec<SubscriptionPlan>,
    /// By `cutover_on`, then domain.
    pub customers: Vec<CustomerPlan>,
}

impl Plan {
    /// The CLI's JSON: one-space indentation, no trailing newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        // Serializing plain structs into a Vec cannot fail.
        let _ = self.serialize(&mut ser);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Puts together plans made separately for `today` — one per customer, say, so that after
    /// an edit only that customer is planned again. The result is the plan of all their rows
    /// in order: rows numbered through, a customer found in several parts summed up as one
    /// (the name from its first part), the tenant limit counted over whole customers, customers
    /// sorted again.
    #[must_use]
    pub fn merge(today: Date, parts: impl IntoIterator<Item = Plan>) -> Plan {
        let mut subscriptions: Vec<SubscriptionPlan> = Vec::new();
        let mut customers: Vec<CustomerPlan> = Vec::new();
        let mut index: std::collections::HashMap<Arc<str>, usize> =
            std::collections::HashMap::new();
        for part in parts {
            let offset = u32::try_from(subscriptions.len()).unwrap_or(u32::MAX);
            subscriptions.extend(part.subscriptions.into_iter().map(|mut s| {
                s.row = s.row.saturating_add(offset);
                s
            }));
            for c in part.customers {
                match index.get(&c.domain) {
                    Some(&i) => {
                        let m = &mut customers[i];
                        m.cutover_on = m.cutover_on.min(c.cutover_on);
                        m.next_action = [m.next_action, c.next_action]
                            .into_iter()
                            .flatten()
                            .min_by_key(|a| (a.date, a.kind));
                        m.warnings = m.warnings.union(c.warnings);
                    }
                    None => {
                        index.insert(Arc::clone(&c.domain), customers.len());
                        customers.push(c);
                    }
                }
            }
        }
        // A customer split over parts may pass the tenant limit only as a whole.
        let mut duplicated = vec![0usize; customers.len()];
        for s in &subscriptions {
            if let Some(&i) = index.get(&s.domain) {
                duplicated[i] += usize::from(duplicates_active(s.path, s.stage));
            }
        }
        if duplicated.iter().any(|&n| n > TENANT_SUBSCRIPTION_LIMIT) {
            for s in &mut subscriptions {
                let over = index
                    .get(&s.domain)
                    .is_some_and(|&i| duplicated[i] > TENANT_SUBSCRIPTION_LIMIT);
                if over && duplicates_active(s.path, s.stage) {
                    s.warnings.insert(Warning::TenantLimit);
                }
            }
            for (c, &n) in customers.iter_mut().zip(&duplicated) {
                if n > TENANT_SUBSCRIPTION_LIMIT {
                    c.warnings.insert(Warning::TenantLimit);
                }
            }
        }
        customers
            .sort_unstable_by(|a, b| (a.cutover_on, &a.domain).cmp(&(b.cutover_on, &b.domain)));
        Plan {
            today,
            subscriptions,
            customers,
        }
    }
}

/// The dates and amounts of one row, without its text (cheap to compute and copy).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RowDates {
    /// Lifecycle stage today.
    pub stage: Stage,
    /// The move path planned.
    pub path: MovePath,
    /// The suggested cutover date.
    pub provision_on: Date,
    /// Send the reseller invitation by.
    pub invite_by: Date,
    /// Schedule the EA channel transfer by.
    pub schedule_by: Option<Date>,
    /// Request the partner-to-partner transfer by.
    pub request_transfer_by: Option<Date>,
    /// Switch auto-renew off by.
    pub auto_renew_off_by: Option<Date>,
    /// Reassign licences by.
    pub reassign_by: Option<Date>,
    /// Days paid twice.
    pub overlap_days: u32,
    /// Cost of those days.
    pub overlap_cost: Option<Money>,
    /// What cancelling today forfeits.
    pub cancel_today_cost: Option<Money>,
    /// First day without service.
    pub access_lost_on: Date,
    /// First day without data.
    pub data_deleted_on: Date,
    /// Warnings.
    pub warnings: Warnings,
}

impl RowDates {
    /// Every dated action of the row, in tie-break order (invite only while there is no
    /// relationship).
    #[must_use]
    pub fn actions(&self, relationship: Relationship) -> [(ActionKind, Option<Date>); 6] {
        row_actions(
            relationship,
            self.invite_by,
            self.request_transfer_by,
            self.schedule_by,
            self.provision_on,
            self.auto_renew_off_by,
            self.reassign_by,
        )
    }

    /// The earliest action dated on or after `today`; ties go invite, request transfer,
    /// schedule, provision, auto-renew, reassign.
    #[must_use]
    pub fn next_action(&self, relationship: Relationship, today: Date) -> Option<NextAction> {
        // The actions come in tie order, so a later one wins only with an earlier date.
        let mut next: Option<NextAction> = None;
        for (kind, date) in self.actions(relationship) {
            if let Some(date) = date
                && date >= today
                && next.is_none_or(|n| date < n.date)
            {
                next = Some(NextAction { kind, date });
            }
        }
        next
    }
}

/// The action list shared by [`RowDates::actions`] and [`SubscriptionPlan::actions`].
fn row_actions(
    relationship: Relationship,
    invite_by: Date,
    request_transfer_by: Option<Date>,
    schedule_by: Option<Date>,
    provision_on: Date,
    auto_renew_off_by: Option<Date>,
    reassign_by: Option<Date>,
) -> [(ActionKind, Option<Date>); 6] {
    let invite = (relationship == Relationship::None).then_some(invite_by);
    [
        (ActionKind::Invite, invite),
        (ActionKind::RequestTransfer, request_transfer_by),
        (ActionKind::Schedule, schedule_by),
        (ActionKind::Provision, Some(provision_on)),
        (ActionKind::AutoRenewOff, auto_renew_off_by),
        (ActionKind::Reassign, reassign_by),
    ]
}

/// The business days that depend on an end date only (rows ending the same day share them).
#[derive(Clone, Copy, Debug)]
struct EndDays {
    /// `prev_bd(E − L)`: provisioning with the full lead time; the EA transfer's schedule date.
    lead: Date,
    /// `prev_bd(lead − I)`: the invitation when the first step is on `lead`.
    invite_for_lead: Date,
    /// `prev_bd(E − A)`.
    auto_renew_off: Date,
    /// `prev_bd(E − 1)`.
    before_end: Date,
}

/// [`EndDays`] remembered per end date for one plan, in a table indexed by day when the end
/// dates span no more days than there are rows (a few thousand in practice).
struct EndDaysMemo {
    first: Date,
    days: Vec<Option<EndDays>>,
}

impl EndDaysMemo {
    fn new(rows: &[PlanRow]) -> EndDaysMemo {
        let (lo, hi) = rows.iter().map(|r| r.end_date).fold(
            (None, None),
            |(lo, hi): (Option<Date>, Option<Date>), d| {
                (
                    Some(lo.map_or(d, |l| l.min(d))),
                    Some(hi.map_or(d, |h| h.max(d))),
                )
            },
        );
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return EndDaysMemo {
                first: Date::from_days(0),
                days: Vec::new(),
            };
        };
        let span = usize::try_from(hi.days_since(lo)).unwrap_or(usize::MAX);
        let days = if span < rows.len().max(4096) {
            vec![None; span + 1]
        } else {
            Vec::new()
        };
        EndDaysMemo { first: lo, days }
    }

    fn get(&mut self, planner: &Planner, end: Date) -> EndDays {
        let at = usize::try_from(end.days_since(self.first)).ok();
        match at.and_then(|i| self.days.get_mut(i)) {
            Some(Some(e)) => *e,
            Some(slot) => *slot.insert(planner.end_days(end)),
            None => planner.end_days(end),
        }
    }
}

/// Today, with its next business day (the same for every row of a plan).
#[derive(Clone, Copy, Debug)]
struct Today {
    date: Date,
    next_business_day: Date,
}

impl Today {
    fn new(cal: &Calendar, date: Date) -> Today {
        Today {
            date,
            next_business_day: cal.next_business_day(date),
        }
    }
}

/// Which branch of the `provision_on` rule applied.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProvisionCase {
    /// `prev_bd(E − L)`, still today or later.
    LeadDays,
    /// Too late for the lead time: `next_bd(T)` (`lead_time_short`).
    Soonest,
    /// Too late and no business day left before `E`: `T` (`lead_time_short`).
    Today,
    /// The original already ended: `next_bd(T)`.
    AfterEnd,
}

/// Settings plus the calendar built from them; build once, plan many times.
#[derive(Clone, Debug)]
pub struct Planner {
    settings: Settings,
    calendar: Arc<Calendar>,
}

impl Planner {
    /// Builds the business-day calendar for these settings.
    #[must_use]
    pub fn new(settings: &Settings) -> Planner {
        Planner {
            settings: settings.clone(),
            calendar: Arc::new(Calendar::new(&settings.holidays)),
        }
    }

    /// The same planner with one customer's overrides (the calendar is shared, not rebuilt).
    #[must_use]
    pub fn with_overrides(&self, overrides: &SettingsOverrides) -> Planner {
        Planner {
            settings: self.settings.with_overrides(overrides),
            calendar: Arc::clone(&self.calendar),
        }
    }

    /// The settings in force.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The business-day calendar.
    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// `provision_on`, and which branch of the rule chose it.
    #[must_use]
    pub fn provision_on(&self, end: Date, today: Date) -> (Date, ProvisionCase) {
        self.provision_on_from(end, Today::new(&self.calendar, today))
    }

    /// [`Planner::provision_on`] with today's next business day worked out once.
    fn provision_on_from(&self, end: Date, today: Today) -> (Date, ProvisionCase) {
        let ideal = self
            .calendar
            .prev_business_day(end.minus_days(self.settings.provision_lead_days));
        self.provision_on_given(end, ideal, today)
    }

    /// [`Planner::provision_on`] given `ideal = prev_bd(E − L)`.
    fn provision_on_given(&self, end: Date, ideal: Date, today: Today) -> (Date, ProvisionCase) {
        let (next, today) = (today.next_business_day, today.date);
        if ideal >= today {
            (ideal, ProvisionCase::LeadDays)
        } else if today <= end {
            if next <= end {
                (next, ProvisionCase::Soonest)
            } else {
                (today, ProvisionCase::Today)
            }
        } else {
            (next, ProvisionCase::AfterEnd)
        }
    }

    /// Whether `path` is possible for `row` today, and if not, why.
    pub fn path_check(
        &self,
        row: &PlanRow,
        path: MovePath,
        today: Date,
    ) -> Result<(), PathUnavailable> {
        let grace_days = self.settings.lifecycle.for_channel(row.channel).grace_days;
        path.check(
            row.channel,
            row.end_date,
            today,
            grace_days,
            offer_changes(row),
        )
    }

    /// The path planned for `row` when `requested` is asked for: `requested` when possible,
    /// otherwise overlap.
    #[must_use]
    pub fn effective_path(&self, row: &PlanRow, requested: MovePath, today: Date) -> MovePath {
        if self.path_check(row, requested, today).is_ok() {
            requested
        } else {
            MovePath::Overlap
        }
    }

    /// Every rule for one row, on the row's requested path.
    #[must_use]
    pub fn dates(&self, row: &PlanRow, today: Date) -> RowDates {
        self.dates_on_path(row, row.path, today)
    }

    /// Every rule for one row as if `requested` were its path (to show paths side by side).
    /// The per-customer `tenant_limit` is not included: see [`apply_tenant_limit`].
    #[must_use]
    pub fn dates_on_path(&self, row: &PlanRow, requested: MovePath, today: Date) -> RowDates {
        let t = Today::new(&self.calendar, today);
        let e = self.end_days(row.end_date);
        self.dates_from(row, requested, t, offer_changes(row), e)
    }

    /// The business days that depend on an end date only.
    fn end_days(&self, end: Date) -> EndDays {
        let cal = &*self.calendar;
        let s = &self.settings;
        let lead = cal.prev_business_day(end.minus_days(s.provision_lead_days));
        EndDays {
            lead,
            invite_for_lead: cal.prev_business_day(lead.minus_days(s.invite_lead_days)),
            auto_renew_off: cal.prev_business_day(end.minus_days(s.auto_renew_notice_days)),
            before_end: cal.prev_business_day(end.add_days(-1)),
        }
    }

    /// [`Planner::dates_on_path`] with today's next business day, [`offer_changes`] and the
    /// row's [`EndDays`] worked out already.
    fn dates_from(
        &self,
        row: &PlanRow,
        requested: MovePath,
        t: Today,
        offer_changes: bool,
        e: EndDays,
    ) -> RowDates {
        let today = t.date;
        let cal = &*self.calendar;
        let s = &self.settings;
        let end = row.end_date;
        let life = s.lifecycle.for_channel(row.channel);
        let grace_ends = end.plus_days(life.grace_days);
        let mut warnings = Warnings::default();

        let path = match requested.check(row.channel, end, today, life.grace_days, offer_changes) {
            Ok(()) => requested,
            Err(_) => {
                warnings.insert(Warning::PathNotAvailable);
                MovePath::Overlap
            }
        };

        let (ov, case) = self.provision_on_given(end, e.lead, t);
        let mut schedule_by = None;
        let mut request_transfer_by = None;
        let provision_on = match path {
            MovePath::Overlap => {
                if matches!(case, ProvisionCase::Soonest | ProvisionCase::Today) {
                    warnings.insert(Warning::LeadTimeShort);
                }
                ov
            }
            MovePath::Grace => {
                let p = cal.next_business_day(end.add_days(1).max(today));
                if p > grace_ends {
                    warnings.insert(Warning::GraceDeadlinePassed);
                }
                p
            }
            MovePath::EaTransfer => {
                let by = e.lead;
                if by < today {
                    warnings.insert(Warning::LeadTimeShort);
                }
                schedule_by = Some(by);
                end.add_days(1)
            }
            MovePath::CspTransfer => {
                let by = cal.prev_business_day(ov.minus_days(TRANSFER_REQUEST_DAYS));
                if by < today {
                    warnings.insert(Warning::TransferWindowShort);
                }
                request_transfer_by = Some(by);
                ov
            }
        };

        let first = schedule_by.or(request_transfer_by).unwrap_or(provision_on);
        let invite_by = if first == e.lead {
            e.invite_for_lead
        } else {
            cal.prev_business_day(first.minus_days(s.invite_lead_days))
        };
        if row.relationship == Relationship::None && invite_by < today {
            warnings.insert(Warning::InviteOverdue);
        }

        let auto_renew_off_by = row.auto_renew.then_some(e.auto_renew_off);
        if auto_renew_off_by.is_some_and(|d| d < today && today <= end) {
            warnings.insert(Warning::AutoRenewDeadlinePassed);
        }

        let reassign_by = offer_changes.then(|| match path {
            MovePath::Grace | MovePath::EaTransfer => provision_on,
            MovePath::Overlap | MovePath::CspTransfer => provision_on.max(e.before_end),
        });

        let overlap_days = match path {
            MovePath::Overlap => end.days_since(provision_on).saturating_add(1).max(0) as u32,
            MovePath::Grace | MovePath::EaTransfer | MovePath::CspTransfer => 0,
        };
        let overlap_cost = row
            .monthly_price
            .map(|p| prorated(p, row.seats, overlap_days));
        if row.monthly_price.is_none() {
            warnings.insert(Warning::PriceUnknown);
        }
        let cancel_today_cost = match row.monthly_price {
            Some(p) if today <= end => Some(prorated(p, row.seats, end.days_since(today) as u32)),
            _ => None,
        };

        let disabled_ends = grace_ends.plus_days(life.disabled_days);
        let stage = if today <= end {
            Stage::Active
        } else if today <= grace_ends {
            warnings.insert(if life.access_during_grace {
                Warning::Expired
            } else {
                Warning::AccessLost
            });
            Stage::Expired
        } else if today <= disabled_ends {
            warnings.insert(Warning::AccessLost);
            Stage::Disabled
        } else {
            warnings.insert(Warning::DataDeleted);
            Stage::Deleted
        };
        let access_lost_on = if life.access_during_grace {
            grace_ends
        } else {
            end
        }
        .add_days(1);

        RowDates {
            stage,
            path,
            provision_on,
            invite_by,
            schedule_by,
            request_transfer_by,
            auto_renew_off_by,
            reassign_by,
            overlap_days,
            overlap_cost,
            cancel_today_cost,
            access_lost_on,
            data_deleted_on: disabled_ends.add_days(1),
            warnings,
        }
    }

    /// Plans every row and every customer.
    #[must_use]
    pub fn plan(&self, rows: &[PlanRow], today: Date) -> Plan {
        // Each row's customer first, in tight loops (see customer_groups.rs for why), then the
        // rules, with text shared instead of copied per row.
        type Groups = CustomerGroups<FxDomainHash>;
        let hashes: Vec<u64> = rows.iter().map(|r| Groups::hash(&r.domain)).collect();
        let mut customers = Groups::with_rows(rows.len());
        let mut group_of: Vec<u32> = hashes.iter().map(|&h| customers.group_of(h)).collect();
        drop(hashes);
        let mut offers = OfferNames::new();
        let mut subscriptions = Vec::with_capacity(rows.len());
        let t = Today::new(&self.calendar, today);
        let mut end_days = EndDaysMemo::new(rows);
        for (i, (row, g)) in rows.iter().zip(&mut group_of).enumerate() {
            let (offer, changes) = offers.get(trim(&row.offer), row.target_offer.as_deref());
            let e = end_days.get(self, row.end_date);
            let d = self.dates_from(row, row.path, t, changes, e);
            let (customer, domain) = customers.add(
                g,
                &row.domain,
                trim(&row.customer),
                d.provision_on,
                d.next_action(row.relationship, today),
                duplicates_active(d.path, d.stage),
                d.warnings,
            );
            subscriptions.push(SubscriptionPlan {
                row: u32::try_from(i + 1).unwrap_or(u32::MAX),
                customer,
                domain,
                offer,
                seats: row.seats,
                end_date: row.end_date,
                stage: d.stage,
                path: d.path,
                provision_on: d.provision_on,
                invite_by: d.invite_by,
                schedule_by: d.schedule_by,
                request_transfer_by: d.request_transfer_by,
                auto_renew_off_by: d.auto_renew_off_by,
                reassign_by: d.reassign_by,
                overlap_days: d.overlap_days,
                overlap_cost: d.overlap_cost,
                cancel_today_cost: d.cancel_today_cost,
                access_lost_on: d.access_lost_on,
                data_deleted_on: d.data_deleted_on,
                warnings: d.warnings,
            });
        }
        // The tenant limit needs each customer's count first; it rarely applies.
        if customers.any_over_tenant_limit() {
            for (s, &g) in subscriptions.iter_mut().zip(&group_of) {
                if customers.over_tenant_limit(g) && duplicates_active(s.path, s.stage) {
                    s.warnings.insert(Warning::TenantLimit);
                }
            }
        }
        Plan {
            today,
            subscriptions,
            customers: customers.finish(),
        }
    }
}

/// Plans `rows` as of `today` with `settings` (builds the calendar once for this call).
#[must_use]
pub fn plan(rows: &[PlanRow], today: Date, settings: &Settings) -> Plan {
    Planner::new(settings).plan(rows, today)
}

/// Whether a row would duplicate an active subscription: counted for the tenant limit.
fn duplicates_active(path: MovePath, stage: Stage) -> bool {
    path == MovePath::Overlap && stage == Stage::Active
}

/// Adds `tenant_limit` to one customer's rows when more than [`TENANT_SUBSCRIPTION_LIMIT`] of
/// them are on path overlap and still active (those rows get the warning). Returns whether it
/// applied.
pub fn apply_tenant_limit(customer_rows: &mut [RowDates]) -> bool {
    let count = customer_rows
        .iter()
        .filter(|d| duplicates_active(d.path, d.stage))
        .count();
    let applies = count > TENANT_SUBSCRIPTION_LIMIT;
    if applies {
        for d in customer_rows
            .iter_mut()
            .filter(|d| duplicates_active(d.path, d.stage))
        {
            d.warnings.insert(Warning::TenantLimit);
        }
    }
    applies
}

/// Trimmed and lower-cased, as customers are grouped and shown.
#[must_use]
pub fn normalise_domain(domain: &str) -> String {
    let t = trim(domain);
    if t.is_ascii() {
        let mut s = t.to_owned();
        s.make_ascii_lowercase();
        s
    } else if t.chars().any(char::is_uppercase) {
        t.to_lowercase()
    } else {
        t.to_owned()
    }
}

/// `str::trim`, with a quick answer for the usual text that starts and ends with a visible
/// ASCII character.
pub(crate) fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// Whether the row asks for a different target offer than its own.
#[must_use]
pub fn offer_changes(row: &PlanRow) -> bool {
    row.target_offer
        .as_deref()
        .is_some_and(|t| target_differs(t, &row.offer))
}

/// Whether a target offer (as written) asks for another offer than `offer`.
pub(crate) fn target_differs(target: &str, offer: &str) -> bool {
    !trim(target).is_empty() && !same_offer(target, offer)
}

/// Offer names compared trimmed, whitespace-collapsed and case-insensitively.
#[must_use]
pub fn same_offer(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return same_ascii_words(a.as_bytes(), b.as_bytes());
    }
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q))
                if p.chars()
                    .flat_map(char::to_lowercase)
                    .eq(q.chars().flat_map(char::to_lowercase)) => {}
            _ => return false,
        }
    }
}

/// [`same_offer`] for ASCII text, byte by byte: in ASCII, Unicode's white space is tab to
/// carriage return and space.
fn same_ascii_words(a: &[u8], b: &[u8]) -> bool {
    let space = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    let skip = |s: &[u8], mut i: usize| {
        while i < s.len() && space(s[i]) {
            i += 1;
        }
        i
    };
    let (mut i, mut j) = (skip(a, 0), skip(b, 0));
    loop {
        match (a.get(i), b.get(j)) {
            (None, None) => return true,
            (Some(&x), Some(&y)) if !space(x) && !space(y) => {
                if !x.eq_ignore_ascii_case(&y) {
                    return false;
                }
                i += 1;
                j += 1;
            }
            // A word ends in one text: it must end in the other too.
            (x, y) => {
                let ends = |c: Option<&u8>| c.is_none_or(|&c| space(c));
                if !(ends(x) && ends(y)) {
                    return false;
                }
                (i, j) = (skip(a, i), skip(b, j));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Holidays;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn row(end: &str) -> PlanRow {
        PlanRow {
            customer: "Contoso".into(),
            domain: "contoso.example".into(),
            offer: "Office 365 E3".into(),
            seats: 10,
            end_date: d(end),
            channel: Channel::Direct,
            auto_renew: false,
            monthly_price: Some(UnitPrice::parse("20").unwrap()),
            currency: Some("USD".into()),
            target_offer: None,
            relationship: Relationship::Accepted,
            path: MovePath::Overlap,
        }
    }

    fn jp() -> Planner {
        Planner::new(&Settings {
            holidays: Holidays {
                japan: true,
                custom: vec![],
            },
            ..Settings::default()
        })
    }

    fn plain() -> Planner {
        Planner::new(&Settings::default())
    }

    #[test]
    fn provision_is_lead_days_before_end_on_a_business_day() {
        // 2027-03-31 (Wed) − 7 = 2027-03-24 (Wed).
        let r = plain().dates(&row("2027-03-31"), d("2026-11-24"));
        assert_eq!(r.provision_on, d("2027-03-24"));
        assert!(r.warnings.is_empty());
        // 2027-04-04 (Sun) − 7 = 2027-03-28 (Sun) → Friday 03-26.
        let r = plain().dates(&row("2027-04-04"), d("2026-11-24"));
        assert_eq!(r.provision_on, d("2027-03-26"));
    }

    #[test]
    fn provision_date_skips_golden_week() {
        let r = jp().dates(&row("2027-05-12"), d("2026-11-24"));
        assert_eq!(r.provision_on, d("2027-04-30"));
        assert_eq!(r.overlap_days, 13);
        // Without Japanese holidays 2027-05-05 (Wed) is fine.
        assert_eq!(
            plain()
                .dates(&row("2027-05-12"), d("2026-11-24"))
                .provision_on,
            d("2027-05-05")
        );
    }

    #[test]
    fn lead_time_short_provisions_next_business_day() {
        // Ideal 2026-11-20 − … passed; today Sat 2026-11-28, E = 2026-12-02 → Mon 11-30.
        let r = plain().dates(&row("2026-12-02"), d("2026-11-28"));
        assert_eq!(r.provision_on, d("2026-11-30"));
        assert!(r.warnings.contains(Warning::LeadTimeShort));
        assert_eq!(r.overlap_days, 3);
    }

    #[test]
    fn lead_time_short_on_a_weekend_end_date_provisions_today() {
        // Today Sat 2026-11-28, E Sun 2026-11-29: next business day 11-30 is after E → today.
        let r = plain().dates(&row("2026-11-29"), d("2026-11-28"));
        assert_eq!(r.provision_on, d("2026-11-28"));
        assert!(r.warnings.contains(Warning::LeadTimeShort));
        assert_eq!(r.overlap_days, 2);
    }

    #[test]
    fn expired_rows_provision_next_business_day_without_lead_time_warning() {
        let r = jp().dates(&row("2026-11-20"), d("2026-11-23"));
        assert_eq!(r.provision_on, d("2026-11-24"));
        assert!(!r.warnings.contains(Warning::LeadTimeShort));
        assert_eq!(r.overlap_days, 0);
        assert_eq!(r.overlap_cost, Some(Money::from_cents(0)));
        assert_eq!(r.cancel_today_cost, None);
    }

    #[test]
    fn ideal_date_equal_to_today_is_kept() {
        let r = plain().dates(&row("2027-03-31"), d("2027-03-24"));
        assert_eq!(r.provision_on, d("2027-03-24"));
        assert!(!r.warnings.contains(Warning::LeadTimeShort));
    }

    #[test]
    fn invite_is_invite_lead_days_before_provision() {
        let mut r = row("2027-01-15");
        r.relationship = Relationship::None;
        let p = jp().dates(&r, d("2026-11-24"));
        assert_eq!(p.provision_on, d("2027-01-08"));
        assert_eq!(p.invite_by, d("2026-12-31")); // 2027-01-01 is New Year's Day
        assert!(!p.warnings.contains(Warning::InviteOverdue));
    }

    #[test]
    fn invite_overdue_only_while_no_relationship() {
        let mut r = row("2026-12-10");
        r.relationship = Relationship::None;
        let p = plain().dates(&r, d("2026-11-30"));
        assert_eq!(p.invite_by, d("2026-11-26"));
        assert!(p.warnings.contains(Warning::InviteOverdue));
        r.relationship = Relationship::Invited;
        assert!(
            !plain()
                .dates(&r, d("2026-11-30"))
                .warnings
                .contains(Warning::InviteOverdue)
        );
    }

    #[test]
    fn auto_renew_off_is_notice_days_before_end() {
        let mut r = row("2027-03-31");
        assert_eq!(plain().dates(&r, d("2026-11-24")).auto_renew_off_by, None);
        r.auto_renew = true;
        // 2027-03-28 is a Sunday → 03-26.
        let p = plain().dates(&r, d("2026-11-24"));
        assert_eq!(p.auto_renew_off_by, Some(d("2027-03-26")));
        assert!(!p.warnings.contains(Warning::AutoRenewDeadlinePassed));
    }

    #[test]
    fn auto_renew_deadline_passed_between_deadline_and_end() {
        let mut r = row("2027-03-31");
        r.auto_renew = true;
        assert!(
            plain()
                .dates(&r, d("2027-03-29"))
                .warnings
                .contains(Warning::AutoRenewDeadlinePassed)
        );
        assert!(
            plain()
                .dates(&r, d("2027-03-31"))
                .warnings
                .contains(Warning::AutoRenewDeadlinePassed)
        );
        assert!(
            !plain()
                .dates(&r, d("2027-04-01"))
                .warnings
                .contains(Warning::AutoRenewDeadlinePassed)
        );
        assert!(
            !plain()
                .dates(&r, d("2027-03-26"))
                .warnings
                .contains(Warning::AutoRenewDeadlinePassed)
        );
    }

    #[test]
    fn reassign_only_when_the_offer_really_changes() {
        let mut r = row("2027-01-15");
        r.target_offer = Some("  office   365 E3 ".into());
        assert_eq!(plain().dates(&r, d("2026-11-24")).reassign_by, None);
        r.target_offer = Some("".into());
        assert_eq!(plain().dates(&r, d("2026-11-24")).reassign_by, None);
        r.target_offer = Some("Microsoft 365 E3".into());
        assert_eq!(
            plain().dates(&r, d("2026-11-24")).reassign_by,
            Some(d("2027-01-14"))
        );
    }

    #[test]
    fn reassign_is_never_before_provisioning() {
        let mut r = row("2026-11-20");
        r.target_offer = Some("Microsoft 365 E3".into());
        let p = plain().dates(&r, d("2026-11-24"));
        assert_eq!(p.reassign_by, Some(p.provision_on));
    }

    #[test]
    fn costs_follow_the_formula_and_price_unknown_warns() {
        let mut r = row("2027-03-31");
        r.monthly_price = Some(UnitPrice::parse("12.50").unwrap());
        r.seats = 25;
        let p = plain().dates(&r, d("2026-11-24"));
        assert_eq!(
            p.overlap_cost.map(|m| m.to_string()).as_deref(),
            Some("82.19")
        );
        assert_eq!(
            p.cancel_today_cost.map(|m| m.to_string()).as_deref(),
            Some("1304.79")
        );
        r.monthly_price = None;
        let p = plain().dates(&r, d("2026-11-24"));
        assert_eq!((p.overlap_cost, p.cancel_today_cost), (None, None));
        assert!(p.warnings.contains(Warning::PriceUnknown));
    }

    #[test]
    fn cancel_today_on_the_end_date_costs_nothing() {
        let p = plain().dates(&row("2027-03-31"), d("2027-03-31"));
        assert_eq!(p.cancel_today_cost, Some(Money::from_cents(0)));
    }

    #[test]
    fn stages_and_their_warnings_by_channel() {
        let planner = plain();
        let mut r = row("2027-01-15");
        let at = |r: &PlanRow, t: &str| planner.dates(r, d(t));
        let p = at(&r, "2027-01-15");
        assert_eq!(
            (p.stage, p.warnings.contains(Warning::Expired)),
            (Stage::Active, false)
        );
        let p = at(&r, "2027-01-16");
        assert_eq!(p.stage, Stage::Expired);
        assert!(p.warnings.contains(Warning::Expired));
        assert_eq!(at(&r, "2027-02-14").stage, Stage::Expired); // E + 30
        let p = at(&r, "2027-02-15");
        assert_eq!(p.stage, Stage::Disabled);
        assert!(p.warnings.contains(Warning::AccessLost));
        assert_eq!(at(&r, "2027-05-15").stage, Stage::Disabled); // E + 120
        let p = at(&r, "2027-05-16");
        assert_eq!(p.stage, Stage::Deleted);
        assert!(p.warnings.contains(Warning::DataDeleted));
        assert_eq!(p.data_deleted_on, d("2027-05-16"));
        assert_eq!(p.access_lost_on, d("2027-02-15"));

        r.channel = Channel::Open;
        let p = at(&r, "2027-01-16");
        assert_eq!(p.stage, Stage::Expired);
        assert!(p.warnings.contains(Warning::AccessLost));
        assert!(!p.warnings.contains(Warning::Expired));
        assert_eq!(p.access_lost_on, d("2027-01-16"));

        r.channel = Channel::Ea;
        assert_eq!(at(&r, "2027-04-15").stage, Stage::Expired); // E + 90
        assert_eq!(at(&r, "2027-04-16").stage, Stage::Disabled);
        assert_eq!(at(&r, "2027-06-14").stage, Stage::Disabled); // E + 150
        assert_eq!(at(&r, "2027-06-15").stage, Stage::Deleted);
        assert_eq!(at(&r, "2027-06-15").data_deleted_on, d("2027-06-15"));

        r.channel = Channel::Partner;
        assert!(at(&r, "2027-01-16").warnings.contains(Warning::Expired));
    }

    #[test]
    fn absurd_settings_do_not_panic() {
        let mut s = Settings {
            provision_lead_days: u32::MAX,
            invite_lead_days: u32::MAX,
            auto_renew_notice_days: u32::MAX,
            ..Settings::default()
        };
        s.lifecycle.set_grace_days(u32::MAX);
        s.lifecycle.set_disabled_days(u32::MAX);
        let mut r = row("2027-01-15");
        r.auto_renew = true;
        r.seats = u32::MAX;
        let p = Planner::new(&s).dates(&r, d("2026-11-24"));
        assert_eq!(p.stage, Stage::Active);
        assert!(p.provision_on >= d("2026-11-24"));
    }

    #[test]
    fn grace_overrides_change_the_stage() {
        let mut s = Settings::default();
        s.lifecycle.set_grace_days(0);
        s.lifecycle.set_disabled_days(0);
        let p = Planner::new(&s).dates(&row("2027-01-15"), d("2027-01-16"));
        assert_eq!(p.stage, Stage::Deleted);
        assert_eq!(p.data_deleted_on, d("2027-01-16"));
    }

    #[test]
    fn next_action_prefers_earliest_then_kind_order() {
        let mut r = row("2027-01-15");
        r.relationship = Relationship::None;
        r.auto_renew = true;
        let today = d("2026-11-24");
        let p = plain().dates(&r, today);
        assert_eq!(
            p.next_action(r.relationship, today).map(|a| a.kind),
            Some(ActionKind::Invite)
        );
        let p2 = plain().dates(&r, p.provision_on);
        let a = p2
            .next_action(Relationship::Invited, p.provision_on)
            .unwrap();
        assert_eq!((a.kind, a.date), (ActionKind::Provision, p.provision_on));
        // Nothing left after the end date of an auto-renew row once provisioned in the past.
        let late = d("2027-01-16");
        let p3 = plain().dates(&r, late);
        assert_eq!(
            p3.next_action(Relationship::Accepted, late).unwrap().kind,
            ActionKind::Provision
        );
    }

    #[test]
    fn customers_group_by_lower_cased_domain_and_sort_by_cutover() {
        let mut a = row("2027-03-31");
        a.domain = " Contoso.Example ".into();
        a.customer = " First Name ".into();
        let mut b = row("2027-01-15");
        b.customer = "Second Name".into();
        let mut c = row("2027-01-15");
        c.domain = "aaa.example".into();
        let plan = plain().plan(&[a, b, c], d("2026-11-24"));
        assert_eq!(&*plan.subscriptions[0].domain, "contoso.example");
        assert_eq!(&*plan.subscriptions[0].customer, "First Name");
        assert_eq!(plan.customers.len(), 2);
        assert_eq!(&*plan.customers[0].domain, "aaa.example");
        assert_eq!(&*plan.customers[1].customer, "First Name");
        assert_eq!(plan.customers[1].cutover_on, d("2027-01-08"));
    }

    #[test]
    fn apply_tenant_limit_warns_only_past_150_duplicated() {
        let planner = plain();
        let today = d("2026-11-24");
        let active = planner.dates(&row("2027-03-31"), today);
        let ended = planner.dates(&row("2026-11-01"), today);
        let mut grace_row = row("2027-03-31");
        grace_row.path = MovePath::Grace;
        let grace = planner.dates(&grace_row, today);
        let mut rows = vec![active; 150];
        rows.extend([ended, grace]);
        assert!(!apply_tenant_limit(&mut rows));
        assert!(
            rows.iter()
                .all(|r| !r.warnings.contains(Warning::TenantLimit))
        );
        rows.push(active);
        assert!(apply_tenant_limit(&mut rows));
        let warned: Vec<bool> = rows
            .iter()
            .map(|r| r.warnings.contains(Warning::TenantLimit))
            .collect();
        assert_eq!(warned.iter().filter(|w| **w).count(), 151);
        assert!(!warned[150] && !warned[151]);
    }

    #[test]
    fn side_by_side_paths_for_one_row() {
        let mut r = row("2027-03-31");
        r.channel = Channel::Partner;
        let today = d("2026-11-24");
        let p = plain();
        let shown: Vec<(MovePath, Date, u32)> = MovePath::ALL
            .iter()
            .map(|&path| {
                let x = p.dates_on_path(&r, path, today);
                (x.path, x.provision_on, x.overlap_days)
            })
            .collect();
        assert_eq!(
            shown,
            [
                (MovePath::Overlap, d("2027-03-24"), 8),
                (MovePath::Grace, d("2027-04-01"), 0),
                (MovePath::Overlap, d("2027-03-24"), 8),
                (MovePath::CspTransfer, d("2027-03-24"), 0),
            ]
        );
        assert_eq!(
            p.path_check(&r, MovePath::EaTransfer, today),
            Err(PathUnavailable::Channel)
        );
        assert_eq!(
            p.effective_path(&r, MovePath::EaTransfer, today),
            MovePath::Overlap
        );
    }

    #[test]
    fn ascii_offer_comparison_agrees_with_splitting_words() {
        // Every pair of short texts over letters of both cases and several kinds of space.
        let alphabet = ['a', 'A', 'b', ' ', '\t', '\x0b'];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        let by_words = |a: &str, b: &str| {
            a.split_whitespace()
                .map(str::to_lowercase)
                .eq(b.split_whitespace().map(str::to_lowercase))
        };
        for a in &texts {
            for b in &texts {
                assert_eq!(same_offer(a, b), by_words(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn offer_comparison_ignores_case_and_spacing() {
        assert!(same_offer("Office 365  E3", " office 365 e3"));
        assert!(!same_offer("Office 365 E3", "Office 365 E5"));
        assert!(!same_offer("Office 365", "Office 365 E3"));
        assert!(same_offer("", "   "));
    }
}
