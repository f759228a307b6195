//! The languages Cutover writes to customers in (mails, calendar files, feeds): English and
//! Japanese. The browser app picks one from the viewer's browser; the proxy stores the one a share
//! link was made in and the one each mail subscriber chose.

use serde::{Deserialize, Serialize};

/// A language Cutover speaks to customers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese (Partner Center's own Japanese vocabulary).
    Ja,
}

impl Lang {
    /// The BCP 47 tag (`en`, `ja`), as written in `xml:lang`, `LANGUAGE` and the store.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Reads a tag such as `ja`, `ja-JP` or `en_GB`, ignoring case; anything else is `None`.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the English or the Japanese text.
    #[must_use]
    pub fn pick<'a>(self, en: &'a str, ja: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_leniently_and_written_short() {
        assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag(" EN_gb "), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::Ja.tag(), "ja");
        assert_eq!(serde_json::to_string(&Lang::Ja).unwrap(), "\"ja\"");
    }
}
