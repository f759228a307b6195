//! History: `GET /api/store/records/{key}/history` (one customer) and `GET /api/activity`
//! (the whole portfolio, filterable). The store's change log and event log are read here and
//! turned into field-by-field entries by `cutover_plan::history`.
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cutover_plan::history::{
    HistoryEntry, HistoryFilter, HistoryKind, RecordVersion, WriteKind, approval_entry,
    newest_first, order_lines, record_entry, role_entry, settings_entry, share_link_entry,
};
use cutover_plan::orders::OrderLine;
use cutover_plan::record::MigrationRecord;
use cutover_plan::roles::Role;
use cutover_plan::wire::HistoryList;
use serde::Deserialize;
use serde_json::Value;

use super::{Failure, json_response};
use crate::store::{Activity, Event, EventKind, LoggedChange};
use crate::{AppState, clock};

/// Versions of one customer shown at most.
const RECORD_LIMIT: usize = 1000;
/// Change-log rows (and, separately, events) read per activity request.
const ACTIVITY_LIMIT: usize = 2000;
/// The activity page's default window.
const DEFAULT_DAYS: u64 = 90;

fn record_of(doc: &Value) -> Option<MigrationRecord> {
    serde_json::from_value(doc.clone()).ok()
}

fn change_entry(c: &LoggedChange) -> HistoryEntry {
    let ch = &c.change;
    if c.settings {
        return settings_entry(c.previous.as_ref(), &ch.doc, ch.version, &ch.at, &ch.actor);
    }
    let write = WriteKind::parse(
        serde_json::to_value(ch.kind)
            .ok()
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or("updated"),
    );
    let previous = c.previous.as_ref().and_then(record_of);
    record_entry(
        previous.as_ref(),
        &RecordVersion {
            version: ch.version,
            at: ch.at.clone(),
            actor: ch.actor.clone(),
            write,
            key: ch.key.clone(),
            record: record_of(&ch.doc),
        },
    )
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn event_entry(e: &Event, names: &HashMap<String, String>) -> HistoryEntry {
    let key = e.key.clone().unwrap_or_default();
    let customer = names
        .get(&key.to_ascii_lowercase())
        .map_or("", String::as_str);
    match e.kind {
        EventKind::ShareLinkCreated | EventKind::ShareLinkRevoked => share_link_entry(
            &e.at,
            &e.actor,
            &key,
            customer,
            &e.subject,
            e.kind == EventKind::ShareLinkRevoked,
            e.detail.get("expiresAt").and_then(Value::as_str),
        ),
        EventKind::RoleChanged => {
            let role = |k: &str| Role::parse(text(&e.detail, k));
            let email = text(&e.detail, "email");
            let person = if email.is_empty() { &e.subject } else { email };
            role_entry(&e.at, &e.actor, person, role("old"), role("new"))
        }
        EventKind::ApprovalRequested | EventKind::OrderApproved => {
            let lines: Vec<OrderLine> =
                serde_json::from_value(e.detail.get("lines").cloned().unwrap_or(Value::Null))
                    .unwrap_or_default();
            let order = cutover_plan::orders::PlacedOrder::intent(&e.subject, lines, &e.at, "");
            let customer_id = text(&e.detail, "customerId");
            let named = text(&e.detail, "customerName");
            approval_entry(
                &e.at,
                &e.actor,
                if key.is_empty() { customer_id } else { &key },
                if customer.is_empty() { named } else { customer },
                &e.subject,
                &order_lines(&order),
                e.kind == EventKind::OrderApproved,
                text(&e.detail, "requestedBy"),
            )
        }
    }
}

/// Changes and events as entries, newest first. Customers named in the events but not in the
/// changes read are looked up.
async fn entries(state: &AppState, activity: &Activity) -> Result<Vec<HistoryEntry>, Failure> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut merged: Vec<(String, HistoryEntry)> = Vec::new();
    for c in &activity.changes {
        let entry = change_entry(c);
        if !c.settings && !entry.customer.is_empty() {
            names.insert(entry.key.to_ascii_lowercase(), entry.customer.clone());
        }
        merged.push((entry.at.clone(), entry));
    }
    for e in &activity.events {
        if let Some(key) = &e.key
            && !names.contains_key(&key.to_ascii_lowercase())
            && let Some(v) = state.store.get_record(key).await?
        {
            let name = v
                .doc
                .get("customerName")
                .and_then(Value::as_str)
                .unwrap_or_default();
            names.insert(key.to_ascii_lowercase(), name.to_owned());
        }
    }
    for e in &activity.events {
        merged.push((e.at.clone(), event_entry(e, &names)));
    }
    // Oldest first and stable, so newest_first keeps later writes of one second first.
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<HistoryEntry> = merged.into_iter().map(|(_, e)| e).collect();
    newest_first(&mut out);
    Ok(out)
}

/// `GET /api/store/records/{key}/history`: every version and event of one customer, newest first.
pub async fn record(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
) -> Result<Response, Failure> {
    let activity = state.store.record_activity(&key, RECORD_LIMIT).await?;
    let entries = entries(&state, &activity).await?;
    Ok(json_response(
        StatusCode::OK,
        &HistoryList {
            entries,
            truncated: activity.truncated,
        },
    ))
}

#[derive(Deserialize)]
pub struct ActivityQuery {
    from: Option<String>,
    to: Option<String>,
    person: Option<String>,
    customer: Option<String>,
    kind: Option<String>,
}

/// `GET /api/activity?from=…&to=…&person=…&customer=…&kind=…`: what everyone did between two
/// instants (RFC 3339; default the last 90 days), newest first. `person` and `customer` match
/// part of a name or key, ignoring case; `kind` is one of `created`, `plan`, `import`,
/// `confirmation`, `order`, `discovery`, `share-link`, `settings`, `people`.
pub async fn activity(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ActivityQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Failure> {
    let Ok(Query(q)) = query else {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "The activity filters could not be read; use from, to, person, customer and kind.",
        ));
    };
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(HistoryKind::parse(k).ok_or_else(|| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!(
                    "There is no kind of change called \"{}\"; use one of {}.",
                    k.chars().take(40).collect::<String>(),
                    HistoryKind::ALL.map(HistoryKind::code).join(", ")
                ),
            )
        })?),
    };
    let now = clock::unix_now();
    let to = q.to.unwrap_or_else(|| clock::format_unix(now + 1));
    let from = q
        .from
        .unwrap_or_else(|| clock::format_unix(now.saturating_sub(DEFAULT_DAYS * 86_400)));
    let activity = state.store.activity(&from, &to, ACTIVITY_LIMIT).await?;
    let filter = HistoryFilter {
        person: q.person,
        customer: q.customer,
        kind,
    };
    let entries = entries(&state, &activity)
        .await?
        .into_iter()
        .filter(|e| filter.matches(e))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &HistoryList {
            entries,
            truncated: activity.truncated,
        },
    ))
}
