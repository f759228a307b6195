//! Share links of one customer: create (token shown once), copy, list, revoke.
use cutover_plan::Date;
use cutover_plan::wire::{ApiError, ShareLinkInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::share_links;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::dates;
use crate::i18n::{Lang, status as t, use_lang};

/// Whether the last copy worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copy {
    Idle,
    Done,
    Failed,
}

/// The share-link panel on the customer page.
#[component]
pub fn ShareLinks(#[prop(into)] record_key: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let refresh = RwSignal::new(0u32);
    let links = LocalResource::new(move || {
        refresh.track();
        let key = record_key.get();
        async move { share_links::list(&key).await }
    });
    let expiry = RwSignal::new(String::new());
    let link_lang = RwSignal::new(cutover_plan::lang::Lang::from(lang.get_untracked()));
    let new_url: RwSignal<Option<String>> = RwSignal::new(None);
    let copy_state = RwSignal::new(Copy::Idle);
    let confirming: RwSignal<Option<String>> = RwSignal::new(None);
    // A new customer: forget the previous customer's new link.
    Effect::new(move |_| {
        record_key.track();
        new_url.set(None);
        confirming.set(None);
    });

    let create = Action::new_local(move |expires_at: &Option<String>| {
        let key = record_key.get_untracked();
        let expires_at = expires_at.clone();
        let chosen = link_lang.get_untracked();
        async move {
            let created = share_links::create(&key, expires_at, Some(chosen)).await?;
            new_url.set(Some(share_links::status_page_url(&created.token)));
            copy_state.set(Copy::Idle);
            expiry.set(String::new());
            refresh.update(|n| *n += 1);
            Ok::<(), ApiError>(())
        }
    });
    let revoke = Action::new_local(move |id: &String| {
        let key = record_key.get_untracked();
        let id = id.clone();
        async move {
            share_links::revoke(&key, &id).await?;
            confirming.set(None);
            refresh.update(|n| *n += 1);
            Ok::<(), ApiError>(())
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let expires_at = Date::parse(expiry.get_untracked().trim())
            .ok()
            .and_then(dates::end_of_local_day);
        create.dispatch(expires_at);
    };

    let url_input = NodeRef::<leptos::html::Input>::new();
    let on_copy = move |_| {
        let Some(url) = new_url.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let ok = copy_to_clipboard(&url).await;
            if !ok && let Some(input) = url_input.get_untracked() {
                input.select();
            }
            copy_state.set(if ok { Copy::Done } else { Copy::Failed });
        });
    };

    let created_box = move || {
        new_url.get().map(|url| {
            let l = lang.get();
            view! {
                <div class="share-new" role="status" data-testid="share-new-link">
                    <p>
                        <strong>{t::new_link(l)}</strong>
                    </p>
                    <div class="share-copy">
                        <label class="visually-hidden" for="share-new-url">
                            {t::new_link_label(l)}
                        </label>
                        <input
                            id="share-new-url"
                            type="text"
                            readonly
                            node_ref=url_input
                            prop:value=url
                            data-testid="share-url"
                            on:focus=move |ev| {
                                if let Some(input) = ev
                                    .target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                {
                                    input.select();
                                }
                            }
                        />
                        <button type="button" class="button" on:click=on_copy>
                            {t::copy(l)}
                        </button>
                    </div>
                    {move || match copy_state.get() {
                        Copy::Idle => None,
                        Copy::Done => Some(view! { <p class="muted" aria-live="polite">{t::copied(l)}</p> }),
                        Copy::Failed => Some(view! { <p class="muted" aria-live="polite">{t::copy_failed(l)}</p> }),
                    }}
                </div>
            }
        })
    };

    let create_error = move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorBanner error /> })
    };
    let revoke_error = move || {
        revoke
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorBanner error /> })
    };

    let list = move || {
        Suspend::new(async move {
            let l = lang.get();
            match links.await {
                Err(error) => view! {
                    <ErrorBanner error on_retry=Callback::new(move |_| refresh.update(|n| *n += 1)) />
                }
                .into_any(),
                Ok(list) if list.links.is_empty() => {
                    view! { <p class="muted" data-testid="share-empty">{t::no_links(l)}</p> }.into_any()
                }
                Ok(list) => {
                    let rows: Vec<AnyView> = list
                        .links
                        .into_iter()
                        .map(|link| link_row(link, l, confirming, revoke))
                        .collect();
                    share_table(
                        "share-list",
                        [
                            t::col_created(l),
                            t::col_last_used(l),
                            t::col_expires(l),
                            t::col_status(l),
                        ],
                        t::revoke(l),
                        rows,
                    )
                }
            }
        })
    };

    view! {
        <section class="share-links" aria-labelledby="share-links-h" data-testid="share-links">
            <h2 id="share-links-h">{move || t::links_heading(lang.get())}</h2>
            <p class="muted">{move || t::links_intro(lang.get())}</p>
            <form class="share-form" on:submit=on_submit>
                <label class="field">
                    <span>{move || t::expires_label(lang.get())}</span>
                    <input
                        type="date"
                        data-testid="share-expiry"
                        prop:value=move || expiry.get()
                        on:input=move |ev| expiry.set(event_target_value(&ev))
                    />
                </label>
                <label class="field">
                    <span>{move || crate::i18n::notify::link_language(lang.get())}</span>
                    <select data-testid="share-lang" on:change=move |ev| {
                        if let Some(l) = cutover_plan::lang::Lang::from_tag(&event_target_value(&ev)) {
                            link_lang.set(l);
                        }
                    }>
                        {[cutover_plan::lang::Lang::En, cutover_plan::lang::Lang::Ja].into_iter().map(|o| view! {
                            <option value=o.tag() selected=move || link_lang.get() == o>
                                {crate::i18n::notify::language_name(o)}
                            </option>
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                <button
                    type="submit"
                    class="button"
                    data-testid="share-create"
                    disabled=move || create.pending().get()
                >
                    {move || {
                        if create.pending().get() {
                            t::creating(lang.get())
                        } else {
                            t::create_link(lang.get())
                        }
                    }}
                </button>
            </form>
            {create_error}
            {created_box}
            {revoke_error}
            <Transition fallback=move || {
                view! { <p class="muted">{move || t::links_loading(lang.get())}</p> }
            }>{list}</Transition>
        </section>
    }
}

/// A table of links or addresses with one action per row (share links, e-mail subscribers,
/// calendar addresses): four named columns and the action's column, named for screen readers.
pub fn share_table(
    testid: &'static str,
    columns: [&'static str; 4],
    action: &'static str,
    rows: Vec<AnyView>,
) -> AnyView {
    let heads = columns
        .into_iter()
        .map(|c| view! { <th scope="col">{c}</th> })
        .collect_view();
    view! {
        <div class="share-table-wrap">
            <table class="share-table" data-testid=testid>
                <thead>
                    <tr>
                        {heads}
                        <th scope="col"><span class="visually-hidden">{action}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn link_row(
    link: ShareLinkInfo,
    l: Lang,
    confirming: RwSignal<Option<String>>,
    revoke: Action<String, Result<(), ApiError>>,
) -> AnyView {
    let when = |at: &str| dates::instant_text(l, at);
    let expired = link.expires_at.as_deref().is_some_and(|at| {
        let end = js_sys::Date::new(&JsValue::from_str(at)).get_time();
        !end.is_nan() && end <= js_sys::Date::now()
    });
    let (state, status) = match (&link.revoked_at, expired) {
        (Some(at), _) => ("revoked", t::link_revoked(l, &when(at))),
        (None, true) => ("expired", t::link_expired(l).to_owned()),
        (None, false) => ("active", t::link_active(l).to_owned()),
    };
    let id = link.id.clone();
    let action = (state == "active").then(|| {
        let id_for_ask = id.clone();
        let id_for_check = id.clone();
        let id_for_yes = id.clone();
        move || {
            if confirming.get().as_deref() == Some(id_for_check.as_str()) {
                let id = id_for_yes.clone();
                view! {
                    <div class="share-confirm" role="group">
                        <span>{t::revoke_confirm(l)}</span>
                        <button
                            type="button"
                            class="button button-danger"
                            data-testid="share-revoke-confirm"
                            disabled=move || revoke.pending().get()
                            on:click=move |_| {
                                revoke.dispatch(id.clone());
                            }
                        >
                            {t::revoke_yes(l)}
                        </button>
                        <button
                            type="button"
                            class="button button-secondary"
                            on:click=move |_| confirming.set(None)
                        >
                            {t::cancel(l)}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                let id = id_for_ask.clone();
                view! {
                    <button
                        type="button"
                        class="button button-secondary"
                        data-testid="share-revoke"
                        on:click=move |_| confirming.set(Some(id.clone()))
                    >
                        {t::revoke(l)}
                    </button>
                }
                .into_any()
            }
        }
    });
    view! {
        <tr data-state=state data-link-id=id>
            <td data-label=t::col_created(l)>{when(&link.created_at)}</td>
            <td data-label=t::col_last_used(l)>
                {link.last_used_at.as_deref().map(when).unwrap_or_else(|| t::not_used(l).to_owned())}
            </td>
            <td data-label=t::col_expires(l)>
                {link.expires_at.as_deref().map(when).unwrap_or_else(|| t::never(l).to_owned())}
            </td>
            <td data-label=t::col_status(l)>{status}</td>
            <td>{action}</td>
        </tr>
    }
    .into_any()
}

/// Writes `text` to the clipboard through `navigator.clipboard` (looked up at run time, so no
/// extra web-sys features); false when the browser refuses.
pub(crate) async fn copy_to_clipboard(text: &str) -> bool {
    let navigator = window().navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else {
        return false;
    };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
