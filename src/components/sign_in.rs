//! Getting in: the gate in front of partner pages (sign in with the identity provider, or the
//! access key), the `/sign-in` page a failed sign-in lands on, and who is signed in (header).
use crate::components::route_focus::use_page_title;
use cutover_plan::roles::Role;
use cutover_plan::wire::{ApiError, SessionStatus, SignInMode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::team;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::{team as t, use_lang};
use crate::pages::portfolio::use_portfolio;

/// What the gate shows.
#[derive(Debug, Clone, PartialEq)]
enum Gate {
    /// Asking the proxy who is signed in (a moment; nothing is loaded before it answers).
    Asking,
    /// The pages (no login needed, signed in with a role, a status page, or the proxy did not
    /// answer: the pages then say what went wrong).
    Open,
    /// Signed out: sign in first.
    SignIn(SessionStatus),
    /// Signed in without a role.
    NoRole,
}

/// The role of this browser's session (admin when no login is needed), once known.
#[must_use]
pub fn use_role() -> Signal<Option<Role>> {
    let portfolio = use_portfolio();
    Signal::derive(move || {
        portfolio
            .session
            .with(|s| s.as_ref().and_then(|s| s.team.role))
    })
}

/// Shows `children` only to someone who may see partner pages.
#[component]
pub fn SignInGate(children: ChildrenFn) -> impl IntoView {
    let portfolio = use_portfolio();
    let location = use_location();
    // Asked once, the first time a partner page is shown (the pages' own `ensure_session` then
    // finds it known); a customer's status page never asks.
    let asked = StoredValue::new(false);
    let answered = RwSignal::new(false);
    let gate = Memo::new(move |_| {
        let path = location.pathname.get();
        if path.starts_with("/status/") || path == "/sign-in" {
            return Gate::Open;
        }
        if !asked.get_value() {
            asked.set_value(true);
            spawn_local(async move {
                if let Ok(s) = crate::api::session().await {
                    portfolio.session.set(Some(s));
                }
                answered.set(true);
            });
        }
        match portfolio.session.get() {
            None if !answered.get() => Gate::Asking,
            Some(s) if s.required && !s.active => Gate::SignIn(s),
            Some(s) if s.team.mode == SignInMode::Oidc && s.team.role.is_none() => Gate::NoRole,
            _ => Gate::Open,
        }
    });
    let lang = use_lang();
    move || match gate.get() {
        Gate::Asking => view! {
            <p class="muted" role="status">{move || crate::i18n::common::loading(lang.get())}</p>
        }
        .into_any(),
        Gate::Open => children().into_any(),
        Gate::SignIn(s) => view! { <SignIn status=s /> }.into_any(),
        Gate::NoRole => view! { <NoRole /> }.into_any(),
    }
}

/// Sign in: a button to the identity provider, or the access-key form.
#[component]
fn SignIn(status: SessionStatus) -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || t::sign_in_title(lang.get()).to_owned());
    let location = use_location();
    let body = match (status.team.mode, status.team.sign_in_url.clone()) {
        (SignInMode::Oidc, Some(base)) => {
            let href = move || {
                let path = location.pathname.get();
                team::sign_in_url(&base, &path)
            };
            view! {
                <p>{move || t::sign_in_text(lang.get())}</p>
                <a class="button" rel="external" data-testid="sign-in" href=href>
                    {move || t::sign_in_button(lang.get())}
                </a>
            }
            .into_any()
        }
        _ => view! { <AccessKeyForm /> }.into_any(),
    };
    view! {
        <section class="page sign-in" aria-labelledby="sign-in-title">
            <div class="card">
                <h1 id="sign-in-title">{move || t::sign_in_title(lang.get())}</h1>
                {body}
            </div>
        </section>
    }
}

#[component]
fn AccessKeyForm() -> impl IntoView {
    let lang = use_lang();
    let portfolio = use_portfolio();
    let key = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let (k, n) = (key.get_untracked(), label.get_untracked());
        spawn_local(async move {
            match team::log_in_with_key(&k, &n).await {
                Ok(s) => {
                    portfolio.session.set(Some(s));
                    // Everything loaded while signed out failed: start afresh.
                    let _ = window().location().reload();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <h2>{move || t::key_title(lang.get())}</h2>
        <p>{move || t::key_text(lang.get())}</p>
        {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
        <form on:submit=submit>
            <label class="field">
                <span>{move || t::key_label(lang.get())}</span>
                <input type="password" autocomplete="current-password" required
                    on:input=move |ev| key.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{move || t::key_name(lang.get())}</span>
                <input type="text" autocomplete="name" maxlength="60"
                    on:input=move |ev| label.set(event_target_value(&ev)) />
            </label>
            <div class="actions">
                <button type="submit" class="button" disabled=move || busy.get()>
                    {move || t::key_submit(lang.get())}
                </button>
            </div>
        </form>
    }
}

#[component]
fn NoRole() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || t::no_role_title(lang.get()).to_owned());
    view! {
        <section class="page sign-in" aria-labelledby="no-role-title">
            <div class="card" data-testid="no-role">
                <h1 id="no-role-title">{move || t::no_role_title(lang.get())}</h1>
                <p>{move || t::no_role_text(lang.get())}</p>
                <SignOutButton />
            </div>
        </section>
    }
}

/// `/sign-in`: where a failed sign-in lands, with why.
#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || t::sign_in_title(lang.get()).to_owned());
    let query = use_query_map();
    let portfolio = use_portfolio();
    portfolio.ensure_session();
    let error = move || query.read().get("error");
    let base = move || {
        portfolio
            .session
            .with(|s| s.as_ref().and_then(|s| s.team.sign_in_url.clone()))
            .unwrap_or_else(|| "/api/auth/login".to_owned())
    };
    view! {
        <section class="page sign-in" aria-labelledby="sign-in-failed">
            <div class="card">
                <h1 id="sign-in-failed">{move || t::sign_in_title(lang.get())}</h1>
                {move || error().map(|code| view! {
                    <div class="banner banner-error" role="alert" data-testid="sign-in-error">
                        <p>{t::sign_in_error(lang.get(), &code)}</p>
                    </div>
                })}
                <a class="button" rel="external" href=move || team::sign_in_url(&base(), "/")>
                    {move || t::sign_in_again(lang.get())}
                </a>
            </div>
        </section>
    }
}

/// Signs out and starts again from the front page.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let lang = use_lang();
    let out = move |_| {
        spawn_local(async move {
            let _ = team::sign_out().await;
            let _ = window().location().set_href("/");
        });
    };
    view! {
        <button type="button" class="button secondary small" data-testid="sign-out" on:click=out>
            {move || t::sign_out(lang.get())}
        </button>
    }
}

/// Who is signed in, their role, and signing out (nothing when no login is needed).
#[component]
pub fn WhoAmI() -> impl IntoView {
    let lang = use_lang();
    let portfolio = use_portfolio();
    move || {
        let s = portfolio.session.get()?;
        if s.team.mode == SignInMode::Open || !s.active {
            return None;
        }
        let l = lang.get();
        let who = s.team.name.clone().or(s.actor.clone()).unwrap_or_default();
        let role = s.team.role.map(|r| t::role(l, r));
        Some(view! {
            <div class="who-am-i" data-testid="who-am-i">
                <span class="sr-only">{t::signed_in_as(l)}" "</span>
                <span title=s.actor.clone().unwrap_or_default()>{who}</span>
                {role.map(|r| view! { <span class="badge" data-testid="my-role">{r}</span> })}
                <SignOutButton />
            </div>
        })
    }
}
