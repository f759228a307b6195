//! Calendar addresses for partner staff: a secret URL Outlook or Google Calendar subscribes to,
//! with this week's and next week's actions over every customer. Shown once, revocable.
use cutover_plan::lang::Lang as PlanLang;
use cutover_plan::wire::{ApiError, CalendarLinkInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::notifications;
use crate::components::error_banner::ErrorBanner;
use crate::components::share_links::{copy_to_clipboard, share_table};
use crate::i18n::{Lang, dates, notify as t, status, use_lang};

/// The calendar-address panel on the calendar page.
#[component]
pub fn CalendarLinks() -> impl IntoView {
    let lang = use_lang();
    let refresh = RwSignal::new(0u32);
    let links = LocalResource::new(move || {
        refresh.track();
        async move { notifications::calendar_links().await }
    });
    let label = RwSignal::new(String::new());
    let link_lang = RwSignal::new(PlanLang::from(lang.get_untracked()));
    let new_url: RwSignal<Option<String>> = RwSignal::new(None);
    let copied = RwSignal::new(None::<bool>);
    let create = Action::new_local(move |(label, l): &(String, PlanLang)| {
        let (label, l) = (label.clone(), *l);
        async move {
            let made = notifications::create_calendar_link(&label, l).await?;
            new_url.set(Some(notifications::absolute(&made.url)));
            copied.set(None);
            refresh.update(|n| *n += 1);
            Ok::<(), ApiError>(())
        }
    });
    let revoke = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            notifications::revoke_calendar_link(&id).await?;
            refresh.update(|n| *n += 1);
            Ok::<(), ApiError>(())
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch((label.get_untracked(), link_lang.get_untracked()));
    };
    let errors = move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err))
            .map(|error| view! { <ErrorBanner error /> })
    };
    let created = move || {
        new_url.get().map(|url| {
            let l = lang.get();
            let for_copy = url.clone();
            view! {
                <div class="share-new" role="status" data-testid="calendar-new-link">
                    <p><strong>{t::cal_new(l)}</strong></p>
                    <div class="share-copy">
                        <input type="text" readonly prop:value=url data-testid="calendar-url"
                            aria-label=t::cal_heading(l) />
                        <button type="button" class="button" on:click=move |_| {
                            let url = for_copy.clone();
                            spawn_local(async move { copied.set(Some(copy_to_clipboard(&url).await)); });
                        }>{status::copy(l)}</button>
                    </div>
                    {move || copied.get().map(|ok| view! {
                        <p class="muted" aria-live="polite">
                            {if ok { status::copied(l) } else { status::copy_failed(l) }}
                        </p>
                    })}
                </div>
            }
        })
    };
    let list = move || {
        Suspend::new(async move {
            let l = lang.get();
            match links.await {
                Err(error) => view! {
                    <ErrorBanner error on_retry=Callback::new(move |_| refresh.update(|n| *n += 1)) />
                }
                .into_any(),
                Ok(found) if found.links.is_empty() => {
                    view! { <p class="muted" data-testid="calendar-links-empty">{t::cal_none(l)}</p> }.into_any()
                }
                Ok(found) => {
                    let rows: Vec<AnyView> = found.links.into_iter().map(|c| row(c, l, revoke)).collect();
                    share_table(
                        "calendar-links-list",
                        [
                            t::col_for(l),
                            t::cal_language(l),
                            t::col_created(l),
                            t::col_last_fetched(l),
                        ],
                        t::cal_revoke(l),
                        rows,
                    )
                }
            }
        })
    };
    view! {
        <section class="card share-links" aria-labelledby="calendar-links-h" data-testid="calendar-links">
            <h2 id="calendar-links-h">{move || t::cal_heading(lang.get())}</h2>
            <p class="muted">{move || t::cal_intro(lang.get())}</p>
            <form class="share-form" on:submit=on_submit>
                <label class="field">
                    <span>{move || t::cal_label(lang.get())}</span>
                    <input type="text" maxlength="100" data-testid="calendar-label"
                        prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || t::cal_language(lang.get())}</span>
                    <select data-testid="calendar-lang" on:change=move |ev| {
                        link_lang.set(PlanLang::from_tag(&event_target_value(&ev)).unwrap_or_default());
                    }>
                        {[PlanLang::En, PlanLang::Ja].into_iter().map(|o| view! {
                            <option value=o.tag() selected=move || link_lang.get() == o>{t::language_name(o)}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                <button type="submit" class="button" data-testid="calendar-create"
                    disabled=move || create.pending().get()>
                    {move || t::cal_create(lang.get())}
                </button>
            </form>
            {errors}
            {created}
            <Transition fallback=move || view! { <p class="muted">"…"</p> }>{list}</Transition>
        </section>
    }
}

fn row(c: CalendarLinkInfo, l: Lang, revoke: Action<String, Result<(), ApiError>>) -> AnyView {
    let when = |at: &str| dates::instant_text(l, at);
    let action = match &c.revoked_at {
        Some(at) => view! { <span>{t::cal_revoked(l)} " " {when(at)}</span> }.into_any(),
        None => {
            let id = c.id.clone();
            view! {
                <button type="button" class="button button-secondary" data-testid="calendar-revoke"
                    disabled=move || revoke.pending().get()
                    on:click=move |_| { revoke.dispatch(id.clone()); }>
                    {t::cal_revoke(l)}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <tr data-calendar-link-id=c.id.clone()>
            <td data-label=t::col_for(l)>{c.label}</td>
            <td data-label=t::cal_language(l)>{t::language_name(c.lang)}</td>
            <td data-label=t::col_created(l)>{when(&c.created_at)}</td>
            <td data-label=t::col_last_fetched(l)>
                {c.last_used_at.as_deref().map(when).unwrap_or_else(|| t::cal_never_used(l).to_owned())}
            </td>
            <td>{action}</td>
        </tr>
    }
    .into_any()
}
