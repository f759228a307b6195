//! English and Japanese. The language comes from the browser, can be switched, and is remembered.
//!
//! Each screen keeps its own messages in a sibling module (`customers.rs`, `status.rs`, …) as
//! functions of [`Lang`], so a missing translation is a compile error, not a blank. The partner
//! app's reactive language (a Leptos signal and the switcher) is in the `cutover` crate's `i18n`,
//! which re-exports all of this.
use crate::dom::{document, window};

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

    /// Remembers this language as the choice in this browser (read by [`Lang::detect`]).
    pub fn remember(self) {
        if let Ok(Some(s)) = window().local_storage() {
            let _ = s.set_item(STORAGE_KEY, self.tag());
        }
    }

    /// Sets `<html lang>` to this language.
    pub fn apply_to_document(self) {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", self.tag());
        }
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

/// A count with its thousands grouped (`10,000`): English and Japanese both group with commas.
#[must_use]
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Lang, count};

    #[test]
    fn groups_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(10_000), "10,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn reads_browser_tags() {
        assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
