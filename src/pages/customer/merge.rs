//! What changed between two versions of a record, and re-applying my changes onto someone else's.
use cutover_plan::record::{MigrationRecord, OriginalSubscription};

use crate::i18n::Lang;
use crate::i18n::customer as t;

/// One difference: what, theirs, mine.
pub type Difference = (String, String, String);

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn describe(o: &OriginalSubscription) -> Vec<(&'static str, String)> {
    vec![
        ("offer", o.offer_name.clone()),
        ("seats", o.seats.to_string()),
        ("end_date", o.end_date.to_string()),
        ("channel", o.channel.code().to_owned()),
        ("auto_renew", o.auto_renew.to_string()),
        (
            "price",
            o.price
                .as_ref()
                .map(|p| format!("{} {}", p.per_seat_per_month, p.currency))
                .unwrap_or_default(),
        ),
        (
            "target_offer",
            o.target
                .as_ref()
                .map(|t| t.offer_name.clone())
                .unwrap_or_default(),
        ),
        ("auto_renew_off_on", opt(&o.confirmed.auto_renew_off_on)),
        (
            "ended",
            o.confirmed
                .ended
                .map(|e| format!("{} {:?}", e.on, e.how).to_lowercase())
                .unwrap_or_default(),
        ),
        (
            "licences_reassigned_on",
            opt(&o.confirmed.licences_reassigned_on),
        ),
    ]
}

/// Field by field, where `theirs` and `mine` differ.
#[must_use]
pub fn differences(l: Lang, theirs: &MigrationRecord, mine: &MigrationRecord) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut push = |what: String, a: String, b: String| {
        if a != b {
            out.push((what, a, b));
        }
    };
    push(
        t::field_name(l).to_owned(),
        theirs.customer_name.clone(),
        mine.customer_name.clone(),
    );
    push(
        t::field_notes(l).to_owned(),
        theirs.notes.clone(),
        mine.notes.clone(),
    );
    push(
        t::field_invitation(l).to_owned(),
        opt(&theirs.invitation_sent_on),
        opt(&mine.invitation_sent_on),
    );
    push(
        t::field_overrides(l).to_owned(),
        format!("{:?}", theirs.settings),
        format!("{:?}", mine.settings),
    );
    for o in &theirs.originals {
        let label = |f: &str| format!("{} · {f}", o.offer_name);
        match mine.originals.iter().find(|m| m.id == o.id) {
            None => push(label(t::removed(l)), o.offer_name.clone(), String::new()),
            Some(m) => {
                for ((f, a), (_, b)) in describe(o).into_iter().zip(describe(m)) {
                    push(label(f), a, b);
                }
            }
        }
    }
    for m in &mine.originals {
        if !theirs.originals.iter().any(|o| o.id == m.id) {
            push(
                format!("{} · {}", m.offer_name, t::added(l)),
                String::new(),
                m.offer_name.clone(),
            );
        }
    }
    out
}

/// My changes (from `base` to `mine`) applied onto `theirs`, field by field; where I changed
/// nothing, theirs stands.
#[must_use]
pub fn reapply(
    base: &MigrationRecord,
    mine: &MigrationRecord,
    theirs: &MigrationRecord,
) -> MigrationRecord {
    let mut out = theirs.clone();
    if mine.customer_name != base.customer_name {
        out.customer_name = mine.customer_name.clone();
    }
    if mine.notes != base.notes {
        out.notes = mine.notes.clone();
    }
    if mine.invitation_sent_on != base.invitation_sent_on {
        out.invitation_sent_on = mine.invitation_sent_on;
    }
    if mine.settings != base.settings {
        out.settings = mine.settings.clone();
    }
    // Originals: changed or added by me win; removed by me go; the rest are theirs.
    let mut originals = Vec::new();
    for o in &theirs.originals {
        let in_base = base.originals.iter().find(|b| b.id == o.id);
        let in_mine = mine.originals.iter().find(|m| m.id == o.id);
        match (in_base, in_mine) {
            (Some(_), None) => {}
            (Some(b), Some(m)) if m != b => originals.push(m.clone()),
            (None, Some(m)) => originals.push(m.clone()),
            _ => originals.push(o.clone()),
        }
    }
    for m in &mine.originals {
        let new = !base.originals.iter().any(|b| b.id == m.id);
        if new && !originals.iter().any(|o| o.id == m.id) {
            originals.push(m.clone());
        }
    }
    out.originals = originals;
    out
}
