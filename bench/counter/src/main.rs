//! A minimal Leptos counter: the first-load size baseline for the Cutover app.
use leptos::prelude::*;

#[component]
fn Counter() -> impl IntoView {
    let count = RwSignal::new(0);
    view! {
        <button on:click=move |_| *count.write() += 1>"Clicked " {count} " times"</button>
    }
}

fn main() {
    leptos::mount::mount_to_body(Counter);
}
