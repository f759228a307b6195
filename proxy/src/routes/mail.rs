//! E-mail subscriptions on status pages (double opt-in) and the partner's view of them.
//!
//! - `POST /api/public/status/{token}/subscribe` `{address, lang}`: queues a confirmation mail (in
//!   the same transaction as the subscription) and answers the same whatever the address's state,
//!   so the answer says nothing about who else subscribed. Rate-limited per client address.
//! - `GET`/`POST /api/public/mail/confirm/{token}`: a page with a button, and the confirmation.
//! - `GET`/`POST /api/public/mail/unsubscribe/{token}`: a page with a button, and the unsubscription
//!   (also the target of `List-Unsubscribe` one-click POSTs, RFC 8058). Unsubscribing deletes the
//!   address and its waiting mails.
//! - `GET`/`DELETE /api/store/records/{key}/subscribers[/{id}]`: the partner lists and removes.
//!
//! GET never changes anything: link checkers in mail systems open links, and must not confirm or
//! unsubscribe anyone.
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cutover_plan::lang::Lang;
use cutover_plan::mail_content::{self, SubscriptionPage};
use cutover_plan::wire::{
    ApiError, SubscribeAnswer, SubscribeRequest, SubscriberInfo, SubscriberList,
};

use super::public::open;
use super::{Failure, error_response, json_response};
use crate::store::subscribers::random_hex;
use crate::store::{MessageKind, NewMessage, NewSubscriber, Subscribed};
use crate::{AppState, clock, notify};

type Handled = Result<Response, Failure>;

/// `POST /api/public/status/{token}/subscribe`.
pub async fn subscribe(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
    raw: Result<Bytes, BytesRejection>,
) -> Response {
    if !state.notify.mail_enabled() {
        return error_response(
            StatusCode::NOT_FOUND,
            ApiError::new(
                "mail_disabled",
                "This status page does not offer e-mail updates.",
                false,
            ),
        );
    }
    let request = match raw
        .ok()
        .and_then(|b| serde_json::from_slice::<SubscribeRequest>(&b).ok())
    {
        Some(r) => r,
        None => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ApiError::new(
                    "bad_request",
                    "Send {\"address\": \"you@example.com\", \"lang\": \"en\"} to subscribe.",
                    false,
                ),
            );
        }
    };
    let address = request.address.trim().to_owned();
    if address.chars().count() > crate::store::subscribers::MAX_ADDRESS_CHARS
        || address.parse::<lettre::Address>().is_err()
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            ApiError::new(
                "invalid_address",
                "That is not an e-mail address; check it and try again.",
                false,
            ),
        );
    }
    let (link_id, record, _, _) = match open(&state, token).await {
        Ok(opened) => opened,
        Err(resp) => return resp,
    };
    match queue_confirmation(
        &state,
        link_id,
        &record.customer_name,
        address,
        request.lang,
    )
    .await
    {
        Ok(Subscribed::LinkFull) => error_response(
            StatusCode::CONFLICT,
            ApiError::new(
                "too_many_subscribers",
                "This status page has as many e-mail subscribers as it may have; ask your partner to remove some.",
                false,
            ),
        ),
        Ok(_) => {
            state.notify.wake();
            json_response(
                StatusCode::ACCEPTED,
                &SubscribeAnswer {
                    status: "check_your_inbox".into(),
                },
            )
        }
        Err(f) => f.into_response(),
    }
}

async fn queue_confirmation(
    state: &AppState,
    link_id: String,
    customer: &str,
    address: String,
    lang: Lang,
) -> Result<Subscribed, Failure> {
    let id = random_hex(16)?;
    let token = random_hex(32)?;
    let unsubscribe = state.notify.unsubscribe_url(&token);
    let ctx = notify::mail_context(lang, &state.partner_name, customer, &unsubscribe);
    let content = mail_content::confirmation(&ctx, &state.notify.confirm_url(&token));
    let mail = NewMessage {
        // A request of its own (asking again sends a new mail), unrelated to the token.
        dedup_id: format!("confirm:{id}:{}", random_hex(8)?),
        kind: MessageKind::Mail,
        subscriber_id: Some(id.clone()),
        payload: notify::mail_payload("confirmation", lang, content, &unsubscribe),
    };
    let new = NewSubscriber {
        id,
        token,
        link_id,
        address,
        lang: lang.tag().to_owned(),
    };
    Ok(state.store.subscribe(new, mail, &clock::now_utc()).await?)
}

fn page(status: StatusCode, lang: Lang, which: SubscriptionPage) -> Response {
    let mut resp = (status, mail_content::page_html(lang, which)).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

async fn lang_of(state: &AppState, token: &str) -> Result<Option<Lang>, Failure> {
    Ok(state
        .store
        .subscriber_lang(token)
        .await?
        .map(|t| Lang::from_tag(&t).unwrap_or_default()))
}

/// `GET /api/public/mail/confirm/{token}`: the page with the button.
pub async fn confirm_page(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> Handled {
    Ok(match lang_of(&state, &token).await? {
        Some(l) => page(StatusCode::OK, l, SubscriptionPage::ConfirmAsk),
        None => page(StatusCode::NOT_FOUND, Lang::En, SubscriptionPage::NotValid),
    })
}

/// `POST /api/public/mail/confirm/{token}`.
pub async fn confirm(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Handled {
    let now = clock::now_utc();
    Ok(match state.store.confirm_subscriber(&token, &now).await? {
        Some(tag) => {
            // A deadline may be near already: look for reminders now.
            state.notify.remind_soon();
            page(
                StatusCode::OK,
                Lang::from_tag(&tag).unwrap_or_default(),
                SubscriptionPage::Confirmed,
            )
        }
        None => page(StatusCode::NOT_FOUND, Lang::En, SubscriptionPage::NotValid),
    })
}

/// `GET /api/public/mail/unsubscribe/{token}`: the page with the button.
pub async fn unsubscribe_page(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> Handled {
    Ok(match lang_of(&state, &token).await? {
        Some(l) => page(StatusCode::OK, l, SubscriptionPage::UnsubscribeAsk),
        // Already gone: nothing more will be sent, which is what the reader wants to know.
        None => page(StatusCode::OK, Lang::En, SubscriptionPage::Unsubscribed),
    })
}

/// `POST /api/public/mail/unsubscribe/{token}` (the page's button, or a mail client's one-click
/// POST with `List-Unsubscribe=One-Click`).
pub async fn unsubscribe(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Handled {
    let lang = state
        .store
        .unsubscribe(&token)
        .await?
        .and_then(|t| Lang::from_tag(&t))
        .unwrap_or_default();
    Ok(page(StatusCode::OK, lang, SubscriptionPage::Unsubscribed))
}

/// `GET /api/store/records/{key}/subscribers`.
pub async fn list(State(state): State<Arc<AppState>>, Path(key): Path<String>) -> Handled {
    let subscribers = state
        .store
        .list_subscribers(&key)
        .await?
        .into_iter()
        .map(|s| SubscriberInfo {
            id: s.id,
            link_id: s.link_id,
            address: s.address,
            lang: Lang::from_tag(&s.lang).unwrap_or_default(),
            created_at: s.created_at,
            confirmed_at: s.confirmed_at,
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &SubscriberList {
            subscribers,
            mail_enabled: state.notify.mail_enabled(),
        },
    ))
}

/// `DELETE /api/store/records/{key}/subscribers/{id}`.
pub async fn remove(
    State(state): State<Arc<AppState>>,
    Path((key, id)): Path<(String, String)>,
) -> Handled {
    if state.store.remove_subscriber(&key, &id).await? {
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
                "This customer has no such subscriber; reload the list.",
                false,
            ),
        ))
    }
}
