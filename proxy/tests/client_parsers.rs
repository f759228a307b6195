//! Cutover's calendar files and feed read by independent clients: Python's `icalendar` and
//! `vobject` for the `.ics` files (the Japanese status page's and a partner's subscribed
//! calendar), `feedparser` for the Atom feed. UIDs are compared before and after a settings
//! change that moves dates. See `support/check_clients.py` for what is checked.
mod common;
mod support;

use std::process::Command;

use common::{small_sandbox, start_with};
use cutover_plan::Date;
use cutover_plan::customer_status::StatusPageModel;
use cutover_plan::lang::Lang;
use cutover_plan::settings::Settings;
use cutover_plan::wire::StatusProjection;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread")]
async fn calendars_and_the_feed_read_the_same_in_independent_clients() {
    let Some(py) = support::python::if_installed(
        "calendar and feed clients",
        &["icalendar", "vobject", "feedparser"],
    ) else {
        return;
    };
    let p = start_with(small_sandbox(), |_| {}).await;
    let today = Date::parse(&cutover_proxy::clock::now_utc()[..10]).unwrap();
    // End dates from two weeks to two months away: some actions fall in this week and the next.
    let originals: Vec<Value> = [12, 18, 25, 40, 60]
        .iter()
        .enumerate()
        .map(|(i, days)| {
            json!({"id": format!("o{i}"), "offerName": format!("Microsoft 365 E{}", i + 1),
                   "seats": 10 + i, "endDate": today.add_days(*days).to_string(),
                   "channel": "direct", "autoRenew": true})
        })
        .collect();
    let mut doc = json!({
        "key": {"kind": "domain", "value": "fabrikam.example"},
        "customerName": "有限会社ファブリカム", "domain": "fabrikam.example",
        "originals": originals,
    });
    p.create(&doc).await;
    doc["invitationSentOn"] = json!(today.to_string());
    assert_eq!(
        p.put_record("fabrikam.example", &doc, Some(("If-Match", "\"1\"")))
            .await
            .status(),
        200
    );
    doc["originals"][4]["confirmed"] = json!({"autoRenewOffOn": today.to_string()});
    assert_eq!(
        p.put_record("fabrikam.example", &doc, Some(("If-Match", "\"2\"")))
            .await
            .status(),
        200
    );
    let created: Value = p
        .http
        .post(p.url("/api/store/records/fabrikam.example/links"))
        .json(&json!({"lang": "ja"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    let calendar: Value = p
        .http
        .post(p.url("/api/store/calendar-links"))
        .json(&json!({"label": "営業チーム", "lang": "ja"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let calendar_url = p.url(calendar["url"].as_str().unwrap());

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let status_ics = || async {
        let projection: StatusProjection = p
            .get(&format!("/api/public/status/{token}"))
            .await
            .json()
            .await
            .unwrap();
        StatusPageModel::new(&projection, today)
            .ics(Lang::Ja)
            .expect("upcoming dates")
    };
    let partner_ics = || async {
        let resp = p.http.get(&calendar_url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert!(common::header(resp.headers(), "content-type").starts_with("text/calendar"));
        resp.text().await.unwrap()
    };
    let status_before = write("status-before.ics", &status_ics().await);
    let partner_before = write("partner-before.ics", &partner_ics().await);
    let feed = write(
        "feed.xml",
        &p.get(&format!("/api/public/status/{token}/feed.atom?lang=ja"))
            .await
            .text()
            .await
            .unwrap(),
    );

    // The partner switches Japanese holidays on and lengthens the provisioning lead time.
    let mut settings = Settings::default();
    settings.holidays.japan = true;
    settings.provision_lead_days += 4;
    let resp = p
        .http
        .put(p.url("/api/store/settings"))
        .header("if-none-match", "*")
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let status_after = write("status-after.ics", &status_ics().await);
    let partner_after = write("partner-after.ics", &partner_ics().await);

    let out = Command::new(&py)
        .arg(support::python::script("check_clients.py"))
        .args([
            &status_before,
            &status_after,
            &partner_before,
            &partner_after,
            &feed,
        ])
        .arg(&token)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("clients agree: {}", String::from_utf8_lossy(&out.stdout));
}
