//! Why each suggested date is what it is: the rule, its inputs and the closed days stepped over.
//! Computed on demand for the rows a user looks at, never for a whole plan.

use std::fmt;

use crate::calendar::{Calendar, Closure};
use crate::date::Date;
use crate::move_path::{MovePath, PathUnavailable, TRANSFER_REQUEST_DAYS};
use crate::planner::{PlanRow, Planner, ProvisionCase, offer_changes};

/// Which rule produced a date, with the inputs it used.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rule {
    /// `prev_bd(E − L)`.
    ProvisionLeadDays {
        /// `L`.
        days: u32,
        /// `E`.
        end_date: Date,
    },
    /// The ideal date had passed: the next business day from today (`lead_time_short`).
    ProvisionAsSoonAsPossible {
        /// `E`.
        end_date: Date,
        /// The date that would have kept the lead time.
        ideal: Date,
    },
    /// The ideal date had passed and no business day is left before `E`: today.
    ProvisionToday {
        /// `E`.
        end_date: Date,
    },
    /// The original already ended: the next business day from today.
    ProvisionAfterEnd {
        /// `E`.
        end_date: Date,
    },
    /// Path `grace`: the first business day after the end date (or from today, when later),
    /// while users keep access.
    ProvisionInGrace {
        /// `E`.
        end_date: Date,
        /// The last day of the grace period, `E + G`.
        grace_ends: Date,
    },
    /// Path `ea_transfer`: Microsoft creates the CSP subscription the day after the agreement
    /// ends (a calendar day).
    ProvisionByEaTransfer {
        /// `E`.
        end_date: Date,
    },
    /// Path `ea_transfer`: `prev_bd(E − L)`.
    ScheduleLeadDays {
        /// `L`.
        days: u32,
        /// `E`.
        end_date: Date,
    },
    /// Path `csp_transfer`: `prev_bd(provision_on − 30)`, so an unanswered request expires
    /// before the day to buy.
    RequestTransferBeforeBuying {
        /// Days a transfer request stays open.
        days: u32,
        /// The day to buy if the transfer has not completed.
        provision_on: Date,
    },
    /// `prev_bd(provision_on − I)`.
    InviteLeadDays {
        /// `I`.
        days: u32,
        /// The suggested cutover date.
        provision_on: Date,
    },
    /// Path `ea_transfer`: `prev_bd(schedule_by − I)`.
    InviteBeforeSchedule {
        /// `I`.
        days: u32,
        /// The day to schedule the EA transfer by.
        schedule_by: Date,
    },
    /// Path `csp_transfer`: `prev_bd(request_transfer_by − I)`.
    InviteBeforeTransferRequest {
        /// `I`.
        days: u32,
        /// The day to request the transfer by.
        request_transfer_by: Date,
    },
    /// `prev_bd(E − A)`.
    AutoRenewNotice {
        /// `A`.
        days: u32,
        /// `E`.
        end_date: Date,
    },
    /// `prev_bd(E − 1)`: the last business day before the original ends.
    ReassignBeforeEnd {
        /// `E`.
        end_date: Date,
    },
    /// Reassigning cannot come before provisioning.
    ReassignOnProvision {
        /// The suggested cutover date.
        provision_on: Date,
    },
    /// Paths `grace` and `ea_transfer`: on the day the CSP subscription starts (the original
    /// has ended by then).
    ReassignWhenCspStarts {
        /// The suggested cutover date.
        provision_on: Date,
    },
}

/// A day that was stepped over, and why it is closed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Skipped {
    /// The closed day.
    pub date: Date,
    /// Weekend, holiday or custom closure.
    pub closure: Closure,
}

/// One suggested date and why.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DateReason {
    /// The rule and its inputs.
    pub rule: Rule,
    /// The date before moving to a business day.
    pub start: Date,
    /// The suggested date.
    pub date: Date,
    /// Closed days between `start` and `date`, in the order they were stepped over.
    pub skipped: Vec<Skipped>,
}

/// Every suggested date of one row, explained.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Explanation {
    /// The move path planned.
    pub path: MovePath,
    /// Why the requested path was not possible (then `path` is overlap).
    pub path_unavailable: Option<(MovePath, PathUnavailable)>,
    /// Why `provision_on`.
    pub provision_on: DateReason,
    /// Why `invite_by`.
    pub invite_by: DateReason,
    /// Why `schedule_by`, when there is one (path `ea_transfer`).
    pub schedule_by: Option<DateReason>,
    /// Why `request_transfer_by`, when there is one (path `csp_transfer`).
    pub request_transfer_by: Option<DateReason>,
    /// Why `auto_renew_off_by`, when there is one.
    pub auto_renew_off_by: Option<DateReason>,
    /// Why `reassign_by`, when there is one.
    pub reassign_by: Option<DateReason>,
}

impl Planner {
    /// Explains the dates [`Planner::dates`] gives this row today.
    #[must_use]
    pub fn explain(&self, row: &PlanRow, today: Date) -> Explanation {
        self.explain_on_path(row, row.path, today)
    }

    /// Explains the dates [`Planner::dates_on_path`] gives this row today for `requested`.
    #[must_use]
    pub fn explain_on_path(&self, row: &PlanRow, requested: MovePath, today: Date) -> Explanation {
        let cal = self.calendar();
        let s = self.settings();
        let end = row.end_date;
        let (path, path_unavailable) = match self.path_check(row, requested, today) {
            Ok(()) => (requested, None),
            Err(why) => (MovePath::Overlap, Some((requested, why))),
        };
        let (ov, case) = self.provision_on(end, today);
        let lead_start = end.minus_days(s.provision_lead_days);
        let overlap_reason = || match case {
            ProvisionCase::LeadDays => {
                let rule = Rule::ProvisionLeadDays {
                    days: s.provision_lead_days,
                    end_date: end,
                };
                reason(cal, rule, lead_start, ov)
            }
            ProvisionCase::Soonest => {
                let ideal = cal.prev_business_day(lead_start);
                let rule = Rule::ProvisionAsSoonAsPossible {
                    end_date: end,
                    ideal,
                };
                reason(cal, rule, today, ov)
            }
            ProvisionCase::Today => reason(cal, Rule::ProvisionToday { end_date: end }, today, ov),
            ProvisionCase::AfterEnd => {
                reason(cal, Rule::ProvisionAfterEnd { end_date: end }, today, ov)
            }
        };
        let mut schedule_by = None;
        let mut request_transfer_by = None;
        let provision = match path {
            MovePath::Overlap => overlap_reason(),
            MovePath::Grace => {
                let grace_ends = end.plus_days(s.lifecycle.for_channel(row.channel).grace_days);
                let start = end.add_days(1).max(today);
                let rule = Rule::ProvisionInGrace {
                    end_date: end,
                    grace_ends,
                };
                reason(cal, rule, start, cal.next_business_day(start))
            }
            MovePath::EaTransfer => {
                let rule = Rule::ScheduleLeadDays {
                    days: s.provision_lead_days,
                    end_date: end,
                };
                schedule_by = Some(reason(
                    cal,
                    rule,
                    lead_start,
                    cal.prev_business_day(lead_start),
                ));
                let day_after = end.add_days(1);
                let rule = Rule::ProvisionByEaTransfer { end_date: end };
                reason(cal, rule, day_after, day_after)
            }
            MovePath::CspTransfer => {
                let start = ov.minus_days(TRANSFER_REQUEST_DAYS);
                let rule = Rule::RequestTransferBeforeBuying {
                    days: TRANSFER_REQUEST_DAYS,
                    provision_on: ov,
                };
                request_transfer_by = Some(reason(cal, rule, start, cal.prev_business_day(start)));
                overlap_reason()
            }
        };
        let provision_on = provision.date;
        let days = s.invite_lead_days;
        let (invite, first) = match (&schedule_by, &request_transfer_by) {
            (Some(by), _) => (
                Rule::InviteBeforeSchedule {
                    days,
                    schedule_by: by.date,
                },
                by.date,
            ),
            (None, Some(by)) => (
                Rule::InviteBeforeTransferRequest {
                    days,
                    request_transfer_by: by.date,
                },
                by.date,
            ),
            (None, None) => (Rule::InviteLeadDays { days, provision_on }, provision_on),
        };
        let invite_start = first.minus_days(days);
        let invite_by = reason(
            cal,
            invite,
            invite_start,
            cal.prev_business_day(invite_start),
        );
        let auto_renew_off_by = row.auto_renew.then(|| {
            let start = end.minus_days(s.auto_renew_notice_days);
            let rule = Rule::AutoRenewNotice {
                days: s.auto_renew_notice_days,
                end_date: end,
            };
            reason(cal, rule, start, cal.prev_business_day(start))
        });
        let reassign_by = offer_changes(row).then(|| {
            let start = end.add_days(-1);
            let before_end = cal.prev_business_day(start);
            if matches!(path, MovePath::Grace | MovePath::EaTransfer) {
                reason(
                    cal,
                    Rule::ReassignWhenCspStarts { provision_on },
                    provision_on,
                    provision_on,
                )
            } else if provision_on > before_end {
                reason(
                    cal,
                    Rule::ReassignOnProvision { provision_on },
                    provision_on,
                    provision_on,
                )
            } else {
                reason(
                    cal,
                    Rule::ReassignBeforeEnd { end_date: end },
                    start,
                    before_end,
                )
            }
        });
        Explanation {
            path,
            path_unavailable,
            provision_on: provision,
            invite_by,
            schedule_by,
            request_transfer_by,
            auto_renew_off_by,
            reassign_by,
        }
    }
}

fn reason(cal: &Calendar, rule: Rule, start: Date, date: Date) -> DateReason {
    let step = if date >= start { 1 } else { -1 };
    let mut skipped = Vec::new();
    let mut d = start;
    while d != date {
        if let Some(closure) = cal.closure(d) {
            skipped.push(Skipped { date: d, closure });
        }
        d = d.add_days(step);
    }
    DateReason {
        rule,
        start,
        date,
        skipped,
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Rule::ProvisionLeadDays { days, end_date } => {
                write!(f, "{days} days before the end date {end_date}")
            }
            Rule::ProvisionAsSoonAsPossible { end_date, ideal } => write!(
                f,
                "the lead-time date {ideal} has passed, so the next business day from today \
                 (end date {end_date})"
            ),
            Rule::ProvisionToday { end_date } => write!(
                f,
                "the lead time has passed and no business day is left before the end date \
                 {end_date}, so today"
            ),
            Rule::ProvisionAfterEnd { end_date } => write!(
                f,
                "the original ended on {end_date}, so the next business day from today"
            ),
            Rule::ProvisionInGrace {
                end_date,
                grace_ends,
            } => write!(
                f,
                "the first business day after the end date {end_date}, from today at the \
                 earliest, while users keep access until {grace_ends}"
            ),
            Rule::ProvisionByEaTransfer { end_date } => write!(
                f,
                "Microsoft creates the CSP subscription the day after the agreement ends on \
                 {end_date}"
            ),
            Rule::ScheduleLeadDays { days, end_date } => {
                write!(f, "{days} days before the agreement ends on {end_date}")
            }
            Rule::RequestTransferBeforeBuying { days, provision_on } => write!(
                f,
                "{days} days before the day to buy, {provision_on}, so an unanswered request \
                 has expired by then"
            ),
            Rule::InviteLeadDays { days, provision_on } => {
                write!(f, "{days} days before provisioning on {provision_on}")
            }
            Rule::InviteBeforeSchedule { days, schedule_by } => write!(
                f,
                "{days} days before scheduling the EA transfer by {schedule_by}"
            ),
            Rule::InviteBeforeTransferRequest {
                days,
                request_transfer_by,
            } => write!(
                f,
                "{days} days before requesting the transfer by {request_transfer_by}"
            ),
            Rule::AutoRenewNotice { days, end_date } => {
                write!(f, "{days} days before the end date {end_date}")
            }
            Rule::ReassignBeforeEnd { end_date } => {
                write!(f, "the last business day before the end date {end_date}")
            }
            Rule::ReassignOnProvision { provision_on } => write!(
                f,
                "not before provisioning on {provision_on} (the original ends sooner)"
            ),
            Rule::ReassignWhenCspStarts { provision_on } => {
                write!(f, "when the CSP subscription starts on {provision_on}")
            }
        }
    }
}

impl fmt::Display for DateReason {
    /// One English sentence, e.g. "7 days before the end date 2027-05-12; moved back over …".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.rule)?;
        if self.skipped.is_empty() {
            return Ok(());
        }
        let direction = if self.date < self.start {
            "back"
        } else {
            "forward"
        };
        write!(f, "; moved {direction} to {} over ", self.date)?;
        let mut weekend = false;
        let mut parts = Vec::new();
        for s in &self.skipped {
            match s.closure {
                Closure::Weekend(_) => weekend = true,
                Closure::Holiday(h) => parts.push(format!("{} ({})", h.en(), s.date)),
                Closure::Custom => parts.push(format!("a company holiday ({})", s.date)),
            }
        }
        if weekend {
            parts.push("the weekend".to_owned());
        }
        write!(f, "{}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::holidays::HolidayName;
    use crate::money::UnitPrice;
    use crate::record::{Channel, Relationship};
    use crate::settings::{Holidays, Settings};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn row(end: &str) -> PlanRow {
        PlanRow {
            customer: "Fabrikam KK".into(),
            domain: "fabrikam.example".into(),
            offer: "Office 365 E3".into(),
            seats: 120,
            end_date: d(end),
            channel: Channel::Ea,
            auto_renew: true,
            monthly_price: Some(UnitPrice::parse("1").unwrap()),
            currency: None,
            target_offer: Some("Microsoft 365 E3".into()),
            relationship: Relationship::None,
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

    #[test]
    fn golden_week_explanation_names_the_holidays() {
        let e = jp().explain(&row("2027-05-12"), d("2026-11-24"));
        assert_eq!(e.provision_on.date, d("2027-04-30"));
        assert_eq!(e.provision_on.start, d("2027-05-05"));
        assert_eq!(e.provision_on.skipped.len(), 5);
        assert_eq!(
            e.provision_on.skipped[0].closure,
            Closure::Holiday(HolidayName::ChildrensDay)
        );
        assert_eq!(
            e.provision_on.to_string(),
            "7 days before the end date 2027-05-12; moved back to 2027-04-30 over Children's Day \
             (2027-05-05), Greenery Day (2027-05-04), Constitution Memorial Day (2027-05-03), \
             the weekend"
        );
    }

    #[test]
    fn explanations_agree_with_the_planned_dates() {
        let planner = jp();
        for (end, today) in [
            ("2027-05-12", "2026-11-24"),
            ("2026-12-02", "2026-11-28"),
            ("2026-11-29", "2026-11-28"),
            ("2026-11-20", "2026-11-24"),
            ("2027-01-04", "2027-01-03"),
        ] {
            let r = row(end);
            let p = planner.dates(&r, d(today));
            let e = planner.explain(&r, d(today));
            assert_eq!(e.provision_on.date, p.provision_on, "{end} {today}");
            assert_eq!(e.invite_by.date, p.invite_by);
            assert_eq!(e.auto_renew_off_by.map(|x| x.date), p.auto_renew_off_by);
            assert_eq!(e.reassign_by.map(|x| x.date), p.reassign_by);
        }
    }

    #[test]
    fn explanations_agree_with_the_planned_dates_on_every_path() {
        let planner = jp();
        for channel in [
            Channel::Direct,
            Channel::Partner,
            Channel::Open,
            Channel::Ea,
        ] {
            for path in MovePath::ALL {
                for target in [None, Some("Microsoft 365 E3")] {
                    for (end, today) in [
                        ("2027-05-12", "2026-11-24"),
                        ("2027-06-11", "2027-05-06"),
                        ("2026-12-31", "2026-11-24"),
                        ("2026-12-04", "2027-01-02"),
                        ("2026-11-20", "2026-11-24"),
                        ("2026-11-20", "2027-03-01"),
                    ] {
                        let mut r = row(end);
                        r.channel = channel;
                        r.path = path;
                        r.target_offer = target.map(str::to_owned);
                        let p = planner.dates(&r, d(today));
                        let e = planner.explain(&r, d(today));
                        let ctx = format!("{path} {channel:?} {end} {today} {target:?}");
                        assert_eq!(e.path, p.path, "{ctx}");
                        assert_eq!(e.path_unavailable.is_some(), p.path != path, "{ctx}");
                        assert_eq!(e.provision_on.date, p.provision_on, "{ctx}");
                        assert_eq!(e.invite_by.date, p.invite_by, "{ctx}");
                        assert_eq!(e.schedule_by.map(|x| x.date), p.schedule_by, "{ctx}");
                        assert_eq!(
                            e.request_transfer_by.map(|x| x.date),
                            p.request_transfer_by,
                            "{ctx}"
                        );
                        assert_eq!(e.auto_renew_off_by.map(|x| x.date), p.auto_renew_off_by);
                        assert_eq!(e.reassign_by.map(|x| x.date), p.reassign_by, "{ctx}");
                    }
                }
            }
        }
    }

    #[test]
    fn transfer_request_explanation_names_golden_week() {
        let mut r = row("2027-06-11");
        r.channel = Channel::Partner;
        r.target_offer = None;
        r.path = MovePath::CspTransfer;
        let e = jp().explain(&r, d("2027-03-01"));
        let req = e.request_transfer_by.unwrap();
        assert_eq!(
            req.rule,
            Rule::RequestTransferBeforeBuying {
                days: 30,
                provision_on: d("2027-06-04")
            }
        );
        assert_eq!(
            req.to_string(),
            "30 days before the day to buy, 2027-06-04, so an unanswered request has expired by \
             then; moved back to 2027-04-30 over Children's Day (2027-05-05), Greenery Day \
             (2027-05-04), Constitution Memorial Day (2027-05-03), the weekend"
        );
        assert!(matches!(
            e.invite_by.rule,
            Rule::InviteBeforeTransferRequest { days: 7, .. }
        ));
    }

    #[test]
    fn ea_transfer_and_fallback_are_explained() {
        let mut r = row("2026-12-31");
        r.path = MovePath::EaTransfer;
        let e = jp().explain(&r, d("2026-11-24"));
        assert_eq!(e.path, MovePath::EaTransfer);
        assert_eq!(
            e.provision_on.to_string(),
            "Microsoft creates the CSP subscription the day after the agreement ends on 2026-12-31"
        );
        assert_eq!(e.provision_on.date, d("2027-01-01"));
        assert_eq!(e.schedule_by.map(|s| s.date), Some(d("2026-12-24")));
        assert!(matches!(
            e.reassign_by.map(|x| x.rule),
            Some(Rule::ReassignWhenCspStarts { .. })
        ));
        // Grace on an EA row does not exist: the reason is kept with the fallback.
        r.path = MovePath::Grace;
        let e = jp().explain(&r, d("2026-11-24"));
        assert_eq!(e.path, MovePath::Overlap);
        assert_eq!(
            e.path_unavailable,
            Some((MovePath::Grace, PathUnavailable::Channel))
        );
    }

    #[test]
    fn each_provision_rule_is_named() {
        let planner = Planner::new(&Settings::default());
        let rule = |end: &str, today: &str| planner.explain(&row(end), d(today)).provision_on.rule;
        assert!(matches!(
            rule("2027-03-31", "2026-11-24"),
            Rule::ProvisionLeadDays { days: 7, .. }
        ));
        assert!(matches!(
            rule("2026-12-02", "2026-11-28"),
            Rule::ProvisionAsSoonAsPossible { .. }
        ));
        assert!(matches!(
            rule("2026-11-29", "2026-11-28"),
            Rule::ProvisionToday { .. }
        ));
        assert!(matches!(
            rule("2026-11-20", "2026-11-24"),
            Rule::ProvisionAfterEnd { .. }
        ));
        let e = planner.explain(&row("2026-11-20"), d("2026-11-24"));
        assert!(matches!(
            e.reassign_by.map(|r| r.rule),
            Some(Rule::ReassignOnProvision { .. })
        ));
    }
}
