//! The e-mail subscribers of one customer's status links, for the partner: who gets mail, in which
//! language, confirmed or not; remove one (the address is deleted and gets nothing more).
use cutover_plan::wire::{ApiError, SubscriberInfo};
use leptos::prelude::*;

use crate::api::notifications;
use crate::components::error_banner::ErrorBanner;
use crate::components::share_links::share_table;
use crate::i18n::{Lang, dates, notify as t, use_lang};

/// The subscriber panel on the customer page.
#[component]
pub fn Subscribers(#[prop(into)] record_key: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let refresh = RwSignal::new(0u32);
    let confirming: RwSignal<Option<String>> = RwSignal::new(None);
    let list = LocalResource::new(move || {
        refresh.track();
        let key = record_key.get();
        async move { notifications::subscribers(&key).await }
    });
    let remove = Action::new_local(move |id: &String| {
        let key = record_key.get_untracked();
        let id = id.clone();
        async move {
            notifications::remove_subscriber(&key, &id).await?;
            confirming.set(None);
            refresh.update(|n| *n += 1);
            Ok::<(), ApiError>(())
        }
    });
    let remove_error = move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorBanner error /> })
    };
    let body = move || {
        Suspend::new(async move {
            let l = lang.get();
            match list.await {
                Err(error) => view! {
                    <ErrorBanner error on_retry=Callback::new(move |_| refresh.update(|n| *n += 1)) />
                }
                .into_any(),
                Ok(found) => {
                    let off = (!found.mail_enabled)
                        .then(|| view! { <p class="muted" data-testid="subscribers-mail-off">{t::subs_mail_off(l)}</p> });
                    let table = if found.subscribers.is_empty() {
                        view! { <p class="muted" data-testid="subscribers-empty">{t::subs_none(l)}</p> }.into_any()
                    } else {
                        let rows: Vec<AnyView> = found
                            .subscribers
                            .into_iter()
                            .map(|s| row(s, l, confirming, remove))
                            .collect();
                        share_table(
                            "subscribers-list",
                            [
                                t::col_address(l),
                                t::col_language(l),
                                t::col_since(l),
                                t::col_state(l),
                            ],
                            t::remove(l),
                            rows,
                        )
                    };
                    view! { {off} {table} }.into_any()
                }
            }
        })
    };
    view! {
        <section class="share-links" aria-labelledby="subscribers-h" data-testid="subscribers">
            <h2 id="subscribers-h">{move || t::subs_heading(lang.get())}</h2>
            <p class="muted">{move || t::subs_intro(lang.get())}</p>
            {remove_error}
            <Transition fallback=move || view! { <p class="muted">{move || t::subs_loading(lang.get())}</p> }>
                {body}
            </Transition>
        </section>
    }
}

fn row(
    s: SubscriberInfo,
    l: Lang,
    confirming: RwSignal<Option<String>>,
    remove: Action<String, Result<(), ApiError>>,
) -> AnyView {
    let state = if s.confirmed_at.is_some() {
        t::confirmed(l)
    } else {
        t::pending(l)
    };
    let id = s.id.clone();
    let action = move || {
        if confirming.get().as_deref() == Some(id.as_str()) {
            let yes = id.clone();
            view! {
                <div class="share-confirm" role="group">
                    <span>{t::remove_confirm(l)}</span>
                    <button
                        type="button"
                        class="button button-danger"
                        data-testid="subscriber-remove-confirm"
                        disabled=move || remove.pending().get()
                        on:click=move |_| {
                            remove.dispatch(yes.clone());
                        }
                    >
                        {t::remove_yes(l)}
                    </button>
                    <button type="button" class="button button-secondary" on:click=move |_| confirming.set(None)>
                        {t::cancel(l)}
                    </button>
                </div>
            }
            .into_any()
        } else {
            let ask = id.clone();
            view! {
                <button
                    type="button"
                    class="button button-secondary"
                    data-testid="subscriber-remove"
                    on:click=move |_| confirming.set(Some(ask.clone()))
                >
                    {t::remove(l)}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <tr data-subscriber-id=s.id.clone()>
            <td data-label=t::col_address(l)>{s.address}</td>
            <td data-label=t::col_language(l)>{t::language_name(s.lang)}</td>
            <td data-label=t::col_since(l)>{dates::instant_text(l, &s.created_at)}</td>
            <td data-label=t::col_state(l)>{state}</td>
            <td>{action}</td>
        </tr>
    }
    .into_any()
}
