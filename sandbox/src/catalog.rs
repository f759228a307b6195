//! The offers the sandbox sells and the licences tenants hold.
//!
//! Names, Entra SKU GUIDs and part numbers are Microsoft's (licensing service plan reference). Of
//! the NCE catalog item ids only Business Basic's availability (`CFQ7TTC0K971`) and the E3/E5
//! product/SKU pairs are documented; the other availability ids are illustrative. Prices are
//! illustrative list prices per seat per month in USD, not Microsoft's price sheet.

/// One CSP offer (an NCE catalog item) and the tenant SKU it provisions.
#[derive(Debug)]
pub struct Offer {
    /// `offerName`, also the name the planner's CSV uses.
    pub name: &'static str,
    /// NCE catalog item id `{product}:{sku}:{availability}`, used as `offerId`.
    pub offer_id: &'static str,
    /// Entra SKU GUID (`productSku.id` in subscribed SKUs).
    pub sku_id: &'static str,
    /// Entra SKU part number.
    pub sku_part: &'static str,
    /// Largest seat count one subscription may hold.
    pub max_quantity: u32,
    /// Illustrative list price per seat per month, USD.
    pub usd_price: f64,
    /// `(id, serviceName, displayName)` of the main service plans.
    pub plans: &'static [(&'static str, &'static str, &'static str)],
}

const EXO_S: (&str, &str, &str) = (
    "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
    "EXCHANGE_S_STANDARD",
    "Exchange Online (Plan 1)",
);
const EXO_E: (&str, &str, &str) = (
    "efb87545-963c-4e0d-99df-69c6916d9eb0",
    "EXCHANGE_S_ENTERPRISE",
    "Exchange Online (Plan 2)",
);
const SPO_S: (&str, &str, &str) = (
    "c7699d2e-19aa-44de-8edf-1736da088ca1",
    "SHAREPOINTSTANDARD",
    "SharePoint (Plan 1)",
);
const SPO_E: (&str, &str, &str) = (
    "5dbe027f-2339-4123-9542-606e4d348a72",
    "SHAREPOINTENTERPRISE",
    "SharePoint (Plan 2)",
);
const TEAMS: (&str, &str, &str) = (
    "57ff2da0-773e-42df-b2af-ffb7a2317929",
    "TEAMS1",
    "Microsoft Teams",
);
const APPS: (&str, &str, &str) = (
    "43de0ff5-c92c-492b-9116-175376d08c38",
    "OFFICESUBSCRIPTION",
    "Microsoft 365 Apps for enterprise",
);

/// The CSP catalogue.
pub static OFFERS: &[Offer] = &[
    Offer {
        name: "Microsoft 365 Business Basic",
        offer_id: "CFQ7TTC0LH18:0001:CFQ7TTC0K971",
        sku_id: "3b555118-da6a-4418-894f-7df1e2096870",
        sku_part: "O365_BUSINESS_ESSENTIALS",
        max_quantity: 300,
        usd_price: 6.0,
        plans: &[EXO_S, SPO_S, TEAMS],
    },
    Offer {
        name: "Microsoft 365 Business Standard",
        offer_id: "CFQ7TTC0LDPB:0001:CFQ7TTC0K5QF",
        sku_id: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
        sku_part: "O365_BUSINESS_PREMIUM",
        max_quantity: 300,
        usd_price: 12.5,
        plans: &[EXO_S, SPO_S, TEAMS, APPS],
    },
    Offer {
        name: "Microsoft 365 Business Premium",
        offer_id: "CFQ7TTC0LCHC:0002:CFQ7TTC0K5GL",
        sku_id: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
        sku_part: "SPB",
        max_quantity: 300,
        usd_price: 22.0,
        plans: &[EXO_S, SPO_S, TEAMS, APPS],
    },
    Offer {
        name: "Microsoft 365 Apps for business",
        offer_id: "CFQ7TTC0LH1G:0001:CFQ7TTC0K3W4",
        sku_id: "cdd28e44-67e3-425e-be4c-737fab2899d3",
        sku_part: "O365_BUSINESS",
        max_quantity: 300,
        usd_price: 8.25,
        plans: &[APPS],
    },
    Offer {
        name: "Exchange Online (Plan 1)",
        offer_id: "CFQ7TTC0LH16:0001:CFQ7TTC0K8ZN",
        sku_id: "4b9405b0-7788-4568-add1-99614e613b69",
        sku_part: "EXCHANGESTANDARD",
        max_quantity: 10_000,
        usd_price: 4.0,
        plans: &[EXO_S],
    },
    Offer {
        name: "Exchange Online (Plan 2)",
        offer_id: "CFQ7TTC0LH0X:0001:CFQ7TTC0K3DR",
        sku_id: "19ec0d23-8335-4cbd-94ac-6050e30712fa",
        sku_part: "EXCHANGEENTERPRISE",
        max_quantity: 10_000,
        usd_price: 8.0,
        plans: &[EXO_E],
    },
    Offer {
        name: "Office 365 E1",
        offer_id: "CFQ7TTC0LF8R:0001:CFQ7TTC0K4PB",
        sku_id: "18181a46-0d4e-45cd-891e-60aabd171b4e",
        sku_part: "STANDARDPACK",
        max_quantity: 10_000,
        usd_price: 10.0,
        plans: &[EXO_S, SPO_E, TEAMS],
    },
    Offer {
        name: "Office 365 E3",
        offer_id: "CFQ7TTC0LF8Q:0001:CFQ7TTC0K4L7",
        sku_id: "6fd2c87f-b296-42f0-b197-1e91e994b900",
        sku_part: "ENTERPRISEPACK",
        max_quantity: 10_000,
        usd_price: 23.0,
        plans: &[EXO_E, SPO_E, TEAMS, APPS],
    },
    Offer {
        name: "Office 365 E5 (no Teams)",
        offer_id: "CFQ7TTC0LF8S:0001:CFQ7TTC0K59S",
        sku_id: "c7df2760-2c81-4ef7-b578-5b5392b571df",
        sku_part: "ENTERPRISEPREMIUM",
        max_quantity: 10_000,
        usd_price: 38.0,
        plans: &[EXO_E, SPO_E, APPS],
    },
    Offer {
        name: "Microsoft 365 E3",
        offer_id: "CFQ7TTC0LFLX:0001:CFQ7TTC0K3C2",
        sku_id: "05e9a617-0261-4cee-bb44-138d3ef5d965",
        sku_part: "SPE_E3",
        max_quantity: 10_000,
        usd_price: 36.0,
        plans: &[EXO_E, SPO_E, TEAMS, APPS],
    },
    Offer {
        name: "Microsoft 365 E5",
        offer_id: "CFQ7TTC0LFLZ:0002:CFQ7TTC0K3JR",
        sku_id: "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
        sku_part: "SPE_E5",
        max_quantity: 10_000,
        usd_price: 57.0,
        plans: &[EXO_E, SPO_E, TEAMS, APPS],
    },
    Offer {
        name: "Enterprise Mobility + Security E3",
        offer_id: "CFQ7TTC0LFK5:0001:CFQ7TTC0K1CC",
        sku_id: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
        sku_part: "EMS",
        max_quantity: 10_000,
        usd_price: 10.6,
        plans: &[],
    },
];

/// Relative likelihood of each offer (same order as [`OFFERS`]) for small and large tenants.
pub const SMB_WEIGHTS: [u32; 12] = [30, 30, 22, 8, 10, 1, 2, 3, 0, 0, 0, 0];
pub const ENTERPRISE_WEIGHTS: [u32; 12] = [2, 3, 4, 1, 6, 5, 8, 18, 4, 16, 6, 7];

/// A licence that is never sold through CSP (self-service or viral sign-ups) yet shows in
/// `subscribedskus`.
#[derive(Debug)]
pub struct FreeSku {
    pub name: &'static str,
    pub sku_id: &'static str,
    pub sku_part: &'static str,
}

pub static FREE_SKUS: &[FreeSku] = &[
    FreeSku {
        name: "Microsoft Power Automate Free",
        sku_id: "f30db892-07e9-47e9-837c-80727f46fd3d",
        sku_part: "FLOW_FREE",
    },
    FreeSku {
        name: "Microsoft Fabric (Free)",
        sku_id: "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235",
        sku_part: "POWER_BI_STANDARD",
    },
    FreeSku {
        name: "Microsoft Teams Exploratory",
        sku_id: "710779e8-3d4a-4c88-adb9-386c958d1fdf",
        sku_part: "TEAMS_EXPLORATORY",
    },
];

/// Finds a CSP offer by its catalog item id (case-insensitive), or by `product:sku` alone.
pub fn offer_by_id(id: &str) -> Option<usize> {
    let id = id.trim();
    OFFERS.iter().position(|o| {
        o.offer_id.eq_ignore_ascii_case(id)
            || (id.matches(':').count() == 1 && o.offer_id[..17].eq_ignore_ascii_case(id))
    })
}

/// The price per seat per month in `currency`, rounded as a price list would be.
pub fn local_price(usd: f64, currency: &str) -> String {
    match currency {
        "JPY" => format!("{:.0}", (usd * 150.0 / 10.0).round() * 10.0 - 1.0),
        "EUR" => format!("{:.2}", usd * 0.94),
        "GBP" => format!("{:.2}", usd * 0.80),
        "AUD" => format!("{:.2}", usd * 1.52),
        "CAD" => format!("{:.2}", usd * 1.37),
        _ => format!("{usd:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_cover_every_offer() {
        assert_eq!(SMB_WEIGHTS.len(), OFFERS.len());
        assert_eq!(ENTERPRISE_WEIGHTS.len(), OFFERS.len());
    }

    #[test]
    fn finds_offers_by_catalog_item_or_product_sku() {
        assert_eq!(offer_by_id("CFQ7TTC0LH18:0001:CFQ7TTC0K971"), Some(0));
        assert_eq!(offer_by_id("cfq7ttc0lflx:0001"), Some(9));
        assert_eq!(offer_by_id("031C9E47-4802-4248-838E-778FB1D2CC05"), None);
    }

    #[test]
    fn prices_in_yen_are_whole() {
        assert_eq!(local_price(12.5, "JPY"), "1879");
        assert_eq!(local_price(12.5, "USD"), "12.50");
    }
}
