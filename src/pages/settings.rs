//! The partner's planning settings: lead days, holidays, lifecycle per channel, display currency.
use std::collections::BTreeMap;

use cutover_plan::record::Channel;
use cutover_plan::settings::ChannelLifecycle;
use cutover_plan::wire::{ApiError, Versioned};
use cutover_plan::{Date, Settings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, SaveError};
use crate::components::error_banner::ErrorBanner;
use crate::components::route_focus::use_page_title;
use crate::i18n::settings as t;
use crate::i18n::{Lang, common, use_lang};
use crate::pages::portfolio::{Load, use_portfolio};

fn lifecycle_mut(s: &mut Settings, c: Channel) -> &mut ChannelLifecycle {
    match c {
        Channel::Direct => &mut s.lifecycle.direct,
        Channel::Partner => &mut s.lifecycle.partner,
        Channel::Open => &mut s.lifecycle.open,
        Channel::Ea => &mut s.lifecycle.ea,
    }
}

/// Reads a list of dates, one per line (blank lines ignored).
pub fn parse_holidays(text: &str) -> Result<Vec<Date>, String> {
    text.lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Date::parse_lenient(s).map_err(|_| s.to_owned()))
        .collect()
}

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || common::nav_settings(lang.get()).to_owned());
    let portfolio = use_portfolio();
    portfolio.ensure_settings();
    let draft = RwSignal::new(None::<Settings>);
    let base = RwSignal::new(None::<Versioned<Settings>>);
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let conflict = RwSignal::new(None::<Versioned<Settings>>);
    let save_error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let generation = RwSignal::new(0_u32);
    // Take the stored settings whenever they arrive (and no edit is pending).
    Effect::new(move |_| {
        let s = portfolio.settings.get();
        if let Some(s) = s
            && draft.with_untracked(|d| d.is_none())
        {
            draft.set(Some(s.doc.clone()));
            base.set(Some(s));
            generation.update(|g| *g += 1);
        }
    });
    let set_error = move |k: &str, e: Option<String>| {
        errors.update(|m| match e {
            Some(e) => {
                m.insert(k.to_owned(), e);
            }
            None => {
                m.remove(k);
            }
        })
    };
    let save = move || {
        let (Some(doc), Some(b)) = (draft.get_untracked(), base.get_untracked()) else {
            return;
        };
        busy.set(true);
        saved.set(false);
        save_error.set(None);
        spawn_local(async move {
            let result = api::save_settings(b.version, &doc).await;
            busy.set(false);
            match result {
                Ok(v) => {
                    base.set(Some(v.clone()));
                    portfolio.settings.set(Some(v));
                    saved.set(true);
                }
                Err(SaveError::Conflict(c)) => conflict.set(Some(*c)),
                Err(SaveError::Failed(e)) => save_error.set(Some(e)),
            }
        });
    };
    let days = move |key: &'static str,
                     label: &'static str,
                     get: fn(&Settings) -> u32,
                     put: fn(&mut Settings, u32)| {
        let l = lang.get_untracked();
        let value = draft.with_untracked(|d| d.as_ref().map(get).unwrap_or_default());
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="number" min="0" max="365" data-testid=format!("setting-{key}") prop:value=value.to_string()
                    on:input=move |ev| { match event_target_value(&ev).trim().parse::<u32>().ok().filter(|n| *n <= 365) {
                        Some(n) => { set_error(key, None); draft.update(|d| if let Some(d) = d { put(d, n) }); }
                        None => set_error(key, Some(t::err_days(l).to_owned())),
                    } } />
                <span class="field-error" role="status">{move || errors.with(|e| e.get(key).cloned())}</span>
            </label>
        }
    };
    let form = move || {
        generation.track();
        let l = lang.get();
        let d = draft.get_untracked()?;
        let custom = d
            .holidays
            .custom
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        let rows = [Channel::Direct, Channel::Partner, Channel::Open, Channel::Ea].map(|c| {
            let lc = d.lifecycle.for_channel(c);
            let code = c.code();
            let gk = format!("grace-{code}");
            let dk = format!("disabled-{code}");
            let (gk2, dk2) = (gk.clone(), dk.clone());
            view! {
                <tr>
                    <th scope="row">{common::channel(l, c)}</th>
                    <td><input type="number" min="0" max="3650" aria-label=format!("{} · {}", common::channel(l, c), t::grace(l)) prop:value=lc.grace_days.to_string()
                        on:input=move |ev| { match event_target_value(&ev).trim().parse::<u32>().ok().filter(|n| *n <= 3650) {
                            Some(n) => { set_error(&gk, None); draft.update(|d| if let Some(d) = d { lifecycle_mut(d, c).grace_days = n }); }
                            None => set_error(&gk, Some(t::err_days(l).to_owned())),
                        } } />
                        <span class="field-error">{move || errors.with(|e| e.get(&gk2).cloned())}</span></td>
                    <td><input type="number" min="0" max="3650" aria-label=format!("{} · {}", common::channel(l, c), t::disabled(l)) prop:value=lc.disabled_days.to_string()
                        on:input=move |ev| { match event_target_value(&ev).trim().parse::<u32>().ok().filter(|n| *n <= 3650) {
                            Some(n) => { set_error(&dk, None); draft.update(|d| if let Some(d) = d { lifecycle_mut(d, c).disabled_days = n }); }
                            None => set_error(&dk, Some(t::err_days(l).to_owned())),
                        } } />
                        <span class="field-error">{move || errors.with(|e| e.get(&dk2).cloned())}</span></td>
                    <td><input type="checkbox" aria-label=format!("{} · {}", common::channel(l, c), t::access(l)) prop:checked=lc.access_during_grace
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(d) = d { lifecycle_mut(d, c).access_during_grace = on }); } /></td>
                </tr>
            }
        });
        Some(view! {
            <fieldset>
                <legend>{t::lead_title(l)}</legend>
                <div class="grid">
                    {days("provision", t::provision(l), |s| s.provision_lead_days, |s, n| s.provision_lead_days = n)}
                    {days("invite", t::invite(l), |s| s.invite_lead_days, |s, n| s.invite_lead_days = n)}
                    {days("auto-renew", t::auto_renew(l), |s| s.auto_renew_notice_days, |s, n| s.auto_renew_notice_days = n)}
                </div>
            </fieldset>
            <fieldset>
                <legend>{t::holidays_title(l)}</legend>
                <label class="field check">
                    <input type="checkbox" data-testid="setting-japan" prop:checked=d.holidays.japan
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(d) = d { d.holidays.japan = on }); } />
                    <span>{t::japan(l)}</span>
                </label>
                <label class="field wide">
                    <span>{t::custom(l)}</span>
                    <textarea rows="4" data-testid="setting-custom" prop:value=custom
                        on:input=move |ev| { match parse_holidays(&event_target_value(&ev)) {
                            Ok(list) => { set_error("custom", None); draft.update(|d| if let Some(d) = d { d.holidays.custom = list }); }
                            Err(bad) => set_error("custom", Some(t::err_date(l, &bad))),
                        } }></textarea>
                    <span class="field-error" role="status">{move || errors.with(|e| e.get("custom").cloned())}</span>
                </label>
            </fieldset>
            <fieldset>
                <legend id="lifecycle-title">{t::lifecycle_title(l)}</legend>
                <div class="table-wrap" tabindex="0" role="group" aria-labelledby="lifecycle-title">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t::channel(l)}</th>
                            <th scope="col">{t::grace(l)}</th>
                            <th scope="col">{t::disabled(l)}</th>
                            <th scope="col">{t::access(l)}</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().collect_view()}</tbody>
                    </table>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t::currency_title(l)}</legend>
                <label class="field short">
                    <span>{t::currency(l)}</span>
                    <input maxlength="3" data-testid="setting-currency" prop:value=d.display_currency.clone().unwrap_or_default()
                        on:input=move |ev| {
                            let v = event_target_value(&ev).trim().to_ascii_uppercase();
                            if v.is_empty() {
                                set_error("currency", None);
                                draft.update(|d| if let Some(d) = d { d.display_currency = None });
                            } else if v.len() == 3 && v.chars().all(|c| c.is_ascii_alphabetic()) {
                                set_error("currency", None);
                                draft.update(|d| if let Some(d) = d { d.display_currency = Some(v) });
                            } else {
                                set_error("currency", Some(t::err_currency(l).to_owned()));
                            }
                        } />
                    <span class="field-error" role="status">{move || errors.with(|e| e.get("currency").cloned())}</span>
                </label>
            </fieldset>
        })
    };
    let dirty = move || {
        let b = base.with(|b| b.as_ref().map(|b| b.doc.clone()));
        draft.with(|d| d.as_ref() != b.as_ref())
    };
    view! {
        <section class="page settings-page">
            <h1>{move || common::nav_settings(lang.get())}</h1>
            <p class="muted">{move || t::intro(lang.get())}</p>
            {move || match portfolio.settings_load.get() {
                Load::Failed(e) => Some(view! { <ErrorBanner error=e on_retry=Callback::new(move |_| portfolio.load_settings()) /> }),
                Load::Loading | Load::Idle => None,
                Load::Loaded => None,
            }}
            {move || conflict.get().map(|theirs| {
                let l: Lang = lang.get();
                let t2 = theirs.clone();
                view! {
                    <div class="banner banner-error" role="alert" data-testid="settings-conflict">
                        <p>{t::conflict(l, theirs.version)}</p>
                        <button type="button" class="button secondary" on:click=move |_| {
                            draft.set(Some(t2.doc.clone()));
                            base.set(Some(t2.clone()));
                            portfolio.settings.set(Some(t2.clone()));
                            conflict.set(None);
                            generation.update(|g| *g += 1);
                        }>{common::reload(l)}</button>
                        <button type="button" class="button" on:click=move |_| {
                            base.set(Some(theirs.clone()));
                            conflict.set(None);
                            save();
                        }>{t::keep_mine(l)}</button>
                    </div>
                }
            })}
            {move || save_error.get().map(|e| view! { <ErrorBanner error=e on_retry=Callback::new(move |_| save()) /> })}
            <form class="card" on:submit=move |ev| { ev.prevent_default(); save(); }>
                {form}
                <div class="actions">
                    <button type="submit" class="button" data-testid="save-settings"
                        disabled=move || busy.get() || !dirty() || !errors.with(BTreeMap::is_empty)>
                        {move || common::save(lang.get())}
                    </button>
                    <span role="status" data-testid="settings-state">{move || if saved.get() && !dirty() { common::saved(lang.get()) } else { "" }}</span>
                </div>
            </form>
        </section>
    }
}
