//! The status page's e-mail form: the customer's IT admin asks for mail when the move changes and
//! before each of their deadlines. The server sends a confirmation first (double opt-in) and
//! answers the same whatever the address, so the page only ever says "check your inbox".
use leptos::prelude::*;

use crate::api::public::{self, SubscribeError};
use crate::i18n::{notify as t, use_lang};

/// Where the form stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sent {
    No,
    Yes,
    Invalid,
    Failed,
}

/// The share token of the page this form is on (`/status/{token}`).
fn page_token() -> String {
    let path = window().location().pathname().unwrap_or_default();
    path.strip_prefix("/status/")
        .unwrap_or("")
        .trim_end_matches('/')
        .to_owned()
}

/// The form, shown when the server sends mail (`enabled`); the share token comes from the page's
/// address, so the form works wherever the page is mounted.
#[component]
pub fn MailSubscribe(enabled: bool) -> impl IntoView {
    let lang = use_lang();
    let address = RwSignal::new(String::new());
    let sent = RwSignal::new(Sent::No);
    let subscribe = Action::new_local(move |address: &String| {
        let token = page_token();
        let address = address.clone();
        let l = lang.get_untracked();
        async move {
            match public::subscribe(&token, &address, l.into()).await {
                Ok(()) => sent.set(Sent::Yes),
                Err(SubscribeError::InvalidAddress) => sent.set(Sent::Invalid),
                Err(SubscribeError::Failed) => sent.set(Sent::Failed),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let a = address.get_untracked();
        if a.trim().is_empty() || !a.contains('@') {
            sent.set(Sent::Invalid);
            return;
        }
        subscribe.dispatch(a);
    };
    enabled.then(|| {
        view! {
            <section class="status-card status-mail" aria-labelledby="status-mail-h" data-testid="mail-subscribe">
                <h2 id="status-mail-h">{move || t::mail_heading(lang.get())}</h2>
                <p>{move || t::mail_intro(lang.get())}</p>
                <form class="mail-form" on:submit=on_submit novalidate>
                    <label class="field">
                        <span>{move || t::mail_address(lang.get())}</span>
                        <input
                            type="email"
                            name="email"
                            autocomplete="email"
                            required
                            data-testid="mail-address"
                            prop:value=move || address.get()
                            on:input=move |ev| address.set(event_target_value(&ev))
                        />
                    </label>
                    <button
                        type="submit"
                        class="button"
                        data-testid="mail-submit"
                        disabled=move || subscribe.pending().get()
                    >
                        {move || {
                            if subscribe.pending().get() {
                                t::mail_sending(lang.get())
                            } else {
                                t::mail_subscribe(lang.get())
                            }
                        }}
                    </button>
                </form>
                <p class="muted"><small>{move || t::mail_language_note(lang.get())}</small></p>
                {move || {
                    let l = lang.get();
                    match sent.get() {
                        Sent::No => None,
                        Sent::Yes => Some(view! {
                            <p class="banner banner-ok" role="status" data-testid="mail-sent">{t::mail_sent(l)}</p>
                        }.into_any()),
                        Sent::Invalid => Some(view! {
                            <p class="banner banner-warning" role="alert" data-testid="mail-invalid">{t::mail_invalid(l)}</p>
                        }.into_any()),
                        Sent::Failed => Some(view! {
                            <p class="banner banner-warning" role="alert" data-testid="mail-failed">{t::mail_failed(l)}</p>
                        }.into_any()),
                    }
                }}
            </section>
        }
    })
}
