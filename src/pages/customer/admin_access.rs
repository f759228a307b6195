//! Admin access (GDAP) to the customer's tenant, beside step 1: where it stands with its countdown,
//! the customer's approval link, and requesting it (least privilege, sent for approval at once).
use cutover_plan::gdap::{GdapState, GdapWarning, days_left, warnings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Page, is_domain};
use crate::api::{self, UserAction};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::customer as t;
use crate::i18n::{Lang, dates, use_lang};

fn state_text(l: Lang, s: GdapState) -> String {
    match s {
        GdapState::None => t::gdap_none(l).to_owned(),
        GdapState::Created => t::gdap_created(l).to_owned(),
        GdapState::ApprovalPending { expires_on } => {
            t::gdap_pending(l, &dates::date(l, expires_on))
        }
        GdapState::Active {
            ends_on: Some(end),
            auto_extend,
        } => t::gdap_active_until(l, &dates::date(l, end), auto_extend),
        GdapState::Active { ends_on: None, .. } => t::gdap_active(l).to_owned(),
        GdapState::Expired => t::gdap_expired(l).to_owned(),
        GdapState::Terminated => t::gdap_terminated(l).to_owned(),
    }
}

fn state_code(s: GdapState) -> &'static str {
    match s {
        GdapState::None => "none",
        GdapState::Created => "created",
        GdapState::ApprovalPending { .. } => "approval-pending",
        GdapState::Active { .. } => "active",
        GdapState::Expired => "expired",
        GdapState::Terminated => "terminated",
    }
}

fn warning_text(l: Lang, w: GdapWarning) -> String {
    match w {
        GdapWarning::ApprovalExpiresSoon { days_left, .. } => t::gdap_expires_soon(l, days_left),
        GdapWarning::AccessEndsSoon { days_left, .. } => t::gdap_ends_soon(l, days_left),
        GdapWarning::AccessLost => t::gdap_lost(l).to_owned(),
    }
}

/// The admin-access block of step 1.
#[component]
pub fn AdminAccessView(page: Page) -> impl IntoView {
    let lang = use_lang();
    let today = page.today;
    let access = move || {
        page.status
            .with(|s| s.as_ref().map(|s| s.checklist.admin_access.clone()))
            .unwrap_or_default()
    };
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let request = move |_| {
        if busy.get_untracked() {
            return;
        }
        let id = page.id.get_untracked();
        let name = page
            .pc_customer
            .with_untracked(|c| c.as_ref().map(|c| c.company_name.clone()))
            .unwrap_or_else(|| id.clone());
        let taken: Vec<String> = page
            .relationships
            .with_untracked(|r| r.iter().map(|r| r.display_name.clone()).collect());
        let created = access().state == GdapState::Created;
        let relationship = access().relationship_id;
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let action = UserAction::new();
            let result = match (created, relationship) {
                // A request that was created but never sent: send it for approval.
                (true, Some(rid)) => api::graph::lock_for_approval(&action, &rid).await,
                _ => api::graph::request_admin_access(&action, &id, &name, &taken)
                    .await
                    .map(|_| ()),
            };
            busy.set(false);
            match result {
                Ok(()) => page.reload_admin(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let can_request = move || {
        !is_domain(&page.id.get())
            && page.is_reseller()
            && matches!(
                access().state,
                GdapState::None | GdapState::Created | GdapState::Expired | GdapState::Terminated
            )
    };
    view! {
        <div class="admin-access" data-testid="admin-access">
            <h4>{move || t::gdap_title(lang.get())}</h4>
            {move || page.admin_error.get().map(|e| view! { <ErrorBanner error=e /> })}
            <p>
                <span data-testid="admin-access-state" data-state=move || state_code(access().state)>
                    {move || state_text(lang.get(), access().state)}
                </span>
                {move || days_left(access().state, today).filter(|d| *d >= 0).map(|d| view! {
                    " " <span class="badge">{t::days_left(lang.get(), d)}</span>
                })}
            </p>
            <ul class="warnings">
                {move || warnings(access().state, today).into_iter().map(|w| view! {
                    <li class="warning">"⚠ " {warning_text(lang.get(), w)}</li>
                }).collect_view()}
            </ul>
            {move || access().approval_link.map(|link| view! {
                <p class="muted">
                    {t::gdap_link(lang.get())} " "
                    <input class="link-box" readonly prop:value=link aria-label=move || t::gdap_link(lang.get()) data-testid="approval-link" />
                </p>
            })}
            <p class="muted small">{move || t::gdap_why(lang.get())}</p>
            <Show when=can_request>
                <div class="actions">
                    <button type="button" class="button secondary" data-testid="request-admin-access"
                        disabled=move || busy.get() on:click=request>
                        {move || if access().state == GdapState::Created { t::gdap_send(lang.get()) } else { t::gdap_request(lang.get()) }}
                    </button>
                </div>
            </Show>
            {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
        </div>
    }
}
