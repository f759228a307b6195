//! Partner Center responses, parsed leniently.
//!
//! The real service is untidier than its documented schemas: keys arrive in camelCase or PascalCase,
//! numbers as strings, `totalCount` may disagree with `items`, and error bodies come in two shapes.
//! Everything here reads a `serde_json::Value` and takes what it can, per item: one malformed
//! customer is reported (which one, which field) and the rest of the page still loads.
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A customer as Cutover uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Partner Center customer id (the customer's tenant id).
    pub id: String,
    /// The customer's primary domain, lower-cased.
    pub domain: String,
    /// The company name as Partner Center has it.
    pub company_name: String,
    /// `relationshipToPartner`: `reseller`, `advisor`, `none`, … (lower-cased).
    pub relationship: String,
}

/// One item of a page that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemProblem {
    /// Position of the item in its page (0-based).
    pub index: usize,
    /// The item's id when it had one.
    pub id: Option<String>,
    /// What was wrong, as a sentence.
    pub message: String,
}

/// One page of `GET /v1/customers`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerPage {
    /// `totalCount` as the service reported it (may disagree with the items).
    pub total_count: Option<u64>,
    /// The customers that could be read.
    pub customers: Vec<Customer>,
    /// The items that could not be read.
    pub problems: Vec<ItemProblem>,
    /// Token to send as `MS-ContinuationToken` for the next page, if there is one.
    pub continuation_token: Option<String>,
}

/// Looks a key up ignoring ASCII case (`totalCount`, `TotalCount`, `totalcount`).
pub fn field<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    let map = object.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A string field, also accepting numbers and booleans written as JSON scalars.
pub fn text(object: &Value, key: &str) -> Option<String> {
    match field(object, key)? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An unsigned integer field, also accepting a number written as a string.
pub fn count(object: &Value, key: &str) -> Option<u64> {
    match field(object, key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Parses one page of the customer collection.
///
/// Fails only when the body is not a JSON object with an `items` array; single bad items become
/// [`ItemProblem`]s.
pub fn parse_customer_page(body: &str) -> Result<CustomerPage, String> {
    let root: Value = serde_json::from_str(body).map_err(|e| {
        format!("Partner Center sent a customer list that is not valid JSON ({e}).")
    })?;
    let items = field(&root, "items")
        .and_then(Value::as_array)
        .ok_or("Partner Center sent a customer list without an items array.")?;
    let mut page = CustomerPage {
        total_count: count(&root, "totalCount"),
        continuation_token: continuation_token(&root),
        ..CustomerPage::default()
    };
    for (index, item) in items.iter().enumerate() {
        match parse_customer(item) {
            Ok(customer) => page.customers.push(customer),
            Err(message) => page.problems.push(ItemProblem {
                index,
                id: text(item, "id"),
                message,
            }),
        }
    }
    Ok(page)
}

/// Reads the answer to `GET /v1/customers/{requested_id}`.
///
/// The id in the URL is the truth: a body without an id takes it, and a body that names another
/// customer is an error (nothing may be saved or ordered under the other id).
pub fn parse_customer_for(item: &Value, requested_id: &str) -> Result<Customer, String> {
    let mut item = item.clone();
    let named = text(&item, "id").filter(|s| !s.is_empty());
    match named {
        None => {
            if let Some(map) = item.as_object_mut() {
                map.retain(|k, _| !k.eq_ignore_ascii_case("id"));
                map.insert("id".into(), Value::String(requested_id.to_owned()));
            }
        }
        Some(id) if !id.eq_ignore_ascii_case(requested_id) => {
            return Err(format!(
                "Partner Center answered with customer {id} when asked for customer {requested_id}; nothing was saved or ordered for it. Try again, and report it to Microsoft if it persists."
            ));
        }
        Some(_) => {}
    }
    let mut customer = parse_customer(&item)?;
    customer.id = requested_id.to_owned();
    Ok(customer)
}

/// Whether `text` is a GUID (`8-4-4-4-12` hex digits), as tenant and customer ids are.
#[must_use]
pub fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The customer with exactly this primary domain (case-insensitive), from a customer list.
#[must_use]
pub fn find_by_domain<'a>(customers: &'a [Customer], domain: &str) -> Option<&'a Customer> {
    let domain = domain.trim();
    customers
        .iter()
        .find(|c| !domain.is_empty() && c.domain.eq_ignore_ascii_case(domain))
}

/// The query of `GET /v1/customers` that searches by domain (Partner Center only supports
/// `starts_with`; pick the exact match with [`find_by_domain`]).
#[must_use]
pub fn domain_search_query(domain: &str, size: u32) -> String {
    let filter = serde_json::json!({
        "Field": "Domain",
        "Value": domain.trim().to_ascii_lowercase(),
        "Operator": "starts_with"
    })
    .to_string();
    let mut encoded = String::with_capacity(filter.len() * 3);
    for b in filter.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("size={size}&filter={encoded}")
}

/// Reads one customer item; the error names the missing or malformed field.
pub fn parse_customer(item: &Value) -> Result<Customer, String> {
    if !item.is_object() {
        return Err("the item is not an object".into());
    }
    let id = text(item, "id")
        .filter(|s| !s.is_empty())
        .ok_or("field id is missing")?;
    let profile = field(item, "companyProfile").unwrap_or(&Value::Null);
    let domain = text(profile, "domain")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("customer {id}: field companyProfile.domain is missing"))?
        .to_ascii_lowercase();
    let company_name = text(profile, "companyName")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| domain.clone());
    let relationship = text(item, "relationshipToPartner")
        .unwrap_or_else(|| "none".into())
        .to_ascii_lowercase();
    Ok(Customer {
        id,
        domain,
        company_name,
        relationship,
    })
}

/// The continuation token, from `continuationToken` or from `links.next.headers`.
fn continuation_token(root: &Value) -> Option<String> {
    if let Some(token) = text(root, "continuationToken").filter(|t| !t.is_empty()) {
        return Some(token);
    }
    let next = field(root, "links").and_then(|l| field(l, "next"))?;
    field(next, "headers")?
        .as_array()?
        .iter()
        .find(|h| {
            text(h, "key").is_some_and(|k| k.eq_ignore_ascii_case(crate::wire::CONTINUATION_HEADER))
        })
        .and_then(|h| text(h, "value"))
        .filter(|t| !t.is_empty())
}

/// A CSP subscription as `GET /v1/customers/{id}/subscriptions` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PcSubscription {
    /// Subscription id.
    pub id: String,
    /// `offerId`.
    pub offer_id: String,
    /// `offerName` (or `friendlyName` when the offer name is missing).
    pub offer_name: String,
    /// `quantity` (seats).
    pub quantity: u32,
    /// `status`, lower-cased: `active`, `suspended`, `deleted`, `expired`, …
    pub status: String,
    /// `commitmentEndDate` as a calendar date, when it could be read.
    pub commitment_end_date: Option<crate::date::Date>,
    /// `autoRenewEnabled`.
    pub auto_renew: bool,
}

impl PcSubscription {
    /// The planner's view of this subscription.
    pub fn to_csp(&self) -> crate::checklist::CspSubscription {
        crate::checklist::CspSubscription {
            offer_id: self.offer_id.clone(),
            offer_name: self.offer_name.clone(),
            quantity: self.quantity,
            active: self.status == "active",
        }
    }
}

/// Items of a Partner Center collection that could be read, and those that could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    /// Readable items.
    pub items: Vec<T>,
    /// Unreadable items, with the reason.
    pub problems: Vec<ItemProblem>,
    /// `totalCount` as the service reported it (may disagree with the items).
    #[serde(default)]
    pub total_count: Option<u64>,
}

impl<T> Collection<T> {
    /// How many items `totalCount` announced beyond those the page held (read or not).
    #[must_use]
    pub fn not_sent(&self) -> Option<u64> {
        let held = (self.items.len() + self.problems.len()) as u64;
        self.total_count.filter(|t| *t > held).map(|t| t - held)
    }
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            items: Vec::new(),
            problems: Vec::new(),
            total_count: None,
        }
    }
}

/// Parses `GET /v1/customers/{id}/subscriptions`.
///
/// The offer id comes from `offerId`, or from `links.offer.uri` (`/offers/{id}?country=US`) as in
/// the documentation's legacy example; the name from `offerName`, `friendlyName`, the well-known
/// offers, or the id itself.
pub fn parse_subscriptions(body: &str) -> Result<Collection<PcSubscription>, String> {
    parse_collection(body, "subscription list", |item| {
        let id = text(item, "id")
            .filter(|s| !s.is_empty())
            .ok_or("field id is missing")?;
        let offer_id = text(item, "offerId")
            .filter(|s| !s.is_empty())
            .or_else(|| offer_id_from_link(item))
            .ok_or_else(|| {
                format!("subscription {id}: neither offerId nor links.offer.uri names the offer")
            })?;
        let quantity = count(item, "quantity")
            .and_then(|q| u32::try_from(q).ok())
            .ok_or_else(|| {
                format!("subscription {id}: field quantity is missing or not a number")
            })?;
        let offer_name = text(item, "offerName")
            .filter(|s| !s.is_empty())
            .or_else(|| text(item, "friendlyName").filter(|s| !s.is_empty()))
            .or_else(|| crate::offers::offer_name_for(&offer_id).map(str::to_owned))
            .unwrap_or_else(|| offer_id.clone());
        Ok(PcSubscription {
            status: text(item, "status")
                .unwrap_or_else(|| "active".into())
                .to_ascii_lowercase(),
            commitment_end_date: text(item, "commitmentEndDate").and_then(|d| calendar_date(&d)),
            auto_renew: flag(item, "autoRenewEnabled").unwrap_or(false),
            id,
            offer_id,
            offer_name,
            quantity,
        })
    })
}

/// The offer id at the end of `links.offer.uri` (`/offers/91FD106F-…?country=US`).
fn offer_id_from_link(item: &Value) -> Option<String> {
    let uri = text(field(field(item, "links")?, "offer")?, "uri")?;
    let path = uri.split(['?', '#']).next()?;
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let ok = !last.is_empty()
        && last.len() <= 200
        && last
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '_' | '.'));
    (ok && !last.eq_ignore_ascii_case("offers")).then(|| last.to_owned())
}

/// Parses `GET /v1/customers/{id}/subscribedskus` (every licence in the tenant).
pub fn parse_subscribed_skus(
    body: &str,
) -> Result<Collection<crate::checklist::SubscribedSku>, String> {
    parse_collection(body, "licence list", |item| {
        let sku = field(item, "productSku").unwrap_or(&Value::Null);
        let part_number = text(sku, "skuPartNumber").filter(|s| !s.is_empty());
        let name = text(sku, "name")
            .filter(|s| !s.is_empty())
            .or_else(|| part_number.clone())
            .ok_or("fields productSku.name and productSku.skuPartNumber are missing")?;
        let units = |key: &str| {
            count(item, key)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
        };
        Ok(crate::checklist::SubscribedSku {
            id: text(sku, "id").filter(|s| !s.is_empty()),
            part_number,
            status: text(item, "capabilityStatus").filter(|s| !s.is_empty()),
            enabled_units: units("activeUnits"),
            warning_units: units("warningUnits"),
            suspended_units: units("suspendedUnits"),
            consumed_units: units("consumedUnits"),
            name,
        })
    })
}

/// An order as Partner Center answers `POST`/`GET …/orders[/{id}]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PcOrder {
    /// Order id.
    pub id: String,
    /// Status, lower-cased (`pending`, `completed`, …); `pending` when absent.
    pub status: String,
}

/// Parses an order body; only `id` is required.
pub fn parse_order(body: &str) -> Result<PcOrder, String> {
    let root: Value = serde_json::from_str(body)
        .map_err(|e| format!("Partner Center sent an order that is not valid JSON ({e})."))?;
    let id = text(&root, "id")
        .filter(|s| !s.is_empty())
        .ok_or("Partner Center sent an order without an id.")?;
    let status = text(&root, "status")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "pending".into())
        .to_ascii_lowercase();
    Ok(PcOrder { id, status })
}

/// Parses `GET …/orders/{id}/provisioningstatus`: true when every line says `fulfilled`.
pub fn parse_provisioning_status(body: &str) -> Result<bool, String> {
    let c = parse_collection(body, "provisioning status", |item| {
        Ok(text(item, "status").is_some_and(|s| s.eq_ignore_ascii_case("fulfilled")))
    })?;
    Ok(!c.items.is_empty() && c.problems.is_empty() && c.items.iter().all(|f| *f))
}

fn parse_collection<T>(
    body: &str,
    what: &str,
    read: impl Fn(&Value) -> Result<T, String>,
) -> Result<Collection<T>, String> {
    let root: Value = serde_json::from_str(body)
        .map_err(|e| format!("Partner Center sent a {what} that is not valid JSON ({e})."))?;
    let items = field(&root, "items")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("Partner Center sent a {what} without an items array."))?;
    let mut out = Collection {
        total_count: count(&root, "totalCount"),
        ..Collection::default()
    };
    for (index, item) in items.iter().enumerate() {
        match read(item) {
            Ok(v) => out.items.push(v),
            Err(message) => out.problems.push(ItemProblem {
                index,
                id: text(item, "id"),
                message,
            }),
        }
    }
    Ok(out)
}

/// A boolean field, also accepting `"true"`/`"false"` strings.
pub fn flag(object: &Value, key: &str) -> Option<bool> {
    match field(object, key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().to_ascii_lowercase().parse().ok(),
        _ => None,
    }
}

/// The calendar date at the start of a Partner Center date or date-time (`2027-05-12T00:00:00Z`).
pub fn calendar_date(text: &str) -> Option<crate::date::Date> {
    crate::date::Date::parse(text.trim().get(..10)?).ok()
}

/// Everything Partner Center can tell the checklist about one customer.
pub fn pc_facts(
    customer: Option<&Customer>,
    subscriptions: &[PcSubscription],
    skus: &[crate::checklist::SubscribedSku],
) -> crate::checklist::PcFacts {
    crate::checklist::PcFacts {
        relationship_accepted: customer.is_some_and(|c| c.relationship == "reseller"),
        csp_subscriptions: subscriptions.iter().map(PcSubscription::to_csp).collect(),
        subscriptions_known: true,
        subscribed_skus: skus.to_vec(),
        admin_access: Default::default(),
        mca_accepted: None,
    }
}

/// The sentence inside a Partner Center error body of either documented shape, if any.
pub fn error_description(body: &str) -> Option<String> {
    let root: Value = serde_json::from_str(body).ok()?;
    let description = text(&root, "description").or_else(|| text(&root, "message"))?;
    let code = text(&root, "code").or_else(|| text(&root, "statusCode"));
    let description: String = description.chars().take(1024).collect();
    Some(match code {
        Some(code) => format!("{description} (code {code})"),
        None => description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"{"totalCount":2,
      "items":[{"id":"b44bb1fb-c595-45b0-9e09-d657365580bf",
        "companyProfile":{"tenantId":"b44bb1fb","domain":"Contoso.onmicrosoft.com","companyName":"Contoso",
                          "attributes":{"objectType":"CustomerCompanyProfile"}},
        "relationshipToPartner":"reseller","attributes":{"objectType":"Customer"}},
        {"id":"x2","companyProfile":{}}],
      "links":{"self":{"uri":"/v1/customers?size=40","method":"GET","headers":[]},
               "next":{"uri":"/v1/customers?size=40&seekOperation=Next","method":"GET",
                       "headers":[{"key":"MS-ContinuationToken","value":"tok-1"}]}},
      "attributes":{"objectType":"Collection"}}"#;

    #[test]
    fn reads_documented_page_and_reports_bad_item() {
        let page = parse_customer_page(PAGE).unwrap();
        assert_eq!(page.total_count, Some(2));
        assert_eq!(page.customers.len(), 1);
        assert_eq!(page.customers[0].domain, "contoso.onmicrosoft.com");
        assert_eq!(page.customers[0].relationship, "reseller");
        assert_eq!(page.continuation_token.as_deref(), Some("tok-1"));
        assert_eq!(page.problems.len(), 1);
        assert_eq!(page.problems[0].id.as_deref(), Some("x2"));
        assert!(page.problems[0].message.contains("companyProfile.domain"));
    }

    #[test]
    fn accepts_pascal_case_and_numbers_as_strings() {
        let body = r#"{"TotalCount":"1","Items":[{"Id":"a","CompanyProfile":{"Domain":"a.jp","CompanyName":"株式会社エー"},"RelationshipToPartner":"Reseller"}],"ContinuationToken":"t"}"#;
        let page = parse_customer_page(body).unwrap();
        assert_eq!(page.total_count, Some(1));
        assert_eq!(page.customers[0].company_name, "株式会社エー");
        assert_eq!(page.customers[0].relationship, "reseller");
        assert_eq!(page.continuation_token.as_deref(), Some("t"));
    }

    #[test]
    fn rejects_non_json_and_missing_items_with_a_sentence() {
        assert!(
            parse_customer_page("{\"items\":[")
                .unwrap_err()
                .contains("not valid JSON")
        );
        assert!(parse_customer_page("{}").unwrap_err().contains("items"));
        assert!(parse_customer_page("[]").unwrap_err().contains("items"));
    }

    #[test]
    fn reads_subscriptions_leniently() {
        let body = r#"{"items":[
          {"id":"s1","offerId":"CFQ7TTC0LH18:0001","offerName":"Microsoft 365 Business Basic","quantity":"7",
           "status":"Active","commitmentEndDate":"2027-05-12T00:00:00Z","autoRenewEnabled":true},
          {"id":"s2","offerName":"no offer id","quantity":1}]}"#;
        let c = parse_subscriptions(body).unwrap();
        assert_eq!(c.items.len(), 1);
        let s = &c.items[0];
        assert_eq!(
            (s.quantity, s.status.as_str(), s.auto_renew),
            (7, "active", true)
        );
        assert_eq!(s.commitment_end_date.unwrap().to_string(), "2027-05-12");
        assert!(s.to_csp().active);
        assert!(c.problems[0].message.contains("offerId"));
    }

    #[test]
    fn reads_subscribed_skus_and_builds_facts() {
        let body = r#"{"items":[{"consumedUnits":6,"productSku":{"id":"x","name":"Microsoft 365 Business Basic"}},{"productSku":{}}]}"#;
        let skus = parse_subscribed_skus(body).unwrap();
        assert_eq!(skus.items[0].consumed_units, 6);
        assert_eq!(skus.problems.len(), 1);
        let customer = parse_customer_page(PAGE).unwrap().customers.remove(0);
        let facts = pc_facts(Some(&customer), &[], &skus.items);
        assert!(facts.relationship_accepted);
        assert!(!pc_facts(None, &[], &[]).relationship_accepted);
    }

    #[test]
    fn guids_are_recognised() {
        assert!(is_guid("b44bb1fb-c595-45b0-9e09-d657365580bf"));
        assert!(!is_guid("b44bb1fb-c595-45b0-9e09-d657365580b"));
        assert!(!is_guid("contoso.example"));
        assert!(!is_guid("g44bb1fb-c595-45b0-9e09-d657365580bf"));
    }

    #[test]
    fn domain_search_is_one_encoded_filter() {
        let q = domain_search_query(" Contoso.Example ", 10);
        assert_eq!(
            q,
            "size=10&filter=%7B%22Field%22%3A%22Domain%22%2C%22Operator%22%3A%22starts_with%22%2C%22Value%22%3A%22contoso.example%22%7D"
        );
    }

    #[test]
    fn reads_both_error_shapes() {
        let a = r#"{"code":"20002","description":"No commerce relationship.","data":[],"source":"PartnerFD"}"#;
        assert_eq!(
            error_description(a).unwrap(),
            "No commerce relationship. (code 20002)"
        );
        let b =
            r#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 57 seconds."}"#;
        assert!(
            error_description(b)
                .unwrap()
                .starts_with("Rate limit is exceeded")
        );
        assert_eq!(error_description("<html>"), None);
    }
}
