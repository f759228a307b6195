//! Every way onto CSP for one original subscription, side by side: what each path would mean in
//! dates, money and duties, or why it is not possible — and which originals to move on `grace`
//! when duplicating would pass the tenant's subscription limit.
use crate::checklist::Checklist;
use crate::date::Date;
use crate::move_path::{MovePath, PathUnavailable};
use crate::planner::{ActionKind, Planner, RowDates};
use crate::record::{MigrationRecord, Relationship};
use crate::warnings::Warning;

/// Something the customer has to do on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerDuty {
    /// Accept the reseller invitation (every path needs it).
    AcceptInvitation,
    /// Switch auto-renew off on the original by this day.
    SwitchOffAutoRenew {
        /// The deadline.
        by: Date,
    },
    /// Nothing while the subscriptions are transferred from the other partner; the other partner
    /// must release them.
    WaitForTransfer,
}

/// One path for one original.
#[derive(Debug, Clone, PartialEq)]
pub struct PathOption {
    /// The path.
    pub path: MovePath,
    /// Why it is not possible, when it is not.
    pub unavailable: Option<PathUnavailable>,
    /// The planner's dates and amounts on this path (on overlap when it is not possible).
    pub dates: RowDates,
    /// The deadline that must not be missed: what, and by when.
    pub deadline: (ActionKind, Date),
    /// What the customer must do on this path.
    pub customer_must: Vec<CustomerDuty>,
    /// Whether this is the path the record asks for now.
    pub chosen: bool,
}

fn deadline(dates: &RowDates, grace_ends: Date) -> (ActionKind, Date) {
    match dates.path {
        MovePath::EaTransfer => (
            ActionKind::Schedule,
            dates.schedule_by.unwrap_or(dates.provision_on),
        ),
        MovePath::CspTransfer => (
            ActionKind::RequestTransfer,
            dates.request_transfer_by.unwrap_or(dates.provision_on),
        ),
        // After the grace period the data starts to go: buying later is too late.
        MovePath::Grace => (ActionKind::Provision, grace_ends),
        MovePath::Overlap => (ActionKind::Provision, dates.provision_on),
    }
}

/// Every path for the original `original_id`, in [`MovePath::ALL`] order; empty when the record
/// has no such original. `planner` is the partner's (the record's overrides are applied here).
#[must_use]
pub fn path_options(
    record: &MigrationRecord,
    original_id: &str,
    relationship: Relationship,
    planner: &Planner,
    today: Date,
) -> Vec<PathOption> {
    let planner = planner.with_overrides(&record.settings);
    let rows = record.plan_rows(relationship);
    let Some((o, row)) = record
        .originals
        .iter()
        .zip(&rows)
        .find(|(o, _)| o.id == original_id)
    else {
        return Vec::new();
    };
    let grace_days = planner
        .settings()
        .lifecycle
        .for_channel(o.channel)
        .grace_days;
    let grace_ends = o.end_date.plus_days(grace_days);
    MovePath::ALL
        .iter()
        .map(|&path| {
            let unavailable = planner.path_check(row, path, today).err();
            let dates = planner.dates_on_path(row, path, today);
            let mut customer_must = Vec::new();
            if relationship != Relationship::Accepted {
                customer_must.push(CustomerDuty::AcceptInvitation);
            }
            if let Some(by) = dates.auto_renew_off_by {
                customer_must.push(CustomerDuty::SwitchOffAutoRenew { by });
            }
            if dates.path == MovePath::CspTransfer {
                customer_must.push(CustomerDuty::WaitForTransfer);
            }
            PathOption {
                path,
                unavailable,
                deadline: deadline(&dates, grace_ends),
                dates,
                customer_must,
                chosen: o.path == path,
            }
        })
        .collect()
}

/// When duplicating would pass the tenant's subscription limit (`tenant_limit`), the originals
/// that could move on `grace` instead (Microsoft's own advice); empty otherwise.
#[must_use]
pub fn grace_suggestions(
    record: &MigrationRecord,
    list: &Checklist,
    planner: &Planner,
    today: Date,
) -> Vec<String> {
    let limited = list
        .originals
        .iter()
        .any(|o| o.plan.warnings.contains(Warning::TenantLimit));
    if !limited {
        return Vec::new();
    }
    let planner = planner.with_overrides(&record.settings);
    let rows = record.plan_rows(list.relationship.relationship());
    record
        .originals
        .iter()
        .zip(&rows)
        .zip(&list.originals)
        .filter(|((_, row), c)| {
            c.plan.path == MovePath::Overlap
                && planner.path_check(row, MovePath::Grace, today).is_ok()
        })
        .map(|((o, _), _)| o.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{PcFacts, checklist};
    use crate::record::{Channel, OriginalSubscription};
    use crate::settings::Settings;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn original(id: &str, channel: Channel, end: &str) -> OriginalSubscription {
        OriginalSubscription {
            channel,
            auto_renew: true,
            path: MovePath::Overlap,
            ..OriginalSubscription::for_test(id, "Office 365 E3", 10, end)
        }
    }

    #[test]
    fn every_path_is_shown_with_why_it_is_not_possible() {
        let mut r = MigrationRecord::prospect("Contoso", "contoso.example");
        r.originals.push(original("a", Channel::Ea, "2027-03-31"));
        let planner = Planner::new(&Settings::default());
        let options = path_options(&r, "a", Relationship::Accepted, &planner, d("2026-12-01"));
        assert_eq!(options.len(), 4);
        assert!(options[0].chosen && options[0].unavailable.is_none());
        let grace = &options[1];
        assert_eq!(grace.path, MovePath::Grace);
        assert_eq!(grace.unavailable, Some(PathUnavailable::Channel));
        let ea = &options[2];
        assert_eq!(ea.unavailable, None);
        assert_eq!(ea.dates.overlap_days, 0);
        assert_eq!(ea.deadline.0, ActionKind::Schedule);
        assert_eq!(ea.dates.provision_on, d("2027-04-01"));
        assert!(options[0].dates.overlap_days >= ea.dates.overlap_days);
        assert_eq!(options[3].unavailable, Some(PathUnavailable::Channel));
        assert!(
            options[0]
                .customer_must
                .iter()
                .any(|c| matches!(c, CustomerDuty::SwitchOffAutoRenew { .. }))
        );
        assert!(
            path_options(&r, "missing", Relationship::None, &planner, d("2026-12-01")).is_empty()
        );
    }

    #[test]
    fn grace_is_suggested_only_past_the_tenant_limit_and_only_where_possible() {
        let mut r = MigrationRecord::prospect("Big", "big.example");
        for i in 0..151 {
            r.originals
                .push(original(&format!("d{i}"), Channel::Direct, "2027-06-30"));
        }
        r.originals.push(original("ea", Channel::Ea, "2027-06-30"));
        let planner = Planner::new(&Settings::default());
        let today = d("2026-12-01");
        let list = checklist(&r, &PcFacts::default(), today, &planner);
        assert!(
            list.originals[0]
                .plan
                .warnings
                .contains(Warning::TenantLimit)
        );
        let suggested = grace_suggestions(&r, &list, &planner, today);
        assert_eq!(suggested.len(), 151, "every direct one, not the EA one");
        assert!(!suggested.contains(&"ea".to_string()));
        r.originals.truncate(100);
        let list = checklist(&r, &PcFacts::default(), today, &planner);
        assert!(grace_suggestions(&r, &list, &planner, today).is_empty());
    }
}
