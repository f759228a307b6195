//! The customer list: every Partner Center customer, loaded page by page with progress.
use cutover_plan::partner_center::{Customer, ItemProblem};
use cutover_plan::wire::ApiError;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::virtual_rows::VirtualRows;

/// A guard against a service that keeps sending continuation tokens forever.
const MAX_PAGES: usize = 2_000;

/// Progress of loading the customer list.
#[derive(Debug, Clone, Default)]
struct Progress {
    pages: usize,
    total: Option<u64>,
    done: bool,
    error: Option<ApiError>,
    problems: Vec<ItemProblem>,
}

/// The customer list page.
#[component]
pub fn CustomerList() -> impl IntoView {
    let customers = RwSignal::new(Vec::<Customer>::new());
    let progress = RwSignal::new(Progress::default());
    // Where to resume after a failure: nothing already loaded is fetched again or lost.
    let resume = StoredValue::new(None::<String>);
    let query = RwSignal::new(String::new());

    let load = move || {
        progress.update(|p| p.error = None);
        spawn_local(async move {
            loop {
                let token = resume.get_value();
                if progress.with_untracked(|p| p.pages >= MAX_PAGES) {
                    progress.update(|p| {
                        p.error = Some(ApiError::new(
                            "too_many_pages",
                            "Partner Center kept sending more pages; the list shows what arrived.",
                            false,
                        ))
                    });
                    return;
                }
                match api::customer_page(token.as_deref()).await {
                    Ok(page) => {
                        customers.update(|c| c.extend(page.customers));
                        let next = page
                            .continuation_token
                            .filter(|t| Some(t) != token.as_ref());
                        progress.update(|p| {
                            p.pages += 1;
                            p.total = page.total_count.or(p.total);
                            p.problems.extend(page.problems);
                            p.done = next.is_none();
                        });
                        match next {
                            Some(t) => resume.set_value(Some(t)),
                            None => return,
                        }
                    }
                    Err(e) => {
                        progress.update(|p| p.error = Some(e));
                        return;
                    }
                }
            }
        });
    };
    load();

    let matches = Memo::new(move |_| {
        let q = query.get().to_lowercase();
        customers.with(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, c)| {
                    q.is_empty()
                        || c.company_name.to_lowercase().contains(&q)
                        || c.domain.contains(&q)
                })
                .map(|(i, _)| i)
                .collect::<Vec<usize>>()
        })
    });

    let status_line = move || {
        let loaded = customers.with(Vec::len);
        progress.with(|p| match (p.done, p.total) {
            (true, _) => format!("{loaded} customers"),
            (false, Some(t)) if p.error.is_some() => format!("{loaded} of {t} customers loaded"),
            (false, None) if p.error.is_some() => format!("{loaded} customers loaded"),
            (false, Some(t)) => format!("Loading customers… {loaded} of {t}"),
            (false, None) => format!("Loading customers… {loaded}"),
        })
    };

    view! {
        <section class="page">
            <div class="page-head">
                <h1>"Customers"</h1>
                <p class="muted" role="status" aria-live="polite" data-testid="load-status">{status_line}</p>
            </div>
            <Show when=move || !progress.with(|p| p.done) && progress.with(|p| p.error.is_none())>
                <progress
                    class="load-progress"
                    aria-label="Customers loaded"
                    max=move || progress.with(|p| p.total.unwrap_or(0)).max(1).to_string()
                    value=move || customers.with(Vec::len).to_string()
                ></progress>
            </Show>
            {move || progress.with(|p| p.error.clone()).map(|e| view! {
                <ErrorBanner error=e on_retry=Callback::new(move |_| load()) />
            })}
            {move || {
                let n = progress.with(|p| p.problems.len());
                (n > 0).then(|| view! {
                    <div class="banner banner-warning" role="status">
                        <p>{format!("{n} customer records from Partner Center could not be read and are not shown.")}</p>
                    </div>
                })
            }}
            <div class="toolbar">
                <label class="field">
                    <span>"Search"</span>
                    <input
                        type="search"
                        placeholder="Name or domain"
                        data-testid="search"
                        prop:value=query
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <VirtualRows customers=customers rows=matches loading=Signal::derive(move || !progress.with(|p| p.done)) />
        </section>
    }
}
