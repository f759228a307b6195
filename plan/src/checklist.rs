//! The per-customer checklist (relationship → provision → originals → continuity), derived from
//! Partner Center facts, the migration record and today by one function.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::gdap::AdminAccess;
use crate::move_path::MovePath;
use crate::planner::{ActionKind, NextAction, Planner, RowDates, apply_tenant_limit, same_offer};
use crate::record::{EndedHow, MigrationRecord, OriginalSubscription, Relationship};
use crate::tenant::{Drift, drift};
use crate::transfers::{TransferRecord, TransferState};
use crate::warnings::Warnings;

/// What Partner Center says about one customer (the caller maps API responses into this).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PcFacts {
    /// The customer is in Partner Center with `relationshipToPartner = reseller`, matched by domain.
    pub relationship_accepted: bool,
    /// The customer's CSP subscriptions.
    pub csp_subscriptions: Vec<CspSubscription>,
    /// Whether `csp_subscriptions` was read from Partner Center (false: not asked, e.g. in the
    /// portfolio list, where fulfilled orders kept in the record stand in for it).
    #[serde(default)]
    pub subscriptions_known: bool,
    /// Every licence in the tenant, CSP or not.
    pub subscribed_skus: Vec<SubscribedSku>,
    /// Granular admin access (GDAP) to the customer's tenant, read from Microsoft Graph.
    #[serde(default)]
    pub admin_access: AdminAccess,
    /// Whether Partner Center has the customer's acceptance of the Microsoft Customer Agreement
    /// (`None` when it was not asked or could not say). Orders need it.
    #[serde(default)]
    pub mca_accepted: Option<bool>,
}

/// One CSP subscription.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CspSubscription {
    /// `offerId`.
    pub offer_id: String,
    /// `offerName`.
    pub offer_name: String,
    /// `quantity`.
    pub quantity: u32,
    /// `status` is active (suspended or deleted subscriptions do not count).
    pub active: bool,
}

/// One subscribed SKU of the tenant: every licence the customer has, bought through any channel.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscribedSku {
    /// Product or offer id, when known.
    pub id: Option<String>,
    /// Product name.
    pub name: String,
    /// The SKU's part number (`O365_BUSINESS_PREMIUM`), when known.
    pub part_number: Option<String>,
    /// `capabilityStatus` (`Enabled`, `Warning`, `Suspended`, `LockedOut`, …), when given.
    pub status: Option<String>,
    /// Licences that can be assigned (`activeUnits`).
    pub enabled_units: u32,
    /// Licences in their grace period after the subscription ended (`warningUnits`).
    pub warning_units: u32,
    /// Licences that can no longer be assigned (`suspendedUnits`).
    pub suspended_units: u32,
    /// Licences assigned to users.
    pub consumed_units: u32,
}

/// Step 1: the reseller relationship.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum RelationshipState {
    /// No invitation recorded.
    NotRequested,
    /// The partner recorded sending the invitation.
    InvitationSent {
        /// When.
        on: Date,
    },
    /// Detected in Partner Center.
    Accepted,
}

impl RelationshipState {
    /// The planner's view of this state.
    #[must_use]
    pub fn relationship(self) -> Relationship {
        match self {
            RelationshipState::Accepted => Relationship::Accepted,
            RelationshipState::InvitationSent { .. } => Relationship::Invited,
            RelationshipState::NotRequested => Relationship::None,
        }
    }
}

/// Where the reseller relationship stands: Partner Center's answer wins over the partner's record
/// (the only home of this rule; every screen and the status page use it).
#[must_use]
pub fn relationship_state(record: &MigrationRecord, pc: &PcFacts) -> RelationshipState {
    if pc.relationship_accepted {
        RelationshipState::Accepted
    } else if let Some(on) = record.invitation_sent_on {
        RelationshipState::InvitationSent { on }
    } else {
        RelationshipState::NotRequested
    }
}

/// Step 2, per original: CSP seats provisioned.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum ProvisionState {
    /// No matching CSP seats.
    Pending,
    /// A partner-to-partner transfer is waiting for the other partner until `expires_on`.
    TransferRequested {
        /// The request's last day.
        expires_on: Date,
    },
    /// The other partner's subscription was transferred: nothing to buy.
    Transferred,
    /// The EA channel transfer is scheduled: Microsoft creates the CSP subscription the day after
    /// the agreement ends.
    TransferScheduled {
        /// The day it was scheduled.
        on: Date,
    },
    /// Ordered through Cutover; Partner Center does not show all the seats yet.
    Ordered {
        /// Seats found so far.
        provisioned: u32,
        /// Seats needed.
        required: u32,
    },
    /// Some, not all, seats.
    PartiallyProvisioned {
        /// Seats found.
        provisioned: u32,
        /// Seats needed.
        required: u32,
    },
    /// At least as many seats as the original.
    Provisioned,
}

/// Step 3, per original: the original subscription running out.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum OriginalState {
    /// Auto-renew is on and not confirmed off (past the end date: it has probably renewed).
    AutoRenewToSwitchOff,
    /// Nothing to do until the end date.
    WaitingForExpiry,
    /// Expired or cancelled.
    Ended {
        /// How.
        how: EndedHow,
        /// Confirmed by the partner (otherwise: the end date passed).
        confirmed: bool,
    },
}

/// Step 4, per original: users on the new offer's licences.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum ContinuityState {
    /// The offer does not change.
    NoActionNeeded,
    /// Licences must be reassigned to the target offer.
    ReassignLicences,
    /// Done.
    Reassigned {
        /// Confirmed by the partner (otherwise: detected from subscribed SKUs).
        confirmed: bool,
    },
}

/// Where a whole step stands for the customer.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    /// Nothing to do in this step.
    NotNeeded,
    /// Something is left to do.
    Open,
    /// Complete.
    Done,
}

/// The checklist rows of one original subscription, with the planner's dates.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OriginalChecklist {
    /// The original's id in the record.
    pub id: String,
    /// Step 2.
    pub provision: ProvisionState,
    /// Step 3.
    pub original: OriginalState,
    /// Step 4.
    pub continuity: ContinuityState,
    /// Every date, amount and warning the planner gives this original (with the customer's
    /// overrides): suggested dates, overlap and cancel-today costs, access-lost and data-deleted
    /// dates.
    pub plan: RowDates,
}

impl OriginalChecklist {
    /// Suggested date for step 2.
    #[must_use]
    pub fn provision_on(&self) -> Date {
        self.plan.provision_on
    }

    /// The planner's warnings for this original.
    #[must_use]
    pub fn warnings(&self) -> Warnings {
        self.plan.warnings
    }

    /// Suggested date to switch auto-renew off, while that is still to do.
    #[must_use]
    pub fn auto_renew_off_due(&self) -> Option<Date> {
        self.plan
            .auto_renew_off_by
            .filter(|_| self.original == OriginalState::AutoRenewToSwitchOff)
    }

    /// Suggested date to reassign licences, while that is still to do.
    #[must_use]
    pub fn reassign_due(&self) -> Option<Date> {
        self.plan
            .reassign_by
            .filter(|_| self.continuity == ContinuityState::ReassignLicences)
    }

    /// Whether CSP seats are still to be bought (nothing ordered or detected covers them).
    #[must_use]
    pub fn needs_provisioning(&self) -> bool {
        matches!(
            self.provision,
            ProvisionState::Pending | ProvisionState::PartiallyProvisioned { .. }
        )
    }
}

/// One dated thing left to do for a customer, from its checklist.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OpenAction {
    /// What.
    pub kind: ActionKind,
    /// By when (may be before today: overdue).
    pub date: Date,
    /// The original concerned; `None` for the invitation.
    pub original_id: Option<String>,
}

/// The whole checklist of one customer.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Checklist {
    /// Step 1.
    pub relationship: RelationshipState,
    /// Suggested date for step 1 (earliest over the originals); `None` once accepted.
    pub invite_by: Option<Date>,
    /// Steps 2–4 per original, in record order.
    pub originals: Vec<OriginalChecklist>,
    /// Step 1 … 4 summaries.
    pub steps: [StepStatus; 4],
    /// Admin access (GDAP) to the tenant, alongside step 1: needed to read the tenant's
    /// subscriptions and licences, not to order.
    pub admin_access: AdminAccess,
    /// Where the record differs from what was last read from the tenant.
    pub drift: Vec<Drift>,
}

impl Checklist {
    /// Everything left to do, in record order: the invitation while it is not sent, then per
    /// original provisioning, auto-renew and licence reassignment while they are open.
    #[must_use]
    pub fn open_actions(&self) -> Vec<OpenAction> {
        let mut out = Vec::new();
        if let (RelationshipState::NotRequested, Some(date)) = (self.relationship, self.invite_by) {
            out.push(OpenAction {
                kind: ActionKind::Invite,
                date,
                original_id: None,
            });
        }
        for o in &self.originals {
            let open = o.needs_provisioning();
            let due = [
                (
                    ActionKind::RequestTransfer,
                    o.plan
                        .request_transfer_by
                        .filter(|_| open && o.plan.path == MovePath::CspTransfer),
                ),
                (
                    ActionKind::Schedule,
                    o.plan
                        .schedule_by
                        .filter(|_| open && o.plan.path == MovePath::EaTransfer),
                ),
                (
                    ActionKind::Provision,
                    // An EA transfer is scheduled, not bought.
                    (open && o.plan.path != MovePath::EaTransfer).then_some(o.plan.provision_on),
                ),
                (ActionKind::AutoRenewOff, o.auto_renew_off_due()),
                (ActionKind::Reassign, o.reassign_due()),
            ];
            for (kind, date) in due {
                if let Some(date) = date {
                    out.push(OpenAction {
                        kind,
                        date,
                        original_id: Some(o.id.clone()),
                    });
                }
            }
        }
        out
    }

    /// The earliest open action dated today or later (ties in [`ActionKind`] order).
    #[must_use]
    pub fn next_action(&self, today: Date) -> Option<NextAction> {
        self.open_actions()
            .into_iter()
            .filter(|a| a.date >= today)
            .map(|a| NextAction {
                kind: a.kind,
                date: a.date,
            })
            .min_by_key(|a| (a.date, a.kind))
    }

    /// The earliest suggested provisioning date (the customer's cutover date).
    #[must_use]
    pub fn cutover_on(&self) -> Option<Date> {
        self.originals.iter().map(|o| o.plan.provision_on).min()
    }

    /// Every warning of every original.
    #[must_use]
    pub fn warnings(&self) -> Warnings {
        self.originals
            .iter()
            .fold(Warnings::default(), |w, o| w.union(o.plan.warnings))
    }

    /// The checklist row of one original.
    #[must_use]
    pub fn original(&self, id: &str) -> Option<&OriginalChecklist> {
        self.originals.iter().find(|o| o.id == id)
    }
}

/// Derives the checklist. Dates use `planner` with the record's own overrides.
#[must_use]
pub fn checklist(
    record: &MigrationRecord,
    pc: &PcFacts,
    today: Date,
    planner: &Planner,
) -> Checklist {
    let planner = planner.with_overrides(&record.settings);
    let relationship = relationship_state(record, pc);
    let rows = record.plan_rows(relationship.relationship());
    let mut remaining: Vec<u32> = pc
        .csp_subscriptions
        .iter()
        .map(|s| if s.active { s.quantity } else { 0 })
        .collect();
    let mut invite_by: Option<Date> = None;
    // The tenant limit is a rule over the customer's subscriptions together.
    let mut all_dates: Vec<RowDates> = rows.iter().map(|row| planner.dates(row, today)).collect();
    apply_tenant_limit(&mut all_dates);
    let originals: Vec<OriginalChecklist> = record
        .originals
        .iter()
        .zip(all_dates)
        .map(|(o, dates)| {
            invite_by = Some(invite_by.map_or(dates.invite_by, |d| d.min(dates.invite_by)));
            let ordered = record.orders.iter().any(|order| order.covers(&o.id));
            let mut seats = provision_state(o, &pc.csp_subscriptions, &mut remaining, ordered);
            // Without Partner Center's list, an order it reported fulfilled for all the seats is
            // the best evidence there is; once the list is read, the list wins.
            if !pc.subscriptions_known && fulfilled_seats(record, &o.id) >= o.seats.max(1) {
                seats = ProvisionState::Provisioned;
            }
            OriginalChecklist {
                id: o.id.clone(),
                provision: move_state(o, &dates, seats, &record.transfers, today),
                original: original_state(o, today),
                continuity: continuity_state(o, &pc.subscribed_skus),
                plan: dates,
            }
        })
        .collect();

    let status = |needed: bool, done: bool| match (needed, done) {
        (false, _) => StepStatus::NotNeeded,
        (true, true) => StepStatus::Done,
        (true, false) => StepStatus::Open,
    };
    let any = !originals.is_empty();
    let steps = [
        status(true, relationship == RelationshipState::Accepted),
        status(
            any,
            originals.iter().all(|o| {
                matches!(
                    o.provision,
                    ProvisionState::Provisioned | ProvisionState::Transferred
                )
            }),
        ),
        status(
            any,
            originals
                .iter()
                .all(|o| matches!(o.original, OriginalState::Ended { .. })),
        ),
        status(
            originals
                .iter()
                .any(|o| o.continuity != ContinuityState::NoActionNeeded),
            originals
                .iter()
                .all(|o| o.continuity != ContinuityState::ReassignLicences),
        ),
    ];
    Checklist {
        relationship,
        invite_by: invite_by.filter(|_| relationship != RelationshipState::Accepted),
        originals,
        steps,
        admin_access: pc.admin_access.clone(),
        drift: record
            .tenant
            .as_ref()
            .map(|t| drift(&record.originals, &t.subscriptions))
            .unwrap_or_default(),
    }
}

/// Step 2 by the original's effective move path: a transfer waiting or done, an EA transfer
/// scheduled, or else what the seats show. Seats found in Partner Center always win.
fn move_state(
    o: &OriginalSubscription,
    dates: &RowDates,
    seats: ProvisionState,
    transfers: &[TransferRecord],
    today: Date,
) -> ProvisionState {
    if seats == ProvisionState::Provisioned {
        return seats;
    }
    match dates.path {
        MovePath::CspTransfer => {
            let latest = transfers.iter().rev().find(|t| t.covers(&o.id));
            match latest.map(|t| t.state(today)) {
                Some(TransferState::Completed) => ProvisionState::Transferred,
                Some(TransferState::Waiting { expires_on }) => {
                    ProvisionState::TransferRequested { expires_on }
                }
                // Not requested, or lapsed: buy on the overlap date.
                Some(TransferState::Lapsed) | None => seats,
            }
        }
        MovePath::EaTransfer => match o.confirmed.ea_transfer_scheduled_on {
            Some(on) => ProvisionState::TransferScheduled { on },
            None => seats,
        },
        MovePath::Overlap | MovePath::Grace => seats,
    }
}

/// The offer the CSP seats must be of: the target, or the same offer.
fn wanted(o: &OriginalSubscription) -> (Option<&str>, &str) {
    match &o.target {
        Some(t) if !t.offer_name.trim().is_empty() || t.offer_id.is_some() => {
            (t.offer_id.as_deref(), t.offer_name.as_str())
        }
        _ => (o.offer_id.as_deref(), o.offer_name.as_str()),
    }
}

fn matches(id: Option<&str>, name: &str, other_id: Option<&str>, other_name: &str) -> bool {
    match (id, other_id) {
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => true,
        _ => !name.trim().is_empty() && same_offer(name, other_name),
    }
}

/// Takes seats from matching CSP subscriptions in order; a seat counts for one original only.
/// Seats of the original `id` bought by orders Partner Center reported fulfilled.
fn fulfilled_seats(record: &MigrationRecord, id: &str) -> u32 {
    record
        .orders
        .iter()
        .filter(|o| o.phase() == crate::orders::OrderPhase::Fulfilled)
        .flat_map(|o| o.lines.iter())
        .filter(|l| l.original_id.as_deref() == Some(id))
        .map(|l| l.quantity)
        .sum()
}

fn provision_state(
    o: &OriginalSubscription,
    csp: &[CspSubscription],
    remaining: &mut [u32],
    ordered: bool,
) -> ProvisionState {
    let (id, name) = wanted(o);
    let mut got = 0u32;
    for (s, left) in csp.iter().zip(remaining.iter_mut()) {
        if got >= o.seats {
            break;
        }
        if *left > 0 && matches(id, name, Some(&s.offer_id), &s.offer_name) {
            let take = (*left).min(o.seats - got);
            *left -= take;
            got += take;
        }
    }
    if got >= o.seats {
        ProvisionState::Provisioned
    } else if ordered {
        ProvisionState::Ordered {
            provisioned: got,
            required: o.seats,
        }
    } else if got == 0 {
        ProvisionState::Pending
    } else {
        ProvisionState::PartiallyProvisioned {
            provisioned: got,
            required: o.seats,
        }
    }
}

fn original_state(o: &OriginalSubscription, today: Date) -> OriginalState {
    let renewal_off = !o.auto_renew || o.confirmed.auto_renew_off_on.is_some();
    if let Some(e) = o.confirmed.ended {
        OriginalState::Ended {
            how: e.how,
            confirmed: true,
        }
    } else if !renewal_off {
        OriginalState::AutoRenewToSwitchOff
    } else if today > o.end_date {
        OriginalState::Ended {
            how: EndedHow::Expired,
            confirmed: false,
        }
    } else {
        OriginalState::WaitingForExpiry
    }
}

fn continuity_state(o: &OriginalSubscription, skus: &[SubscribedSku]) -> ContinuityState {
    let Some(t) = &o.target else {
        return ContinuityState::NoActionNeeded;
    };
    let same = match (&t.offer_id, &o.offer_id) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => t.offer_name.trim().is_empty() || same_offer(&t.offer_name, &o.offer_name),
    };
    if same {
        return ContinuityState::NoActionNeeded;
    }
    if o.confirmed.licences_reassigned_on.is_some() {
        return ContinuityState::Reassigned { confirmed: true };
    }
    let users_on = |id: Option<&str>, name: &str| -> u32 {
        skus.iter()
            .filter(|s| matches(id, name, s.id.as_deref(), &s.name))
            .map(|s| s.consumed_units)
            .sum()
    };
    let on_target = users_on(t.offer_id.as_deref(), &t.offer_name);
    let on_original = users_on(o.offer_id.as_deref(), &o.offer_name);
    if on_target > 0 && on_original == 0 {
        ContinuityState::Reassigned { confirmed: false }
    } else {
        ContinuityState::ReassignLicences
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Channel, Ended, TargetOffer};
    use crate::settings::{Settings, SettingsOverrides};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn original(id: &str, offer: &str, seats: u32, end: &str) -> OriginalSubscription {
        OriginalSubscription::for_test(id, offer, seats, end)
    }

    fn record(originals: Vec<OriginalSubscription>) -> MigrationRecord {
        let mut r = MigrationRecord::prospect("Contoso", "contoso.example");
        r.originals = originals;
        r
    }

    fn csp(name: &str, quantity: u32) -> CspSubscription {
        CspSubscription {
            offer_id: format!("id-{name}"),
            offer_name: name.into(),
            quantity,
            active: true,
        }
    }

    fn sku(name: &str, consumed: u32) -> SubscribedSku {
        SubscribedSku {
            name: name.into(),
            consumed_units: consumed,
            ..SubscribedSku::default()
        }
    }

    fn run(r: &MigrationRecord, pc: &PcFacts, today: &str) -> Checklist {
        checklist(r, pc, d(today), &Planner::new(&Settings::default()))
    }

    #[test]
    fn relationship_not_requested_then_sent_then_accepted() {
        let mut r = record(vec![original("a", "E3", 10, "2027-03-31")]);
        let c = run(&r, &PcFacts::default(), "2026-11-24");
        assert_eq!(c.relationship, RelationshipState::NotRequested);
        assert_eq!(c.invite_by, Some(d("2027-03-17")));
        assert_eq!(c.steps[0], StepStatus::Open);
        r.invitation_sent_on = Some(d("2026-11-20"));
        let c = run(&r, &PcFacts::default(), "2026-11-24");
        assert_eq!(
            c.relationship,
            RelationshipState::InvitationSent {
                on: d("2026-11-20")
            }
        );
        let pc = PcFacts {
            relationship_accepted: true,
            ..Default::default()
        };
        let c = run(&r, &pc, "2026-11-24");
        assert_eq!(c.relationship, RelationshipState::Accepted);
        assert_eq!(c.invite_by, None);
        assert_eq!(c.steps[0], StepStatus::Done);
    }

    #[test]
    fn provision_pending_partial_and_provisioned() {
        let r = record(vec![original("a", "Office 365 E3", 10, "2027-03-31")]);
        let with = |subs: Vec<CspSubscription>| {
            run(
                &r,
                &PcFacts {
                    csp_subscriptions: subs,
                    ..Default::default()
                },
                "2026-11-24",
            )
        };
        let c = with(vec![]);
        assert_eq!(c.originals[0].provision, ProvisionState::Pending);
        assert_eq!(c.originals[0].plan.provision_on, d("2027-03-24"));
        assert_eq!(c.steps[1], StepStatus::Open);
        let c = with(vec![csp("office 365 e3", 4)]);
        assert_eq!(
            c.originals[0].provision,
            ProvisionState::PartiallyProvisioned {
                provisioned: 4,
                required: 10
            }
        );
        let c = with(vec![csp("Office 365 E3", 4), csp("Office 365 E3", 6)]);
        assert_eq!(c.originals[0].provision, ProvisionState::Provisioned);
        assert_eq!(c.steps[1], StepStatus::Done);
        let mut suspended = csp("Office 365 E3", 10);
        suspended.active = false;
        assert_eq!(
            with(vec![suspended]).originals[0].provision,
            ProvisionState::Pending
        );
        assert_eq!(
            with(vec![csp("Office 365 E5", 10)]).originals[0].provision,
            ProvisionState::Pending
        );
    }

    #[test]
    fn provision_matches_the_target_offer_and_seats_count_once() {
        let mut a = original("a", "Exchange Online (Plan 1)", 5, "2027-01-15");
        a.target = Some(TargetOffer {
            offer_id: None,
            offer_name: "Microsoft 365 Business Basic".into(),
        });
        let b = original("b", "Microsoft 365 Business Basic", 5, "2027-01-15");
        let r = record(vec![a, b]);
        let pc = PcFacts {
            csp_subscriptions: vec![csp("Microsoft 365 Business Basic", 7)],
            ..Default::default()
        };
        let c = run(&r, &pc, "2026-11-24");
        assert_eq!(c.originals[0].provision, ProvisionState::Provisioned);
        assert_eq!(
            c.originals[1].provision,
            ProvisionState::PartiallyProvisioned {
                provisioned: 2,
                required: 5
            }
        );
    }

    #[test]
    fn original_auto_renew_waiting_and_ended() {
        let mut o = original("a", "E3", 10, "2027-03-31");
        o.auto_renew = true;
        let pc = PcFacts::default();
        let state =
            |o: &OriginalSubscription, today: &str| run(&record(vec![o.clone()]), &pc, today);
        let c = state(&o, "2026-11-24");
        assert_eq!(c.originals[0].original, OriginalState::AutoRenewToSwitchOff);
        assert_eq!(c.originals[0].plan.auto_renew_off_by, Some(d("2027-03-26")));
        // Past the end date with auto-renew never confirmed off: it has probably renewed.
        assert_eq!(
            state(&o, "2027-04-01").originals[0].original,
            OriginalState::AutoRenewToSwitchOff
        );
        o.confirmed.auto_renew_off_on = Some(d("2026-12-01"));
        assert_eq!(
            state(&o, "2026-12-02").originals[0].original,
            OriginalState::WaitingForExpiry
        );
        let c = state(&o, "2027-04-01");
        assert_eq!(
            c.originals[0].original,
            OriginalState::Ended {
                how: EndedHow::Expired,
                confirmed: false
            }
        );
        assert_eq!(c.steps[2], StepStatus::Done);
        o.confirmed.ended = Some(Ended {
            on: d("2027-01-10"),
            how: EndedHow::Cancelled,
        });
        assert_eq!(
            state(&o, "2027-01-10").originals[0].original,
            OriginalState::Ended {
                how: EndedHow::Cancelled,
                confirmed: true
            }
        );
    }

    #[test]
    fn continuity_not_needed_to_reassign_and_reassigned() {
        let mut o = original("a", "Exchange Online (Plan 1)", 5, "2027-01-15");
        let state = |o: &OriginalSubscription, skus: Vec<SubscribedSku>| {
            run(
                &record(vec![o.clone()]),
                &PcFacts {
                    subscribed_skus: skus,
                    ..Default::default()
                },
                "2026-11-24",
            )
        };
        let c = state(&o, vec![]);
        assert_eq!(c.originals[0].continuity, ContinuityState::NoActionNeeded);
        assert_eq!(c.steps[3], StepStatus::NotNeeded);
        o.target = Some(TargetOffer {
            offer_id: None,
            offer_name: " exchange online (plan 1) ".into(),
        });
        assert_eq!(
            state(&o, vec![]).originals[0].continuity,
            ContinuityState::NoActionNeeded
        );

        o.target = Some(TargetOffer {
            offer_id: None,
            offer_name: "Microsoft 365 Business Basic".into(),
        });
        let c = state(&o, vec![sku("Exchange Online (Plan 1)", 5)]);
        assert_eq!(c.originals[0].continuity, ContinuityState::ReassignLicences);
        assert_eq!(c.originals[0].plan.reassign_by, Some(d("2027-01-14")));
        assert_eq!(c.steps[3], StepStatus::Open);
        let both = vec![
            sku("Exchange Online (Plan 1)", 2),
            sku("Microsoft 365 Business Basic", 3),
        ];
        assert_eq!(
            state(&o, both).originals[0].continuity,
            ContinuityState::ReassignLicences
        );
        let moved = vec![
            sku("Exchange Online (Plan 1)", 0),
            sku("Microsoft 365 Business Basic", 5),
        ];
        let c = state(&o, moved);
        assert_eq!(
            c.originals[0].continuity,
            ContinuityState::Reassigned { confirmed: false }
        );
        assert_eq!(c.steps[3], StepStatus::Done);
        o.confirmed.licences_reassigned_on = Some(d("2027-01-14"));
        assert_eq!(
            state(&o, vec![]).originals[0].continuity,
            ContinuityState::Reassigned { confirmed: true }
        );
    }

    #[test]
    fn empty_record_has_nothing_to_do_after_step_one() {
        let c = run(&record(vec![]), &PcFacts::default(), "2026-11-24");
        assert_eq!(
            c.steps,
            [
                StepStatus::Open,
                StepStatus::NotNeeded,
                StepStatus::NotNeeded,
                StepStatus::NotNeeded
            ]
        );
        assert_eq!(c.invite_by, None);
    }

    #[test]
    fn customer_overrides_move_the_dates() {
        let mut r = record(vec![original("a", "E3", 10, "2027-03-31")]);
        r.settings = SettingsOverrides {
            provision_lead_days: Some(14),
            ..Default::default()
        };
        let c = run(&r, &PcFacts::default(), "2026-11-24");
        assert_eq!(c.originals[0].plan.provision_on, d("2027-03-17"));
    }

    #[test]
    fn states_serialize_with_state_tags() {
        let c = run(
            &record(vec![original("a", "E3", 10, "2027-03-31")]),
            &PcFacts::default(),
            "2026-11-24",
        );
        let tag = |v: serde_json::Value| v["state"].as_str().unwrap_or_default().to_owned();
        assert_eq!(
            tag(serde_json::to_value(c.relationship).unwrap()),
            "notRequested"
        );
        let o = &c.originals[0];
        assert_eq!(tag(serde_json::to_value(o.provision).unwrap()), "pending");
        assert_eq!(
            tag(serde_json::to_value(o.original).unwrap()),
            "waitingForExpiry"
        );
        assert_eq!(serde_json::to_value(c.steps[3]).unwrap(), "notNeeded");
    }

    #[test]
    fn what_the_tenant_showed_last_time_is_compared_with_the_record() {
        use crate::tenant::{DriftKind, TenantSnapshot, TenantSubscription};
        let mut o = original("a", "Office 365 E3", 10, "2027-03-31");
        o.tenant_subscription_id = Some("g-1".into());
        let mut r = record(vec![o]);
        assert!(run(&r, &PcFacts::default(), "2026-11-24").drift.is_empty());
        r.tenant = Some(TenantSnapshot {
            read_on: d("2026-11-20"),
            subscriptions: vec![TenantSubscription {
                id: "g-1".into(),
                commerce_subscription_id: None,
                sku_id: None,
                sku_part_number: "ENTERPRISEPACK".into(),
                status: "Enabled".into(),
                total_licenses: 12,
                is_trial: false,
                next_lifecycle_on: Some(d("2027-03-31")),
                created_on: None,
                owner_tenant_id: None,
            }],
        });
        let c = run(&r, &PcFacts::default(), "2026-11-24");
        assert_eq!(c.drift.len(), 1);
        assert_eq!(
            c.drift[0].kind,
            DriftKind::Seats {
                recorded: 10,
                tenant: 12
            }
        );
    }

    #[test]
    fn transfers_and_scheduled_ea_moves_show_in_step_two_and_the_actions() {
        use crate::transfers::TransferRecord;
        let mut p = original("p", "Office 365 E3", 10, "2027-06-30");
        p.channel = Channel::Partner;
        p.path = MovePath::CspTransfer;
        let mut e = original("e", "Office 365 E1", 50, "2027-06-30");
        e.channel = Channel::Ea;
        e.path = MovePath::EaTransfer;
        let mut r = record(vec![p, e]);
        let today = "2026-12-01";
        let c = run(&r, &PcFacts::default(), today);
        assert_eq!(c.originals[0].provision, ProvisionState::Pending);
        let kinds: Vec<ActionKind> = c.open_actions().iter().map(|a| a.kind).collect();
        assert!(kinds.contains(&ActionKind::RequestTransfer));
        assert!(kinds.contains(&ActionKind::Schedule));
        assert!(
            !c.open_actions()
                .iter()
                .any(|a| a.kind == ActionKind::Provision && a.original_id.as_deref() == Some("e")),
            "an EA transfer is scheduled, not bought"
        );

        r.transfers.push(TransferRecord {
            id: "t1".into(),
            status: "active".into(),
            created_on: d("2026-11-20"),
            expires_on: d("2026-12-20"),
            completed_on: None,
            original_ids: vec!["p".into()],
        });
        r.originals[1].confirmed.ea_transfer_scheduled_on = Some(d("2026-11-30"));
        let c = run(&r, &PcFacts::default(), today);
        assert_eq!(
            c.originals[0].provision,
            ProvisionState::TransferRequested {
                expires_on: d("2026-12-20")
            }
        );
        assert_eq!(
            c.originals[1].provision,
            ProvisionState::TransferScheduled {
                on: d("2026-11-30")
            }
        );
        assert!(
            c.open_actions()
                .iter()
                .all(|a| !matches!(a.kind, ActionKind::RequestTransfer | ActionKind::Schedule))
        );
        // Ignored for 30 days: it lapses and the original is to buy again.
        let c = run(&r, &PcFacts::default(), "2026-12-21");
        assert_eq!(c.originals[0].provision, ProvisionState::Pending);
        r.transfers[0].status = "completed".into();
        let c = run(&r, &PcFacts::default(), "2026-12-21");
        assert_eq!(c.originals[0].provision, ProvisionState::Transferred);
    }
}
