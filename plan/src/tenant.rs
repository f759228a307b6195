//! A customer's tenant as Microsoft Graph shows it, and the original subscriptions found there.
//!
//! `GET /v1.0/directory/subscriptions` lists every subscription in the tenant whatever channel it
//! was bought through; those that are not this partner's CSP subscriptions are the originals to
//! move. Cutover proposes them ([`propose_originals`]), the partner reviews the proposals as a
//! diff against the record ([`diff_originals`]) and accepts them; later differences between the
//! tenant and the record are [`drift`].
//!
//! **Channel guess.** Graph does not say how a subscription was bought, so the proposal's channel
//! is a guess the partner confirms: a subscription created by a partner tenant (`ownerTenantId`
//! set; this partner's own CSP ones are already excluded) was bought through another partner; an
//! enterprise SKU (Office 365 E1/E3/E5, Microsoft 365 E3/E5, EMS E3/E5) with
//! [`EA_SEAT_THRESHOLD`] seats or more is most likely an Enterprise Agreement; anything else is
//! taken as bought direct from Microsoft.
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::date::Date;
use crate::partner_center::{ItemProblem, calendar_date, count, field, flag, text};
use crate::record::{Channel, OriginalSubscription};

/// Seats from which an enterprise SKU is guessed to be bought through an Enterprise Agreement.
pub const EA_SEAT_THRESHOLD: u32 = 250;

/// One `companySubscription` from Graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSubscription {
    /// Graph's subscription id (the stable key Cutover stores on the original).
    pub id: String,
    /// `commerceSubscriptionId`: for a CSP subscription, the Partner Center subscription id.
    pub commerce_subscription_id: Option<String>,
    /// `skuId`.
    pub sku_id: Option<String>,
    /// `skuPartNumber` (e.g. `O365_BUSINESS_PREMIUM`).
    pub sku_part_number: String,
    /// `status`: `Enabled`, `Warning`, `Suspended`, `Deleted`, `LockedOut`.
    pub status: String,
    /// `totalLicenses`.
    pub total_licenses: u32,
    /// `isTrial`.
    pub is_trial: bool,
    /// The date of `nextLifecycleDateTime`, when Graph gave one.
    pub next_lifecycle_on: Option<Date>,
    /// `createdDateTime` as a date.
    pub created_on: Option<Date>,
    /// `ownerTenantId`: the partner tenant that created it, if any.
    pub owner_tenant_id: Option<String>,
}

/// What Cutover last read from a customer's tenant, kept in the record so that later
/// differences (end date, seats, a subscription gone) show as warnings without asking Graph again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSnapshot {
    /// The day it was read.
    pub read_on: Date,
    /// Every subscription the tenant listed.
    pub subscriptions: Vec<TenantSubscription>,
}

/// One `subscribedSku` from Graph: a licence pool in the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSku {
    /// `skuId`.
    pub sku_id: Option<String>,
    /// `skuPartNumber`.
    pub sku_part_number: String,
    /// `capabilityStatus`.
    pub capability_status: String,
    /// `consumedUnits`.
    pub consumed_units: u32,
    /// `prepaidUnits.enabled`.
    pub enabled_units: u32,
    /// `prepaidUnits.warning` (expired, in the grace period).
    pub warning_units: u32,
    /// `prepaidUnits.suspended`.
    pub suspended_units: u32,
}

/// One page of a Graph collection: the items read, those that could not be, the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphPage<T> {
    /// Items that could be read.
    pub items: Vec<T>,
    /// Items that could not be read, and why.
    pub problems: Vec<ItemProblem>,
    /// `@odata.nextLink`, when more pages remain.
    pub next_link: Option<String>,
}

fn parse_graph_page<T>(
    body: &str,
    what: &str,
    parse: impl Fn(&Value) -> Result<T, String>,
) -> Result<GraphPage<T>, String> {
    let root: Value = serde_json::from_str(body)
        .map_err(|e| format!("Microsoft Graph sent {what} that is not valid JSON ({e})."))?;
    let items = field(&root, "value")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("Microsoft Graph sent {what} without a value array."))?;
    let mut page = GraphPage {
        items: Vec::with_capacity(items.len()),
        problems: Vec::new(),
        next_link: text(&root, "@odata.nextLink").filter(|s| !s.is_empty()),
    };
    for (index, item) in items.iter().enumerate() {
        match parse(item) {
            Ok(v) => page.items.push(v),
            Err(message) => page.problems.push(ItemProblem {
                index,
                id: text(item, "id"),
                message,
            }),
        }
    }
    Ok(page)
}

fn units(object: &Value, key: &str) -> Option<u32> {
    count(object, key).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// Reads one `companySubscription`; the error names the missing or malformed field.
pub fn parse_subscription(item: &Value) -> Result<TenantSubscription, String> {
    if !item.is_object() {
        return Err("the item is not an object".into());
    }
    let id = text(item, "id")
        .filter(|s| !s.is_empty())
        .ok_or("field id is missing")?;
    let sku_part_number = text(item, "skuPartNumber")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("subscription {id}: field skuPartNumber is missing"))?;
    let total_licenses = units(item, "totalLicenses").ok_or_else(|| {
        format!(
            "subscription {id} ({sku_part_number}): field totalLicenses is missing or not a number"
        )
    })?;
    let next = text(item, "nextLifecycleDateTime").filter(|s| !s.is_empty());
    let next_lifecycle_on = match next {
        Some(t) => Some(calendar_date(&t).ok_or_else(|| {
            format!(
                "subscription {id} ({sku_part_number}): nextLifecycleDateTime {t:?} is not a date"
            )
        })?),
        None => None,
    };
    Ok(TenantSubscription {
        commerce_subscription_id: text(item, "commerceSubscriptionId").filter(|s| !s.is_empty()),
        sku_id: text(item, "skuId").filter(|s| !s.is_empty()),
        status: text(item, "status").unwrap_or_else(|| "Enabled".into()),
        total_licenses,
        is_trial: flag(item, "isTrial").unwrap_or(false),
        next_lifecycle_on,
        created_on: text(item, "createdDateTime")
            .as_deref()
            .and_then(calendar_date),
        owner_tenant_id: text(item, "ownerTenantId").filter(|s| !s.is_empty()),
        sku_part_number,
        id,
    })
}

/// Parses a page of `GET /v1.0/directory/subscriptions`.
pub fn parse_subscription_page(body: &str) -> Result<GraphPage<TenantSubscription>, String> {
    parse_graph_page(body, "a subscription list", parse_subscription)
}

/// Reads one `subscribedSku`.
pub fn parse_sku(item: &Value) -> Result<TenantSku, String> {
    if !item.is_object() {
        return Err("the item is not an object".into());
    }
    let sku_part_number = text(item, "skuPartNumber")
        .filter(|s| !s.is_empty())
        .ok_or("field skuPartNumber is missing")?;
    let prepaid = field(item, "prepaidUnits").unwrap_or(&Value::Null);
    Ok(TenantSku {
        sku_id: text(item, "skuId").filter(|s| !s.is_empty()),
        capability_status: text(item, "capabilityStatus").unwrap_or_default(),
        consumed_units: units(item, "consumedUnits").unwrap_or(0),
        enabled_units: units(prepaid, "enabled").unwrap_or(0),
        warning_units: units(prepaid, "warning").unwrap_or(0),
        suspended_units: units(prepaid, "suspended").unwrap_or(0),
        sku_part_number,
    })
}

/// Parses `GET /v1.0/subscribedSkus`.
pub fn parse_sku_page(body: &str) -> Result<GraphPage<TenantSku>, String> {
    parse_graph_page(body, "a licence list", parse_sku)
}

/// The query of an `@odata.nextLink` (`$top=…&$skiptoken=…`), to send to the same proxy path.
#[must_use]
pub fn next_page_query(next_link: &str) -> Option<String> {
    let (_, query) = next_link.split_once('?')?;
    let query = query.split('#').next().unwrap_or("");
    (!query.is_empty()).then(|| query.to_string())
}

/// A product in Cutover's SKU catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkuInfo {
    /// `skuPartNumber`.
    pub part_number: &'static str,
    /// Product name in English.
    pub name_en: &'static str,
    /// Product name in Japanese.
    pub name_ja: &'static str,
    /// Free or self-service licence: never an original to move.
    pub free: bool,
    /// Enterprise plan (for the channel guess).
    pub enterprise: bool,
}

const fn sku(
    part_number: &'static str,
    name_en: &'static str,
    name_ja: &'static str,
    free: bool,
    enterprise: bool,
) -> SkuInfo {
    SkuInfo {
        part_number,
        name_en,
        name_ja,
        free,
        enterprise,
    }
}

/// The common Microsoft 365 SKUs (names from Microsoft's licensing service plan reference; the
/// Japanese names are those Microsoft's Japanese admin center uses).
pub static SKU_CATALOGUE: &[SkuInfo] = &[
    sku(
        "O365_BUSINESS_ESSENTIALS",
        "Microsoft 365 Business Basic",
        "Microsoft 365 Business Basic",
        false,
        false,
    ),
    sku(
        "O365_BUSINESS_PREMIUM",
        "Microsoft 365 Business Standard",
        "Microsoft 365 Business Standard",
        false,
        false,
    ),
    sku(
        "SPB",
        "Microsoft 365 Business Premium",
        "Microsoft 365 Business Premium",
        false,
        false,
    ),
    sku(
        "O365_BUSINESS",
        "Microsoft 365 Apps for business",
        "Microsoft 365 Apps for business",
        false,
        false,
    ),
    sku(
        "OFFICESUBSCRIPTION",
        "Microsoft 365 Apps for enterprise",
        "Microsoft 365 Apps for enterprise",
        false,
        true,
    ),
    sku(
        "EXCHANGESTANDARD",
        "Exchange Online (Plan 1)",
        "Exchange Online (プラン 1)",
        false,
        false,
    ),
    sku(
        "EXCHANGEENTERPRISE",
        "Exchange Online (Plan 2)",
        "Exchange Online (プラン 2)",
        false,
        false,
    ),
    sku(
        "EXCHANGEDESKLESS",
        "Exchange Online Kiosk",
        "Exchange Online Kiosk",
        false,
        false,
    ),
    sku(
        "STANDARDPACK",
        "Office 365 E1",
        "Office 365 E1",
        false,
        true,
    ),
    sku(
        "ENTERPRISEPACK",
        "Office 365 E3",
        "Office 365 E3",
        false,
        true,
    ),
    sku(
        "ENTERPRISEPREMIUM",
        "Office 365 E5",
        "Office 365 E5",
        false,
        true,
    ),
    sku(
        "ENTERPRISEPREMIUM_NOPSTNCONF",
        "Office 365 E5 (without Audio Conferencing)",
        "Office 365 E5 (電話会議なし)",
        false,
        true,
    ),
    sku(
        "SPE_E3",
        "Microsoft 365 E3",
        "Microsoft 365 E3",
        false,
        true,
    ),
    sku(
        "SPE_E3_RPA1",
        "Microsoft 365 E3 - Unattended License",
        "Microsoft 365 E3 - 無人ライセンス",
        false,
        true,
    ),
    sku(
        "SPE_E5",
        "Microsoft 365 E5",
        "Microsoft 365 E5",
        false,
        true,
    ),
    sku(
        "SPE_F1",
        "Microsoft 365 F3",
        "Microsoft 365 F3",
        false,
        false,
    ),
    sku(
        "EMS",
        "Enterprise Mobility + Security E3",
        "Enterprise Mobility + Security E3",
        false,
        true,
    ),
    sku(
        "EMSPREMIUM",
        "Enterprise Mobility + Security E5",
        "Enterprise Mobility + Security E5",
        false,
        true,
    ),
    sku(
        "AAD_PREMIUM",
        "Microsoft Entra ID P1",
        "Microsoft Entra ID P1",
        false,
        false,
    ),
    sku(
        "VISIOCLIENT",
        "Visio Plan 2",
        "Visio プラン 2",
        false,
        false,
    ),
    sku(
        "PROJECTPROFESSIONAL",
        "Project Plan 3",
        "Project プラン 3",
        false,
        false,
    ),
    sku("POWER_BI_PRO", "Power BI Pro", "Power BI Pro", false, false),
    sku(
        "MCOEV",
        "Microsoft Teams Phone Standard",
        "Microsoft Teams Phone Standard",
        false,
        false,
    ),
    sku(
        "Microsoft_Teams_Premium",
        "Microsoft Teams Premium",
        "Microsoft Teams Premium",
        false,
        false,
    ),
    sku(
        "FLOW_FREE",
        "Microsoft Power Automate Free",
        "Microsoft Power Automate Free",
        true,
        false,
    ),
    sku(
        "POWER_BI_STANDARD",
        "Microsoft Fabric (Free)",
        "Microsoft Fabric (無料)",
        true,
        false,
    ),
    sku(
        "TEAMS_EXPLORATORY",
        "Microsoft Teams Exploratory",
        "Microsoft Teams Exploratory",
        true,
        false,
    ),
    sku(
        "POWERAPPS_VIRAL",
        "Microsoft Power Apps Plan 2 Trial",
        "Microsoft Power Apps Plan 2 試用版",
        true,
        false,
    ),
    sku(
        "STREAM",
        "Microsoft Stream",
        "Microsoft Stream",
        true,
        false,
    ),
    sku(
        "WINDOWS_STORE",
        "Windows Store for Business",
        "ビジネス向け Windows ストア",
        true,
        false,
    ),
    sku(
        "RIGHTSMANAGEMENT_ADHOC",
        "Rights Management Adhoc",
        "Rights Management Adhoc",
        true,
        false,
    ),
    sku(
        "MCOMEETADV",
        "Microsoft 365 Audio Conferencing",
        "Microsoft 365 電話会議",
        false,
        false,
    ),
];

/// The catalogue entry for a part number (case-insensitive).
#[must_use]
pub fn sku_info(part_number: &str) -> Option<&'static SkuInfo> {
    SKU_CATALOGUE
        .iter()
        .find(|s| s.part_number.eq_ignore_ascii_case(part_number.trim()))
}

/// The product name in English (`japanese = false`) or Japanese; an unknown part number is shown
/// as itself.
#[must_use]
pub fn product_name(part_number: &str, japanese: bool) -> String {
    match sku_info(part_number) {
        Some(s) if japanese => s.name_ja.to_string(),
        Some(s) => s.name_en.to_string(),
        None => part_number.trim().to_string(),
    }
}

/// Whether a part number is a free or self-service licence (in the catalogue, or named so).
#[must_use]
pub fn is_free_sku(part_number: &str) -> bool {
    match sku_info(part_number) {
        Some(s) => s.free,
        None => {
            let p = part_number.to_ascii_uppercase();
            p.contains("_FREE") || p.ends_with("_VIRAL") || p.contains("TRIAL")
        }
    }
}

/// A subscription found in the tenant that Cutover proposes as an original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    /// Graph's subscription id.
    pub tenant_subscription_id: String,
    /// `skuPartNumber`.
    pub sku_part_number: String,
    /// Whether the part number is in Cutover's catalogue (otherwise the names are the part number).
    pub known_sku: bool,
    /// Product name in English.
    pub product_name_en: String,
    /// Product name in Japanese.
    pub product_name_ja: String,
    /// Seats (`totalLicenses`).
    pub seats: u32,
    /// End date (the date of `nextLifecycleDateTime`); `None` when Graph gave none.
    pub end_date: Option<Date>,
    /// True when the end date is unknown: the partner must enter it before it can be planned.
    pub end_date_unknown: bool,
    /// Graph's status (`Enabled`, `Warning`, …).
    pub status: String,
    /// True when the end date is already past (the subscription is in its grace period).
    pub already_ended: bool,
    /// The guessed channel (see the module documentation).
    pub channel: Channel,
}

impl Proposal {
    /// The original subscription this proposal becomes when the partner accepts it (the end date
    /// must be known); `id` is the record's id for it.
    #[must_use]
    pub fn to_original(&self, id: String) -> Option<OriginalSubscription> {
        Some(OriginalSubscription {
            id,
            offer_id: None,
            offer_name: self.product_name_en.clone(),
            seats: self.seats,
            end_date: self.end_date?,
            channel: self.channel,
            auto_renew: false,
            price: None,
            target: None,
            confirmed: Default::default(),
            tenant_subscription_id: Some(self.tenant_subscription_id.clone()),
            path: Default::default(),
        })
    }
}

fn guess_channel(s: &TenantSubscription) -> Channel {
    if s.owner_tenant_id.is_some() {
        return Channel::Partner;
    }
    match sku_info(&s.sku_part_number) {
        Some(info) if info.enterprise && s.total_licenses >= EA_SEAT_THRESHOLD => Channel::Ea,
        _ => Channel::Direct,
    }
}

/// The tenant's subscriptions that are originals to move, in the tenant's order: not this
/// partner's CSP subscriptions (`commerceSubscriptionId` equal to one of `csp_subscription_ids`),
/// not trials, not free licences, not deleted, and with at least one seat. A subscription without
/// `nextLifecycleDateTime` is proposed with `end_date_unknown`, never dropped.
#[must_use]
pub fn propose_originals(
    tenant_subs: &[TenantSubscription],
    csp_subscription_ids: &[String],
    today: Date,
) -> Vec<Proposal> {
    tenant_subs
        .iter()
        .filter(|s| {
            !s.commerce_subscription_id.as_deref().is_some_and(|c| {
                csp_subscription_ids
                    .iter()
                    .any(|id| id.trim().eq_ignore_ascii_case(c.trim()))
            })
        })
        .filter(|s| !s.is_trial && !is_free_sku(&s.sku_part_number))
        .filter(|s| !s.status.eq_ignore_ascii_case("deleted") && s.total_licenses > 0)
        .map(|s| Proposal {
            tenant_subscription_id: s.id.clone(),
            sku_part_number: s.sku_part_number.clone(),
            known_sku: sku_info(&s.sku_part_number).is_some(),
            product_name_en: product_name(&s.sku_part_number, false),
            product_name_ja: product_name(&s.sku_part_number, true),
            seats: s.total_licenses,
            end_date: s.next_lifecycle_on,
            end_date_unknown: s.next_lifecycle_on.is_none(),
            status: s.status.clone(),
            already_ended: s.next_lifecycle_on.is_some_and(|d| d < today),
            channel: guess_channel(s),
        })
        .collect()
}

/// A field of an original that discovery compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OriginalField {
    /// `offerName`.
    OfferName,
    /// `seats`.
    Seats,
    /// `endDate`.
    EndDate,
    /// The link to the tenant's subscription.
    TenantSubscriptionId,
}

/// One field that would change, old → new, as text for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// Which field.
    pub field: OriginalField,
    /// The stored value (empty when none).
    pub old: String,
    /// The tenant's value.
    pub new: String,
}

/// How one proposal or stored original compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum OriginalDiff {
    /// In the tenant, not in the record.
    #[serde(rename_all = "camelCase")]
    New {
        /// What would be added.
        proposal: Proposal,
    },
    /// In both, with differences.
    #[serde(rename_all = "camelCase")]
    Changed {
        /// The stored original's id.
        original_id: String,
        /// The tenant's values.
        proposal: Proposal,
        /// What differs, field by field.
        changes: Vec<FieldChange>,
    },
    /// In both, the same.
    #[serde(rename_all = "camelCase")]
    Unchanged {
        /// The stored original's id.
        original_id: String,
        /// Graph's subscription id.
        tenant_subscription_id: String,
    },
    /// In the record, not (or no longer) in the tenant's originals.
    #[serde(rename_all = "camelCase")]
    Gone {
        /// The stored original's id.
        original_id: String,
        /// Its offer name.
        offer_name: String,
        /// Whether it had been linked to a tenant subscription (false: typed or imported by hand).
        linked: bool,
    },
}

fn same_product(stored: &OriginalSubscription, p: &Proposal) -> bool {
    let name = stored.offer_name.trim();
    name.eq_ignore_ascii_case(&p.product_name_en)
        || name == p.product_name_ja
        || name.eq_ignore_ascii_case(&p.sku_part_number)
}

/// A rule that pairs a stored original without a link with a proposal.
type MatchRule = dyn Fn(&OriginalSubscription, &Proposal) -> bool;

/// Compares proposals with the stored originals. Matching is by the stored
/// `tenant_subscription_id`; a stored original without one (typed or imported) matches an
/// unclaimed proposal of the same product with the same end date, or failing that the same seats.
/// Every proposal and every stored original appears exactly once in the result.
#[must_use]
pub fn diff_originals(
    proposals: &[Proposal],
    stored: &[OriginalSubscription],
) -> Vec<OriginalDiff> {
    let mut claimed: Vec<Option<usize>> = vec![None; proposals.len()];
    let mut matched: Vec<Option<usize>> = vec![None; stored.len()];
    for (si, s) in stored.iter().enumerate() {
        if let Some(tid) = &s.tenant_subscription_id
            && let Some(pi) = proposals
                .iter()
                .position(|p| p.tenant_subscription_id.eq_ignore_ascii_case(tid))
            && claimed[pi].is_none()
        {
            claimed[pi] = Some(si);
            matched[si] = Some(pi);
        }
    }
    let passes: [&MatchRule; 2] = [
        &|s, p| same_product(s, p) && p.end_date == Some(s.end_date),
        &|s, p| same_product(s, p) && p.seats == s.seats,
    ];
    for pass in passes {
        for (si, s) in stored.iter().enumerate() {
            if matched[si].is_some() || s.tenant_subscription_id.is_some() {
                continue;
            }
            if let Some(pi) =
                (0..proposals.len()).find(|&pi| claimed[pi].is_none() && pass(s, &proposals[pi]))
            {
                claimed[pi] = Some(si);
                matched[si] = Some(pi);
            }
        }
    }
    let mut out = Vec::with_capacity(proposals.len() + stored.len());
    for (pi, p) in proposals.iter().enumerate() {
        let Some(si) = claimed[pi] else {
            out.push(OriginalDiff::New {
                proposal: p.clone(),
            });
            continue;
        };
        let s = &stored[si];
        let mut changes = Vec::new();
        if !same_product(s, p) {
            changes.push(FieldChange {
                field: OriginalField::OfferName,
                old: s.offer_name.clone(),
                new: p.product_name_en.clone(),
            });
        }
        if s.seats != p.seats {
            changes.push(FieldChange {
                field: OriginalField::Seats,
                old: s.seats.to_string(),
                new: p.seats.to_string(),
            });
        }
        if let Some(end) = p.end_date
            && end != s.end_date
        {
            changes.push(FieldChange {
                field: OriginalField::EndDate,
                old: s.end_date.to_string(),
                new: end.to_string(),
            });
        }
        if s.tenant_subscription_id.as_deref() != Some(p.tenant_subscription_id.as_str()) {
            changes.push(FieldChange {
                field: OriginalField::TenantSubscriptionId,
                old: s.tenant_subscription_id.clone().unwrap_or_default(),
                new: p.tenant_subscription_id.clone(),
            });
        }
        out.push(if changes.is_empty() {
            OriginalDiff::Unchanged {
                original_id: s.id.clone(),
                tenant_subscription_id: p.tenant_subscription_id.clone(),
            }
        } else {
            OriginalDiff::Changed {
                original_id: s.id.clone(),
                proposal: p.clone(),
                changes,
            }
        });
    }
    for (si, s) in stored.iter().enumerate() {
        if matched[si].is_none() {
            out.push(OriginalDiff::Gone {
                original_id: s.id.clone(),
                offer_name: s.offer_name.clone(),
                linked: s.tenant_subscription_id.is_some(),
            });
        }
    }
    out
}

/// What differs between a linked original in the record and the tenant now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum DriftKind {
    /// The tenant's end date moved (renewed, or changed by the seller).
    #[serde(rename_all = "camelCase")]
    EndDate {
        /// In the record.
        recorded: Date,
        /// In the tenant; `None` when the tenant no longer gives one.
        tenant: Option<Date>,
    },
    /// The tenant has a different number of seats.
    #[serde(rename_all = "camelCase")]
    Seats {
        /// In the record.
        recorded: u32,
        /// In the tenant.
        tenant: u32,
    },
    /// The subscription is no longer in the tenant, or is deleted there.
    Gone,
}

/// One difference to show as a warning on the checklist and in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Drift {
    /// The stored original's id.
    pub original_id: String,
    /// Its offer name, for the sentence.
    pub offer_name: String,
    /// What differs.
    pub kind: DriftKind,
}

/// Differences between the record's linked originals (those with a `tenant_subscription_id`) and
/// the tenant's subscriptions now. Originals that were never linked are not compared.
#[must_use]
pub fn drift(stored: &[OriginalSubscription], tenant_subs: &[TenantSubscription]) -> Vec<Drift> {
    let mut out = Vec::new();
    for s in stored {
        let Some(tid) = &s.tenant_subscription_id else {
            continue;
        };
        let push = |out: &mut Vec<Drift>, kind| {
            out.push(Drift {
                original_id: s.id.clone(),
                offer_name: s.offer_name.clone(),
                kind,
            });
        };
        let found = tenant_subs
            .iter()
            .find(|t| t.id.eq_ignore_ascii_case(tid))
            .filter(|t| !t.status.eq_ignore_ascii_case("deleted"));
        let Some(t) = found else {
            push(&mut out, DriftKind::Gone);
            continue;
        };
        if t.next_lifecycle_on != Some(s.end_date) {
            push(
                &mut out,
                DriftKind::EndDate {
                    recorded: s.end_date,
                    tenant: t.next_lifecycle_on,
                },
            );
        }
        if t.total_licenses != s.seats {
            push(
                &mut out,
                DriftKind::Seats {
                    recorded: s.seats,
                    tenant: t.total_licenses,
                },
            );
        }
    }
    out
}

/// What a reading of one tenant found, against the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiscoverySummary {
    /// Subscriptions proposed as originals.
    pub proposed: usize,
    /// Differences from the plan waiting for the partner (new, changed, gone).
    pub differ: usize,
}

/// Counts what a reading proposes and how much of it differs from the stored originals.
#[must_use]
pub fn summarize(proposals: &[Proposal], stored: &[OriginalSubscription]) -> DiscoverySummary {
    DiscoverySummary {
        proposed: proposals.len(),
        differ: diff_originals(proposals, stored)
            .iter()
            .filter(|d| !matches!(d, OriginalDiff::Unchanged { .. }))
            .count(),
    }
}

/// What accepting discovered subscriptions did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accepted {
    /// Originals added.
    pub added: usize,
    /// Originals changed.
    pub changed: usize,
    /// Originals removed (gone from the tenant, and the partner chose to remove them).
    pub removed: usize,
    /// New subscriptions not added because the tenant gives no end date (enter one by hand).
    pub without_end_date: usize,
}

/// Applies the differences the partner accepted to the record, and keeps what was read from the
/// tenant so later differences show as warnings.
pub fn accept_discovery(
    record: &mut crate::record::MigrationRecord,
    accepted: &[OriginalDiff],
    snapshot: TenantSnapshot,
) -> Accepted {
    let mut done = Accepted::default();
    for diff in accepted {
        match diff {
            OriginalDiff::New { proposal } => {
                let id = record.fresh_original_id();
                match proposal.to_original(id) {
                    Some(o) => {
                        record.originals.push(o);
                        done.added += 1;
                    }
                    None => done.without_end_date += 1,
                }
            }
            OriginalDiff::Changed {
                original_id,
                proposal,
                changes,
            } => {
                let Some(o) = record.originals.iter_mut().find(|o| &o.id == original_id) else {
                    continue;
                };
                for c in changes {
                    match c.field {
                        OriginalField::OfferName => o.offer_name = proposal.product_name_en.clone(),
                        OriginalField::Seats => o.seats = proposal.seats,
                        OriginalField::EndDate => {
                            if let Some(end) = proposal.end_date {
                                o.end_date = end;
                            }
                        }
                        OriginalField::TenantSubscriptionId => {
                            o.tenant_subscription_id =
                                Some(proposal.tenant_subscription_id.clone());
                        }
                    }
                }
                done.changed += 1;
            }
            OriginalDiff::Gone { original_id, .. } => {
                let before = record.originals.len();
                record.originals.retain(|o| &o.id != original_id);
                done.removed += before - record.originals.len();
            }
            OriginalDiff::Unchanged { .. } => {}
        }
    }
    record.tenant = Some(snapshot);
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn sub(id: &str, part: &str, seats: u32, end: Option<&str>) -> TenantSubscription {
        TenantSubscription {
            id: id.into(),
            commerce_subscription_id: Some(format!("commerce-{id}")),
            sku_id: None,
            sku_part_number: part.into(),
            status: "Enabled".into(),
            total_licenses: seats,
            is_trial: false,
            next_lifecycle_on: end.map(d),
            created_on: None,
            owner_tenant_id: None,
        }
    }

    fn stored(
        id: &str,
        offer: &str,
        seats: u32,
        end: &str,
        tid: Option<&str>,
    ) -> OriginalSubscription {
        OriginalSubscription {
            tenant_subscription_id: tid.map(str::to_string),
            ..OriginalSubscription::for_test(id, offer, seats, end)
        }
    }

    #[test]
    fn parses_graph_pages_leniently_and_names_bad_items() {
        let body = r#"{"@odata.context":"x","value":[
          {"id":"a","commerceSubscriptionId":"c-a","skuId":"s","skuPartNumber":"SPE_E3","status":"Enabled",
           "totalLicenses":"25","isTrial":"false","nextLifecycleDateTime":"2027-02-01T23:59:59Z"},
          {"id":"b","skuPartNumber":"FLOW_FREE","totalLicenses":10000,"nextLifecycleDateTime":null},
          {"id":"c","skuPartNumber":"SPB"},
          {"id":"d","skuPartNumber":"SPB","totalLicenses":3,"nextLifecycleDateTime":"soon"},
          {"totalLicenses":1}],
          "@odata.nextLink":"https://graph.microsoft.com/v1.0/directory/subscriptions?$top=100&$skiptoken=X1"}"#;
        let page = parse_subscription_page(body).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].total_licenses, 25);
        assert_eq!(page.items[0].next_lifecycle_on, Some(d("2027-02-01")));
        assert_eq!(page.items[1].next_lifecycle_on, None);
        assert_eq!(page.problems.len(), 3);
        assert!(page.problems[0].message.contains("totalLicenses"));
        assert!(page.problems[1].message.contains("nextLifecycleDateTime"));
        assert!(page.problems[2].message.contains("id"));
        assert_eq!(
            next_page_query(page.next_link.as_deref().unwrap()).as_deref(),
            Some("$top=100&$skiptoken=X1")
        );
        assert!(parse_subscription_page(r#"{"error":{}}"#).is_err());
        assert!(parse_subscription_page("Bad Gateway").is_err());
    }

    #[test]
    fn parses_subscribed_skus() {
        let body = r#"{"value":[{"skuId":"x","skuPartNumber":"EMS","capabilityStatus":"Warning",
          "consumedUnits":4,"prepaidUnits":{"enabled":0,"warning":5,"suspended":1}},{"skuId":"y"}]}"#;
        let page = parse_sku_page(body).unwrap();
        assert_eq!(page.items[0].warning_units, 5);
        assert_eq!(page.items[0].consumed_units, 4);
        assert_eq!(page.problems.len(), 1);
    }

    #[test]
    fn names_come_from_the_catalogue_in_both_languages_and_unknown_parts_show_as_themselves() {
        assert_eq!(
            product_name("o365_business_premium", false),
            "Microsoft 365 Business Standard"
        );
        assert_eq!(
            product_name("EXCHANGESTANDARD", true),
            "Exchange Online (プラン 1)"
        );
        assert_eq!(
            product_name("CPC_E_2C_8GB_128GB", true),
            "CPC_E_2C_8GB_128GB"
        );
        assert!(is_free_sku("FLOW_FREE") && is_free_sku("SOMETHING_FREE") && !is_free_sku("SPB"));
    }

    #[test]
    fn proposals_skip_csp_trials_free_and_deleted_but_keep_undated_ones() {
        let today = d("2026-11-24");
        let mut csp = sub("csp", "SPB", 10, Some("2027-05-01"));
        csp.commerce_subscription_id = Some("PC-SUB-1".into());
        let mut trial = sub("trial", "SPE_E5", 25, Some("2026-12-10"));
        trial.is_trial = true;
        let free = sub("free", "POWER_BI_STANDARD", 10_000, None);
        let mut deleted = sub("del", "SPB", 3, Some("2026-01-01"));
        deleted.status = "Deleted".into();
        let undated = sub("undated", "PROJECT_PLAN3_DEPT", 4, None);
        let mut ea = sub("ea", "SPE_E3", 400, Some("2027-03-31"));
        ea.status = "Enabled".into();
        let mut other_partner = sub("op", "O365_BUSINESS_PREMIUM", 12, Some("2026-11-20"));
        other_partner.owner_tenant_id = Some("another-partner".into());
        other_partner.status = "Warning".into();
        let subs = [csp, trial, free, deleted, undated, ea, other_partner];
        let p = propose_originals(&subs, &["pc-sub-1".to_string()], today);
        let ids: Vec<&str> = p
            .iter()
            .map(|p| p.tenant_subscription_id.as_str())
            .collect();
        assert_eq!(ids, ["undated", "ea", "op"]);
        assert!(p[0].end_date_unknown && !p[0].known_sku);
        assert_eq!(p[0].product_name_en, "PROJECT_PLAN3_DEPT");
        assert_eq!(p[0].to_original("o1".into()), None);
        assert_eq!(p[1].channel, Channel::Ea);
        assert_eq!(p[1].seats, 400);
        assert_eq!(p[1].product_name_ja, "Microsoft 365 E3");
        assert_eq!(p[2].channel, Channel::Partner);
        assert!(p[2].already_ended);
        let o = p[1].to_original("o9".into()).unwrap();
        assert_eq!(o.end_date, d("2027-03-31"));
        assert_eq!(o.tenant_subscription_id.as_deref(), Some("ea"));
    }

    #[test]
    fn diff_lists_new_changed_unchanged_and_gone_once_each() {
        let today = d("2026-11-24");
        let subs = [
            sub("g1", "SPE_E3", 30, Some("2027-03-31")),
            sub("g2", "EXCHANGESTANDARD", 5, Some("2027-01-31")),
            sub("g3", "SPB", 8, Some("2027-06-30")),
            sub("g4", "O365_BUSINESS_ESSENTIALS", 10, Some("2027-02-28")),
        ];
        let proposals = propose_originals(&subs, &[], today);
        let records = [
            // Linked, seats changed.
            stored("o1", "Microsoft 365 E3", 25, "2027-03-31", Some("g1")),
            // Typed by hand, same product and end date: matched, gains the link.
            stored("o2", "Exchange Online (Plan 1)", 5, "2027-01-31", None),
            // Linked and identical.
            stored(
                "o3",
                "Microsoft 365 Business Premium",
                8,
                "2027-06-30",
                Some("g3"),
            ),
            // Linked to a subscription no longer in the tenant.
            stored("o4", "Office 365 E3", 50, "2027-04-30", Some("gone")),
        ];
        let diff = diff_originals(&proposals, &records);
        assert_eq!(diff.len(), 5);
        match &diff[0] {
            OriginalDiff::Changed {
                original_id,
                changes,
                ..
            } => {
                assert_eq!(original_id, "o1");
                assert_eq!(
                    changes,
                    &[FieldChange {
                        field: OriginalField::Seats,
                        old: "25".into(),
                        new: "30".into()
                    }]
                );
            }
            other => panic!("{other:?}"),
        }
        match &diff[1] {
            OriginalDiff::Changed {
                original_id,
                changes,
                ..
            } => {
                assert_eq!(original_id, "o2");
                assert_eq!(changes.len(), 1);
                assert_eq!(changes[0].field, OriginalField::TenantSubscriptionId);
                assert_eq!(changes[0].new, "g2");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&diff[2], OriginalDiff::Unchanged { original_id, .. } if original_id == "o3")
        );
        assert!(
            matches!(&diff[3], OriginalDiff::New { proposal } if proposal.tenant_subscription_id == "g4")
        );
        assert!(
            matches!(&diff[4], OriginalDiff::Gone { original_id, linked: true, .. } if original_id == "o4")
        );
    }

    #[test]
    fn accepting_every_proposal_then_diffing_again_shows_nothing_to_change() {
        let today = d("2026-11-24");
        let subs = [
            sub("g1", "SPE_E3", 30, Some("2027-03-31")),
            sub("g2", "SPB", 3, Some("2027-01-31")),
        ];
        let proposals = propose_originals(&subs, &[], today);
        let accepted: Vec<OriginalSubscription> = proposals
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.to_original(format!("o{i}")))
            .collect();
        let diff = diff_originals(&proposals, &accepted);
        assert!(
            diff.iter()
                .all(|d| matches!(d, OriginalDiff::Unchanged { .. })),
            "{diff:?}"
        );
    }

    #[test]
    fn a_customers_status_page_never_sees_the_tenant_subscription_id() {
        let mut r = crate::record::MigrationRecord::prospect("Contoso", "contoso.example");
        r.originals.push(stored(
            "o1",
            "Microsoft 365 E3",
            25,
            "2027-03-31",
            Some("g1"),
        ));
        let public = crate::wire::redact_for_customer(&r);
        assert_eq!(public.originals[0].tenant_subscription_id, None);
    }

    #[test]
    fn drift_reports_end_date_seats_and_gone_for_linked_originals_only() {
        let mut deleted = sub("g3", "SPB", 8, Some("2027-06-30"));
        deleted.status = "Deleted".into();
        let tenant = [
            sub("g1", "SPE_E3", 30, Some("2028-03-31")),
            sub("g2", "SPB", 3, Some("2027-01-31")),
            deleted,
        ];
        let records = [
            stored("o1", "Microsoft 365 E3", 25, "2027-03-31", Some("g1")),
            stored(
                "o2",
                "Microsoft 365 Business Premium",
                3,
                "2027-01-31",
                Some("G2"),
            ),
            stored(
                "o3",
                "Microsoft 365 Business Premium",
                8,
                "2027-06-30",
                Some("g3"),
            ),
            stored("o4", "Typed by hand", 8, "2027-06-30", None),
        ];
        let drift = drift(&records, &tenant);
        assert_eq!(
            drift
                .iter()
                .map(|d| (d.original_id.as_str(), &d.kind))
                .collect::<Vec<_>>(),
            vec![
                (
                    "o1",
                    &DriftKind::EndDate {
                        recorded: d("2027-03-31"),
                        tenant: Some(d("2028-03-31"))
                    }
                ),
                (
                    "o1",
                    &DriftKind::Seats {
                        recorded: 25,
                        tenant: 30
                    }
                ),
                ("o3", &DriftKind::Gone),
            ]
        );
    }

    #[test]
    fn accepting_discovery_adds_changes_removes_only_what_was_chosen_and_keeps_the_snapshot() {
        let today = d("2026-12-01");
        let tenant = vec![
            sub("g-new", "O365_BUSINESS_PREMIUM", 20, Some("2027-06-30")),
            sub("g-nodate", "EXCHANGESTANDARD", 5, None),
            sub("g-e3", "ENTERPRISEPACK", 12, Some("2027-03-31")),
        ];
        let mut record = crate::record::MigrationRecord::prospect("Contoso", "contoso.example");
        record.originals = vec![
            stored("o1", "Office 365 E3", 10, "2027-03-31", Some("g-e3")),
            stored(
                "o2",
                "Exchange Online (Plan 2)",
                3,
                "2027-01-31",
                Some("g-gone"),
            ),
        ];
        let proposals = propose_originals(&tenant, &[], today);
        let diffs = diff_originals(&proposals, &record.originals);
        // The partner accepts everything except removing the gone one.
        let chosen: Vec<_> = diffs
            .iter()
            .filter(|d| !matches!(d, OriginalDiff::Gone { .. }))
            .cloned()
            .collect();
        let snapshot = TenantSnapshot {
            read_on: today,
            subscriptions: tenant.clone(),
        };
        let done = accept_discovery(&mut record, &chosen, snapshot.clone());
        assert_eq!(done.added, 1);
        assert_eq!(done.changed, 1);
        assert_eq!(done.removed, 0);
        assert_eq!(done.without_end_date, 1);
        assert_eq!(record.originals.len(), 3);
        assert_eq!(record.originals[0].seats, 12);
        assert_eq!(record.originals[2].id, "o3");
        assert_eq!(
            record.originals[2].tenant_subscription_id.as_deref(),
            Some("g-new")
        );
        assert_eq!(record.tenant.as_ref(), Some(&snapshot));
        // Accepting the removal afterwards removes it.
        let gone: Vec<_> = diffs
            .into_iter()
            .filter(|d| matches!(d, OriginalDiff::Gone { .. }))
            .collect();
        let done = accept_discovery(&mut record, &gone, snapshot);
        assert_eq!(done.removed, 1);
        assert!(record.originals.iter().all(|o| o.id != "o2"));
    }
}
