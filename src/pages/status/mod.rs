//! The customer's read-only status page behind a share link (`/status/{token}`).
//!
//! Its own entry point (`src/bin/cutover-status.rs`, `status.html`): a small bundle without the
//! partner app's router, pages or HTTP client. One request (the projection); every date is
//! computed here by `cutover-plan` and shown in the viewer's own locale and time zone.
//! Everything is rendered as text.
mod sections;

use leptos::prelude::*;

use crate::api::public::{self, StatusError};
use crate::i18n::{LangSwitch, provide_locale, status as t, use_lang};
use cutover_plan::customer_status::StatusPageModel;

use crate::i18n::dates;

/// Name of the `performance.mark` set when the checklist is in the DOM (read by the e2e test).
pub const VISIBLE_MARK: &str = "status-checklist-visible";

/// Mounts the status page into `<body>`, replacing the static "Loading…" placeholder.
pub fn mount() {
    console_error_panic_hook::set_once();
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(|| {
        provide_locale();
        let path = window().location().pathname().unwrap_or_default();
        let token = public::token_from_path(&path)
            .unwrap_or_default()
            .to_owned();
        view! {
            <main id="main" tabindex="-1">
                <StatusPage token />
            </main>
        }
    });
}

/// Where loading the status stands.
enum Load {
    Loading,
    Loaded(StoredValue<StatusPageModel>),
    Invalid,
    Unavailable,
}

/// The status page for the share token `token` (an implausible token shows the invalid page).
///
/// Plain signals and one spawned request rather than a resource and `<Suspense>`: the async
/// machinery costs the customer's phone more bytes than this one request needs.
#[component]
pub fn StatusPage(token: String) -> impl IntoView {
    let token = StoredValue::new(token);
    let state = RwSignal::new(Load::Loading);
    let load = move || {
        state.set(Load::Loading);
        leptos::task::spawn_local(async move {
            let answer = public::status(&token.get_value()).await;
            state.set(match answer {
                Ok(a) => Load::Loaded(StoredValue::new(StatusPageModel::new(&a, dates::today()))),
                Err(StatusError::Invalid) => Load::Invalid,
                Err(StatusError::Unavailable(_)) => Load::Unavailable,
            });
        });
    };
    load();
    let lang = use_lang();
    view! {
        <div class="status-page" data-testid="status-page">
            <div class="status-bar">
                <span class="status-bar-title">{move || t::page_title(lang.get())}</span>
                <LangSwitch />
            </div>
            {move || {
                state
                    .with(|s| match s {
                        Load::Loading => {
                            view! {
                                <p class="status-loading" role="status">
                                    {move || t::loading(lang.get())}
                                </p>
                            }
                                .into_any()
                        }
                        Load::Loaded(status) => {
                            let feed = public::feed_url(&token.get_value());
                            view! { <StatusDetails status=status.get_value() feed /> }.into_any()
                        }
                        Load::Invalid => view! { <InvalidLink /> }.into_any(),
                        Load::Unavailable => view! { <Unavailable retry=load /> }.into_any(),
                    })
            }}
        </div>
    }
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
fn Unavailable(retry: impl Fn() + Copy + 'static) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="status-invalid" role="alert" data-testid="status-unavailable">
            <h1>{move || t::unavailable_title(lang.get())}</h1>
            <p>{move || t::unavailable_body(lang.get())}</p>
            <button type="button" class="button" on:click=move |_| retry()>
                {move || t::try_again(lang.get())}
            </button>
        </section>
    }
}
