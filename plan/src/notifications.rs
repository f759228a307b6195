//! What is worth telling someone about a customer's move, as plain data: what changed for the
//! customer between two versions of its record, which of the customer's deadlines are near, what
//! happened to its orders, and the news a status feed lists. The proxy turns these into mails,
//! webhooks and feed entries; the wording lives in [`crate::customer_messages`].
//!
//! Every function compares values it is given; nothing here reads a clock or a store.

use crate::checklist::{OriginalState, StepStatus};
use crate::customer_status::{CustomerStatus, Todo};
use crate::date::Date;
use crate::orders::PlacedOrder;
use crate::record::MigrationRecord;
use crate::wire::redact_for_customer;

/// Days before a customer's deadline when the reminder goes out.
pub const REMINDER_DAYS_BEFORE: u32 = 3;

/// One thing that changed for the customer between two versions of its record.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CustomerChange {
    /// Step `step` (0 = reseller relationship … 3 = continuity) changed state.
    Step {
        /// Which step, 0-based.
        step: usize,
        /// Its state before.
        from: StepStatus,
        /// Its state now.
        to: StepStatus,
    },
    /// Something new is asked of the customer (or a new piece of news, such as "all done").
    TodoAdded(Todo),
    /// Something is no longer asked: done, or no longer applicable.
    TodoRemoved(Todo),
    /// A to-do stays but its date moved (`todo` is the new one).
    TodoMoved {
        /// The to-do with its new date.
        todo: Todo,
        /// The date before.
        from: Option<Date>,
    },
}

impl CustomerChange {
    /// A short stable name of the kind of change, for webhook payloads (`step`, `todo_added`, …).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            CustomerChange::Step { .. } => "step",
            CustomerChange::TodoAdded(_) => "todo_added",
            CustomerChange::TodoRemoved(_) => "todo_removed",
            CustomerChange::TodoMoved { .. } => "todo_moved",
        }
    }
}

/// What identifies a to-do whatever its date: its kind and what it is about.
#[must_use]
pub fn todo_identity(todo: &Todo) -> String {
    match todo {
        Todo::AcceptInvitation { .. } => "accept_invitation".into(),
        Todo::ApproveAdminAccess { .. } => "approve_admin_access".into(),
        Todo::SwitchOffAutoRenew { offer, .. } => format!("switch_off_auto_renew:{offer}"),
        Todo::WaitForProvisioning { .. } => "wait_for_provisioning".into(),
        Todo::ReassignLicences { from, to, .. } => format!("reassign_licences:{from}:{to}"),
        Todo::NoLicenceChanges => "no_licence_changes".into(),
        Todo::AllDone => "all_done".into(),
        Todo::NothingRecorded => "nothing_recorded".into(),
    }
}

/// The date a to-do names (its deadline, or the planned day it waits for).
#[must_use]
pub fn todo_date(todo: &Todo) -> Option<Date> {
    match todo {
        Todo::AcceptInvitation { by, .. }
        | Todo::SwitchOffAutoRenew { by, .. }
        | Todo::ReassignLicences { by, .. } => *by,
        Todo::ApproveAdminAccess { by, .. } => Some(*by),
        Todo::WaitForProvisioning { on } => *on,
        Todo::NoLicenceChanges | Todo::AllDone | Todo::NothingRecorded => None,
    }
}

/// What changed for the customer from `before` to `after`: the four steps' states, then the
/// to-dos that appeared, went away or moved. Both statuses must be derived with the same facts,
/// settings and day, so that only the record's change shows. Empty when the customer would see
/// no difference (a price or a note changed, say).
#[must_use]
pub fn customer_changes(before: &CustomerStatus, after: &CustomerStatus) -> Vec<CustomerChange> {
    let mut out = Vec::new();
    for (step, (from, to)) in before.steps().iter().zip(after.steps()).enumerate() {
        if *from != to {
            out.push(CustomerChange::Step {
                step,
                from: *from,
                to,
            });
        }
    }
    // To-dos are matched by identity, in order (two originals may share an offer name).
    let mut unmatched: Vec<Option<&Todo>> = before.todos.iter().map(Some).collect();
    for todo in &after.todos {
        let id = todo_identity(todo);
        let found = unmatched
            .iter_mut()
            .find(|t| t.is_some_and(|t| todo_identity(t) == id));
        match found.and_then(Option::take) {
            None => out.push(CustomerChange::TodoAdded(todo.clone())),
            Some(old) if todo_date(old) != todo_date(todo) => out.push(CustomerChange::TodoMoved {
                todo: todo.clone(),
                from: todo_date(old),
            }),
            Some(_) => {}
        }
    }
    out.extend(
        unmatched
            .into_iter()
            .flatten()
            .map(|t| CustomerChange::TodoRemoved(t.clone())),
    );
    out
}

/// A deadline of the customer's that is near: time to remind them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Reminder {
    /// What the customer must do.
    pub todo: Todo,
    /// By when.
    pub by: Date,
    /// What the reminder is about, whatever the date (`accept_invitation`,
    /// `switch_off_auto_renew:<subscription id>`): with `by`, it names the reminder once.
    pub key: String,
}

/// The customer's deadlines (accept the invitation, approve admin access, switch auto-renew off)
/// that fall within `days_before` days from `today`, today included. A deadline that moves gets a
/// reminder of its own (its key and date differ); one already past gets none.
#[must_use]
pub fn due_reminders(status: &CustomerStatus, today: Date, days_before: u32) -> Vec<Reminder> {
    let near = |by: Date| by >= today && by.days_since(today) <= days_before as i32;
    let mut out = Vec::new();
    // Auto-renew to-dos come in subscription order: pair them with their subscriptions' ids.
    let mut auto_renew = status
        .subscriptions
        .iter()
        .filter(|s| s.original == OriginalState::AutoRenewToSwitchOff);
    for todo in &status.todos {
        let (by, key) = match todo {
            Todo::AcceptInvitation { by: Some(by), .. } => (*by, "accept_invitation".to_owned()),
            Todo::ApproveAdminAccess { by, .. } => (*by, "approve_admin_access".to_owned()),
            Todo::SwitchOffAutoRenew { by, .. } => {
                let id = auto_renew.next().map_or("", |s| s.id.as_str());
                let Some(by) = by else { continue };
                (*by, format!("switch_off_auto_renew:{id}"))
            }
            _ => continue,
        };
        if near(by) {
            out.push(Reminder {
                todo: todo.clone(),
                by,
                key,
            });
        }
    }
    out
}

/// Something that happened to one of the customer's orders.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum OrderEvent {
    /// A new order was recorded (about to be sent, or sent).
    Placed(PlacedOrder),
    /// An order's status, or its fulfilment, changed.
    Updated {
        /// The order now.
        order: PlacedOrder,
        /// Its status before.
        from_status: String,
    },
}

/// The order events between two versions of a record, matched by the orders' request ids.
#[must_use]
pub fn order_events(before: Option<&MigrationRecord>, after: &MigrationRecord) -> Vec<OrderEvent> {
    let old = before.map_or(&[][..], |r| &r.orders[..]);
    after
        .orders
        .iter()
        .filter_map(
            |o| match old.iter().find(|p| p.request_id == o.request_id) {
                None => Some(OrderEvent::Placed(o.clone())),
                Some(p) if p.status != o.status || p.fulfilled != o.fulfilled => {
                    Some(OrderEvent::Updated {
                        order: o.clone(),
                        from_status: p.status.clone(),
                    })
                }
                Some(_) => None,
            },
        )
        .collect()
}

/// A piece of news about a customer's record, as a status feed lists it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RecordNews {
    /// The plan was created.
    PlanCreated,
    /// The customer accepted the reseller relationship (the record got its Partner Center id).
    RelationshipAccepted,
    /// The partner sent the reseller invitation.
    InvitationSent,
    /// Auto-renew was switched off on an original.
    AutoRenewSwitchedOff {
        /// The original offer.
        offer: String,
    },
    /// An original ended.
    OriginalEnded {
        /// The original offer.
        offer: String,
    },
    /// Users were moved to the new licences.
    LicencesReassigned {
        /// The original offer.
        offer: String,
    },
    /// Something else the customer can see changed (dates, offers, seats).
    PlanUpdated,
}

/// What a write changed that the customer can see, as news; empty when nothing they can see
/// changed (a price or a note). `rekeyed`: the write gave a prospect its Partner Center id.
#[must_use]
pub fn record_news(
    prev: Option<&MigrationRecord>,
    cur: &MigrationRecord,
    rekeyed: bool,
) -> Vec<RecordNews> {
    let Some(prev) = prev else {
        return vec![RecordNews::PlanCreated];
    };
    let mut news = Vec::new();
    // `normalised` is `cur` with every change described so far undone; whatever still differs
    // from `prev` afterwards is a change without news of its own.
    let mut normalised = cur.clone();
    normalised.key = prev.key.clone();
    if rekeyed {
        news.push(RecordNews::RelationshipAccepted);
    }
    if prev.invitation_sent_on.is_none() && cur.invitation_sent_on.is_some() {
        news.push(RecordNews::InvitationSent);
        normalised.invitation_sent_on = None;
    }
    for o in &mut normalised.originals {
        let Some(before) = prev.originals.iter().find(|p| p.id == o.id) else {
            continue;
        };
        let (was, now) = (&before.confirmed, o.confirmed.clone());
        let offer = o.offer_name.clone();
        if was.auto_renew_off_on.is_none() && now.auto_renew_off_on.is_some() {
            news.push(RecordNews::AutoRenewSwitchedOff {
                offer: offer.clone(),
            });
            o.confirmed.auto_renew_off_on = None;
        }
        if was.ended.is_none() && now.ended.is_some() {
            news.push(RecordNews::OriginalEnded {
                offer: offer.clone(),
            });
            o.confirmed.ended = None;
        }
        if was.licences_reassigned_on.is_none() && now.licences_reassigned_on.is_some() {
            news.push(RecordNews::LicencesReassigned { offer });
            o.confirmed.licences_reassigned_on = None;
        }
    }
    if redact_for_customer(&normalised) != redact_for_customer(prev) {
        news.push(RecordNews::PlanUpdated);
    }
    news
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::PcFacts;
    use crate::planner::Planner;
    use crate::settings::Settings;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn record(json: serde_json::Value) -> MigrationRecord {
        serde_json::from_value(json).unwrap()
    }

    fn fabrikam(auto_renew: bool, confirmed: serde_json::Value) -> MigrationRecord {
        record(serde_json::json!({
            "key": {"kind": "domain", "value": "fabrikam.example"},
            "customerName": "Fabrikam", "domain": "fabrikam.example",
            "invitationSentOn": "2026-11-02",
            "originals": [{
                "id": "o1", "offerName": "Office 365 E3", "seats": 10, "endDate": "2027-03-31",
                "channel": "direct", "autoRenew": auto_renew, "confirmed": confirmed,
                "price": {"perSeatPerMonth": "20", "currency": "JPY"}
            }]
        }))
    }

    fn status(r: &MigrationRecord, facts: &PcFacts, today: Date) -> CustomerStatus {
        CustomerStatus::new(r, facts, today, &Planner::new(&Settings::default()), None)
    }

    fn accepted() -> PcFacts {
        PcFacts {
            relationship_accepted: true,
            ..Default::default()
        }
    }

    #[test]
    fn confirming_auto_renew_off_removes_the_customers_to_do() {
        let today = d("2026-11-24");
        let before = status(&fabrikam(true, serde_json::json!({})), &accepted(), today);
        let after = status(
            &fabrikam(true, serde_json::json!({"autoRenewOffOn": "2026-11-24"})),
            &accepted(),
            today,
        );
        let changes = customer_changes(&before, &after);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert!(matches!(
            &changes[0],
            CustomerChange::TodoRemoved(Todo::SwitchOffAutoRenew { offer, .. }) if offer == "Office 365 E3"
        ));
    }

    #[test]
    fn a_price_or_note_edit_changes_nothing_for_the_customer() {
        let today = d("2026-11-24");
        let a = fabrikam(true, serde_json::json!({}));
        let mut b = a.clone();
        b.notes = "discount".into();
        b.originals[0].price = None;
        assert!(
            customer_changes(
                &status(&a, &accepted(), today),
                &status(&b, &accepted(), today)
            )
            .is_empty()
        );
    }

    #[test]
    fn an_ended_original_completes_steps_and_a_new_end_date_moves_deadlines() {
        let today = d("2027-04-02");
        let facts = PcFacts {
            relationship_accepted: true,
            csp_subscriptions: vec![crate::checklist::CspSubscription {
                offer_id: "x".into(),
                offer_name: "Office 365 E3".into(),
                quantity: 10,
                active: true,
            }],
            ..Default::default()
        };
        let before = status(&fabrikam(true, serde_json::json!({})), &facts, today);
        let after = status(
            &fabrikam(
                true,
                serde_json::json!({"autoRenewOffOn": "2027-03-01",
                    "ended": {"on": "2027-04-01", "how": "expired"}}),
            ),
            &facts,
            today,
        );
        let changes = customer_changes(&before, &after);
        assert!(changes.contains(&CustomerChange::Step {
            step: 2,
            from: StepStatus::Open,
            to: StepStatus::Done
        }));
        assert!(changes.contains(&CustomerChange::TodoAdded(Todo::AllDone)));

        let today = d("2026-11-24");
        let mut later = fabrikam(true, serde_json::json!({}));
        later.originals[0].end_date = d("2027-06-30");
        let moved = customer_changes(
            &status(&fabrikam(true, serde_json::json!({})), &accepted(), today),
            &status(&later, &accepted(), today),
        );
        assert!(
            moved.iter().any(|c| matches!(c,
                CustomerChange::TodoMoved { todo: Todo::SwitchOffAutoRenew { .. }, from: Some(f) }
                    if *f == d("2027-03-26"))),
            "{moved:?}"
        );
    }

    #[test]
    fn reminders_come_within_the_window_before_each_deadline_and_not_after() {
        let r = fabrikam(true, serde_json::json!({}));
        // The auto-renew deadline is 2027-03-26 (see customer_status tests).
        let at = |today: &str| due_reminders(&status(&r, &accepted(), d(today)), d(today), 3);
        assert!(at("2027-03-22").is_empty());
        let due = at("2027-03-23");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].by, d("2027-03-26"));
        assert_eq!(due[0].key, "switch_off_auto_renew:o1");
        assert_eq!(at("2027-03-26").len(), 1);
        assert!(
            at("2027-03-27").is_empty(),
            "past deadlines are not reminded"
        );
    }

    #[test]
    fn the_invitation_deadline_is_reminded_before_provisioning_is_due() {
        let r = fabrikam(false, serde_json::json!({}));
        let today = d("2027-03-22");
        let due = due_reminders(&status(&r, &PcFacts::default(), today), today, 3);
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0].key, "accept_invitation");
        assert_eq!(due[0].by, d("2027-03-24"));
    }

    #[test]
    fn orders_are_events_when_placed_and_when_their_status_changes() {
        use crate::orders::OrderLine;
        let mut a = fabrikam(false, serde_json::json!({}));
        let order = PlacedOrder::intent(
            "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60",
            vec![OrderLine {
                offer_id: "x".into(),
                offer_name: "Office 365 E3".into(),
                quantity: 10,
                original_id: Some("o1".into()),
                custom_term_end: None,
            }],
            "2026-12-01T09:00:00Z",
            "ann",
        );
        let mut b = a.clone();
        b.orders.push(order.clone());
        assert_eq!(
            order_events(Some(&a), &b),
            vec![OrderEvent::Placed(order.clone())]
        );
        a = b.clone();
        b.orders[0].apply_answer("pc-order-1", "pending");
        let events = order_events(Some(&a), &b);
        assert!(
            matches!(&events[..], [OrderEvent::Updated { from_status, order }]
                if from_status == "sending" && order.status == "pending")
        );
        assert!(order_events(Some(&b), &b).is_empty());
    }

    #[test]
    fn news_names_what_changed_and_skips_invisible_edits() {
        let a = fabrikam(true, serde_json::json!({}));
        assert_eq!(record_news(None, &a, false), vec![RecordNews::PlanCreated]);
        let mut b = a.clone();
        b.notes = "secret".into();
        b.originals[0].price = None;
        assert!(record_news(Some(&a), &b, false).is_empty());
        b.originals[0].confirmed.auto_renew_off_on = Some(d("2027-03-01"));
        b.originals[0].seats = 12;
        assert_eq!(
            record_news(Some(&a), &b, true),
            vec![
                RecordNews::RelationshipAccepted,
                RecordNews::AutoRenewSwitchedOff {
                    offer: "Office 365 E3".into()
                },
                RecordNews::PlanUpdated
            ]
        );
    }
}
