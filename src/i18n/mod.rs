//! English and Japanese. The language comes from the browser, can be switched, and is remembered.
//!
//! Each screen keeps its own messages in a sibling module (`customers.rs`, `status.rs`, …) as
//! functions of [`Lang`], so a missing translation is a compile error, not a blank.
use leptos::prelude::*;

/// Declares message functions of [`Lang`]: `name: "English", "日本語";`.
macro_rules! messages {
    ($($name:ident: $en:expr, $ja:expr;)*) => {
        $(
            #[allow(missing_docs)]
            #[must_use]
            pub fn $name(l: $crate::i18n::Lang) -> &'static str {
                match l {
                    $crate::i18n::Lang::En => $en,
                    $crate::i18n::Lang::Ja => $ja,
                }
            }
        )*
    };
}

pub mod calendar;
pub mod chunks;
pub mod common;
pub mod customer;
pub mod customers;
pub mod dates;
pub mod discover;
pub mod import;
pub mod notify;
pub mod settings;
pub mod status;
pub mod team;

/// A language Cutover speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Japanese (Partner Center's own Japanese vocabulary).
    Ja,
}

const STORAGE_KEY: &str = "cutover.lang";

impl Lang {
    /// BCP 47 tag, for `Intl` and the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Reads a tag such as `ja-JP` or `en-US`; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The remembered choice, else the browser's language, else English.
    pub fn detect() -> Lang {
        let window = window();
        let stored = window
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        stored
            .as_deref()
            .and_then(Lang::from_tag)
            .or_else(|| {
                window
                    .navigator()
                    .language()
                    .as_deref()
                    .and_then(Lang::from_tag)
            })
            .unwrap_or(Lang::En)
    }

    /// The language's own name, for the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }
}

/// The same language in what `cutover-plan` writes (mails, calendar files, feeds).
impl From<Lang> for cutover_plan::lang::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::En => cutover_plan::lang::Lang::En,
            Lang::Ja => cutover_plan::lang::Lang::Ja,
        }
    }
}

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

/// Provides the detected language to everything below and keeps `<html lang>` in step.
pub fn provide_locale() -> Locale {
    let locale = Locale(RwSignal::new(Lang::detect()));
    provide_context(locale);
    Effect::new(move |_| {
        let lang = locale.0.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.tag());
        }
    });
    locale
}

/// The current language (panics only if [`provide_locale`] was never called: a programming error).
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<Locale>().0
}

/// Switches language and remembers the choice in this browser.
pub fn set_lang(lang: Lang) {
    use_lang().set(lang);
    if let Ok(Some(s)) = window().local_storage() {
        let _ = s.set_item(STORAGE_KEY, lang.tag());
    }
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

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn reads_browser_tags() {
        assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
