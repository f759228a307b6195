//! Where a customer's move stands and what the customer must do, in plain data: the one model
//! that both the partner's customer page and the customer's status page render, so the two can
//! never disagree. Every date comes from the planner.
use crate::checklist::{
    Checklist, ContinuityState, OriginalState, PcFacts, ProvisionState, RelationshipState,
    StepStatus, checklist,
};
use crate::date::Date;
use crate::ics::{customer_events, customer_ics, sequence, stamp_of};
use crate::lang::Lang;
use crate::money::Money;
use crate::planner::{Planner, Stage};
use crate::record::{EndedHow, MigrationRecord};
use crate::wire::StatusProjection;

/// One original subscription as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionStatus {
    /// The original's id in the record.
    pub id: String,
    /// The original offer's name.
    pub offer: String,
    /// The CSP offer it moves to when that is a different one.
    pub target: Option<String>,
    /// Licences.
    pub seats: u32,
    /// Last day of service of the original.
    pub end_date: Date,
    /// Step 2.
    pub provision: ProvisionState,
    /// Planned provisioning date.
    pub provision_on: Date,
    /// Step 3.
    pub original: OriginalState,
    /// Switch auto-renew off by, when it is on.
    pub auto_renew_off_by: Option<Date>,
    /// Step 4.
    pub continuity: ContinuityState,
    /// Reassign licences by, when the offer changes.
    pub reassign_by: Option<Date>,
    /// Lifecycle stage of the original today.
    pub stage: Stage,
    /// First day users have no service if nothing is done.
    pub access_lost_on: Date,
    /// First day the original's data is gone.
    pub data_deleted_on: Date,
    /// Days paid twice (original and CSP).
    pub overlap_days: u32,
    /// What those days cost (the partner's view; `None` without a price).
    pub overlap_cost: Option<Money>,
    /// What cancelling today would forfeit (no refunds; `None` without a price or once ended).
    pub cancel_today_cost: Option<Money>,
    /// Currency of the two amounts.
    pub currency: Option<String>,
}

/// Something the customer's admin has to do (or is told not to worry about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Todo {
    /// Accept the reseller invitation (`url` when the partner shared it).
    AcceptInvitation {
        /// The invitation link.
        url: Option<String>,
        /// When the partner sent it.
        sent_on: Option<Date>,
        /// Accept before this day, so provisioning can start on time.
        by: Option<Date>,
    },
    /// Approve the partner's request for admin access (GDAP) to the tenant, so the partner can
    /// read its subscriptions and licences.
    ApproveAdminAccess {
        /// Where to approve it.
        url: Option<String>,
        /// The last day the request can be approved.
        by: Date,
    },
    /// Switch off auto-renew on an original subscription.
    SwitchOffAutoRenew {
        /// The original offer.
        offer: String,
        /// Deadline from the planner.
        by: Option<Date>,
        /// The original's last day; it renews at 00:00 UTC the day after.
        end_date: Date,
        /// The deadline has passed.
        overdue: bool,
    },
    /// Nothing to do while the partner provisions.
    WaitForProvisioning {
        /// Earliest planned provisioning date still ahead.
        on: Option<Date>,
    },
    /// Move users to the new offer's licences.
    ReassignLicences {
        /// From this offer.
        from: String,
        /// To this one.
        to: String,
        /// By this day.
        by: Option<Date>,
    },
    /// The offers stay the same: no licence changes.
    NoLicenceChanges,
    /// Everything is done.
    AllDone,
    /// The partner has not recorded any subscriptions yet.
    NothingRecorded,
}

/// What a milestone on the timeline is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MilestoneKind {
    /// The partner sent the reseller invitation.
    InvitationSent,
    /// The partner plans to send the invitation by then.
    InvitationPlanned,
    /// CSP subscriptions provisioned (planned date).
    Provision {
        /// Offer being provisioned.
        offer: String,
    },
    /// Auto-renew switched off (confirmed).
    AutoRenewSwitchedOff {
        /// Original offer.
        offer: String,
    },
    /// Deadline to switch auto-renew off.
    AutoRenewOffBy {
        /// Original offer.
        offer: String,
    },
    /// The original's last day (it ends at 00:00 UTC the next day).
    OriginalEnds {
        /// Original offer.
        offer: String,
    },
    /// The partner confirmed the original ended.
    OriginalEnded {
        /// Original offer.
        offer: String,
        /// Expired or cancelled.
        how: EndedHow,
    },
    /// Deadline to reassign licences.
    ReassignBy {
        /// Original offer.
        offer: String,
        /// New offer.
        to: String,
    },
    /// Licences reassigned (confirmed).
    Reassigned {
        /// Original offer.
        offer: String,
    },
}

/// A dated entry of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// The calendar day (UTC, as Partner Center dates are).
    pub date: Date,
    /// What happens or happened.
    pub kind: MilestoneKind,
    /// Before today, or recorded as done.
    pub past: bool,
}

/// Everything both views show about one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerStatus {
    /// The customer.
    pub customer_name: String,
    /// Its primary domain.
    pub domain: String,
    /// The day the model was computed for.
    pub today: Date,
    /// The four steps and per-subscription states.
    pub checklist: Checklist,
    /// Per original subscription, in record order.
    pub subscriptions: Vec<SubscriptionStatus>,
    /// What the customer has to do, in order.
    pub todos: Vec<Todo>,
    /// Past milestones, oldest first.
    pub past: Vec<Milestone>,
    /// Upcoming milestones, soonest first.
    pub upcoming: Vec<Milestone>,
}

/// The status page: the customer's model plus what only the page needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPageModel {
    /// The partner moving the customer.
    pub partner_name: String,
    /// When the proxy built the projection (RFC 3339).
    pub as_of: String,
    /// Partner Center could not be asked; detected states may be behind.
    pub facts_unavailable: bool,
    /// The customer's model.
    pub status: CustomerStatus,
    /// The calendar file's SEQUENCE: the record's version plus the settings' version.
    pub calendar_sequence: u64,
    /// Whether the page may offer e-mail subscriptions (the server can send mail).
    pub mail_enabled: bool,
}

/// Only secure web links may become `href`s (never `javascript:`, `data:` or plain `http:`).
#[must_use]
pub fn safe_link(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    url.to_ascii_lowercase()
        .starts_with("https://")
        .then(|| url.to_owned())
}

impl CustomerStatus {
    /// Derives the model as of `today`; `planner` is the partner's (the record's overrides are
    /// applied here), `invitation_url` the partner's reseller invitation link when known.
    #[must_use]
    pub fn new(
        record: &MigrationRecord,
        facts: &PcFacts,
        today: Date,
        planner: &Planner,
        invitation_url: Option<&str>,
    ) -> CustomerStatus {
        let list = checklist(record, facts, today, planner);
        let subscriptions: Vec<SubscriptionStatus> = record
            .originals
            .iter()
            .zip(&list.originals)
            .map(|(o, c)| SubscriptionStatus {
                id: o.id.clone(),
                offer: o.offer_name.clone(),
                target: match c.continuity {
                    ContinuityState::NoActionNeeded => None,
                    _ => o.target.as_ref().map(|t| t.offer_name.trim().to_owned()),
                },
                seats: o.seats,
                end_date: o.end_date,
                provision: c.provision,
                provision_on: c.plan.provision_on,
                original: c.original,
                auto_renew_off_by: c.plan.auto_renew_off_by,
                continuity: c.continuity,
                reassign_by: c.plan.reassign_by,
                stage: c.plan.stage,
                access_lost_on: c.plan.access_lost_on,
                data_deleted_on: c.plan.data_deleted_on,
                overlap_days: c.plan.overlap_days,
                overlap_cost: c.plan.overlap_cost,
                cancel_today_cost: c.plan.cancel_today_cost,
                currency: o.price.as_ref().map(|p| p.currency.clone()),
            })
            .collect();
        let todos = todos(&list, &subscriptions, safe_link(invitation_url), today);
        let (past, upcoming) = milestones(record, &list, &subscriptions, today);
        CustomerStatus {
            customer_name: record.customer_name.clone(),
            domain: record.domain.clone(),
            today,
            checklist: list,
            subscriptions,
            todos,
            past,
            upcoming,
        }
    }

    /// The step summaries, 1 to 4.
    #[must_use]
    pub fn steps(&self) -> [StepStatus; 4] {
        self.checklist.steps
    }
}

impl StatusPageModel {
    /// Derives the status page from the proxy's projection as of `today`.
    #[must_use]
    pub fn new(p: &StatusProjection, today: Date) -> StatusPageModel {
        let planner = Planner::new(&p.settings);
        let status = CustomerStatus::new(
            &p.record,
            &p.facts,
            today,
            &planner,
            p.invitation_url.as_deref(),
        );
        StatusPageModel {
            partner_name: p.partner_name.clone(),
            as_of: p.as_of.clone(),
            facts_unavailable: p.facts_unavailable,
            status,
            calendar_sequence: sequence(p.record_version, p.settings_version),
            mail_enabled: p.mail_enabled,
        }
    }

    /// The customer's calendar file in `lang`: their deadlines, the planned provisioning and the
    /// originals' last days still ahead; `None` when there is nothing to add.
    #[must_use]
    pub fn ics(&self, lang: Lang) -> Option<String> {
        let stamp = stamp_of(&self.as_of)
            .unwrap_or_else(|| format!("{}T000000Z", self.status.today.basic()));
        customer_ics(
            &self.status,
            &self.partner_name,
            lang,
            self.calendar_sequence,
            &stamp,
        )
    }

    /// Whether [`StatusPageModel::ics`] has anything to offer (without wording the file).
    #[must_use]
    pub fn has_calendar(&self) -> bool {
        !customer_events(&self.status).is_empty()
    }
}

fn todos(
    list: &Checklist,
    subs: &[SubscriptionStatus],
    invitation_url: Option<String>,
    today: Date,
) -> Vec<Todo> {
    let approve = match list.admin_access.state {
        crate::gdap::GdapState::ApprovalPending { expires_on } if expires_on >= today => {
            Some(Todo::ApproveAdminAccess {
                url: safe_link(list.admin_access.approval_link.as_deref()),
                by: expires_on,
            })
        }
        _ => None,
    };
    if subs.is_empty() && list.relationship == RelationshipState::Accepted {
        // Approving admin access is how the partner can find out what to record.
        return approve.into_iter().chain([Todo::NothingRecorded]).collect();
    }
    let mut out = Vec::new();
    let earliest_provision = subs
        .iter()
        .filter(|s| {
            matches!(
                s.provision,
                ProvisionState::Pending | ProvisionState::PartiallyProvisioned { .. }
            )
        })
        .map(|s| s.provision_on)
        .min();
    if list.relationship != RelationshipState::Accepted {
        out.push(Todo::AcceptInvitation {
            url: invitation_url,
            sent_on: match list.relationship {
                RelationshipState::InvitationSent { on } => Some(on),
                _ => None,
            },
            by: earliest_provision.filter(|d| *d >= today),
        });
    }
    out.extend(approve.clone());
    for s in subs {
        if s.original == OriginalState::AutoRenewToSwitchOff {
            out.push(Todo::SwitchOffAutoRenew {
                offer: s.offer.clone(),
                by: s.auto_renew_off_by,
                end_date: s.end_date,
                overdue: s.auto_renew_off_by.is_some_and(|d| d < today),
            });
        }
    }
    if list.steps[1] == StepStatus::Open {
        out.push(Todo::WaitForProvisioning {
            on: earliest_provision.filter(|d| *d >= today),
        });
    }
    let mut reassign = false;
    for s in subs {
        if s.continuity == ContinuityState::ReassignLicences {
            reassign = true;
            out.push(Todo::ReassignLicences {
                from: s.offer.clone(),
                to: s.target.clone().unwrap_or_default(),
                by: s.reassign_by,
            });
        }
    }
    if !reassign && list.steps[3] == StepStatus::NotNeeded && !subs.is_empty() {
        out.push(Todo::NoLicenceChanges);
    }
    if subs.is_empty() {
        return out;
    }
    if list.steps.iter().all(|s| *s != StepStatus::Open) {
        return vec![Todo::AllDone];
    }
    out
}

fn milestones(
    record: &MigrationRecord,
    list: &Checklist,
    subs: &[SubscriptionStatus],
    today: Date,
) -> (Vec<Milestone>, Vec<Milestone>) {
    let mut all = Vec::new();
    let mut push = |date: Date, kind: MilestoneKind, done: bool| {
        all.push(Milestone {
            date,
            kind,
            past: done || date < today,
        });
    };
    match list.relationship {
        RelationshipState::InvitationSent { on } => push(on, MilestoneKind::InvitationSent, true),
        RelationshipState::NotRequested => {
            if let Some(by) = list.invite_by {
                push(by.max(today), MilestoneKind::InvitationPlanned, false);
            }
        }
        RelationshipState::Accepted => {
            if let Some(on) = record.invitation_sent_on {
                push(on, MilestoneKind::InvitationSent, true);
            }
        }
    }
    for (o, s) in record.originals.iter().zip(subs) {
        let offer = || s.offer.clone();
        if s.provision != ProvisionState::Provisioned {
            push(
                s.provision_on,
                MilestoneKind::Provision { offer: offer() },
                false,
            );
        }
        if let Some(on) = o.confirmed.auto_renew_off_on {
            push(
                on,
                MilestoneKind::AutoRenewSwitchedOff { offer: offer() },
                true,
            );
        } else if let (OriginalState::AutoRenewToSwitchOff, Some(by)) =
            (s.original, s.auto_renew_off_by)
        {
            push(by, MilestoneKind::AutoRenewOffBy { offer: offer() }, false);
        }
        match o.confirmed.ended {
            Some(e) => push(
                e.on,
                MilestoneKind::OriginalEnded {
                    offer: offer(),
                    how: e.how,
                },
                true,
            ),
            None => push(
                s.end_date,
                MilestoneKind::OriginalEnds { offer: offer() },
                false,
            ),
        }
        if let Some(on) = o.confirmed.licences_reassigned_on {
            push(on, MilestoneKind::Reassigned { offer: offer() }, true);
        } else if let (ContinuityState::ReassignLicences, Some(by)) = (s.continuity, s.reassign_by)
        {
            push(
                by,
                MilestoneKind::ReassignBy {
                    offer: offer(),
                    to: s.target.clone().unwrap_or_default(),
                },
                false,
            );
        }
    }
    all.sort_by_key(|m| m.date);
    let (past, upcoming) = all.into_iter().partition(|m| m.past);
    (past, upcoming)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::CspSubscription;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn projection(
        record: serde_json::Value,
        facts: PcFacts,
        invitation: Option<&str>,
    ) -> StatusProjection {
        StatusProjection {
            partner_name: "Contoso CSP".into(),
            record: serde_json::from_value(record).unwrap(),
            settings: Default::default(),
            facts,
            invitation_url: invitation.map(str::to_owned),
            as_of: "2026-11-24T09:30:00Z".into(),
            facts_unavailable: false,
            record_version: 3,
            settings_version: 0,
            mail_enabled: false,
            lang: None,
        }
    }

    fn fabrikam(auto_renew: bool, target: Option<&str>) -> serde_json::Value {
        serde_json::json!({
            "key": {"kind": "domain", "value": "fabrikam.example"},
            "customerName": "Fabrikam <b>Ltd</b>",
            "domain": "fabrikam.example",
            "invitationSentOn": "2026-11-02",
            "originals": [{
                "id": "1", "offerName": "Office 365 E3", "seats": 10, "endDate": "2027-03-31",
                "channel": "direct", "autoRenew": auto_renew,
                "target": target.map(|t| serde_json::json!({"offerName": t})),
            }]
        })
    }

    fn accepted() -> PcFacts {
        PcFacts {
            relationship_accepted: true,
            ..Default::default()
        }
    }

    #[test]
    fn accepted_customer_with_auto_renew_on_is_told_what_to_do_and_by_when() {
        let p = projection(fabrikam(true, None), accepted(), None);
        let m = StatusPageModel::new(&p, d("2026-11-24"));
        let ics = m.ics(Lang::En);
        assert!(m.has_calendar(), "the page offers the file it has");
        let s = m.status;
        assert_eq!(
            s.steps(),
            [
                StepStatus::Done,
                StepStatus::Open,
                StepStatus::Open,
                StepStatus::NotNeeded
            ]
        );
        assert_eq!(
            s.todos,
            vec![
                Todo::SwitchOffAutoRenew {
                    offer: "Office 365 E3".into(),
                    by: Some(d("2027-03-26")),
                    end_date: d("2027-03-31"),
                    overdue: false,
                },
                Todo::WaitForProvisioning {
                    on: Some(d("2027-03-24"))
                },
                Todo::NoLicenceChanges,
            ]
        );
        assert!(matches!(s.past[0].kind, MilestoneKind::InvitationSent));
        let upcoming: Vec<Date> = s.upcoming.iter().map(|m| m.date).collect();
        assert_eq!(
            upcoming,
            vec![d("2027-03-24"), d("2027-03-26"), d("2027-03-31")]
        );
        let ics = ics.expect("upcoming dates make a calendar");
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("DTSTART;VALUE=DATE:20270324")
        );
    }

    #[test]
    fn invitation_not_accepted_asks_to_accept_and_drops_unsafe_links() {
        let url = "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship";
        let s = StatusPageModel::new(
            &projection(fabrikam(false, None), PcFacts::default(), Some(url)),
            d("2026-11-24"),
        )
        .status;
        assert_eq!(
            s.todos[0],
            Todo::AcceptInvitation {
                url: Some(url.into()),
                sent_on: Some(d("2026-11-02")),
                by: Some(d("2027-03-24")),
            }
        );
        let s = StatusPageModel::new(
            &projection(
                fabrikam(false, None),
                PcFacts::default(),
                Some("javascript:alert(1)"),
            ),
            d("2026-11-24"),
        )
        .status;
        assert!(matches!(
            &s.todos[0],
            Todo::AcceptInvitation { url: None, .. }
        ));
    }

    #[test]
    fn provisioned_same_offer_past_the_end_date_is_all_done() {
        let facts = PcFacts {
            relationship_accepted: true,
            csp_subscriptions: vec![CspSubscription {
                offer_id: "x".into(),
                offer_name: "Office 365 E3".into(),
                quantity: 10,
                active: true,
            }],
            subscribed_skus: vec![],
            admin_access: Default::default(),
            mca_accepted: None,
            subscriptions_known: true,
        };
        let m = StatusPageModel::new(
            &projection(fabrikam(false, None), facts, None),
            d("2027-04-02"),
        );
        assert_eq!(m.status.todos, vec![Todo::AllDone]);
        assert!(m.status.upcoming.is_empty());
        assert_eq!(m.ics(Lang::En), None);
        assert!(!m.has_calendar(), "no button for an empty file");
    }

    #[test]
    fn a_different_target_offer_means_reassigning_licences() {
        let p = projection(fabrikam(false, Some("Microsoft 365 E3")), accepted(), None);
        let s = StatusPageModel::new(&p, d("2026-11-24")).status;
        assert!(s.todos.contains(&Todo::ReassignLicences {
            from: "Office 365 E3".into(),
            to: "Microsoft 365 E3".into(),
            by: Some(d("2027-03-30")),
        }));
        assert_eq!(s.steps()[3], StepStatus::Open);
    }

    #[test]
    fn the_partner_and_the_customer_see_the_same_state() {
        use crate::orders::{OrderLine, PlacedOrder};
        use crate::wire::redact_for_customer;
        let mut record: MigrationRecord = serde_json::from_value(serde_json::json!({
            "key": {"kind": "pcCustomerId", "value": "8c4e0000-0000-4000-8000-000000000001"},
            "customerName": "Fabrikam", "domain": "fabrikam.example",
            "invitationSentOn": "2026-11-02", "notes": "secret",
            "originals": [
                {"id": "a1", "offerName": "Office 365 E3", "seats": 10, "endDate": "2027-03-31",
                 "channel": "direct", "autoRenew": true,
                 "price": {"perSeatPerMonth": "23.00", "currency": "USD"}},
                {"id": "b2", "offerName": "Exchange Online (Plan 1)", "seats": 5, "endDate": "2026-12-20",
                 "channel": "ea", "autoRenew": false,
                 "target": {"offerName": "Microsoft 365 Business Basic"}},
                {"id": "c3", "offerName": "Microsoft 365 Business Premium", "seats": 3, "endDate": "2027-06-30",
                 "channel": "partner"}
            ]
        }))
        .unwrap();
        record.orders.push(PlacedOrder::intent(
            "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60",
            vec![OrderLine {
                offer_id: "x".into(),
                offer_name: "Microsoft 365 Business Premium".into(),
                quantity: 3,
                original_id: Some("c3".into()),
                custom_term_end: None,
            }],
            "2026-12-01T09:00:00Z",
            "ann",
        ));
        let facts = PcFacts {
            relationship_accepted: true,
            csp_subscriptions: vec![CspSubscription {
                offer_id: "y".into(),
                offer_name: "Office 365 E3".into(),
                quantity: 4,
                active: true,
            }],
            subscribed_skus: vec![],
            admin_access: Default::default(),
            mca_accepted: None,
            subscriptions_known: true,
        };
        let settings = crate::settings::Settings::default();
        for today in ["2026-11-24", "2026-12-15", "2027-01-10", "2027-04-05"] {
            let today = d(today);
            let partner = CustomerStatus::new(
                &record,
                &facts,
                today,
                &Planner::new(&settings),
                Some("https://admin.microsoft.com/x"),
            );
            let mut p = projection(fabrikam(false, None), facts.clone(), None);
            p.record = redact_for_customer(&record);
            p.invitation_url = Some("https://admin.microsoft.com/x".into());
            p.settings = settings.clone();
            let customer = StatusPageModel::new(&p, today).status;
            assert_eq!(partner.checklist.steps, customer.checklist.steps);
            assert_eq!(
                partner.checklist.relationship,
                customer.checklist.relationship
            );
            assert_eq!(partner.todos, customer.todos, "{today}");
            assert_eq!(partner.past, customer.past);
            assert_eq!(partner.upcoming, customer.upcoming);
            let strip = |s: &SubscriptionStatus| SubscriptionStatus {
                id: String::new(),
                overlap_cost: None,
                cancel_today_cost: None,
                currency: None,
                ..s.clone()
            };
            let a: Vec<_> = partner.subscriptions.iter().map(strip).collect();
            let b: Vec<_> = customer.subscriptions.iter().map(strip).collect();
            assert_eq!(a, b);
            assert!(
                customer
                    .subscriptions
                    .iter()
                    .all(|s| s.overlap_cost.is_none())
            );
        }
    }

    #[test]
    fn a_pending_admin_access_request_asks_the_customer_to_approve_it() {
        use crate::gdap::{AdminAccess, GdapState};
        let mut facts = accepted();
        facts.admin_access = AdminAccess {
            state: GdapState::ApprovalPending {
                expires_on: d("2027-01-10"),
            },
            approval_link: Some("https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/r1".into()),
            relationship_id: Some("r1".into()),
        };
        let p = projection(fabrikam(false, None), facts.clone(), None);
        let todos = StatusPageModel::new(&p, d("2026-11-24")).status.todos;
        assert_eq!(
            todos[0],
            Todo::ApproveAdminAccess {
                url: facts.admin_access.approval_link.clone(),
                by: d("2027-01-10"),
            }
        );
        // Even with nothing recorded yet, the customer is asked (it is how the plan gets made).
        let mut empty = projection(fabrikam(false, None), facts.clone(), None);
        empty.record.originals.clear();
        let todos = StatusPageModel::new(&empty, d("2026-11-24")).status.todos;
        assert!(matches!(todos[0], Todo::ApproveAdminAccess { .. }));
        assert_eq!(todos[1], Todo::NothingRecorded);
        // Past the request's last day there is nothing left to approve.
        let todos = StatusPageModel::new(&p, d("2027-01-11")).status.todos;
        assert!(
            !todos
                .iter()
                .any(|t| matches!(t, Todo::ApproveAdminAccess { .. }))
        );
        // Active access asks nothing of the customer.
        let mut p = p;
        p.facts.admin_access.state = GdapState::Active {
            ends_on: None,
            auto_extend: true,
        };
        let todos = StatusPageModel::new(&p, d("2026-11-24")).status.todos;
        assert!(
            !todos
                .iter()
                .any(|t| matches!(t, Todo::ApproveAdminAccess { .. }))
        );
    }
}
