//! Warning codes, kept as a small bit set so a plan row carries them without allocating.

use std::fmt;

use serde::de::{SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Something the partner must look at. Declared in the codes' alphabetical order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Warning {
    /// Users have no service on the original any more.
    AccessLost,
    /// The day to switch auto-renew off has passed but the end date has not.
    AutoRenewDeadlinePassed,
    /// The original's data is gone.
    DataDeleted,
    /// The original has expired; users still have access during grace.
    Expired,
    /// Path `grace`: the first business day to buy falls after the grace period.
    GraceDeadlinePassed,
    /// The reseller invitation should already have been sent.
    InviteOverdue,
    /// Too late to provision (or schedule the EA transfer) `L` days ahead.
    LeadTimeShort,
    /// The requested move path is not possible for this subscription; planned as overlap.
    PathNotAvailable,
    /// No price, so no costs.
    PriceUnknown,
    /// More than 150 active subscriptions of one customer would be duplicated at once.
    TenantLimit,
    /// Path `csp_transfer`: the transfer request cannot get its 30 days before the buy date.
    TransferWindowShort,
}

impl Warning {
    /// Every warning, sorted by code.
    pub const ALL: [Warning; 11] = [
        Warning::AccessLost,
        Warning::AutoRenewDeadlinePassed,
        Warning::DataDeleted,
        Warning::Expired,
        Warning::GraceDeadlinePassed,
        Warning::InviteOverdue,
        Warning::LeadTimeShort,
        Warning::PathNotAvailable,
        Warning::PriceUnknown,
        Warning::TenantLimit,
        Warning::TransferWindowShort,
    ];

    /// The code in output (`lead_time_short`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Warning::AccessLost => "access_lost",
            Warning::AutoRenewDeadlinePassed => "auto_renew_deadline_passed",
            Warning::DataDeleted => "data_deleted",
            Warning::Expired => "expired",
            Warning::GraceDeadlinePassed => "grace_deadline_passed",
            Warning::InviteOverdue => "invite_overdue",
            Warning::LeadTimeShort => "lead_time_short",
            Warning::PathNotAvailable => "path_not_available",
            Warning::PriceUnknown => "price_unknown",
            Warning::TenantLimit => "tenant_limit",
            Warning::TransferWindowShort => "transfer_window_short",
        }
    }

    /// The warning with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Warning> {
        Warning::ALL.into_iter().find(|w| w.code() == code)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of warnings; iterates and serializes sorted by code, each once.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Warnings(u16);

impl Warnings {
    /// Adds a warning.
    pub fn insert(&mut self, w: Warning) {
        self.0 |= 1 << w as u8;
    }

    /// Takes a warning out.
    pub fn remove(&mut self, w: Warning) {
        self.0 &= !(1 << w as u8);
    }

    /// Whether the warning is in the set.
    #[must_use]
    pub fn contains(self, w: Warning) -> bool {
        self.0 & (1 << w as u8) != 0
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many warnings the set holds.
    #[must_use]
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Both sets together.
    #[must_use]
    pub fn union(self, other: Warnings) -> Warnings {
        Warnings(self.0 | other.0)
    }

    /// The warnings, sorted by code.
    pub fn iter(self) -> impl Iterator<Item = Warning> {
        Warning::ALL.into_iter().filter(move |w| self.contains(*w))
    }
}

impl FromIterator<Warning> for Warnings {
    fn from_iter<I: IntoIterator<Item = Warning>>(iter: I) -> Warnings {
        let mut set = Warnings::default();
        for w in iter {
            set.insert(w);
        }
        set
    }
}

impl Serialize for Warnings {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.count_ones() as usize))?;
        for w in self.iter() {
            seq.serialize_element(w.code())?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Warnings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Warnings, D::Error> {
        struct Codes;
        impl<'de> Visitor<'de> for Codes {
            type Value = Warnings;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of warning codes")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Warnings, A::Error> {
                let mut set = Warnings::default();
                while let Some(code) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    let w = Warning::from_code(&code).ok_or_else(|| {
                        serde::de::Error::custom(format!("unknown warning {code}"))
                    })?;
                    set.insert(w);
                }
                Ok(set)
            }
        }
        d.deserialize_seq(Codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_so_the_bit_order_is_the_output_order() {
        let codes: Vec<_> = Warning::ALL.iter().map(|w| w.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn serializes_sorted_and_unique() {
        let set: Warnings = [
            Warning::PriceUnknown,
            Warning::Expired,
            Warning::PriceUnknown,
        ]
        .into_iter()
        .collect();
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            r#"["expired","price_unknown"]"#
        );
        let back: Warnings = serde_json::from_str(r#"["price_unknown","expired"]"#).unwrap();
        assert_eq!(back, set);
        assert!(serde_json::from_str::<Warnings>(r#"["nope"]"#).is_err());
    }
}
