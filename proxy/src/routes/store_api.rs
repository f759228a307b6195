//! `/api/store/*`: migration records, settings, their change log and share links.
//!
//! Every write names the version it was based on (`If-Match: "<version>"`, or
//! `If-None-Match: *` to create); the store's compare-and-swap refuses stale writes with 409 and
//! the current document. Documents are checked against `cutover-plan`'s types before they are
//! stored, and stored in the canonical form those types serialize to.
use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cutover_plan::record::{CustomerKey, MigrationRecord};
use cutover_plan::settings::Settings;
use cutover_plan::wire::{
    ApiError, ChangeInfo, ChangeList, Conflict, CreateShareLink, CreatedShareLink, ImportResult,
    ImportUpdate, RecordList, ShareLinkInfo, ShareLinkList, Versioned,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::records_cache::Encoding;
use super::roles::check_record_write;
use super::session::{Actor, CallerRole};
use super::{Failure, body_rejected, error_response, json_response, typed};
use crate::store::{self, ShareLink};
use crate::{AppState, clock};

type Handled = Result<Response, Failure>;

/// The key a record's body names.
pub fn key_value(key: &CustomerKey) -> &str {
    match key {
        CustomerKey::PcCustomerId(v) | CustomerKey::Domain(v) => v,
    }
}

/// What the client based its write on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precondition {
    /// `If-None-Match: *`: the document must not exist yet.
    Create,
    /// `If-Match: "<n>"`: the document must be at version n.
    Version(u64),
}

fn precondition(headers: &HeaderMap) -> Result<Option<Precondition>, Failure> {
    let text = |name| {
        headers
            .get(name)
            .map(|v: &HeaderValue| v.to_str().unwrap_or("").trim().to_string())
    };
    match (text(header::IF_MATCH), text(header::IF_NONE_MATCH)) {
        (Some(_), Some(_)) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "bad_precondition",
            "Send either If-Match (to update) or If-None-Match: * (to create), not both.",
        )),
        (None, Some(v)) if v == "*" => Ok(Some(Precondition::Create)),
        (None, Some(_)) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "bad_precondition",
            "If-None-Match must be * (create only if the record does not exist yet).",
        )),
        (Some(v), None) => parse_version(&v).map(|n| Some(Precondition::Version(n))),
        (None, None) => Ok(None),
    }
}

/// `"3"`, `W/"3"` or `3`.
fn parse_version(value: &str) -> Result<u64, Failure> {
    let v = value.strip_prefix("W/").unwrap_or(value);
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    v.parse().map_err(|_| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "bad_precondition",
            "If-Match must be the version you loaded, in quotes, such as \"3\".",
        )
    })
}

fn precondition_required(what: &str) -> Failure {
    Failure::new(
        StatusCode::PRECONDITION_REQUIRED,
        "precondition_required",
        format!(
            "Saving {what} needs the version it was based on: send If-Match: \"<version>\" (or If-None-Match: * to create), so nobody's change is overwritten."
        ),
    )
}

/// Parses a JSON body as `T`, naming the field serde stumbled on.
fn parse_body<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Failure> {
    let fail = |reason: String| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("The {what} could not be read: {reason}."),
        )
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match parsed {
        Ok(v) => de.end().map(|()| v).map_err(|e| fail(e.to_string())),
        Err(e) => Err(fail(describe_path_error(&e))),
    }
}

fn describe_path_error(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    if path.is_empty() || path == "." {
        e.inner().to_string()
    } else {
        format!("field {path}: {}", e.inner())
    }
}

fn body(b: Result<Bytes, BytesRejection>) -> Result<Bytes, Failure> {
    b.map_err(|r| Failure::from(body_rejected(r)))
}

fn to_value<T: serde::Serialize>(doc: &T) -> Value {
    // Serializing cutover-plan's plain data types to a Value cannot fail.
    serde_json::to_value(doc).unwrap_or(Value::Null)
}

fn versioned_response<T: serde::Serialize>(status: StatusCode, v: &Versioned<T>) -> Response {
    let mut resp = json_response(status, v);
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", v.version)) {
        resp.headers_mut().insert(header::ETAG, etag);
    }
    resp
}

/// `GET /api/store/records`: answered from [`RecordsCache`] while the records' stamp is the
/// same, else read, kept and answered.
pub async fn list_records(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Handled {
    let encoding = Encoding::from_headers(&headers);
    let stamp = state.store.records_stamp().await?;
    if let Some(kept) = state.records_cache.answer(&stamp, encoding).await {
        return Ok(kept);
    }
    let read = state.store.list_records_as::<MigrationRecord>().await?;
    // The stamp of what was read (a write may have come between the two reads).
    let stamp = store::records_stamp(
        read.iter()
            .map(|v| (v.key.as_str(), v.version, v.updated_at.as_str())),
    );
    let records = read
        .into_iter()
        .map(|v| Versioned {
            key: v.key,
            version: v.version,
            updated_at: v.updated_at,
            doc: v.doc,
        })
        .collect();
    let json = serde_json::to_vec(&RecordList { records }).map_err(|e| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "store_failed",
            format!("The records could not be written out ({e})."),
        )
    })?;
    Ok(state.records_cache.keep(stamp, json, encoding).await)
}

/// `GET /api/store/records/{key}`.
pub async fn get_record(State(state): State<Arc<AppState>>, Path(key): Path<String>) -> Handled {
    let found = state.store.get_record(&key).await?;
    let v = found.ok_or(store::StoreError::NotFound { key })?;
    Ok(versioned_response(
        StatusCode::OK,
        &typed::<MigrationRecord>(v)?,
    ))
}

/// `PUT /api/store/records/{key}`: create (`If-None-Match: *`) or update (`If-Match`).
pub async fn put_record(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    role: Option<Extension<CallerRole>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    raw: Result<Bytes, BytesRejection>,
) -> Handled {
    let raw = body(raw)?;
    let record: MigrationRecord = parse_body(&raw, "migration record")?;
    if !key_value(&record.key).eq_ignore_ascii_case(&key) {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "key_mismatch",
            "The record's key does not match the address it was saved to; reload the customer and save again.",
        ));
    }
    let expected = match precondition(&headers)? {
        Some(Precondition::Create) => None,
        Some(Precondition::Version(n)) => Some(n),
        None => return Err(precondition_required("a migration record")),
    };
    let actor = Actor::of(actor);
    check_orders(
        &state,
        CallerRole::of(role),
        &actor,
        &key,
        expected,
        &record,
    )
    .await?;
    let doc = to_value(&record);
    let now = clock::now_utc();
    let saved = state
        .store
        .put_record(&key, expected, &doc, &actor, &now)
        .await?;
    Ok(versioned_response(
        StatusCode::OK,
        &typed::<MigrationRecord>(saved)?,
    ))
}

/// `POST /api/store/records/{key}/rekey`: the body is the record under its new key.
pub async fn rekey_record(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    role: Option<Extension<CallerRole>>,
    Path(old_key): Path<String>,
    headers: HeaderMap,
    raw: Result<Bytes, BytesRejection>,
) -> Handled {
    let raw = body(raw)?;
    let record: MigrationRecord = parse_body(&raw, "migration record")?;
    let expected = match precondition(&headers)? {
        Some(Precondition::Version(n)) => n,
        Some(Precondition::Create) | None => {
            return Err(precondition_required("a record under a new key"));
        }
    };
    let new_key = key_value(&record.key).to_string();
    let actor = Actor::of(actor);
    check_orders(
        &state,
        CallerRole::of(role),
        &actor,
        &old_key,
        Some(expected),
        &record,
    )
    .await?;
    let doc = to_value(&record);
    let now = clock::now_utc();
    let saved = state
        .store
        .rekey_record(&old_key, &new_key, expected, &doc, &actor, &now)
        .await?;
    Ok(versioned_response(
        StatusCode::OK,
        &typed::<MigrationRecord>(saved)?,
    ))
}

#[derive(Deserialize)]
struct RawImport {
    #[serde(default)]
    records: Vec<Value>,
    #[serde(default)]
    updates: Vec<Value>,
}

/// Reads one item of an import, naming it by its place in the request and the field at fault.
fn import_item<T: DeserializeOwned>(item: Value, list: &str, index: usize) -> Result<T, Failure> {
    serde_path_to_error::deserialize(item).map_err(|e| {
        let path = e.path().to_string();
        let field = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!(", field {path}")
        };
        let what = if list == "records" {
            "Record"
        } else {
            "Update"
        };
        Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!(
                "{what} {} ({list}[{index}]{field}) could not be read: {}. Nothing was imported.",
                index + 1,
                e.inner()
            ),
        )
    })
}

/// `POST /api/store/import`: new records (`records`) and changed ones (`updates`, each with the
/// version it was based on), all written in one transaction or none at all.
pub async fn import(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    role: Option<Extension<CallerRole>>,
    raw: Result<Bytes, BytesRejection>,
) -> Handled {
    let raw = body(raw)?;
    let request: RawImport = parse_body(&raw, "import")?;
    let mut items = Vec::with_capacity(request.records.len() + request.updates.len());
    let mut places = Vec::with_capacity(items.capacity());
    for (index, item) in request.records.into_iter().enumerate() {
        let record: MigrationRecord = import_item(item, "records", index)?;
        items.push(store::ImportItem {
            key: key_value(&record.key).to_string(),
            expected: None,
            doc: to_value(&record),
        });
        places.push(format!("records[{index}]"));
    }
    for (index, item) in request.updates.into_iter().enumerate() {
        let update: ImportUpdate = import_item(item, "updates", index)?;
        items.push(store::ImportItem {
            key: key_value(&update.record.key).to_string(),
            expected: Some(update.version),
            doc: to_value(&update.record),
        });
        places.push(format!("updates[{index}]"));
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut repeated = Vec::new();
    for (n, item) in items.iter().enumerate() {
        if let Some(earlier) = first_seen.insert(item.key.to_ascii_lowercase(), n) {
            repeated.push(format!(
                "\"{}\" ({} and {})",
                item.key.chars().take(60).collect::<String>(),
                places[earlier],
                places[n]
            ));
        }
    }
    if !repeated.is_empty() {
        let shown: Vec<_> = repeated.iter().take(10).cloned().collect();
        let more = repeated.len().saturating_sub(shown.len());
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!(
                "The import lists the same customer more than once: {}{}. Nothing was imported; keep one entry per customer.",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        ));
    }
    let actor = Actor::of(actor);
    check_import_orders(&state, CallerRole::of(role), &actor, &items).await?;
    let now = clock::now_utc();
    let summary = state.store.import_records(&items, &actor, &now).await?;
    let records = summary
        .records
        .into_iter()
        .map(typed::<MigrationRecord>)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json_response(
        StatusCode::OK,
        &ImportResult {
            created: summary.created,
            updated: summary.updated,
            records,
        },
    ))
}

/// An editor may save a record but not place, remove or alter an order in it: compared with the
/// version the write is based on (a stale write is refused by the store anyway).
async fn check_orders(
    state: &AppState,
    role: cutover_plan::roles::Role,
    actor: &str,
    key: &str,
    expected: Option<u64>,
    record: &MigrationRecord,
) -> Result<(), Failure> {
    if role.includes(cutover_plan::roles::Role::Orderer) {
        return Ok(());
    }
    let stored = match expected {
        None => None,
        Some(_) => state
            .store
            .get_record(key)
            .await?
            .and_then(|v| serde_json::from_value::<MigrationRecord>(v.doc).ok()),
    };
    check_record_write(role, actor, stored.as_ref(), record)
}

/// [`check_orders`] for every item of an import.
async fn check_import_orders(
    state: &AppState,
    role: cutover_plan::roles::Role,
    actor: &str,
    items: &[store::ImportItem],
) -> Result<(), Failure> {
    if role.includes(cutover_plan::roles::Role::Orderer) {
        return Ok(());
    }
    let stored: HashMap<String, MigrationRecord> = if items.iter().any(|i| i.expected.is_some()) {
        state
            .store
            .list_records()
            .await?
            .into_iter()
            .filter_map(|v| {
                Some((
                    v.key.to_ascii_lowercase(),
                    serde_json::from_value(v.doc).ok()?,
                ))
            })
            .collect()
    } else {
        HashMap::new()
    };
    for item in items {
        let Ok(record) = serde_json::from_value::<MigrationRecord>(item.doc.clone()) else {
            continue;
        };
        let before = item
            .expected
            .and_then(|_| stored.get(&item.key.to_ascii_lowercase()));
        check_record_write(role, actor, before, &record)?;
    }
    Ok(())
}

fn unsaved_settings() -> Versioned<Settings> {
    Versioned {
        key: "settings".into(),
        version: 0,
        updated_at: String::new(),
        doc: Settings::default(),
    }
}

/// `GET /api/store/settings`: version 0 and the defaults until the first save.
pub async fn get_settings(State(state): State<Arc<AppState>>) -> Handled {
    let found = state.store.get_settings().await?;
    let v = match found {
        Some(v) => typed::<Settings>(v)?,
        None => unsaved_settings(),
    };
    Ok(versioned_response(StatusCode::OK, &v))
}

/// `PUT /api/store/settings` with `If-Match` (`"0"` for the first save).
pub async fn put_settings(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    headers: HeaderMap,
    raw: Result<Bytes, BytesRejection>,
) -> Handled {
    let raw = body(raw)?;
    let settings: Settings = parse_body(&raw, "settings")?;
    let expected = match precondition(&headers)? {
        Some(Precondition::Version(0)) => None,
        Some(Precondition::Version(n)) => Some(n),
        Some(Precondition::Create) => None,
        None => return Err(precondition_required("the settings")),
    };
    let doc = to_value(&settings);
    let actor = Actor::of(actor);
    let now = clock::now_utc();
    // Never saved, but the client names a version: that is a stale write like any other.
    let saved = if expected.is_some() && state.store.get_settings().await?.is_none() {
        None
    } else {
        Some(
            state
                .store
                .put_settings(expected, &doc, &actor, &now)
                .await?,
        )
    };
    match saved {
        Some(v) => Ok(versioned_response(StatusCode::OK, &typed::<Settings>(v)?)),
        None => Ok(json_response(
            StatusCode::CONFLICT,
            &Conflict {
                code: "conflict".into(),
                message: "The settings have never been saved, so the version you loaded is out of date. Nothing was saved; reload them and save again.".into(),
                retryable: false,
                current: unsaved_settings(),
            },
        )),
    }
}

#[derive(Deserialize)]
pub struct SinceQuery {
    since: Option<u64>,
}

/// `GET /api/store/records/{key}/changes?since=N`.
pub async fn changes(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    query: Result<Query<SinceQuery>, axum::extract::rejection::QueryRejection>,
) -> Handled {
    let Ok(Query(q)) = query else {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "since must be a version number, such as ?since=3.",
        ));
    };
    let log = state.store.changes(&key, q.since, usize::MAX).await?;
    let changes = log
        .into_iter()
        .map(|c| ChangeInfo {
            version: c.version,
            at: c.at,
            actor: c.actor,
            kind: to_value(&c.kind).as_str().unwrap_or("updated").to_string(),
        })
        .collect();
    Ok(json_response(StatusCode::OK, &ChangeList { changes }))
}

fn link_info(l: ShareLink) -> ShareLinkInfo {
    ShareLinkInfo {
        id: l.id,
        created_at: l.created_at,
        expires_at: l.expires_at,
        last_used_at: l.last_used_at,
        revoked_at: l.revoked_at,
    }
}

/// `POST /api/store/records/{key}/links`: the token is in this answer and nowhere else, ever.
pub async fn create_link(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    Path(key): Path<String>,
    raw: Result<Bytes, BytesRejection>,
) -> Handled {
    let raw = body(raw)?;
    let request: CreateShareLink = if raw.iter().all(u8::is_ascii_whitespace) {
        CreateShareLink::default()
    } else {
        parse_body(&raw, "share link request")?
    };
    let now = clock::now_utc();
    let (link, token) = state
        .store
        .create_share_link_in(
            &key,
            request.expires_at.as_deref(),
            request.lang.map(|l| l.tag()),
            &Actor::of(actor),
            &now,
        )
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &CreatedShareLink {
            link: link_info(link),
            token,
        },
    ))
}

/// `GET /api/store/records/{key}/links`: newest first.
pub async fn list_links(State(state): State<Arc<AppState>>, Path(key): Path<String>) -> Handled {
    let links = state.store.list_share_links(&key).await?;
    let links = links.into_iter().rev().map(link_info).collect();
    Ok(json_response(StatusCode::OK, &ShareLinkList { links }))
}

/// `DELETE /api/store/records/{key}/links/{id}`.
pub async fn revoke_link(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    Path((key, id)): Path<(String, String)>,
) -> Handled {
    let now = clock::now_utc();
    let found = state
        .store
        .revoke_share_link(&key, &id, &Actor::of(actor), &now)
        .await?;
    if found {
        Ok((
            StatusCode::NO_CONTENT,
            [(header::CACHE_CONTROL, "no-store")],
        )
            .into_response())
    } else {
        Ok(error_response(
            StatusCode::NOT_FOUND,
            ApiError::new(
                "not_found",
                "This customer has no such share link; reload the list of links.",
                false,
            ),
        ))
    }
}
