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
