//! A failure as a sentence, with a retry button when trying again can help.
use cutover_plan::wire::ApiError;
use leptos::prelude::*;

use crate::i18n::{Lang, Locale, common};

/// Shows `error` as an alert; `on_retry` is offered when the error is retryable.
#[component]
pub fn ErrorBanner(
    error: ApiError,
    #[prop(optional)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    // Works outside the app too (component tests), in English.
    let lang = use_context::<Locale>().map_or(Signal::stored(Lang::En), |l| l.0.into());
    let retry = on_retry.filter(|_| error.retryable).map(|cb| {
        view! { <button type="button" class="button" on:click=move |_| cb.run(())>{move || common::retry(lang.get())}</button> }
    });
    let reference = error.request_id.clone().map(|id| {
        view! { <small class="muted">" " {move || common::reference(lang.get())} " " {id}</small> }
    });
    view! {
        <div class="banner banner-error" role="alert">
            <p>{error.message.clone()} {reference}</p>
            {retry}
        </div>
    }
}
