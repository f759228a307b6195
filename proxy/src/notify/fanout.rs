//! What one record write causes: a mail to each confirmed subscriber when something changed for
//! the customer, and webhooks for the step change and each order event.
//!
//! Both versions of the record are read from the change log and derived with the same settings,
//! Partner Center facts and day, so only the write itself shows (`customer_changes` in
//! `cutover-plan`). The messages' ids derive from the event's, so expanding an event twice (after
//! a crash) adds nothing new.
use cutover_plan::Date;
use cutover_plan::checklist::{PcFacts, StepStatus};
use cutover_plan::customer_messages::{change_text, step_title};
use cutover_plan::customer_status::CustomerStatus;
use cutover_plan::lang::Lang;
use cutover_plan::mail_content;
use cutover_plan::notifications::{
    CustomerChange, OrderEvent, customer_changes, order_events, todo_date, todo_identity,
};
use cutover_plan::planner::Planner;
use cutover_plan::record::{CustomerKey, MigrationRecord};
use cutover_plan::settings::Settings;

use super::webhook::{
    WebhookChange, WebhookCustomer, WebhookEvent, WebhookOrder, WebhookOrderLine, WebhookStep,
};
use super::{mail_context, mail_payload};
use crate::AppState;
use crate::store::{Claimed, MessageKind, NewMessage, StoreError};

/// The messages a claimed `record_change` event causes.
pub async fn expand(
    state: &AppState,
    event: &Claimed,
    now: &str,
) -> Result<Vec<NewMessage>, StoreError> {
    let Some(version) = event
        .payload
        .get("version")
        .and_then(serde_json::Value::as_u64)
    else {
        return Ok(Vec::new());
    };
    let Some(key) = event.record_key.clone().or_else(|| {
        event
            .payload
            .get("key")
            .and_then(|k| k.as_str())
            .map(str::to_owned)
    }) else {
        return Ok(Vec::new());
    };
    let rekeyed = event.payload.get("kind").and_then(|k| k.as_str()) == Some("rekeyed");
    if !state.notify.mail_enabled() && !state.notify.webhooks_enabled() {
        // Nothing can come of it: settle the event without reading anything.
        return Ok(Vec::new());
    }
    let targets = state.store.mail_targets(Some(&key), now).await?;
    if targets.is_empty() && !state.notify.webhooks_enabled() {
        return Ok(Vec::new());
    }
    let log = match state
        .store
        .changes(&key, Some(version.saturating_sub(2)), 2)
        .await
    {
        Ok(log) => log,
        Err(StoreError::NotFound { .. }) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let read = |v: u64| {
        log.iter()
            .find(|c| c.version == v)
            .and_then(|c| serde_json::from_value::<MigrationRecord>(c.doc.clone()).ok())
    };
    let (Some(after), before) = (read(version), read(version.saturating_sub(1))) else {
        return Ok(Vec::new());
    };
    let at = log
        .iter()
        .find(|c| c.version == version)
        .map_or_else(|| now.to_owned(), |c| c.at.clone());
    let settings = state
        .store
        .get_settings()
        .await?
        .and_then(|v| serde_json::from_value::<Settings>(v.doc).ok())
        .unwrap_or_default();
    let planner = Planner::new(&settings);
    let facts = if targets.is_empty() {
        assumed_facts(&after.key)
    } else {
        crate::routes::public::facts(state, &after.key)
            .await
            .unwrap_or_else(|| assumed_facts(&after.key))
    };
    let Some(today) = now.get(..10).and_then(|d| Date::parse(d).ok()) else {
        return Ok(Vec::new());
    };
    let after_status = CustomerStatus::new(&after, &facts, today, &planner, None);
    let changes = match &before {
        Some(b) => customer_changes(
            &CustomerStatus::new(b, &facts, today, &planner, None),
            &after_status,
        ),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    // A record created just now has no subscribers yet: mails only for changes.
    if !changes.is_empty() && before.is_some() {
        for t in &targets {
            let lang = Lang::from_tag(&t.lang).unwrap_or_default();
            let unsubscribe = state.notify.unsubscribe_url(&t.token);
            let ctx = mail_context(
                lang,
                &state.partner_name,
                &after.customer_name,
                &unsubscribe,
            );
            let content = mail_content::step_change(&ctx, &changes, &after_status.todos);
            out.push(NewMessage {
                dedup_id: format!("{}:mail:{}", event.dedup_id, t.id),
                kind: MessageKind::Mail,
                subscriber_id: Some(t.id.clone()),
                payload: mail_payload("change", lang, content, &unsubscribe),
            });
        }
    }
    if state.notify.webhooks_enabled() {
        let customer = WebhookCustomer {
            key: key.clone(),
            name: after.customer_name.clone(),
            domain: after.domain.clone(),
        };
        let steps: Vec<WebhookStep> = after_status
            .steps()
            .iter()
            .enumerate()
            .map(|(i, s)| WebhookStep {
                step: i + 1,
                name: step_title(Lang::En, i).to_owned(),
                status: step_code(*s).to_owned(),
            })
            .collect();
        let base = |id: String, kind: &str| WebhookEvent {
            id,
            kind: kind.to_owned(),
            occurred_at: at.clone(),
            customer: customer.clone(),
            record_version: version,
            steps: steps.clone(),
            changes: Vec::new(),
            order: None,
        };
        if !changes.is_empty() || rekeyed {
            let id = format!("{}:steps", event.dedup_id);
            let mut e = base(id.clone(), "customer.steps_changed");
            e.changes = changes
                .iter()
                .map(|c| webhook_change(c, &state.partner_name))
                .collect();
            out.push(webhook_message(id, &e));
        }
        for o in order_events(before.as_ref(), &after) {
            let (order, previous, kind) = match o {
                OrderEvent::Placed(order) => (order, None, "order.placed"),
                OrderEvent::Updated { order, from_status } => {
                    (order, Some(from_status), "order.updated")
                }
            };
            let id = format!("{}:order:{}", event.dedup_id, order.request_id);
            let mut e = base(id.clone(), kind);
            e.order = Some(WebhookOrder {
                request_id: order.request_id.clone(),
                id: order.id.clone(),
                status: order.status.clone(),
                previous_status: previous,
                fulfilled: order.fulfilled,
                lines: order
                    .lines
                    .iter()
                    .map(|l| WebhookOrderLine {
                        offer_id: l.offer_id.clone(),
                        offer_name: l.offer_name.clone(),
                        quantity: l.quantity,
                    })
                    .collect(),
            });
            out.push(webhook_message(id, &e));
        }
    }
    Ok(out)
}

/// Without Partner Center's answer: a record keyed by its Partner Center id is a customer that
/// accepted; a prospect keyed by domain has not.
pub fn assumed_facts(key: &CustomerKey) -> PcFacts {
    PcFacts {
        relationship_accepted: matches!(key, CustomerKey::PcCustomerId(_)),
        ..PcFacts::default()
    }
}

fn webhook_message(id: String, e: &WebhookEvent) -> NewMessage {
    NewMessage {
        dedup_id: id,
        kind: MessageKind::Webhook,
        subscriber_id: None,
        payload: serde_json::to_value(e).unwrap_or_default(),
    }
}

fn step_code(s: StepStatus) -> &'static str {
    match s {
        StepStatus::Open => "open",
        StepStatus::Done => "done",
        StepStatus::NotNeeded => "notNeeded",
    }
}

fn webhook_change(c: &CustomerChange, partner: &str) -> WebhookChange {
    let mut w = WebhookChange {
        kind: c.code().to_owned(),
        step: None,
        from: None,
        to: None,
        todo: None,
        date: None,
        previous_date: None,
        text: change_text(Lang::En, c, partner),
    };
    match c {
        CustomerChange::Step { step, from, to } => {
            w.step = Some(step + 1);
            w.from = Some(step_code(*from).to_owned());
            w.to = Some(step_code(*to).to_owned());
        }
        CustomerChange::TodoAdded(t) | CustomerChange::TodoRemoved(t) => {
            w.todo = Some(todo_identity(t));
            w.date = todo_date(t).map(|d| d.to_string());
        }
        CustomerChange::TodoMoved { todo, from } => {
            w.todo = Some(todo_identity(todo));
            w.date = todo_date(todo).map(|d| d.to_string());
            w.previous_date = from.map(|d| d.to_string());
        }
    }
    w
}
