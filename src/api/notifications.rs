//! Notification calls of the partner app: the subscribers of a record's status pages and the
//! calendar links. (The status page's own subscription call is in `api::public`.)
use cutover_plan::lang::Lang;
use cutover_plan::wire::{
    ApiError, CalendarLinkList, CreateCalendarLink, CreatedCalendarLink, SubscriberList,
};
use gloo_net::http::Request;

use super::{encode, json_of, send, send_json};

fn subscribers_url(key: &str) -> String {
    format!("/api/store/records/{}/subscribers", encode(key))
}

/// The e-mail subscribers of every status link of the record `key`.
pub async fn subscribers(key: &str) -> Result<SubscriberList, ApiError> {
    json_of(
        send(Request::get(&subscribers_url(key)), None, &[]).await?,
        "the subscribers",
    )
    .await
}

/// Removes one subscriber (its address is deleted, and nothing more is sent to it).
pub async fn remove_subscriber(key: &str, id: &str) -> Result<(), ApiError> {
    let url = format!("{}/{}", subscribers_url(key), encode(id));
    send(Request::delete(&url), None, &[]).await.map(|_| ())
}

/// Every calendar link, newest first.
pub async fn calendar_links() -> Result<CalendarLinkList, ApiError> {
    json_of(
        send(Request::get("/api/store/calendar-links"), None, &[]).await?,
        "the calendar links",
    )
    .await
}

/// Makes a calendar link; the answer holds its secret address, shown only now.
pub async fn create_calendar_link(
    label: &str,
    lang: Lang,
) -> Result<CreatedCalendarLink, ApiError> {
    let body = CreateCalendarLink {
        label: label.trim().to_owned(),
        lang,
    };
    json_of(
        send_json(Request::post("/api/store/calendar-links"), &body, &[]).await?,
        "the new calendar link",
    )
    .await
}

/// Revokes a calendar link: calendars subscribed to it stop getting updates.
pub async fn revoke_calendar_link(id: &str) -> Result<(), ApiError> {
    let url = format!("/api/store/calendar-links/{}", encode(id));
    send(Request::delete(&url), None, &[]).await.map(|_| ())
}

/// A calendar link's address as calendars need it: absolute, on this app's origin.
pub fn absolute(url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        return url.to_owned();
    }
    let origin = leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_default();
    format!("{origin}{url}")
}
