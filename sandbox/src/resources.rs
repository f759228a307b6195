//! Partner Center resource shapes (customers, subscriptions, subscribed SKUs, collections).
use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::catalog::{FREE_SKUS, OFFERS};
use crate::data::{Subscription, Tenant};
use crate::dates::{Date, timestamp};

/// A link object `{uri, method, headers}`.
pub fn link(uri: &str) -> Value {
    json!({"uri": uri, "method": "GET", "headers": []})
}

/// A plain (not seek-based) collection.
pub fn collection(items: Vec<Value>, self_uri: &str) -> Value {
    json!({
        "totalCount": items.len(),
        "items": items,
        "links": {"self": link(self_uri)},
        "attributes": {"objectType": "Collection"},
    })
}

/// A customer; `detailed` adds what only get-by-id returns (address, billing profile, domains).
pub fn customer(t: &Tenant, detailed: bool) -> Value {
    let mut profile = json!({
        "tenantId": t.id,
        "domain": t.domain,
        "companyName": t.name,
        "attributes": {"objectType": "CustomerCompanyProfile"},
    });
    let mut value = json!({
        "id": t.id,
        "commerceId": t.commerce_id,
        "companyProfile": null,
        "relationshipToPartner": if t.is_customer() { "reseller" } else { "none" },
        "links": {"self": link(&format!("/v1/customers/{}", t.id))},
        "attributes": {"objectType": "Customer"},
    });
    if detailed {
        let a = &t.address;
        let address = json!({
            "country": t.country.code,
            "city": a.city,
            "state": a.state,
            "addressLine1": a.line1,
            "postalCode": a.postal_code,
            "firstName": a.first_name,
            "lastName": a.last_name,
            "phoneNumber": a.phone,
        });
        profile["address"] = address.clone();
        profile["email"] = json!(a.email);
        value["billingProfile"] = json!({
            "id": t.commerce_id,
            "firstName": a.first_name,
            "lastName": a.last_name,
            "email": a.email,
            "culture": t.country.culture,
            "language": t.country.language,
            "companyName": t.name,
            "defaultAddress": address,
            "attributes": {"etag": format!("{:x}", t.id.len() * 7919 + t.name.len()), "objectType": "CustomerBillingProfile"},
        });
        value["customDomains"] = json!(t.domains);
        value["allowDelegatedAccess"] = json!(false);
    }
    value["companyProfile"] = profile;
    value
}

/// A CSP subscription of `customer_id` as the service returns it at instant `now`.
pub fn subscription(customer_id: &str, s: &Subscription, now: i64) -> Value {
    let offer = s.offer();
    let (product, rest) = offer.offer_id.split_at(12);
    let sku = &rest[1..5];
    let availability = &rest[6..];
    let window_end = s.created + 7 * 86_400;
    let refund_options: Vec<Value> = if now < window_end {
        vec![json!({"type": "Partial", "expiresAt": timestamp(window_end, None)})]
    } else {
        Vec::new()
    };
    let details: Vec<Value> = s
        .refundable
        .iter()
        .filter(|(_, until)| *until > now)
        .map(|(q, until)| json!({"quantity": q, "allowedUntilDateTime": timestamp(*until, Some(1_827_360))}))
        .collect();
    let today = Date(now.div_euclid(86_400));
    let cycle_end = billing_cycle_end(s, today);
    let frac = (s.created.unsigned_abs() % 9_999_991) as u32;
    json!({
        "id": s.id,
        "offerId": offer.offer_id,
        "offerName": offer.name,
        "friendlyName": s.friendly_name,
        "productType": {"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"},
        "quantity": s.quantity,
        "unitType": "Licenses",
        "hasPurchasableAddons": false,
        "creationDate": timestamp(s.created, Some(frac)),
        "effectiveStartDate": timestamp(s.start.midnight(), Some(0)),
        "commitmentEndDate": format!("{}T00:00:00Z", s.end),
        "commitmentEndDateTime": format!("{}T23:59:59Z", s.end),
        "billingCycleEndDate": format!("{cycle_end}T00:00:00Z"),
        "billingCycleEndDateTime": format!("{cycle_end}T23:59:59Z"),
        "cancellationAllowedUntilDate": timestamp(window_end, None),
        "status": s.status,
        "autoRenewEnabled": s.auto_renew,
        "isTrial": false,
        "billingType": "license",
        "billingCycle": s.billing_cycle,
        "termDuration": s.term,
        "renewalTermDuration": s.term,
        "refundOptions": refund_options,
        "refundableQuantity": {"totalQuantity": s.refundable_quantity(now), "details": details},
        "isMicrosoftProduct": true,
        "publisherName": "Microsoft Corporation",
        "contractType": "subscription",
        "orderId": s.order_id,
        "actions": if s.status == "active" { json!(["edit", "cancel"]) } else { json!([]) },
        "links": {
            "product": link(&format!("/v1/products/{product}?country=US")),
            "sku": link(&format!("/v1/products/{product}/skus/{sku}?country=US")),
            "availability": link(&format!("/v1/products/{product}/skus/{sku}/availabilities/{availability}?country=US")),
            "self": link(&format!("/v1/customers/{customer_id}/subscriptions/{}", s.id)),
        },
        "attributes": {"etag": s.etag(), "objectType": "Subscription"},
    })
}

/// The last day of the billing period containing `today`, capped at the term end.
fn billing_cycle_end(s: &Subscription, today: Date) -> Date {
    let step = match s.billing_cycle {
        "monthly" => 1,
        "annual" => 12,
        _ => return s.end,
    };
    let mut k = step;
    loop {
        let end = s.start.add_months(k).add_days(-1);
        if end >= today || end >= s.end || k > 120 {
            return end.min(s.end);
        }
        k += step;
    }
}

#[derive(Default)]
struct Units {
    active: u32,
    warning: u32,
    suspended: u32,
}

/// Every licence in the tenant, CSP or not, grouped by SKU as `subscribedskus` reports them.
pub fn subscribed_skus(t: &Tenant, today: Date) -> Vec<Value> {
    let mut by_offer: BTreeMap<usize, Units> = BTreeMap::new();
    for s in &t.subscriptions {
        let u = by_offer.entry(s.offer).or_default();
        match s.status {
            "active" => u.active += s.quantity,
            "expired" => u.warning += s.quantity,
            "suspended" => u.suspended += s.quantity,
            _ => {}
        }
    }
    for o in &t.originals {
        let u = by_offer.entry(o.offer).or_default();
        let days_past_end = today.0 - o.end.0;
        if days_past_end <= 0 {
            u.active += o.seats;
        } else if days_past_end <= 30 {
            u.warning += o.seats;
        } else if days_past_end <= 120 {
            u.suspended += o.seats;
        }
    }
    let mut items = Vec::new();
    for (offer, u) in by_offer {
        let offer = &OFFERS[offer];
        let total = u.active + u.warning;
        let consumed = total * t.utilisation / 100;
        let status = if u.active > 0 {
            "Enabled"
        } else if u.warning > 0 {
            "Warning"
        } else {
            "Suspended"
        };
        let plans: Vec<Value> = offer
            .plans
            .iter()
            .map(|(id, service, display)| {
                json!({"id": id, "displayName": display, "serviceName": service, "capabilityStatus": "Enabled", "targetType": "User"})
            })
            .collect();
        items.push(sku_item(
            offer.sku_id,
            offer.name,
            offer.sku_part,
            (u.active, consumed, u.suspended, u.warning),
            plans,
            status,
        ));
    }
    for &(k, units, consumed) in &t.free_skus {
        let f = &FREE_SKUS[k];
        items.push(sku_item(
            f.sku_id,
            f.name,
            f.sku_part,
            (units, consumed, 0, 0),
            Vec::new(),
            "Enabled",
        ));
    }
    items
}

fn sku_item(
    id: &str,
    name: &str,
    part: &str,
    units: (u32, u32, u32, u32),
    plans: Vec<Value>,
    status: &str,
) -> Value {
    let (active, consumed, suspended, warning) = units;
    let total = active + warning;
    json!({
        "availableUnits": total.saturating_sub(consumed),
        "activeUnits": active,
        "consumedUnits": consumed,
        "suspendedUnits": suspended,
        "totalUnits": total,
        "warningUnits": warning,
        "productSku": {"id": id, "name": name, "skuPartNumber": part, "targetType": "User", "licenseGroupId": "group1"},
        "servicePlans": plans,
        "capabilityStatus": status,
        "attributes": {"objectType": "SubscribedSku"},
    })
}
