//! The customer's read-only status page behind a share link (`/status/{token}`).
//!
//! One request (the projection); every date is computed here by `cutover-plan` and shown in the
//! viewer's own locale and time zone. Everything is rendered as text.
mod sections;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::public::{self, StatusError};
use crate::i18n::{LangSwitch, status as t, use_lang};
use cutover_plan::customer_status::StatusPageModel;

use crate::i18n::dates;

/// Name of the `performance.mark` set when the checklist is in the DOM (read by the e2e test).
pub const VISIBLE_MARK: &str = "status-checklist-visible";

/// The status page.
#[component]
pub fn StatusPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let attempt = RwSignal::new(0u32);
    let answer = LocalResource::new(move || {
        attempt.track();
        let token = token.get();
        async move { public::status(&token).await }
    });
    privacy_meta();
    let lang = use_lang();
    view! {
        <div class="status-page" data-testid="status-page">
            <div class="status-bar">
                <span class="status-bar-title">{move || t::page_title(lang.get())}</span>
                <LangSwitch />
            </div>
            <Suspense fallback=move || {
                view! {
                    <p class="status-loading" role="status">
                        {move || t::loading(lang.get())}
                    </p>
                }
            }>
                {move || Suspend::new(async move {
                    match answer.await {
                        Ok(a) => {
                            let status = StatusPageModel::new(&a, dates::today());
                            let feed = public::feed_url(&token.get_untracked());
                            view! { <StatusDetails status feed /> }.into_any()
                        }
                        Err(StatusError::Invalid) => view! { <InvalidLink /> }.into_any(),
                        Err(StatusError::Unavailable(_)) => {
                            view! { <Unavailable attempt /> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Keeps the page out of search engines and the token out of `Referer` headers.
fn privacy_meta() {
    let doc = document();
    let Some(head) = doc.head() else { return };
    for (name, content) in [("referrer", "no-referrer"), ("robots", "noindex, nofollow")] {
        if let Ok(meta) = doc.create_element("meta") {
            let _ = meta.set_attribute("name", name);
            let _ = meta.set_attribute("content", content);
            let _ = meta.set_attribute("data-status-page", "");
            let _ = head.append_child(&meta);
        }
    }
    on_cleanup(|| {
        let doc = document();
        while let Ok(Some(meta)) = doc.query_selector("meta[data-status-page]") {
            meta.remove();
        }
    });
}

/// The loaded page; re-rendered in place when the language changes.
#[component]
pub fn StatusDetails(status: StatusPageModel, feed: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let customer = status.status.customer_name.clone();
    Effect::new(move |_| {
        document().set_title(&format!("{} · {}", t::page_title(lang.get()), customer));
    });
    Effect::new(move |_| {
        if let Some(perf) = window().performance() {
            let _ = perf.mark(VISIBLE_MARK);
        }
    });
    let status = StoredValue::new(status);
    let feed = StoredValue::new(feed);
    move || {
        let l = lang.get();
        status.with_value(|s| feed.with_value(|f| sections::page(s, l, f.as_deref())))
    }
}

/// One answer for unknown, revoked, expired and malformed links.
#[component]
fn InvalidLink() -> impl IntoView {
    let lang = use_lang();
    Effect::new(move |_| document().set_title(t::invalid_title(lang.get())));
    view! {
        <section class="status-invalid" data-testid="status-invalid">
            <h1>{move || t::invalid_title(lang.get())}</h1>
            <p>{move || t::invalid_body(lang.get())}</p>
        </section>
    }
}

/// The server could not be reached: say so and offer to try again.
#[component]
fn Unavailable(attempt: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="status-invalid" role="alert" data-testid="status-unavailable">
            <h1>{move || t::unavailable_title(lang.get())}</h1>
            <p>{move || t::unavailable_body(lang.get())}</p>
            <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                {move || t::try_again(lang.get())}
            </button>
        </section>
    }
}
