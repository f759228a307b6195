//! Reminders a few days before each of the customer's deadlines (accept the invitation, approve
//! admin access, switch auto-renew off), for every confirmed subscriber. Which deadlines are near
//! is `due_reminders` in `cutover-plan`; a reminder's outbox id names the subscriber, the
//! deadline and its date, so each is queued once however often this runs, by however many
//! instances.
use std::collections::BTreeMap;

use cutover_plan::Date;
use cutover_plan::customer_status::CustomerStatus;
use cutover_plan::lang::Lang;
use cutover_plan::mail_content;
use cutover_plan::notifications::{REMINDER_DAYS_BEFORE, due_reminders};
use cutover_plan::planner::Planner;
use cutover_plan::record::MigrationRecord;
use cutover_plan::settings::Settings;

use super::{mail_context, mail_payload};
use crate::AppState;
use crate::store::{MailTarget, MessageKind, NewMessage, StoreError};

/// Queues the reminders due at `now`; returns how many were new.
pub async fn queue_due(state: &AppState, now: &str) -> Result<usize, StoreError> {
    let targets = state.store.mail_targets(None, now).await?;
    if targets.is_empty() {
        return Ok(0);
    }
    let Some(today) = now.get(..10).and_then(|d| Date::parse(d).ok()) else {
        return Ok(0);
    };
    let settings = state
        .store
        .get_settings()
        .await?
        .and_then(|v| serde_json::from_value::<Settings>(v.doc).ok())
        .unwrap_or_default();
    let planner = Planner::new(&settings);
    let mut by_record: BTreeMap<&str, Vec<&MailTarget>> = BTreeMap::new();
    for t in &targets {
        by_record.entry(&t.record_key).or_default().push(t);
    }
    let mut messages = Vec::new();
    for (key, subscribers) in by_record {
        let Some(stored) = state.store.get_record(key).await? else {
            continue;
        };
        let Ok(record) = serde_json::from_value::<MigrationRecord>(stored.doc) else {
            continue;
        };
        // Without Partner Center's facts a reminder could ask for what is done: wait for them.
        let Some(facts) = crate::routes::public::facts(state, &record.key).await else {
            continue;
        };
        let invitation = if facts.relationship_accepted {
            None
        } else {
            crate::routes::public::invitation_url(state).await
        };
        let status = CustomerStatus::new(&record, &facts, today, &planner, invitation.as_deref());
        for r in due_reminders(&status, today, REMINDER_DAYS_BEFORE) {
            for t in &subscribers {
                let lang = Lang::from_tag(&t.lang).unwrap_or_default();
                let unsubscribe = state.notify.unsubscribe_url(&t.token);
                let ctx = mail_context(
                    lang,
                    &state.partner_name,
                    &record.customer_name,
                    &unsubscribe,
                );
                messages.push(NewMessage {
                    dedup_id: format!("reminder:{}:{}:{}", t.id, r.key, r.by),
                    kind: MessageKind::Mail,
                    subscriber_id: Some(t.id.clone()),
                    payload: mail_payload(
                        "reminder",
                        lang,
                        mail_content::reminder(&ctx, &r),
                        &unsubscribe,
                    ),
                });
            }
        }
    }
    if messages.is_empty() {
        return Ok(0);
    }
    state.store.enqueue(messages, now).await
}
