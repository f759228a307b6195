//! A virtualized customer table: only the rows in view (plus a margin) are in the DOM.
use cutover_plan::partner_center::Customer;
use leptos::prelude::*;
use leptos_router::components::A;

/// Row height in CSS pixels; must match `.vrow` in style/customers.css.
pub const ROW_HEIGHT: f64 = 44.0;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 10;

/// Renders `rows` (indices into `customers`) as a scrollable, virtualized list.
#[component]
pub fn VirtualRows(
    customers: RwSignal<Vec<Customer>>,
    rows: Memo<Vec<usize>>,
    /// While true, an empty list means "nothing yet", not "nothing matches".
    loading: Signal<bool>,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0_f64);
    let view_height = RwSignal::new(640.0_f64);
    let window = Memo::new(move |_| {
        let first = ((scroll_top.get() / ROW_HEIGHT).floor() as usize).saturating_sub(OVERSCAN);
        let count = (view_height.get() / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
        rows.with(|r| {
            let end = (first + count).min(r.len());
            (first.min(end)..end)
                .map(|pos| (pos, r[pos]))
                .collect::<Vec<_>>()
        })
    });
    let on_scroll = move |ev: leptos::ev::Event| {
        let el = event_target::<web_sys::Element>(&ev);
        scroll_top.set(el.scroll_top() as f64);
        view_height.set(el.client_height() as f64);
    };
    view! {
        <div class="vlist-head" aria-hidden="true">
            <span>"Name"</span><span>"Domain"</span><span>"Relationship"</span>
        </div>
        <div class="vlist" role="list" aria-label="Customers" data-testid="customer-list" on:scroll=on_scroll>
            <div class="vlist-inner" style:height=move || format!("{}px", rows.with(Vec::len) as f64 * ROW_HEIGHT)>
                <For each=move || window.get() key=|(pos, idx)| (*pos, *idx) let:item>
                    {
                        let (pos, idx) = item;
                        let c = customers.with_untracked(|all| all.get(idx).cloned());
                        c.map(|c| view! {
                            <div class="vrow" role="listitem" style:top=format!("{}px", pos as f64 * ROW_HEIGHT)>
                                <A href=format!("/customers/{}", c.id) attr:class="vrow-name">{c.company_name}</A>
                                <span class="vrow-domain">{c.domain}</span>
                                <span class="vrow-rel">{c.relationship}</span>
                            </div>
                        })
                    }
                </For>
            </div>
            <Show when=move || rows.with(Vec::is_empty) && !loading.get()>
                <p class="empty muted">"No customers match."</p>
            </Show>
        </div>
    }
}
