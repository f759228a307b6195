//! Prospects: the import CSV, the JSON list and the accept control.
mod common;

use common::{Sandbox, config};
use serde_json::Value;

const HEADER: &str = "customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship";

/// Splits one RFC 4180 record.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[tokio::test]
async fn prospects_csv_imports_with_the_planner_columns() {
    let sandbox = Sandbox::start(config()).await;
    let r = sandbox
        .http
        .get(sandbox.url("/sandbox/prospects.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = r.text().await.unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some(HEADER));
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    assert!(rows.len() >= 40);
    for row in &rows {
        assert_eq!(row.len(), 11, "{row:?}");
        assert!(!row[0].is_empty() && row[1].contains('.'));
        assert!(row[3].parse::<u32>().unwrap() >= 1);
        assert!(
            cutover_sandbox::Date::parse(&row[4]).is_some(),
            "{}",
            row[4]
        );
        assert!(["direct", "open", "ea", "partner"].contains(&row[5].as_str()));
        assert!(["true", "false"].contains(&row[6].as_str()));
        assert_eq!(row[7].is_empty(), row[8].is_empty());
        assert!(["none", "invited"].contains(&row[10].as_str()));
    }
    assert!(rows.iter().any(|r| r[0].contains("株式会社")
        || r[0].contains("有限会社")
        || r[0].contains("合同会社")));
}

#[tokio::test]
async fn accepting_a_prospect_lists_it_as_a_reseller_customer() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (_, list) = {
        let r = sandbox
            .http
            .get(sandbox.url("/sandbox/prospects"))
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    let prospect = &list["items"][0];
    let domain = prospect["domain"].as_str().unwrap();
    let id = prospect["customerId"].as_str().unwrap();
    assert_ne!(prospect["relationship"], "accepted");
    assert!(
        !prospect["originalSubscriptions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let before = sandbox.all_customers(&token, 500).await;
    assert!(
        before
            .iter()
            .all(|c| c["companyProfile"]["domain"] != domain)
    );
    assert_eq!(
        sandbox
            .get_json(&token, &format!("/v1/customers/{id}"))
            .await
            .0,
        404
    );

    let r = sandbox
        .http
        .post(sandbox.url(&format!(
            "/sandbox/prospects/{}/accept",
            domain.to_uppercase()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["relationship"], "accepted");
    let again = sandbox
        .http
        .post(sandbox.url(&format!("/sandbox/prospects/{domain}/accept")))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);

    let after = sandbox.all_customers(&token, 500).await;
    assert_eq!(after.len(), before.len() + 1);
    let listed = after
        .iter()
        .find(|c| c["companyProfile"]["domain"] == domain)
        .unwrap();
    assert_eq!(listed["relationshipToPartner"], "reseller");
    assert_eq!(listed["id"], id);
    let (_, subs) = sandbox
        .get_json(&token, &format!("/v1/customers/{id}/subscriptions"))
        .await;
    assert_eq!(subs["totalCount"], 0, "nothing bought in CSP yet");
    let user = sandbox.user_token().await;
    let (_, skus) = sandbox
        .get_json(&user, &format!("/v1/customers/{id}/subscribedskus"))
        .await;
    assert!(
        !skus["items"].as_array().unwrap().is_empty(),
        "its original licences show"
    );
    let csv = sandbox
        .http
        .get(sandbox.url("/sandbox/prospects.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines()
            .any(|l| l.contains(domain) && l.ends_with(",accepted"))
    );
}

#[tokio::test]
async fn accepting_an_unknown_domain_is_a_404() {
    let sandbox = Sandbox::start(config()).await;
    let r = sandbox
        .http
        .post(sandbox.url("/sandbox/prospects/nobody.example/accept"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.json::<Value>().await.unwrap()["error"]
            .as_str()
            .unwrap()
            .contains("nobody.example")
    );
}

#[tokio::test]
async fn originals_csv_covers_customers_too() {
    let sandbox = Sandbox::start(config()).await;
    let text = sandbox
        .http
        .get(sandbox.url("/sandbox/originals.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.starts_with(HEADER));
    assert!(text.lines().any(|l| l.ends_with(",accepted")));
    assert!(
        text.lines()
            .any(|l| l.ends_with(",invited") || l.ends_with(",none"))
    );
}

#[tokio::test]
async fn records_json_is_an_array_of_migration_records_for_a_first_run() {
    let sandbox = Sandbox::start(config()).await;
    let text = sandbox
        .http
        .get(sandbox.url("/sandbox/records.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let records: Vec<cutover_plan::record::MigrationRecord> = serde_json::from_str(&text).unwrap();
    assert!(records.len() > 100, "{}", records.len());
    assert!(records.iter().any(|r| r.invitation_sent_on.is_some()));
    assert!(
        records
            .iter()
            .any(|r| matches!(r.key, cutover_plan::record::CustomerKey::Domain(_)))
    );
    assert_eq!(
        records.len(),
        cutover_sandbox::seeded_records(&config()).len()
    );
}
