//! The Atom 1.0 feed behind a share link: one entry per write to the record that changed something
//! the customer can see, titled by what changed, in the link's language.
//!
//! No planning here: what changed comes from `record_news` in `cutover-plan`, which compares
//! consecutive stored snapshots after the same redaction the status page gets, so prices, notes
//! and ids never reach the feed. The feed says which language it is in (`xml:lang`), links to
//! itself (`rel="self"`) and to the status page (`rel="alternate"`), and lists entries newest
//! first by the record's version, which every entry's id ends with: versions never repeat, so the
//! order is the same for every reader even when two writes share a second.
use cutover_plan::customer_messages::{news_text, status_from, status_title};
use cutover_plan::lang::Lang;
use cutover_plan::notifications::record_news;
use cutover_plan::record::MigrationRecord;

use crate::store::{Change, ChangeKind};

/// Most entries in one feed (the newest).
pub const MAX_ENTRIES: usize = 50;

/// What the feed is about.
pub struct FeedHead<'a> {
    /// The share link's id (not its token).
    pub link_id: &'a str,
    /// The customer's name as the status page shows it.
    pub customer_name: &'a str,
    /// The partner's name.
    pub partner_name: &'a str,
    /// When the record was last written, for an empty feed's `updated`.
    pub fallback_updated: &'a str,
    /// The feed's language.
    pub lang: Lang,
    /// The feed's own address (`rel="self"`).
    pub self_href: &'a str,
    /// The status page's address (`rel="alternate"`).
    pub status_href: &'a str,
}

/// Builds the feed from the change log, oldest first. `changes[0]` may be a baseline that only
/// serves to describe `changes[1]` (when the log is longer than what was read): pass
/// `first_is_baseline`.
pub fn build(head: &FeedHead<'_>, changes: &[Change], first_is_baseline: bool) -> String {
    let l = head.lang;
    let mut entries = Vec::new();
    let mut prev: Option<MigrationRecord> = None;
    for (i, change) in changes.iter().enumerate() {
        let current = serde_json::from_value::<MigrationRecord>(change.doc.clone()).ok();
        if !(first_is_baseline && i == 0)
            && let Some(cur) = &current
        {
            let titles: Vec<String> =
                record_news(prev.as_ref(), cur, change.kind == ChangeKind::Rekeyed)
                    .iter()
                    .map(|n| news_text(l, n))
                    .collect();
            if !titles.is_empty() {
                entries.push((change, titles));
            }
        }
        if current.is_some() {
            prev = current;
        }
    }
    let mut newest_first: Vec<_> = entries.into_iter().rev().take(MAX_ENTRIES).collect();
    newest_first.sort_by_key(|(c, _)| std::cmp::Reverse(c.version));
    let updated = newest_first
        .first()
        .map_or(head.fallback_updated, |(c, _)| c.at.as_str());
    let link = escape(head.link_id);
    let sep = l.pick("; ", "、");
    let mut xml = String::with_capacity(1024 + newest_first.len() * 400);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        l.tag()
    ));
    xml.push_str(&format!("  <id>urn:cutover:link:{link}</id>\n"));
    xml.push_str(&format!(
        "  <title>{}</title>\n",
        escape(&status_title(l, head.customer_name))
    ));
    xml.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        escape(&status_from(l, head.partner_name))
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(head.self_href)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(head.status_href)
    ));
    xml.push_str(&format!("  <updated>{}</updated>\n", escape(updated)));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(head.partner_name)
    ));
    xml.push_str("  <generator>Cutover</generator>\n");
    for (change, titles) in &newest_first {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <id>urn:cutover:link:{link}:version:{}</id>\n",
            change.version
        ));
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            escape(&titles.join(sep))
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(head.status_href)
        ));
        xml.push_str(&format!("    <updated>{}</updated>\n", escape(&change.at)));
        xml.push_str(&format!(
            "    <content type=\"text\">{}</content>\n",
            escape(&titles.join("\n"))
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Escapes text for XML content and attributes, dropping characters XML 1.0 cannot carry.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(confirmed: serde_json::Value, notes: &str, price: &str) -> serde_json::Value {
        json!({
            "key": {"kind": "domain", "value": "contoso.com"},
            "customerName": "Contoso <&> \"Ltd\"",
            "domain": "contoso.com",
            "notes": notes,
            "originals": [{"id": "o1", "offerName": "Office 365 E3", "seats": 10,
                "endDate": "2027-03-31", "channel": "ea", "autoRenew": true,
                "price": {"perSeatPerMonth": price, "currency": "JPY"},
                "confirmed": confirmed}]
        })
    }

    fn change(version: u64, kind: ChangeKind, doc: serde_json::Value) -> Change {
        Change {
            key: "contoso.com".into(),
            version,
            at: format!("2025-04-0{version}T09:00:00Z"),
            actor: "ann".into(),
            kind,
            doc,
        }
    }

    #[test]
    fn titles_name_the_step_that_changed_and_skip_invisible_edits() {
        let log = vec![
            change(1, ChangeKind::Created, record(json!({}), "", "10")),
            change(2, ChangeKind::Updated, record(json!({}), "secret", "99")),
            change(
                3,
                ChangeKind::Updated,
                record(json!({"autoRenewOffOn": "2027-03-01"}), "secret", "99"),
            ),
        ];
        let head = FeedHead {
            link_id: "abc",
            customer_name: "Contoso <&> \"Ltd\"",
            partner_name: "Fabrikam & Co",
            fallback_updated: "2025-04-01T09:00:00Z",
            lang: Lang::En,
            self_href: "/api/public/status/t/feed.atom",
            status_href: "/status/t",
        };
        let xml = build(&head, &log, false);
        assert!(
            xml.contains("Auto-renew switched off: Office 365 E3"),
            "{xml}"
        );
        assert!(xml.contains("Migration plan created"));
        assert!(
            !xml.contains(":version:2<"),
            "a price/notes edit is not news"
        );
        assert!(xml.contains("Contoso &lt;&amp;&gt; &quot;Ltd&quot;"));
        assert!(!xml.contains("secret") && !xml.contains("99"));
        assert!(xml.contains("<updated>2025-04-03T09:00:00Z</updated>"));
    }

    #[test]
    fn a_baseline_is_only_compared_against() {
        let log = vec![
            change(4, ChangeKind::Updated, record(json!({}), "", "10")),
            change(
                5,
                ChangeKind::Updated,
                record(json!({"licencesReassignedOn": "2027-03-01"}), "", "10"),
            ),
        ];
        let head = FeedHead {
            link_id: "abc",
            customer_name: "C",
            partner_name: "P",
            fallback_updated: "2025-04-01T09:00:00Z",
            lang: Lang::Ja,
            self_href: "https://s.example/api/public/status/t/feed.atom?lang=ja",
            status_href: "https://s.example/status/t",
        };
        let xml = build(&head, &log, true);
        assert_eq!(xml.matches("<entry>").count(), 1);
        assert!(
            xml.contains("ライセンスの割り当てを変更しました: Office 365 E3"),
            "{xml}"
        );
        assert!(xml.contains("xml:lang=\"ja\""));
        assert!(xml.contains(
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://s.example/api/public/status/t/feed.atom?lang=ja\"/>"
        ));
        assert!(
            xml.contains(
                "rel=\"alternate\" type=\"text/html\" href=\"https://s.example/status/t\""
            )
        );
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(escape("a\u{1}b\u{FFFF}c\n"), "abc\n");
    }
}
