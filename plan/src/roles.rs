//! What each person may do: four roles, each including the one before it.
//!
//! - `viewer` reads everything partner staff can see;
//! - `editor` also plans, imports and shares (records, imports, share links, admin-access requests);
//! - `orderer` also places orders and transfers in Partner Center;
//! - `admin` also manages people and the settings.
//!
//! The proxy enforces these on every route; the app only uses them to hide what would be refused.
use serde::{Deserialize, Serialize};

use crate::record::MigrationRecord;

/// A person's role in Cutover. Ordered: each role can do everything the roles before it can.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads.
    Viewer,
    /// Reads, plans, imports and shares.
    Editor,
    /// Also places orders and transfers.
    Orderer,
    /// Also manages people and settings.
    Admin,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::Orderer, Role::Admin];

    /// The code used in configuration, JSON and the README (`viewer`, `editor`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Orderer => "orderer",
            Role::Admin => "admin",
        }
    }

    /// Reads a code, ignoring case and surrounding spaces.
    #[must_use]
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether someone with this role may do what needs `required`.
    #[must_use]
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether writing `new` over `old` places, removes or alters an order (what it buys, who placed
/// it, when, under which request id), which needs the `orderer` role.
///
/// Following an order to fulfilment changes only its Partner Center id, status, fulfilment and
/// error; any editor's page does that, so those changes do not count.
#[must_use]
pub fn changes_orders(old: Option<&MigrationRecord>, new: &MigrationRecord) -> bool {
    let before = old.map_or(&[][..], |r| r.orders.as_slice());
    if before.len() != new.orders.len() {
        return true;
    }
    new.orders.iter().any(|n| {
        before
            .iter()
            .find(|o| o.request_id == n.request_id)
            .is_none_or(|o| {
                o.lines != n.lines || o.created_at != n.created_at || o.placed_by != n.placed_by
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{OrderLine, PlacedOrder};

    fn order(request_id: &str, quantity: u32) -> PlacedOrder {
        PlacedOrder::intent(
            request_id,
            vec![OrderLine {
                offer_id: "CFQ7TTC0LH18:0001:CFQ7TTC0K971".into(),
                offer_name: "Microsoft 365 Business Basic".into(),
                quantity,
                original_id: Some("o1".into()),
                custom_term_end: None,
            }],
            "2026-12-01T09:00:00Z",
            "olga@partner.example",
        )
    }

    #[test]
    fn each_role_includes_the_ones_before_it() {
        assert!(Role::Admin.includes(Role::Orderer));
        assert!(Role::Orderer.includes(Role::Editor));
        assert!(Role::Editor.includes(Role::Viewer));
        assert!(Role::Editor.includes(Role::Editor));
        assert!(!Role::Viewer.includes(Role::Editor));
        assert!(!Role::Editor.includes(Role::Orderer));
        assert!(!Role::Orderer.includes(Role::Admin));
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
        }
        assert_eq!(Role::parse(" Admin "), Some(Role::Admin));
        assert_eq!(Role::parse("owner"), None);
        assert_eq!(Role::parse(""), None);
    }

    #[test]
    fn adding_removing_or_altering_an_order_needs_an_orderer() {
        let mut old = MigrationRecord::prospect("Contoso", "contoso.example");
        let mut new = old.clone();
        assert!(!changes_orders(Some(&old), &new));
        new.orders.push(order("r1", 10));
        assert!(changes_orders(Some(&old), &new), "placing");
        assert!(changes_orders(None, &new), "a new record with an order");
        old.orders.push(order("r1", 10));
        assert!(!changes_orders(Some(&old), &new));
        new.orders[0].lines[0].quantity = 300;
        assert!(changes_orders(Some(&old), &new), "more seats");
        new.orders[0] = order("r2", 10);
        assert!(changes_orders(Some(&old), &new), "another request id");
        new.orders.clear();
        assert!(changes_orders(Some(&old), &new), "removing");
    }

    #[test]
    fn following_an_order_to_fulfilment_is_not_ordering() {
        let mut old = MigrationRecord::prospect("Contoso", "contoso.example");
        old.orders.push(order("r1", 10));
        let mut new = old.clone();
        new.orders[0].apply_answer("ord-1", "completed");
        new.orders[0].fulfilled = true;
        assert!(!changes_orders(Some(&old), &new));
        new.notes = "a plan edit".into();
        assert!(!changes_orders(Some(&old), &new));
    }
}
