//! Original (non-CSP) subscriptions as the planner's import CSV (RFC 4180, UTF-8).
use crate::catalog::OFFERS;
use crate::data::{Relationship, Tenant};

/// The planner's columns, in this order.
pub const HEADER: &str = "customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship";

/// Quotes a field when it holds a comma, quote or line break.
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The relationship column: `none`, `invited` or `accepted`.
pub fn relationship(t: &Tenant) -> &'static str {
    match t.relationship {
        Relationship::Reseller => "accepted",
        Relationship::Prospect { invited: true } => "invited",
        Relationship::Prospect { invited: false } => "none",
    }
}

/// One CSV document with a row per original subscription of each tenant.
pub fn originals<'a>(tenants: impl Iterator<Item = &'a Tenant>) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\r\n");
    for t in tenants {
        for o in &t.originals {
            let price = o.monthly_price.as_deref().unwrap_or("");
            let currency = if price.is_empty() {
                ""
            } else {
                t.country.currency
            };
            let row = [
                quote(&t.name),
                t.domain.clone(),
                quote(OFFERS[o.offer].name),
                o.seats.to_string(),
                o.end.to_string(),
                o.channel.to_string(),
                o.auto_renew.to_string(),
                price.to_string(),
                currency.to_string(),
                o.target_offer
                    .map(|x| quote(OFFERS[x].name))
                    .unwrap_or_default(),
                relationship(t).to_string(),
            ];
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_quotes() {
        assert_eq!(quote("Baker, Rossi & Co."), "\"Baker, Rossi & Co.\"");
        assert_eq!(quote("The \"Best\" Ltd"), "\"The \"\"Best\"\" Ltd\"");
        assert_eq!(quote("株式会社山田建設"), "株式会社山田建設");
    }
}
