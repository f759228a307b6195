//! People: everyone who signed in, the role each has and why; an admin gives or takes roles.
use crate::components::route_focus::use_page_title;
use cutover_plan::roles::Role;
use cutover_plan::wire::{ApiError, PersonInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::team;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::{Lang, common, dates, team as t, use_lang};
use crate::pages::portfolio::use_portfolio;

/// The people page (admins; the proxy refuses anyone else).
#[component]
pub fn PeoplePage() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || t::people_title(lang.get()).to_owned());
    let portfolio = use_portfolio();
    portfolio.ensure_session();
    let refresh = RwSignal::new(0u32);
    let people = LocalResource::new(move || {
        refresh.track();
        async move { team::people().await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let set = move |subject: String, role: Option<Role>| {
        error.set(None);
        saved.set(None);
        spawn_local(async move {
            match team::set_role(&subject, role).await {
                Ok(p) => {
                    saved.set(Some(p.email));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let me = move || portfolio.actor();
    let row = move |l: Lang, p: PersonInfo| {
        let own = p.email.eq_ignore_ascii_case(&me());
        let subject = p.subject.clone();
        let options = std::iter::once((None, t::from_groups(l)))
            .chain(Role::ALL.into_iter().map(|r| (Some(r), t::role(l, r))))
            .map(|(r, name)| {
                let value = r.map_or("", Role::code);
                view! { <option value=value selected=p.assigned == r>{name}</option> }
            })
            .collect_view();
        let now = p
            .role
            .map_or_else(|| t::no_role(l).to_owned(), |r| t::role(l, r).to_owned());
        view! {
            <tr data-testid="person-row">
                <td data-label=t::col_name(l)>{p.name.clone()}{own.then(|| view! { " "<span class="muted">"("{t::you(l)}")"</span> })}</td>
                <td data-label=t::col_sign_in(l)>{p.email.clone()}</td>
                <td data-label=t::col_role(l)><span class="badge" data-testid="person-role">{now}</span>" "<span class="muted small">{t::source(l, p.source)}</span></td>
                <td>
                    <label>
                        <span class="sr-only">{t::col_given(l)}" "{p.name.clone()}</span>
                        <select data-testid="person-assign" disabled=own
                            on:change=move |ev| set(subject.clone(), Role::parse(&event_target_value(&ev)))>
                            {options}
                        </select>
                    </label>
                </td>
                <td class="nowrap" data-label=t::col_last_seen(l)>{dates::instant_text(l, &p.last_seen_at)}</td>
            </tr>
        }
    };
    view! {
        <section class="page people-page" aria-labelledby="people-title">
            <h1 id="people-title">{move || t::people_title(lang.get())}</h1>
            <p class="muted">{move || t::people_help(lang.get())}</p>
            {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
            {move || saved.get().map(|who| view! { <p role="status" class="muted">{common::saved(lang.get())}" "{who}</p> })}
            {move || match people.get() {
                None => view! { <p class="muted" role="status">{common::loading(lang.get())}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! { <p class="muted">{t::people_empty(lang.get())}</p> }.into_any(),
                Some(Ok(all)) => {
                    let l = lang.get();
                    view! {
                        <div class="table-scroll">
                            <table class="people-table" data-testid="people-table">
                                <thead><tr>
                                    <th scope="col">{t::col_name(l)}</th>
                                    <th scope="col">{t::col_sign_in(l)}</th>
                                    <th scope="col">{t::col_role(l)}</th>
                                    <th scope="col">{t::col_given(l)}</th>
                                    <th scope="col">{t::col_last_seen(l)}</th>
                                </tr></thead>
                                <tbody>{all.into_iter().map(|p| row(l, p)).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
