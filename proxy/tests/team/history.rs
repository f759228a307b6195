//! History after a mixed session of several people: plan edits, an import, a confirmation, an
//! order placed and followed, discovery accepted, share links made and revoked. Every change is
//! attributed to who made it, field by field; the activity page filters and keeps it all.
//! Also: large orders need a second person's approval, and are placed once.
use crate::common::{Proxy, record};
use crate::support::*;
use reqwest::Method;
use reqwest::header::COOKIE;
use serde_json::{Value, json};

async fn call(
    p: &Proxy,
    cookie: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, String)],
) -> reqwest::Response {
    let mut req = browser()
        .request(method, p.url(path))
        .header(COOKIE, cookie);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn json_of(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let v: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{status} {v}");
    v
}

/// Saves `doc` over `version` as `cookie`; returns the new version.
async fn save(p: &Proxy, cookie: &str, key: &str, version: u64, doc: &Value) -> u64 {
    let v = json_of(
        call(
            p,
            cookie,
            Method::PUT,
            &format!("/api/store/records/{key}"),
            Some(doc.clone()),
            &[("If-Match", format!("\"{version}\""))],
        )
        .await,
    )
    .await;
    v["version"].as_u64().unwrap()
}

fn fields(entry: &Value) -> Vec<(String, String, Value, Value)> {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let f = &c["field"];
            let name = match f["part"].as_str().unwrap() {
                "original" => format!("original.{}", f["attr"].as_str().unwrap()),
                "order" => format!("order.{}", f["attr"].as_str().unwrap()),
                "shareLink" => format!("shareLink.{}", f["attr"].as_str().unwrap()),
                other => other.to_owned(),
            };
            (
                c["kind"].as_str().unwrap().to_owned(),
                name,
                c["old"]["value"].clone(),
                c["new"]["value"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_mixed_session_is_attributed_field_by_field() {
    let p = start(&[]).await;
    let editor = sign_in(&p, EDITOR).await;
    let orderer = sign_in(&p, ORDERER).await;
    let admin = sign_in(&p, ADMIN).await;
    let viewer = sign_in(&p, VIEWER).await;
    let customer = p_customer(&p, &viewer).await;
    let key = customer.as_str();

    // Eddie creates the record and moves a date.
    let mut doc = record("pcCustomerId", key, "Contoso", "contoso.example");
    let made = json_of(
        call(
            &p,
            &editor,
            Method::PUT,
            &format!("/api/store/records/{key}"),
            Some(doc.clone()),
            &[("If-None-Match", "*".into())],
        )
        .await,
    )
    .await;
    let mut v = made["version"].as_u64().unwrap();
    doc["originals"][0]["endDate"] = json!("2027-04-30");
    v = save(&p, &editor, key, v, &doc).await;
    // Ada imports a seat change (an import update names the version it was based on).
    doc["originals"][0]["seats"] = json!(12);
    let imported = json_of(
        call(
            &p,
            &admin,
            Method::POST,
            "/api/store/import",
            Some(json!({"updates": [{"version": v, "record": doc}]})),
            &[],
        )
        .await,
    )
    .await;
    v = imported["records"][0]["version"].as_u64().unwrap();
    // Eddie confirms auto-renew is off.
    doc["originals"][0]["confirmed"] = json!({"autoRenewOffOn": "2026-11-30"});
    v = save(&p, &editor, key, v, &doc).await;
    // Olga places an order: saved first, then sent.
    let rid = "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60";
    doc["orders"] = json!([{
        "requestId": rid,
        "lines": [{"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "offerName": "Office 365 E3", "quantity": 12, "originalId": "o1"}],
        "status": "sending", "createdAt": "2026-12-01T09:00:00Z", "placedBy": ORDERER
    }]);
    v = save(&p, &orderer, key, v, &doc).await;
    let sent = call(&p, &orderer, Method::POST, &format!("/api/pc/v1/customers/{key}/orders"),
        Some(json!({"referenceCustomerId": key, "lineItems": [{"lineItemNumber": 0, "offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 12}]})),
        &[("MS-RequestId", rid.into())]).await;
    let placed = json_of(sent).await;
    doc["orders"][0]["status"] = json!("pending");
    doc["orders"][0]["id"] = placed["id"].clone();
    v = save(&p, &orderer, key, v, &doc).await;
    // Eddie accepts what discovery found in the tenant.
    doc["originals"][0]["tenantSubscriptionId"] = json!("graph-sub-1");
    doc["tenant"] = json!({"readOn": "2026-12-02", "subscriptions": []});
    v = save(&p, &editor, key, v, &doc).await;
    assert_eq!(v, 7);
    // Share links: Eddie makes one, Ada revokes it.
    let link = json_of(
        call(
            &p,
            &editor,
            Method::POST,
            &format!("/api/store/records/{key}/links"),
            Some(json!({})),
            &[],
        )
        .await,
    )
    .await;
    let link_id = link["link"]["id"].as_str().unwrap().to_owned();
    let revoked = call(
        &p,
        &admin,
        Method::DELETE,
        &format!("/api/store/records/{key}/links/{link_id}"),
        None,
        &[],
    )
    .await;
    assert_eq!(revoked.status(), 204);
    // A viewer's attempt leaves no trace.
    let refused = call(
        &p,
        &viewer,
        Method::POST,
        &format!("/api/store/records/{key}/links"),
        Some(json!({})),
        &[],
    )
    .await;
    assert_eq!(refused.status(), 403);

    let history = json_of(
        call(
            &p,
            &viewer,
            Method::GET,
            &format!("/api/store/records/{key}/history"),
            None,
            &[],
        )
        .await,
    )
    .await;
    let entries = history["entries"].as_array().unwrap();
    let said: Vec<(String, Vec<String>)> = entries
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    let s = |a: &str, k: &[&str]| {
        (
            a.to_owned(),
            k.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        said,
        vec![
            s(ADMIN, &["share-link"]),
            s(EDITOR, &["share-link"]),
            s(EDITOR, &["discovery"]),
            s(ORDERER, &["order"]),
            s(ORDERER, &["order"]),
            s(EDITOR, &["confirmation"]),
            s(ADMIN, &["import"]),
            s(EDITOR, &["plan"]),
            s(EDITOR, &["created"]),
        ],
        "newest first"
    );
    let by_version = |n: u64| entries.iter().find(|e| e["version"] == n).unwrap();
    assert_eq!(
        fields(by_version(2)),
        vec![(
            "plan".into(),
            "original.endDate".into(),
            json!("2027-03-31"),
            json!("2027-04-30")
        )]
    );
    assert_eq!(
        fields(by_version(3)),
        vec![(
            "import".into(),
            "original.seats".into(),
            json!(10),
            json!(12)
        )]
    );
    assert_eq!(
        fields(by_version(4)),
        vec![(
            "confirmation".into(),
            "original.autoRenewOff".into(),
            Value::Null,
            json!("2026-11-30")
        )]
    );
    let order = fields(by_version(5));
    assert_eq!(
        order[0],
        (
            "order".into(),
            "order.placed".into(),
            Value::Null,
            json!("Office 365 E3 × 12")
        )
    );
    let followed = fields(by_version(6));
    assert!(
        followed.contains(&(
            "order".into(),
            "order.status".into(),
            json!("sending"),
            json!("pending")
        )),
        "{followed:?}"
    );
    let discovered = fields(by_version(7));
    assert!(
        discovered.iter().all(|f| f.0 == "discovery"),
        "{discovered:?}"
    );
    assert!(
        discovered
            .iter()
            .any(|f| f.1 == "original.tenantSubscription")
    );
    assert_eq!(fields(&entries[0])[0].1, "shareLink.revoked");
    assert_eq!(entries[0]["customer"], "Contoso");
    assert!(
        !history
            .to_string()
            .contains(link["token"].as_str().unwrap()),
        "never the token"
    );

    // The activity page: filter by person, customer and kind.
    let activity = |q: &str| {
        let p = &p;
        let viewer = viewer.clone();
        let q = q.to_owned();
        async move {
            json_of(
                call(
                    p,
                    &viewer,
                    Method::GET,
                    &format!("/api/activity?{q}"),
                    None,
                    &[],
                )
                .await,
            )
            .await["entries"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    assert_eq!(activity("").await.len(), 9);
    let orders = activity("kind=order").await;
    assert_eq!(orders.len(), 2);
    assert!(orders.iter().all(|e| e["actor"] == ORDERER));
    assert_eq!(
        activity("person=eddie").await.len(),
        0,
        "person matches the sign-in name"
    );
    assert_eq!(activity("person=EDITOR@").await.len(), 5);
    assert_eq!(activity("customer=contoso").await.len(), 9);
    assert_eq!(activity("customer=fabrikam").await.len(), 0);
    assert_eq!(
        activity("from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")
            .await
            .len(),
        0
    );
    let bad = call(
        &p,
        &viewer,
        Method::GET,
        "/api/activity?kind=gossip",
        None,
        &[],
    )
    .await;
    assert_eq!(bad.status(), 400);
    assert!(
        bad.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("share-link")
    );
}

async fn p_customer(p: &Proxy, cookie: &str) -> String {
    let text = call(
        p,
        cookie,
        Method::GET,
        "/api/pc/v1/customers?size=5",
        None,
        &[],
    )
    .await
    .text()
    .await
    .unwrap();
    cutover_plan::partner_center::parse_customer_page(&text)
        .unwrap()
        .customers[0]
        .id
        .clone()
}

#[tokio::test]
async fn a_large_order_needs_a_second_persons_approval_and_is_placed_once() {
    let p = start(&[("CUTOVER_ORDER_APPROVAL_SEATS", "250")]).await;
    let olga = sign_in(&p, ORDERER).await;
    let otto = sign_in(&p, ORDERER2).await;
    let eddie = sign_in(&p, EDITOR).await;
    let customer = p_customer(&p, &olga).await;
    let rid = "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60";
    let line = json!({"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "offerName": "Office 365 E3", "quantity": 300});
    let order = |quantity: u64| json!({"referenceCustomerId": customer, "lineItems": [{"lineItemNumber": 0, "offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": quantity}]});
    let send = |cookie: &str, rid: &str, body: Value| {
        let p = &p;
        let path = format!("/api/pc/v1/customers/{customer}/orders");
        let cookie = cookie.to_owned();
        let rid = rid.to_owned();
        async move {
            call(
                p,
                &cookie,
                Method::POST,
                &path,
                Some(body),
                &[("MS-RequestId", rid)],
            )
            .await
        }
    };
    let session: Value = browser()
        .get(p.url("/api/session"))
        .header(COOKIE, &olga)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(session["orderApprovalSeats"], 250);

    // Small orders go straight through; a large one is refused until approved.
    assert_eq!(
        send(&olga, "5f0c7a52-9b8e-4d7e-8f0a-000000000001", order(250))
            .await
            .status(),
        201
    );
    let refused = send(&olga, rid, order(300)).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "approval_required");
    assert!(body["message"].as_str().unwrap().contains("300 seats"));

    let ask = json!({"requestId": rid, "customerId": customer, "customerName": "Contoso", "lines": [line]});
    let asked = json_of(
        call(
            &p,
            &olga,
            Method::POST,
            "/api/approvals",
            Some(ask.clone()),
            &[],
        )
        .await,
    )
    .await;
    assert_eq!(asked["seats"], 300);
    assert_eq!(
        call(&p, &eddie, Method::POST, "/api/approvals", Some(ask), &[])
            .await
            .status(),
        403,
        "editors do not order"
    );
    let waiting = send(&olga, rid, order(300)).await;
    assert_eq!(waiting.status(), 403);
    assert!(
        waiting.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("waiting")
    );
    let own = call(
        &p,
        &olga,
        Method::POST,
        &format!("/api/approvals/{rid}/approve"),
        None,
        &[],
    )
    .await;
    assert_eq!(own.status(), 403);
    assert_eq!(own.json::<Value>().await.unwrap()["code"], "forbidden");
    let approved = json_of(
        call(
            &p,
            &otto,
            Method::POST,
            &format!("/api/approvals/{rid}/approve"),
            None,
            &[],
        )
        .await,
    )
    .await;
    assert_eq!(approved["approvedBy"], ORDERER2);

    // Only exactly the approved order goes through: not more seats, not another request id.
    assert_eq!(send(&olga, rid, order(3000)).await.status(), 403);
    assert_eq!(
        send(&olga, "5f0c7a52-9b8e-4d7e-8f0a-000000000002", order(300))
            .await
            .status(),
        403
    );
    let first = json_of(send(&olga, rid, order(300)).await).await;
    let again = json_of(send(&olga, rid, order(300)).await).await;
    assert_eq!(
        first["id"], again["id"],
        "the same request id is the same order: placed once"
    );
    let list = json_of(call(&p, &eddie, Method::GET, "/api/approvals", None, &[]).await).await;
    let kept = &list["approvals"][0];
    assert_eq!(
        (&kept["requestedBy"], &kept["approvedBy"]),
        (&json!(ORDERER), &json!(ORDERER2))
    );
    assert!(kept["sentAt"].is_string());
    // Both steps are in the activity, by who took them.
    let activity = json_of(
        call(
            &p,
            &eddie,
            Method::GET,
            "/api/activity?kind=order",
            None,
            &[],
        )
        .await,
    )
    .await;
    let who: Vec<_> = activity["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(who, vec![ORDERER2.to_owned(), ORDERER.to_owned()]);
}
