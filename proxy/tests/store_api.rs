//! `/api/store/*` over loopback: versioned records, concurrency, import, settings, share links.
mod common;

use std::sync::Arc;

use common::{record, start};
use serde_json::{Value, json};

/// The list of records in `encoding` (`identity`, `gzip`, `br`), decoded.
async fn record_list(p: &common::Proxy, encoding: &str) -> Value {
    use std::io::Read;
    let resp = p
        .http
        .get(p.url("/api/store/records"))
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let sent = resp
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        sent.as_deref(),
        (encoding != "identity").then_some(encoding)
    );
    let body = resp.bytes().await.unwrap();
    let mut plain = Vec::new();
    match encoding {
        "br" => brotli::Decompressor::new(&body[..], 4096)
            .read_to_end(&mut plain)
            .map(drop)
            .unwrap(),
        "gzip" => flate2::read::GzDecoder::new(&body[..])
            .read_to_end(&mut plain)
            .map(drop)
            .unwrap(),
        _ => plain = body.to_vec(),
    }
    serde_json::from_slice(&plain).unwrap()
}

/// The proxy keeps its last answer to the list (routes/records_cache.rs): every write must show
/// in the next list, in every encoding.
#[tokio::test]
async fn the_record_list_shows_every_write_at_once_in_every_encoding() {
    let p = start().await;
    let a = record("domain", "a.example", "A", "a.example");
    assert_eq!(p.create(&a).await, 1);
    let names = |list: &Value| -> Vec<(String, u64)> {
        list["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["doc"]["customerName"].as_str().unwrap().to_owned(),
                    r["version"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let first = record_list(&p, "identity").await;
    assert_eq!(names(&first), [("A".to_owned(), 1)]);
    for encoding in ["br", "gzip", "identity"] {
        assert_eq!(record_list(&p, encoding).await, first, "{encoding}");
    }

    let mut edited = a.clone();
    edited["customerName"] = json!("A renamed");
    let resp = p
        .put_record("a.example", &edited, Some(("If-Match", "\"1\"")))
        .await;
    assert_eq!(resp.status(), 200);
    for encoding in ["br", "gzip", "identity"] {
        let list = record_list(&p, encoding).await;
        assert_eq!(names(&list), [("A renamed".to_owned(), 2)], "{encoding}");
    }

    assert_eq!(
        p.create(&record("domain", "b.example", "B", "b.example"))
            .await,
        1
    );
    let list = record_list(&p, "br").await;
    assert_eq!(
        names(&list),
        [("A renamed".to_owned(), 2), ("B".to_owned(), 1)]
    );
}

#[tokio::test]
async fn records_are_created_updated_and_stale_writes_get_409_with_the_current_record() {
    let p = start().await;
    let doc = record("domain", "contoso.com", "Contoso", "contoso.com");

    let resp = p.put_record("contoso.com", &doc, None).await;
    assert_eq!(resp.status(), 428);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["code"], "precondition_required");
    assert!(err["message"].as_str().unwrap().contains("If-Match"));

    assert_eq!(p.create(&doc).await, 1);
    let again = p
        .put_record("contoso.com", &doc, Some(("If-None-Match", "*")))
        .await;
    assert_eq!(again.status(), 409);

    let mut edited = doc.clone();
    edited["customerName"] = json!("Contoso Ltd");
    let resp = p
        .put_record("contoso.com", &edited, Some(("If-Match", "\"1\"")))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["etag"], "\"2\"");
    let saved: Value = resp.json().await.unwrap();
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["key"], "contoso.com");
    assert!(saved["updatedAt"].as_str().unwrap().ends_with('Z'));

    // Someone still holding version 1 saves: refused, and told what is there now.
    let resp = p
        .put_record("contoso.com", &doc, Some(("If-Match", "\"1\"")))
        .await;
    assert_eq!(resp.status(), 409);
    let conflict: Value = resp.json().await.unwrap();
    assert_eq!(conflict["code"], "conflict");
    assert_eq!(conflict["retryable"], false);
    assert_eq!(conflict["current"]["version"], 2);
    assert_eq!(conflict["current"]["doc"]["customerName"], "Contoso Ltd");

    let got: Value = p
        .get("/api/store/records/contoso.com")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["version"], 2);
    assert_eq!(got["doc"]["customerName"], "Contoso Ltd");

    let list: Value = p.get("/api/store/records").await.json().await.unwrap();
    assert_eq!(list["records"].as_array().unwrap().len(), 1);

    let changes: Value = p
        .get("/api/store/records/contoso.com/changes?since=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        changes,
        json!({"changes": [{"version": 2, "at": saved["updatedAt"], "actor": "partner", "kind": "updated"}]})
    );

    let missing = p.get("/api/store/records/nobody.example").await;
    assert_eq!(missing.status(), 404);
    let err: Value = missing.json().await.unwrap();
    assert_eq!(err["code"], "not_found");
}

#[tokio::test]
async fn bodies_are_checked_against_the_record_type_and_the_address() {
    let p = start().await;
    let doc = record("domain", "contoso.com", "Contoso", "contoso.com");
    let resp = p
        .put_record("fabrikam.com", &doc, Some(("If-None-Match", "*")))
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "key_mismatch");

    let mut bad = doc.clone();
    bad["originals"][0]["seats"] = json!("ten");
    let resp = p
        .put_record("contoso.com", &bad, Some(("If-None-Match", "*")))
        .await;
    assert_eq!(resp.status(), 400);
    let err: Value = resp.json().await.unwrap();
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("originals[0].seats"), "{message}");

    let resp = p
        .put_record("contoso.com", &doc, Some(("If-Match", "soon")))
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["code"],
        "bad_precondition"
    );
}

#[tokio::test]
async fn concurrent_writers_never_overwrite_each_other() {
    let p = Arc::new(start().await);
    let doc = record("domain", "contoso.com", "Contoso", "contoso.com");
    p.create(&doc).await;
    let tasks: Vec<_> = (0..16)
        .map(|t| {
            let p = Arc::clone(&p);
            let mut doc = doc.clone();
            tokio::spawn(async move {
                let (mut ok, mut stale, mut versions) = (0u64, 0u64, Vec::new());
                for i in 0..30 {
                    let current: Value = p
                        .get("/api/store/records/contoso.com")
                        .await
                        .json()
                        .await
                        .unwrap();
                    let based_on = current["version"].as_u64().unwrap();
                    doc["customerName"] = json!(format!("writer {t} write {i}"));
                    let resp = p
                        .put_record(
                            "contoso.com",
                            &doc,
                            Some(("If-Match", &format!("\"{based_on}\""))),
                        )
                        .await;
                    match resp.status().as_u16() {
                        200 => {
                            let v: Value = resp.json().await.unwrap();
                            assert_eq!(v["version"].as_u64().unwrap(), based_on + 1);
                            versions.push(based_on + 1);
                            ok += 1;
                        }
                        409 => {
                            let c: Value = resp.json().await.unwrap();
                            assert!(c["current"]["version"].as_u64().unwrap() > based_on);
                            stale += 1;
                        }
                        other => panic!("unexpected {other}: {}", resp.text().await.unwrap()),
                    }
                }
                (ok, stale, versions)
            })
        })
        .collect();
    let (mut ok, mut stale, mut versions) = (0, 0, Vec::new());
    for t in tasks {
        let (o, s, v) = t.await.unwrap();
        ok += o;
        stale += s;
        versions.extend(v);
    }
    assert_eq!(ok + stale, 16 * 30);
    versions.sort_unstable();
    let expected: Vec<u64> = (2..=ok + 1).collect();
    assert_eq!(
        versions, expected,
        "every acknowledged write has its own version"
    );
    let last: Value = p
        .get("/api/store/records/contoso.com")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(last["version"].as_u64().unwrap(), ok + 1);
    let log: Value = p
        .get("/api/store/records/contoso.com/changes")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["changes"].as_array().unwrap().len() as u64, ok + 1);
}

#[tokio::test]
async fn imports_create_and_update_all_or_nothing() {
    let p = start().await;
    let a = record("domain", "a.example", "A", "a.example");
    let b = record("domain", "b.example", "B", "b.example");
    let c = record("domain", "c.example", "C", "c.example");
    let import = |body: Value| p.http.post(p.url("/api/store/import")).json(&body).send();
    let keys = || async {
        let list: Value = p.get("/api/store/records").await.json().await.unwrap();
        list["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["key"].as_str().unwrap().to_string(),
                    r["version"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };

    let resp = import(json!({"records": [a.clone(), b.clone()]}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let done: Value = resp.json().await.unwrap();
    assert_eq!(
        (done["created"].as_u64(), done["updated"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(done["records"][1]["key"], "b.example");
    assert_eq!(done["records"][1]["version"], 1);

    // Creates and updates together; the answer has every written record at its new version.
    let mut a2 = a.clone();
    a2["customerName"] = json!("A renamed");
    let resp = import(json!({"records": [c.clone()], "updates": [{"version": 1, "record": a2}]}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let done: Value = resp.json().await.unwrap();
    assert_eq!(
        (done["created"].as_u64(), done["updated"].as_u64()),
        (Some(1), Some(1))
    );
    let written: Vec<(&str, u64)> = done["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap(), r["version"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        written,
        [("c.example", 1), ("a.example", 2)],
        "creates first, in request order"
    );
    assert_eq!(done["records"][1]["doc"]["customerName"], "A renamed");
    let log: Value = p
        .get("/api/store/records/a.example/changes")
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = log["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["imported", "imported"],
        "the update kept the record's history"
    );

    // One existing key among the creates and one stale update: nothing is written, and the
    // answer lists what is stored now.
    let d = record("domain", "d.example", "D", "d.example");
    let resp = import(json!({
        "records": [d.clone(), b.clone()],
        "updates": [{"version": 1, "record": a.clone()}, {"version": 3, "record": record("domain", "gone.example", "G", "gone.example")}]
    }))
    .await
    .unwrap();
    assert_eq!(resp.status(), 409);
    let conflict: Value = resp.json().await.unwrap();
    assert_eq!(
        (conflict["code"].as_str(), conflict["retryable"].as_bool()),
        (Some("conflict"), Some(false))
    );
    let current: Vec<(&str, u64)> = conflict["current"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap(), r["version"].as_u64().unwrap()))
        .collect();
    assert_eq!(current, [("b.example", 1), ("a.example", 2)]);
    assert_eq!(conflict["current"][1]["doc"]["customerName"], "A renamed");
    assert_eq!(conflict["missing"], json!(["gone.example"]));
    let message = conflict["message"].as_str().unwrap();
    assert!(
        message.contains("b.example") && message.contains("gone.example"),
        "{message}"
    );
    assert!(!message.contains("d.example"), "{message}");

    // The same customer twice in one import.
    let resp =
        import(json!({"records": [d.clone()], "updates": [{"version": 1, "record": d.clone()}]}))
            .await
            .unwrap();
    assert_eq!(resp.status(), 400);
    let message = resp.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("records[0] and updates[0]"), "{message}");

    // Invalid items are named by list, index and field.
    let mut broken = record("domain", "e.example", "E", "e.example");
    broken.as_object_mut().unwrap().remove("customerName");
    let resp = import(json!({"records": [d.clone(), broken.clone()]}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let message = resp.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("records[1]") && message.contains("customerName"),
        "{message}"
    );
    let resp = import(json!({"updates": [{"version": 1, "record": broken}]}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let message = resp.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("updates[0], field record") && message.contains("customerName"),
        "{message}"
    );
    let resp = import(json!({"updates": [{"record": d.clone()}]}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "an update must name its version");

    // An empty import writes nothing.
    let resp = import(json!({})).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"created": 0, "updated": 0, "records": []})
    );

    assert_eq!(
        keys().await,
        [
            ("a.example".to_string(), 2),
            ("b.example".to_string(), 1),
            ("c.example".to_string(), 1)
        ]
    );
}

#[tokio::test]
async fn settings_are_saved_by_compare_and_swap() {
    let p = start().await;
    let get = || async {
        p.get("/api/store/settings")
            .await
            .json::<Value>()
            .await
            .unwrap()
    };
    let put = |version: Option<&str>, doc: Value| {
        let mut req = p.http.put(p.url("/api/store/settings")).json(&doc);
        if let Some(v) = version {
            req = req.header("If-Match", v);
        }
        req.send()
    };
    let initial = get().await;
    assert_eq!(initial["version"], 0);
    assert_eq!(initial["doc"]["provisionLeadDays"], 7);

    let mut doc = initial["doc"].clone();
    doc["provisionLeadDays"] = json!(10);
    assert_eq!(put(None, doc.clone()).await.unwrap().status(), 428);
    // Someone names a version that never existed.
    let resp = put(Some("\"4\""), doc.clone()).await.unwrap();
    assert_eq!(resp.status(), 409);
    assert_eq!(resp.json::<Value>().await.unwrap()["current"]["version"], 0);

    let resp = put(Some("\"0\""), doc.clone()).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["version"], 1);

    doc["inviteLeadDays"] = json!(3);
    let resp = put(Some("\"0\""), doc.clone()).await.unwrap();
    assert_eq!(resp.status(), 409);
    let conflict: Value = resp.json().await.unwrap();
    assert_eq!(conflict["code"], "conflict");
    assert_eq!(conflict["current"]["version"], 1);
    assert_eq!(conflict["current"]["doc"]["provisionLeadDays"], 10);

    let resp = put(Some("\"1\""), doc).await.unwrap();
    assert_eq!(resp.status(), 200);
    let now = get().await;
    assert_eq!(now["version"], 2);
    assert_eq!(now["doc"]["inviteLeadDays"], 3);
}

#[tokio::test]
async fn a_prospect_is_rekeyed_to_its_partner_center_id() {
    let p = start().await;
    let doc = record("domain", "contoso.com", "Contoso", "contoso.com");
    p.create(&doc).await;
    let (_, token) = p.share("contoso.com", None).await;
    let id = "4b1c7f4e-0000-4000-8000-000000000001";
    let moved = record("pcCustomerId", id, "Contoso", "contoso.com");
    let rekey = |version: &str| {
        p.http
            .post(p.url("/api/store/records/contoso.com/rekey"))
            .header("If-Match", version)
            .json(&moved)
            .send()
    };
    let resp = rekey("\"7\"").await.unwrap();
    assert_eq!(resp.status(), 409);
    assert_eq!(resp.json::<Value>().await.unwrap()["current"]["version"], 1);
    let resp = rekey("\"1\"").await.unwrap();
    assert_eq!(resp.status(), 200);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(
        (v["key"].as_str().unwrap(), v["version"].as_u64()),
        (id, Some(2))
    );
    let old = p.get("/api/store/records/contoso.com").await;
    assert_eq!(old.status(), 404);
    // The customer's link follows the record.
    let status = p.get(&format!("/api/public/status/{token}")).await;
    assert_eq!(status.status(), 200);
}

#[tokio::test]
async fn share_links_are_listed_without_tokens_and_revoked() {
    let p = start().await;
    p.create(&record("domain", "contoso.com", "Contoso", "contoso.com"))
        .await;
    let (first, token) = p.share("contoso.com", None).await;
    let (second, _) = p.share("contoso.com", Some("2099-01-01T00:00:00Z")).await;
    let listed = p
        .get("/api/store/records/contoso.com/links")
        .await
        .text()
        .await
        .unwrap();
    assert!(!listed.contains(&token));
    let listed: Value = serde_json::from_str(&listed).unwrap();
    let ids: Vec<&str> = listed["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [second.as_str(), first.as_str()], "newest first");

    let revoke = |id: String| {
        p.http
            .delete(p.url(&format!("/api/store/records/contoso.com/links/{id}")))
            .send()
    };
    assert_eq!(revoke(first.clone()).await.unwrap().status(), 204);
    assert_eq!(revoke("no-such-link".into()).await.unwrap().status(), 404);
    let past = p
        .http
        .post(p.url("/api/store/records/contoso.com/links"))
        .json(&json!({"expiresAt": "2001-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(past.status(), 400);
    let unknown = p
        .http
        .post(p.url("/api/store/records/nobody.example/links"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_an_api_error() {
    let p = start().await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let mut doc = record("domain", "contoso.com", "Contoso", "contoso.com");
    doc["notes"] = json!(huge);
    let resp = p
        .put_record("contoso.com", &doc, Some(("If-None-Match", "*")))
        .await;
    assert_eq!(resp.status(), 413);
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "too_large");

    let resp = p
        .http
        .put(p.url("/api/store/settings"))
        .header("If-Match", "\"0\"")
        .body(format!(
            "{{\"displayCurrency\": \"{}\"}}",
            "y".repeat(300 * 1024)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    let resp = p
        .http
        .post(p.url("/api/pc/v1/customers/abc/orders"))
        .body("z".repeat(300 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "too_large");
}
