//! Orders placed through Cutover: what to order, kept in the record, followed to fulfilment and
//! never placed twice by accident.
//!
//! An order is written into the record *before* it is sent (status `sending`, with the
//! `MS-RequestId` it will be sent with). A retry after a timeout reuses that request id, which
//! Partner Center treats as the same order; a second order for an original that already has one
//! needs an explicit "order again".

use serde::{Deserialize, Serialize};

use crate::checklist::{Checklist, ProvisionState};
use crate::date::Date;
use crate::offers::offer_id_for;
use crate::record::{MigrationRecord, OriginalSubscription};

/// New-commerce seats can be reduced only within this many days of buying them.
pub const SEAT_REDUCTION_DAYS: u32 = 7;

/// One line of an order.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    /// The catalogue item (offer) id sent to Partner Center.
    pub offer_id: String,
    /// The offer's display name.
    #[serde(default)]
    pub offer_name: String,
    /// Seats.
    pub quantity: u32,
    /// The original subscription this line replaces.
    #[serde(default)]
    pub original_id: Option<String>,
    /// The end date chosen to co-term with the customer's other CSP subscriptions (`None`: a full
    /// term from today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_term_end: Option<Date>,
}

/// An order placed through Cutover, as kept in the migration record.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedOrder {
    /// The `MS-RequestId` the order is (or was) sent with; retries reuse it.
    pub request_id: String,
    /// Partner Center's order id, once it answered.
    #[serde(default)]
    pub id: Option<String>,
    /// What was ordered.
    pub lines: Vec<OrderLine>,
    /// `sending` until Partner Center answers; then its status, lower-cased (`pending`,
    /// `completed`, `cancelled`, `partial success`, `error`, …); `failed` when it refused the order.
    pub status: String,
    /// When the partner confirmed the order (RFC 3339, UTC).
    pub created_at: String,
    /// Who confirmed it.
    #[serde(default)]
    pub placed_by: String,
    /// Partner Center reports every line provisioned.
    #[serde(default)]
    pub fulfilled: bool,
    /// Why it failed, when it did (Partner Center's sentence).
    #[serde(default)]
    pub error: Option<String>,
}

/// Where an order stands, for the screens.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OrderPhase {
    /// Saved, not yet answered by Partner Center (or the answer was lost).
    Sending,
    /// Accepted, not completed.
    Pending,
    /// Completed; provisioning not confirmed yet.
    Completed,
    /// Every line provisioned.
    Fulfilled,
    /// Partner Center refused it, or it ended in error; nothing was bought.
    Failed,
    /// Cancelled.
    Cancelled,
}

impl PlacedOrder {
    /// A new order about to be sent.
    #[must_use]
    pub fn intent(request_id: &str, lines: Vec<OrderLine>, now: &str, by: &str) -> PlacedOrder {
        PlacedOrder {
            request_id: request_id.to_owned(),
            id: None,
            lines,
            status: "sending".into(),
            created_at: now.to_owned(),
            placed_by: by.to_owned(),
            fulfilled: false,
            error: None,
        }
    }

    /// The order's phase.
    #[must_use]
    pub fn phase(&self) -> OrderPhase {
        if self.fulfilled {
            return OrderPhase::Fulfilled;
        }
        match self.status.as_str() {
            "sending" => OrderPhase::Sending,
            "completed" => OrderPhase::Completed,
            "cancelled" | "canceled" => OrderPhase::Cancelled,
            "failed" | "error" | "po review rejected" => OrderPhase::Failed,
            _ => OrderPhase::Pending,
        }
    }

    /// Whether the order may still buy (or has bought) seats: anything but failed or cancelled.
    #[must_use]
    pub fn counts(&self) -> bool {
        !matches!(self.phase(), OrderPhase::Failed | OrderPhase::Cancelled)
    }

    /// Whether this order buys seats for the original `original_id`.
    #[must_use]
    pub fn covers(&self, original_id: &str) -> bool {
        self.counts()
            && self
                .lines
                .iter()
                .any(|l| l.original_id.as_deref() == Some(original_id))
    }

    /// Whether Cutover should keep asking Partner Center about it.
    #[must_use]
    pub fn needs_follow_up(&self) -> bool {
        matches!(
            self.phase(),
            OrderPhase::Sending | OrderPhase::Pending | OrderPhase::Completed
        )
    }

    /// The last day its seats can still be reduced (new commerce: 7 days after buying).
    #[must_use]
    pub fn seats_reducible_until(&self) -> Option<Date> {
        if !self.counts() || self.phase() == OrderPhase::Sending {
            return None;
        }
        let day = Date::parse(self.created_at.get(..10)?).ok()?;
        Some(day.plus_days(SEAT_REDUCTION_DAYS))
    }

    /// Takes what Partner Center answered about the order.
    pub fn apply_answer(&mut self, id: &str, status: &str) {
        if !id.trim().is_empty() {
            self.id = Some(id.trim().to_owned());
        }
        let status = status.trim().to_ascii_lowercase();
        self.status = if status.is_empty() {
            "pending".into()
        } else {
            status
        };
        self.error = None;
    }

    /// Records that Partner Center refused the order; nothing was bought.
    pub fn refuse(&mut self, why: &str) {
        self.status = "failed".into();
        self.error = Some(why.to_owned());
    }
}

/// One line Cutover proposes to order: the seats still missing for one original.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProposedLine {
    /// The original it replaces.
    pub original_id: String,
    /// The offer to buy: the target offer, or the same offer.
    pub offer_name: String,
    /// Its catalogue id, when known (from the record or the well-known offers).
    pub offer_id: Option<String>,
    /// Seats still missing.
    pub quantity: u32,
    /// Seats of the original.
    pub original_seats: u32,
}

/// The offer the CSP seats must be of: the target, or the same offer (id, name).
#[must_use]
pub fn wanted_offer(o: &OriginalSubscription) -> (Option<String>, String) {
    match &o.target {
        Some(t) if !t.offer_name.trim().is_empty() || t.offer_id.is_some() => {
            (t.offer_id.clone(), t.offer_name.trim().to_owned())
        }
        _ => (o.offer_id.clone(), o.offer_name.trim().to_owned()),
    }
}

/// What to order: one line per original whose CSP seats are not bought yet (neither detected in
/// Partner Center nor covered by an order), for the seats still missing.
#[must_use]
pub fn propose_order(record: &MigrationRecord, list: &Checklist) -> Vec<ProposedLine> {
    proposal(record, list, false)
}

/// What could be ordered *again*: originals an earlier order already covers but whose seats
/// Partner Center does not show yet. Only offered behind an explicit "order again".
#[must_use]
pub fn propose_reorder(record: &MigrationRecord, list: &Checklist) -> Vec<ProposedLine> {
    proposal(record, list, true)
}

fn proposal(record: &MigrationRecord, list: &Checklist, again: bool) -> Vec<ProposedLine> {
    record
        .originals
        .iter()
        .filter_map(|o| {
            let c = list.original(&o.id)?;
            let missing = match (c.provision, again) {
                (ProvisionState::Pending, false) => o.seats,
                (
                    ProvisionState::PartiallyProvisioned {
                        provisioned,
                        required,
                    },
                    false,
                )
                | (
                    ProvisionState::Ordered {
                        provisioned,
                        required,
                    },
                    true,
                ) => required.saturating_sub(provisioned),
                _ => return None,
            };
            let (id, name) = wanted_offer(o);
            let id = id.or_else(|| offer_id_for(&name).map(str::to_owned));
            Some(ProposedLine {
                original_id: o.id.clone(),
                offer_name: name,
                offer_id: id,
                quantity: missing,
                original_seats: o.seats,
            })
        })
        .collect()
}

/// Lines for which an order could be placed "again": an earlier order that still counts already
/// covers the original. Used to ask for an explicit confirmation showing those orders.
#[must_use]
pub fn earlier_orders<'a>(
    record: &'a MigrationRecord,
    original_ids: &[&str],
) -> Vec<&'a PlacedOrder> {
    record
        .orders
        .iter()
        .filter(|o| original_ids.iter().any(|id| o.covers(id)))
        .collect()
}

/// A quantity that differs from what the original needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SeatAdvice {
    /// More seats than needed: new-commerce seats can be reduced only within 7 days.
    More {
        /// Seats beyond what is needed.
        extra: u32,
    },
    /// Fewer seats than needed: users would lose licences when the original ends.
    Fewer {
        /// Seats short.
        short: u32,
    },
}

/// Compares a quantity about to be ordered with the seats still needed.
#[must_use]
pub fn seat_advice(quantity: u32, needed: u32) -> Option<SeatAdvice> {
    match quantity.cmp(&needed) {
        std::cmp::Ordering::Greater => Some(SeatAdvice::More {
            extra: quantity - needed,
        }),
        std::cmp::Ordering::Less => Some(SeatAdvice::Fewer {
            short: needed - quantity,
        }),
        std::cmp::Ordering::Equal => None,
    }
}

/// Why an order line the partner edited cannot be sent.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum OrderLineError {
    /// No catalogue id.
    #[error("{0}: enter the offer id from the Partner Center catalogue")]
    NoOfferId(String),
    /// Not a whole number of seats from 1.
    #[error("{0}: enter the number of seats as a whole number from 1")]
    BadQuantity(String),
}

/// Checks one edited line: a catalogue id and a whole number of seats ≥ 1.
pub fn check_line(
    proposed: &ProposedLine,
    offer_id: &str,
    quantity: &str,
) -> Result<OrderLine, OrderLineError> {
    let offer_id = offer_id.trim();
    if offer_id.is_empty() {
        return Err(OrderLineError::NoOfferId(proposed.offer_name.clone()));
    }
    let quantity = quantity
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|q| (1..=1_000_000).contains(q))
        .ok_or_else(|| OrderLineError::BadQuantity(proposed.offer_name.clone()))?;
    Ok(OrderLine {
        offer_id: offer_id.to_owned(),
        offer_name: proposed.offer_name.clone(),
        quantity,
        original_id: Some(proposed.original_id.clone()),
        custom_term_end: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{CspSubscription, PcFacts, checklist};
    use crate::planner::Planner;
    use crate::record::TargetOffer;
    use crate::settings::Settings;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn record() -> MigrationRecord {
        let mut r = MigrationRecord::prospect("Contoso", "contoso.example");
        for (id, offer, seats) in [
            ("a", "Microsoft 365 Business Basic", 10),
            ("b", "Exchange Online (Plan 1)", 5),
        ] {
            r.originals.push(OriginalSubscription::for_test(
                id,
                offer,
                seats,
                "2027-03-31",
            ));
        }
        r
    }

    fn list(r: &MigrationRecord, csp: Vec<CspSubscription>) -> Checklist {
        let pc = PcFacts {
            relationship_accepted: true,
            csp_subscriptions: csp,
            ..Default::default()
        };
        checklist(r, &pc, d("2026-12-01"), &Planner::new(&Settings::default()))
    }

    fn line(original: &str, quantity: u32) -> OrderLine {
        OrderLine {
            offer_id: "CFQ7TTC0LH18:0001:CFQ7TTC0K971".into(),
            offer_name: "Microsoft 365 Business Basic".into(),
            quantity,
            original_id: Some(original.into()),
            custom_term_end: None,
        }
    }

    #[test]
    fn proposes_the_missing_seats_of_each_original_with_catalogue_ids() {
        let r = record();
        let partial = CspSubscription {
            offer_id: "x".into(),
            offer_name: "Microsoft 365 Business Basic".into(),
            quantity: 4,
            active: true,
        };
        let lines = propose_order(&r, &list(&r, vec![partial]));
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].original_id.as_str(), lines[0].quantity), ("a", 6));
        assert_eq!(lines[0].original_seats, 10);
        assert_eq!(
            lines[0].offer_id.as_deref(),
            Some("CFQ7TTC0LH18:0001:CFQ7TTC0K971")
        );
        assert_eq!((lines[1].original_id.as_str(), lines[1].quantity), ("b", 5));
    }

    #[test]
    fn proposal_uses_the_target_offer() {
        let mut r = record();
        r.originals[1].target = Some(TargetOffer {
            offer_id: Some("T-1".into()),
            offer_name: "Microsoft 365 Business Standard".into(),
        });
        let lines = propose_order(&r, &list(&r, vec![]));
        assert_eq!(lines[1].offer_name, "Microsoft 365 Business Standard");
        assert_eq!(lines[1].offer_id.as_deref(), Some("T-1"));
    }

    #[test]
    fn an_order_that_counts_marks_the_original_ordered_and_leaves_the_proposal() {
        let mut r = record();
        let mut order =
            PlacedOrder::intent("req-1", vec![line("a", 10)], "2026-12-01T09:00:00Z", "ann");
        r.orders.push(order.clone());
        let c = list(&r, vec![]);
        assert_eq!(
            c.original("a").unwrap().provision,
            ProvisionState::Ordered {
                provisioned: 0,
                required: 10
            }
        );
        let lines = propose_order(&r, &c);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].original_id, "b");
        let again = propose_reorder(&r, &c);
        assert_eq!(again.len(), 1);
        assert_eq!(
            (again[0].original_id.as_str(), again[0].quantity),
            ("a", 10)
        );
        assert_eq!(earlier_orders(&r, &["a"]).len(), 1);
        assert!(earlier_orders(&r, &["b"]).is_empty());

        // A refused order buys nothing: the original is to order again, without a warning.
        order.refuse("Offer not available (code 400)");
        r.orders[0] = order;
        let c = list(&r, vec![]);
        assert_eq!(c.original("a").unwrap().provision, ProvisionState::Pending);
        assert!(earlier_orders(&r, &["a"]).is_empty());
        assert_eq!(propose_order(&r, &c).len(), 2);
    }

    #[test]
    fn seats_found_in_partner_center_win_over_the_order() {
        let mut r = record();
        r.orders.push(PlacedOrder::intent(
            "req-1",
            vec![line("a", 10)],
            "2026-12-01T09:00:00Z",
            "ann",
        ));
        let seats = CspSubscription {
            offer_id: "x".into(),
            offer_name: "Microsoft 365 Business Basic".into(),
            quantity: 10,
            active: true,
        };
        let c = list(&r, vec![seats]);
        assert_eq!(
            c.original("a").unwrap().provision,
            ProvisionState::Provisioned
        );
    }

    #[test]
    fn a_fulfilled_order_stands_in_for_partner_center_only_until_its_list_is_read() {
        let mut r = record();
        let mut order =
            PlacedOrder::intent("req-1", vec![line("a", 10)], "2026-12-01T09:00:00Z", "ann");
        order.apply_answer("ord-1", "completed");
        order.fulfilled = true;
        r.orders.push(order);
        let today = d("2026-12-01");
        let planner = Planner::new(&Settings::default());
        let unknown = PcFacts::default();
        let c = checklist(&r, &unknown, today, &planner);
        assert_eq!(
            c.original("a").unwrap().provision,
            ProvisionState::Provisioned
        );
        // Partner Center's own list wins once read: here it shows none of those seats.
        let read = PcFacts {
            subscriptions_known: true,
            ..PcFacts::default()
        };
        let c = checklist(&r, &read, today, &planner);
        assert!(matches!(
            c.original("a").unwrap().provision,
            ProvisionState::Ordered { provisioned: 0, .. }
        ));
    }

    #[test]
    fn phases_follow_partner_center_statuses() {
        let mut o = PlacedOrder::intent("req-1", vec![line("a", 1)], "2026-12-01T09:00:00Z", "ann");
        assert_eq!(o.phase(), OrderPhase::Sending);
        assert!(o.needs_follow_up());
        assert_eq!(o.seats_reducible_until(), None);
        o.apply_answer("ord-9", "Pending");
        assert_eq!(
            (o.phase(), o.id.as_deref()),
            (OrderPhase::Pending, Some("ord-9"))
        );
        assert_eq!(o.seats_reducible_until(), Some(d("2026-12-08")));
        o.apply_answer("ord-9", "completed");
        assert_eq!(o.phase(), OrderPhase::Completed);
        assert!(o.needs_follow_up());
        o.fulfilled = true;
        assert_eq!(o.phase(), OrderPhase::Fulfilled);
        assert!(!o.needs_follow_up());
        o.fulfilled = false;
        o.apply_answer("", "cancelled");
        assert_eq!(
            (o.phase(), o.id.as_deref()),
            (OrderPhase::Cancelled, Some("ord-9"))
        );
        assert!(!o.counts());
    }

    #[test]
    fn seat_advice_warns_both_ways() {
        assert_eq!(seat_advice(12, 10), Some(SeatAdvice::More { extra: 2 }));
        assert_eq!(seat_advice(7, 10), Some(SeatAdvice::Fewer { short: 3 }));
        assert_eq!(seat_advice(10, 10), None);
    }

    #[test]
    fn edited_lines_need_an_offer_id_and_whole_seats() {
        let p = ProposedLine {
            original_id: "a".into(),
            offer_name: "Office 365 E3".into(),
            offer_id: None,
            quantity: 3,
            original_seats: 3,
        };
        assert_eq!(
            check_line(&p, " ", "3").unwrap_err().to_string(),
            "Office 365 E3: enter the offer id from the Partner Center catalogue"
        );
        for bad in ["0", "-1", "2.5", "", "x", "1000001"] {
            assert!(matches!(
                check_line(&p, "id", bad),
                Err(OrderLineError::BadQuantity(_))
            ));
        }
        let ok = check_line(&p, " CFQ:1 ", " 4 ").unwrap();
        assert_eq!((ok.offer_id.as_str(), ok.quantity), ("CFQ:1", 4));
        assert_eq!(ok.original_id.as_deref(), Some("a"));
    }
}
