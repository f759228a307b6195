//! Partner screens downloaded on first visit rather than with the app (route splitting).
//!
//! Each screen below sits behind a `wasm_split` split point: `scripts/split-app.mjs` (a post_build
//! hook of `trunk build`, see Trunk.toml) cuts the app's wasm at these points into a
//! main module (the customer list, the shell and everything they use) and one chunk per screen
//! (plus chunks of code several screens share). A chunk that cannot be downloaded shows a
//! sentence and a Retry button; the rest of the app keeps working.
//!
//! The split points are declared `fallible`, so a failed download is an `Err`, never a panic
//! (a panic would abort the whole wasm module). Natively (cargo test, clippy) the functions are
//! ordinary calls. This module lives in the partner binary, not the library: split points are
//! wasm exports, which every binary linking them would keep (see `src/main.rs`).
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};

use crate::i18n::{chunks as t, use_lang};

/// A screen's chunk could not be downloaded or started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkFailed;

impl From<SplitLoaderError> for ChunkFailed {
    fn from(_: SplitLoaderError) -> Self {
        ChunkFailed
    }
}

type Loading<T> = Pin<Box<dyn Future<Output = T>>>;

/// How to download a screen's chunk, and how to render the screen once it is there.
#[derive(Clone, Copy)]
pub struct LazyScreen {
    /// Downloads and starts the chunk (no view is built: that needs the route's context).
    pub preload: fn() -> Loading<Result<(), SplitLoaderError>>,
    /// Builds the screen; ready at the first poll once the chunk is loaded.
    pub render: fn() -> Loading<Result<AnyView, ChunkFailed>>,
}

/// Polls a future once; `None` if it is not ready yet.
fn ready_now<T>(mut fut: Loading<T>) -> Option<T> {
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Loading,
    Ready,
    Failed,
}

/// Renders `screen`, downloading its chunk first when this is its first visit.
#[component]
pub fn Lazy(screen: LazyScreen) -> impl IntoView {
    let lang = use_lang();
    let stage = RwSignal::new(Stage::Loading);
    let load = move || {
        stage.set(Stage::Loading);
        leptos::task::spawn_local(async move {
            let loaded = (screen.preload)().await;
            stage.set(if loaded.is_ok() {
                Stage::Ready
            } else {
                Stage::Failed
            });
        });
    };
    load();
    move || {
        match stage.get() {
        Stage::Loading => view! {
            <p class="muted" role="status" data-testid="screen-loading">{move || t::loading(lang.get())}</p>
        }
        .into_any(),
        Stage::Ready => match ready_now((screen.render)()) {
            Some(Ok(view)) => view,
            _ => failed(lang, load),
        },
        Stage::Failed => failed(lang, load),
    }
    }
}

fn failed(lang: RwSignal<crate::i18n::Lang>, retry: impl Fn() + Copy + 'static) -> AnyView {
    cutover::components::route_focus::use_page_title(move || {
        t::failed_title(lang.get()).to_owned()
    });
    view! {
        <h1>{move || t::failed_title(lang.get())}</h1>
        <div class="banner banner-error" role="alert" data-testid="screen-failed">
            <p>{move || t::download_failed(lang.get())}</p>
            <button type="button" class="button" on:click=move |_| retry()>
                {move || t::retry(lang.get())}
            </button>
        </div>
    }
    .into_any()
}

macro_rules! screens {
    ($($(#[$doc:meta])* $name:ident, $preload:ident, $render:ident => $page:path;)*) => {
        $(
            #[wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
            fn $render() -> Result<AnyView, ChunkFailed> {
                Ok(view! { <$page /> }.into_any())
            }

            $(#[$doc])*
            pub fn $name() -> impl IntoView {
                view! {
                    <Lazy screen=LazyScreen {
                        preload: || Box::pin($preload()),
                        render: || Box::pin($render()),
                    } />
                }
            }
        )*
    };
}

screens! {
    /// One customer: checklist, plan editor, orders, licences, share links.
    customer_screen, preload_customer_screen, render_customer_screen => crate::pages::customer::CustomerPage;
    /// The portfolio calendar.
    calendar_screen, preload_calendar_screen, render_calendar_screen => crate::pages::calendar::CalendarPage;
    /// CSV import and export.
    import_screen, preload_import_screen, render_import_screen => crate::pages::import_export::ImportExportPage;
    /// Planning settings.
    settings_screen, preload_settings_screen, render_settings_screen => crate::pages::settings::SettingsPage;
    /// Who did what across the portfolio, and orders waiting for approval.
    activity_screen, preload_activity_screen, render_activity_screen => crate::pages::activity::ActivityPage;
    /// People and their roles (sign-in only).
    people_screen, preload_people_screen, render_people_screen => crate::pages::people::PeoplePage;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loaded_screen_renders_at_the_first_poll_and_a_loading_one_waits() {
        assert_eq!(ready_now(Box::pin(async { 7 })), Some(7));
        assert_eq!(ready_now::<u8>(Box::pin(std::future::pending())), None);
    }
}
