//! Untidy but valid responses, as the real service sometimes sends them: PascalCase keys, numbers
//! as strings, dates without a zone or with a fraction, an item missing a field. Which items are
//! untidy depends only on the seed and the item's id, so they stay the same across calls.
use serde_json::{Map, Value};

use crate::prng::derive;

const TAG_QUIRK: u64 = 0x7175_6972;

/// The quirk an item gets at `rate`, as a number from 0 to 2, or `None` for a tidy item.
fn pick(seed: u64, id: &str, rate: f64) -> Option<u64> {
    if rate <= 0.0 {
        return None;
    }
    let h = id.bytes().fold(0u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let bits = derive(seed, TAG_QUIRK, h);
    let r = (bits >> 11) as f64 / (1u64 << 53) as f64;
    (r < rate).then_some(bits % 3)
}

/// Capitalises every key, recursively (`companyProfile` → `CompanyProfile`).
pub fn pascal_case(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let key = match chars.next() {
                        Some(c) => c.to_uppercase().chain(chars).collect(),
                        None => k,
                    };
                    (key, pascal_case(v))
                })
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(pascal_case).collect()),
        other => other,
    }
}

/// A customer item: PascalCase keys, `relationshipToPartner` capitalised, or no domain at all.
pub fn customer(item: Value, seed: u64, rate: f64) -> Value {
    let id = item["id"].as_str().unwrap_or_default().to_string();
    match pick(seed, &id, rate) {
        None => item,
        Some(0) => pascal_case(item),
        Some(1) => {
            let mut item = item;
            item["relationshipToPartner"] = Value::from("Reseller");
            item
        }
        Some(_) => {
            let mut item = item;
            if let Some(profile) = item["companyProfile"].as_object_mut() {
                profile.remove("domain");
            }
            item
        }
    }
}

/// A subscription item: quantity as a string, end date without a zone, or PascalCase keys.
pub fn subscription(item: Value, seed: u64, rate: f64) -> Value {
    let id = item["id"].as_str().unwrap_or_default().to_string();
    let mut item = item;
    match pick(seed, &id, rate) {
        None => item,
        Some(0) => {
            item["quantity"] = Value::from(item["quantity"].to_string());
            item
        }
        Some(1) => {
            let end = item["commitmentEndDate"]
                .as_str()
                .unwrap_or_default()
                .trim_end_matches('Z')
                .to_string();
            item["commitmentEndDate"] = Value::from(end);
            item
        }
        Some(_) => pascal_case(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pascal_cases_nested_keys() {
        let v = pascal_case(json!({"companyProfile": {"domain": "a.jp"}, "items": [{"id": 1}]}));
        assert_eq!(
            v,
            json!({"CompanyProfile": {"Domain": "a.jp"}, "Items": [{"Id": 1}]})
        );
    }

    #[test]
    fn the_same_items_are_untidy_every_time() {
        assert_eq!(pick(1, "abc", 0.5), pick(1, "abc", 0.5));
        assert_eq!(pick(1, "abc", 0.0), None);
        assert!(pick(1, "abc", 1.0).is_some());
        let untidy = (0..1000)
            .filter(|i| pick(7, &i.to_string(), 0.3).is_some())
            .count();
        assert!((220..380).contains(&untidy), "{untidy}");
    }
}
