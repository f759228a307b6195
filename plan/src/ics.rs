//! iCalendar (RFC 5545) export of a plan's action dates: one all-day event per customer, action
//! and date, with UIDs that stay the same when the same plan is exported again.

use std::collections::BTreeMap;

use crate::date::Date;
use crate::move_path::MovePath;
use crate::planner::{ActionKind, Plan, PlanRow};

/// Longest content line in octets, CRLF excluded (RFC 5545 §3.1).
const MAX_LINE: usize = 75;

/// The action dates of `plan` that are today or later, as an iCalendar file.
/// `rows` are the rows the plan was made from (for the relationship and offers), in order.
#[must_use]
pub fn export_ics(rows: &[PlanRow], plan: &Plan) -> String {
    // (date, domain, kind) → the subscriptions it concerns; sorted, so output order is stable.
    let mut events: BTreeMap<(Date, &str, ActionKind), (&str, Vec<String>)> = BTreeMap::new();
    for (row, s) in rows.iter().zip(&plan.subscriptions) {
        // Paths other than overlap are named, so that a provision date reads right.
        let path = match s.path {
            MovePath::Overlap => String::new(),
            p => format!(", path {p}"),
        };
        for (kind, date) in s.actions(row.relationship) {
            let Some(date) = date.filter(|d| *d >= plan.today) else {
                continue;
            };
            let line = match (kind, row.target_offer.as_deref()) {
                (ActionKind::Reassign, Some(target)) => {
                    format!(
                        "{} → {} ({} seats, ends {}{path})",
                        s.offer,
                        target.trim(),
                        s.seats,
                        s.end_date
                    )
                }
                _ => format!("{} ({} seats, ends {}{path})", s.offer, s.seats, s.end_date),
            };
            events
                .entry((date, &*s.domain, kind))
                .or_insert_with(|| (&*s.customer, Vec::new()))
                .1
                .push(line);
        }
    }

    let mut out = String::new();
    let mut line = |text: &str| fold_into(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Cutover//cutover-plan//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("X-WR-CALNAME:Cutover plan");
    let stamp = format!("DTSTAMP:{}T000000Z", plan.today.basic());
    for ((date, domain, kind), (customer, offers)) in &events {
        line("BEGIN:VEVENT");
        line(&format!(
            "UID:{}",
            escape_text(&format!(
                "{}-{}-{domain}@cutover-plan",
                date.basic(),
                kind.code()
            ))
        ));
        line(&stamp);
        line(&format!("DTSTART;VALUE=DATE:{}", date.basic()));
        line(&format!("DTEND;VALUE=DATE:{}", date.add_days(1).basic()));
        line(&format!(
            "SUMMARY:{}",
            escape_text(&format!("{}: {customer}", kind_title(*kind)))
        ));
        line(&format!(
            "DESCRIPTION:{}",
            escape_text(&format!("{domain}\n{}", offers.join("\n")))
        ));
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

fn kind_title(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Invite => "Send the reseller invitation",
        ActionKind::RequestTransfer => "Request the partner-to-partner transfer",
        ActionKind::Schedule => "Schedule the EA channel transfer",
        ActionKind::Provision => "Provision CSP subscriptions",
        ActionKind::AutoRenewOff => "Switch auto-renew off",
        ActionKind::Reassign => "Reassign licences",
    }
}

/// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
#[must_use]
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character, ending in CRLF.
/// A piece never ends in a space: some readers trim line ends before unfolding.
fn fold_into(out: &mut String, line: &str) {
    let mut start = 0;
    // The continuation's leading space counts towards its 75 octets.
    let mut budget = MAX_LINE;
    while line.len() - start > budget {
        let mut end = start + budget;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        while end - start > 1 && line[..end].ends_with(' ') {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        budget = MAX_LINE - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "あ".repeat(60));
        fold_into(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        let mut short = String::new();
        fold_into(&mut short, &"x".repeat(75));
        assert_eq!(short, format!("{}\r\n", "x".repeat(75)));
        let mut just_over = String::new();
        fold_into(&mut just_over, &"x".repeat(76));
        assert_eq!(just_over, format!("{}\r\n x\r\n", "x".repeat(75)));
        let mut spaced = String::new();
        fold_into(&mut spaced, &format!("{} y", "x".repeat(74)));
        assert_eq!(spaced, format!("{}\r\n  y\r\n", "x".repeat(74)));
    }
}
