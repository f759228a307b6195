//! Well-known new-commerce offers, to find the catalogue id of an offer known only by name.
use crate::planner::same_offer;

/// `(offer name, catalogue item id)`.
pub const OFFERS: &[(&str, &str)] = &[
    (
        "Microsoft 365 Business Basic",
        "CFQ7TTC0LH18:0001:CFQ7TTC0K971",
    ),
    (
        "Microsoft 365 Business Standard",
        "CFQ7TTC0LDPB:0001:CFQ7TTC0K5QF",
    ),
    (
        "Microsoft 365 Business Premium",
        "CFQ7TTC0LCHC:0002:CFQ7TTC0K5GL",
    ),
    (
        "Microsoft 365 Apps for business",
        "CFQ7TTC0LH1G:0001:CFQ7TTC0K3W4",
    ),
    ("Exchange Online (Plan 1)", "CFQ7TTC0LH16:0001:CFQ7TTC0K8ZN"),
    ("Exchange Online (Plan 2)", "CFQ7TTC0LH0X:0001:CFQ7TTC0K3DR"),
    ("Office 365 E1", "CFQ7TTC0LF8R:0001:CFQ7TTC0K4PB"),
    ("Office 365 E3", "CFQ7TTC0LF8Q:0001:CFQ7TTC0K4L7"),
    ("Office 365 E5 (no Teams)", "CFQ7TTC0LF8S:0001:CFQ7TTC0K59S"),
    ("Microsoft 365 E3", "CFQ7TTC0LFLX:0001:CFQ7TTC0K3C2"),
    ("Microsoft 365 E5", "CFQ7TTC0LFLZ:0002:CFQ7TTC0K3JR"),
    (
        "Enterprise Mobility + Security E3",
        "CFQ7TTC0LFK5:0001:CFQ7TTC0K1CC",
    ),
];

/// The catalogue id of a well-known offer name.
#[must_use]
pub fn offer_id_for(name: &str) -> Option<&'static str> {
    OFFERS
        .iter()
        .find(|(n, _)| same_offer(n, name))
        .map(|(_, id)| *id)
}

/// The name of a well-known offer by its catalogue id (compares the product and SKU parts, so a
/// changed availability id still matches).
#[must_use]
pub fn offer_name_for(id: &str) -> Option<&'static str> {
    let product_sku = |s: &str| -> String {
        s.split(':')
            .take(2)
            .collect::<Vec<_>>()
            .join(":")
            .to_ascii_uppercase()
    };
    let wanted = product_sku(id.trim());
    OFFERS
        .iter()
        .find(|(_, known)| product_sku(known) == wanted)
        .map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_by_name_and_names_by_id() {
        assert_eq!(
            offer_id_for(" microsoft 365  business basic "),
            Some("CFQ7TTC0LH18:0001:CFQ7TTC0K971")
        );
        assert_eq!(offer_id_for("Contoso Widgets"), None);
        assert_eq!(
            offer_name_for("cfq7ttc0lh18:0001:OTHERAVAIL"),
            Some("Microsoft 365 Business Basic")
        );
        assert_eq!(offer_name_for("91FD106F-4B2C-4938-95AC-F54F74E9A239"), None);
    }
}
