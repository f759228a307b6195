//! Answers to requests `index.html` started while the app's code was still downloading: who is
//! signed in (every partner page asks first) and, on the customer list, the first page of
//! customers, the migration records and the settings. Without them the first screen waits for
//! the code, then for the session, then for the list's data, one after the other.
//!
//! `index.html` leaves `window.__cutoverEarly = {session, customers?, records?, settings?,
//! correlationId?}` (promises of a `Response`; the list's data is asked for only once the session
//! lets this browser in, else those promises give `null`). Each answer is taken at most once, and used only when it
//! succeeded: a missing, refused or failed early request is simply asked again, so signing in
//! first still works.
use gloo_net::http::Response;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const EARLY: &str = "__cutoverEarly";

/// Removes and returns `window.__cutoverEarly[name]`.
fn take(name: &str) -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let early = js_sys::Reflect::get(&window, &JsValue::from_str(EARLY)).ok()?;
    if !early.is_object() {
        return None;
    }
    let key = JsValue::from_str(name);
    let value = js_sys::Reflect::get(&early, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(early.unchecked_ref::<js_sys::Object>(), &key);
    (!value.is_undefined()).then_some(value)
}

/// The early answer `name` (`"session"`, `"customers"`, `"records"`, `"settings"`), once, if it
/// arrived and succeeded.
pub(crate) async fn response(name: &str) -> Option<Response> {
    let promise: js_sys::Promise = take(name)?.dyn_into().ok()?;
    let resp: web_sys::Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    resp.ok().then(|| Response::from(resp))
}

/// The `MS-CorrelationId` the early customers request was sent with, once: the list's loading
/// goes on with it, so every page of one load carries the same id.
pub(crate) fn correlation_id() -> Option<String> {
    take("correlationId")?.as_string()
}
