//! Subscribable calendars for partner staff: secret, revocable URLs with the week's actions over
//! every customer (this week and next), in the link's language.
//!
//! - `GET`/`POST /api/store/calendar-links`, `DELETE /api/store/calendar-links/{id}`: partner only.
//! - `GET /api/public/calendar/{token}.ics`: what Outlook or Google Calendar fetches, without a
//!   login (the token is the secret; unknown and revoked tokens get the same 404).
//!
//! The proxy plans natively with `cutover-plan`, from the stored records and settings. It does not
//! ask Partner Center here (a calendar may be fetched often): a record keyed by its Partner Center
//! id counts as accepted, one keyed by domain as not yet.
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cutover_plan::Date;
use cutover_plan::checklist::PcFacts;
use cutover_plan::ics::{
    PartnerIcsOptions, PartnerRecord, PartnerWindow, partner_ics_for_records, stamp_of, week_window,
};
use cutover_plan::lang::Lang;
use cutover_plan::planner::Planner;
use cutover_plan::record::MigrationRecord;
use cutover_plan::settings::Settings;
use cutover_plan::wire::{
    ApiError, CalendarLinkInfo, CalendarLinkList, CreateCalendarLink, CreatedCalendarLink,
};

use super::{Failure, error_response, json_response};
use crate::notify::fanout::assumed_facts;
use crate::store::CalendarLink;
use crate::{AppState, clock};

type Handled = Result<Response, Failure>;

fn info(l: CalendarLink) -> CalendarLinkInfo {
    CalendarLinkInfo {
        id: l.id,
        label: l.label,
        lang: Lang::from_tag(&l.lang).unwrap_or_default(),
        created_at: l.created_at,
        last_used_at: l.last_used_at,
        revoked_at: l.revoked_at,
    }
}

/// `GET /api/store/calendar-links`: newest first.
pub async fn list(State(state): State<Arc<AppState>>) -> Handled {
    let links = state.store.list_calendar_links().await?;
    Ok(json_response(
        StatusCode::OK,
        &CalendarLinkList {
            links: links.into_iter().rev().map(info).collect(),
        },
    ))
}

/// `POST /api/store/calendar-links`: the answer holds the secret URL, shown only now.
pub async fn create(
    State(state): State<Arc<AppState>>,
    raw: Result<Bytes, BytesRejection>,
) -> Handled {
    let raw = raw.map_err(super::body_rejected)?;
    let request: CreateCalendarLink = if raw.iter().all(u8::is_ascii_whitespace) {
        CreateCalendarLink::default()
    } else {
        serde_json::from_slice(&raw).map_err(|_| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Send {\"label\": \"Ann's Outlook\", \"lang\": \"en\"} to make a calendar link.",
            )
        })?
    };
    let (link, token) = state
        .store
        .create_calendar_link(&request.label, request.lang.tag(), &clock::now_utc())
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &CreatedCalendarLink {
            link: info(link),
            url: state
                .notify
                .link(&format!("/api/public/calendar/{token}.ics")),
        },
    ))
}

/// `DELETE /api/store/calendar-links/{id}`.
pub async fn revoke(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Handled {
    if state
        .store
        .revoke_calendar_link(&id, &clock::now_utc())
        .await?
    {
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
                "There is no such calendar link; reload the list.",
                false,
            ),
        ))
    }
}

/// `GET /api/public/calendar/{token}.ics`.
pub async fn feed(State(state): State<Arc<AppState>>, Path(file): Path<String>) -> Handled {
    let now = clock::now_utc();
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let Some(link) = state.store.resolve_calendar_token(token, &now).await? else {
        return Ok(error_response(
            StatusCode::NOT_FOUND,
            ApiError::new(
                "link_not_valid",
                "This calendar link is not valid: it may be mistyped or revoked. Make a new one in Cutover.",
                false,
            ),
        ));
    };
    let lang = Lang::from_tag(&link.lang).unwrap_or_default();
    let (settings, settings_version) = state
        .store
        .get_settings()
        .await?
        .and_then(|v| {
            let version = v.version;
            serde_json::from_value::<Settings>(v.doc)
                .ok()
                .map(|s| (s, version))
        })
        .unwrap_or_default();
    let today = now
        .get(..10)
        .and_then(|d| Date::parse(d).ok())
        .unwrap_or(Date::from_days(0));
    let planner = Planner::new(&settings);
    let stored = state.store.list_records().await?;
    let customers: Vec<(MigrationRecord, PcFacts, u64)> = stored
        .into_iter()
        .filter_map(|v| {
            let version = v.version;
            let record = serde_json::from_value::<MigrationRecord>(v.doc).ok()?;
            let facts = assumed_facts(&record.key);
            Some((record, facts, version))
        })
        .collect();
    let input: Vec<PartnerRecord<'_>> = customers
        .iter()
        .map(|(record, facts, version)| PartnerRecord {
            record,
            facts,
            version: *version,
        })
        .collect();
    let (from, to) = week_window(today);
    let stamp = stamp_of(&now).unwrap_or_default();
    let name = match lang {
        Lang::En => format!("{}: migration actions", state.partner_name),
        Lang::Ja => format!("{}: 移行の作業予定", state.partner_name),
    };
    let ics = partner_ics_for_records(
        &input,
        &planner,
        &PartnerIcsOptions {
            lang,
            today,
            settings_version,
            stamp: &stamp,
            name: &name,
            window: PartnerWindow::Feed { from, to },
        },
    );
    let mut resp = (StatusCode::OK, ics).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok(resp)
}
