//! The partner app's language: a signal shared through context, kept in `<html lang>` and
//! switched by [`LangSwitch`]. The messages themselves and [`Lang`] live in `cutover-web`
//! (re-exported here), where the status page uses them without Leptos.
use leptos::prelude::*;

pub use cutover_web::i18n::*;

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

/// Provides the detected language to everything below and keeps `<html lang>` in step.
pub fn provide_locale() -> Locale {
    let locale = Locale(RwSignal::new(Lang::detect()));
    provide_context(locale);
    Effect::new(move |_| locale.0.get().apply_to_document());
    locale
}

/// The current language (panics only if [`provide_locale`] was never called: a programming error).
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<Locale>().0
}

/// Switches language and remembers the choice in this browser.
pub fn set_lang(lang: Lang) {
    use_lang().set(lang);
    lang.remember();
}

/// A pair of buttons to switch language; the current one is pressed.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let button = move |l: Lang| {
        view! {
            <button
                type="button"
                class="lang-button"
                lang=l.tag()
                aria-pressed=move || (lang.get() == l).to_string()
                on:click=move |_| set_lang(l)
            >
                {l.name()}
            </button>
        }
    };
    view! { <div class="lang-switch" role="group" aria-label="Language / 言語">{button(Lang::En)}{button(Lang::Ja)}</div> }
}
