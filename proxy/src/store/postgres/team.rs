//! Team use in PostgreSQL: people, sessions, sign-ins under way, the event log, order approvals.

use cutover_plan::roles::Role;
use deadpool_postgres::{GenericClient, Transaction};
use serde_json::Value;
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, Row};

use super::super::StoreError;
use super::super::changes::{Change, ChangeKind};
use super::super::team::{
    Activity, Approval, Event, EventKind, LoggedChange, PendingSignIn, Person, SignIn,
    approval_differs, no_approval, own_approval, parse_role, unknown_person,
};
use super::super::validate::{decode_doc, folded_key, to_version};
use super::PgStore;

const PERSON_COLUMNS: &str =
    "p.subject, p.name, p.email, p.role, p.group_role, p.first_seen_at, p.last_seen_at";

fn person(r: &Row) -> Result<Person, StoreError> {
    Ok(Person {
        subject: r.get(0),
        name: r.get(1),
        email: r.get(2),
        assigned: parse_role(r.get(3))?,
        group_role: parse_role(r.get(4))?,
        first_seen_at: r.get(5),
        last_seen_at: r.get(6),
    })
}

fn role_text(role: Option<Role>) -> Option<&'static str> {
    role.map(Role::code)
}

/// Appends one event inside the caller's transaction.
pub(super) async fn append_event(
    tx: &Transaction<'_>,
    at: &str,
    actor: &str,
    kind: EventKind,
    document_id: Option<i64>,
    subject: &str,
    detail: &Value,
) -> Result<(), StoreError> {
    let stmt = tx
        .prepare_cached(
            "INSERT INTO events (at, actor, kind, document_id, subject, detail)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .await?;
    tx.execute(
        &stmt,
        &[
            &at,
            &actor,
            &kind.as_str(),
            &document_id,
            &subject,
            &detail.to_string(),
        ],
    )
    .await?;
    Ok(())
}

impl PgStore {
    pub(crate) async fn begin_sign_in(
        &self,
        hash: &[u8; 32],
        p: &PendingSignIn,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("DELETE FROM sign_ins WHERE expires_at <= $1", &[&now])
            .await?;
        tx.execute(
            "INSERT INTO sign_ins (state_sha256, nonce, code_verifier, redirect_uri, return_to, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &hash.as_slice(),
                &p.nonce,
                &p.code_verifier,
                &p.redirect_uri,
                &p.return_to,
                &expires_at,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn take_sign_in(
        &self,
        hash: &[u8; 32],
        now: &str,
    ) -> Result<Option<PendingSignIn>, StoreError> {
        let client = self.client().await?;
        // One statement: of two callbacks with the same state, exactly one gets the row.
        let row = client
            .query_opt(
                "DELETE FROM sign_ins WHERE state_sha256 = $1
                 RETURNING nonce, code_verifier, redirect_uri, return_to, expires_at",
                &[&hash.as_slice()],
            )
            .await?;
        Ok(row.and_then(|r| {
            let expires_at: String = r.get(4);
            (expires_at.as_str() > now).then(|| PendingSignIn {
                nonce: r.get(0),
                code_verifier: r.get(1),
                redirect_uri: r.get(2),
                return_to: r.get(3),
            })
        }))
    }

    pub(crate) async fn sign_in(
        &self,
        who: &SignIn,
        hash: &[u8; 32],
        now: &str,
        expires_at: &str,
    ) -> Result<Person, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "INSERT INTO people (subject, name, email, group_role, first_seen_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (subject) DO UPDATE SET name = excluded.name, email = excluded.email,
                 group_role = excluded.group_role, last_seen_at = excluded.last_seen_at",
            &[
                &who.subject,
                &who.name,
                &who.email,
                &role_text(who.group_role),
                &now,
            ],
        )
        .await?;
        tx.execute("DELETE FROM sessions WHERE expires_at <= $1", &[&now])
            .await?;
        tx.execute(
            "INSERT INTO sessions (token_sha256, subject, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
            &[&hash.as_slice(), &who.subject, &now, &expires_at],
        )
        .await?;
        let row = tx
            .query_one(
                &format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.subject = $1"),
                &[&who.subject],
            )
            .await?;
        tx.commit().await?;
        person(&row)
    }

    pub(crate) async fn session(
        &self,
        hash: &[u8; 32],
        now: &str,
    ) -> Result<Option<Person>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM sessions s JOIN people p ON p.subject = s.subject
                 WHERE s.token_sha256 = $1 AND s.expires_at > $2"
            ))
            .await?;
        client
            .query_opt(&stmt, &[&hash.as_slice(), &now])
            .await?
            .as_ref()
            .map(person)
            .transpose()
    }

    pub(crate) async fn end_session(&self, hash: &[u8; 32]) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "DELETE FROM sessions WHERE token_sha256 = $1",
                &[&hash.as_slice()],
            )
            .await?;
        Ok(())
    }

    pub(crate) async fn people(&self) -> Result<Vec<Person>, StoreError> {
        let client = self.client().await?;
        client
            .query(
                &format!(
                    "SELECT {PERSON_COLUMNS} FROM people p ORDER BY lower(p.name), p.subject COLLATE \"C\""
                ),
                &[],
            )
            .await?
            .iter()
            .map(person)
            .collect()
    }

    pub(crate) async fn set_role(
        &self,
        subject: &str,
        role: Option<Role>,
        actor: &str,
        now: &str,
    ) -> Result<(Option<Role>, Person), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let before = tx
            .query_opt(
                &format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.subject = $1 FOR UPDATE"),
                &[&subject],
            )
            .await?
            .as_ref()
            .map(person)
            .transpose()?
            .ok_or_else(|| unknown_person(subject))?;
        if before.assigned == role {
            return Ok((role, before));
        }
        tx.execute(
            "UPDATE people SET role = $2 WHERE subject = $1",
            &[&subject, &role_text(role)],
        )
        .await?;
        let detail = serde_json::json!({
            "name": before.name,
            "email": before.email,
            "old": role_text(before.assigned),
            "new": role_text(role),
        });
        append_event(
            &tx,
            now,
            actor,
            EventKind::RoleChanged,
            None,
            subject,
            &detail,
        )
        .await?;
        tx.commit().await?;
        let old = before.assigned;
        Ok((
            old,
            Person {
                assigned: role,
                ..before
            },
        ))
    }

    pub(crate) async fn record_activity(
        &self,
        key: &str,
        limit: usize,
    ) -> Result<Activity, StoreError> {
        let mut client = self.client().await?;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let id: i64 = tx
            .query_opt(
                "SELECT id FROM documents WHERE kind = 'record' AND key_folded = $1",
                &[&folded_key(key)],
            )
            .await?
            .ok_or_else(|| StoreError::NotFound {
                key: key.to_owned(),
            })?
            .get(0);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut changes = logged_changes(
            &tx,
            "WHERE c.document_id = $1 ORDER BY c.seq DESC LIMIT $2",
            &[&id, &limit.saturating_add(1)],
        )
        .await?;
        let truncated = changes.len() as i64 > limit;
        changes.truncate(limit as usize);
        changes.reverse();
        let mut events = events(
            &tx,
            "WHERE e.document_id = $1 ORDER BY e.seq DESC LIMIT $2",
            &[&id, &limit],
        )
        .await?;
        events.reverse();
        tx.commit().await?;
        Ok(Activity {
            changes,
            events,
            truncated,
        })
    }

    pub(crate) async fn activity(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Activity, StoreError> {
        let mut client = self.client().await?;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let more = limit.saturating_add(1);
        let mut changes = logged_changes(
            &tx,
            "WHERE c.at >= $1 AND c.at < $2 ORDER BY c.seq DESC LIMIT $3",
            &[&from, &to, &more],
        )
        .await?;
        let mut events = events(
            &tx,
            "WHERE e.at >= $1 AND e.at < $2 ORDER BY e.seq DESC LIMIT $3",
            &[&from, &to, &more],
        )
        .await?;
        tx.commit().await?;
        let truncated = changes.len() as i64 > limit || events.len() as i64 > limit;
        changes.truncate(limit as usize);
        events.truncate(limit as usize);
        changes.reverse();
        events.reverse();
        Ok(Activity {
            changes,
            events,
            truncated,
        })
    }

    pub(crate) async fn request_approval(&self, a: &Approval) -> Result<Approval, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let inserted = tx
            .execute(
                "INSERT INTO order_approvals (request_id, customer_id, customer_name, lines, seats,
                     requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (request_id) DO NOTHING",
                &[
                    &a.request_id,
                    &a.customer_id,
                    &a.customer_name,
                    &a.lines.to_string(),
                    &i64::try_from(a.seats).unwrap_or(i64::MAX),
                    &a.requested_by,
                    &a.requested_at,
                ],
            )
            .await?;
        if inserted == 0 {
            let existing = approval(&tx, &a.request_id)
                .await?
                .ok_or(StoreError::Busy)?;
            if existing.customer_id != a.customer_id || existing.lines != a.lines {
                return Err(approval_differs(&a.request_id));
            }
            return Ok(existing);
        }
        let document = record_id(&tx, &a.customer_id).await?;
        let detail = serde_json::json!({"customerId": a.customer_id, "customerName": a.customer_name, "lines": a.lines, "seats": a.seats});
        append_event(
            &tx,
            &a.requested_at,
            &a.requested_by,
            EventKind::ApprovalRequested,
            document,
            &a.request_id,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(a.clone())
    }

    pub(crate) async fn approve(
        &self,
        request_id: &str,
        actor: &str,
        now: &str,
    ) -> Result<Approval, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let a = tx
            .query_opt(
                &format!(
                    "SELECT {APPROVAL_COLUMNS} FROM order_approvals WHERE request_id = $1 FOR UPDATE"
                ),
                &[&request_id],
            )
            .await?
            .as_ref()
            .map(approval_row)
            .transpose()?
            .ok_or_else(|| no_approval(request_id))?;
        if a.approved_by.is_some() {
            return Ok(a);
        }
        if a.requested_by.eq_ignore_ascii_case(actor) {
            return Err(own_approval());
        }
        tx.execute(
            "UPDATE order_approvals SET approved_by = $2, approved_at = $3 WHERE request_id = $1",
            &[&request_id, &actor, &now],
        )
        .await?;
        let document = record_id(&tx, &a.customer_id).await?;
        let detail = serde_json::json!({"customerId": a.customer_id, "customerName": a.customer_name, "lines": a.lines, "seats": a.seats, "requestedBy": a.requested_by});
        append_event(
            &tx,
            now,
            actor,
            EventKind::OrderApproved,
            document,
            request_id,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(Approval {
            approved_by: Some(actor.to_owned()),
            approved_at: Some(now.to_owned()),
            ..a
        })
    }

    pub(crate) async fn approval(&self, request_id: &str) -> Result<Option<Approval>, StoreError> {
        let client = self.client().await?;
        approval(&client, request_id).await
    }

    pub(crate) async fn mark_approval_sent(
        &self,
        request_id: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE order_approvals SET sent_at = $2 WHERE request_id = $1 AND sent_at IS NULL",
                &[&request_id, &now],
            )
            .await?;
        Ok(())
    }

    pub(crate) async fn approvals(&self, limit: usize) -> Result<Vec<Approval>, StoreError> {
        let client = self.client().await?;
        client
            .query(
                &format!(
                    "SELECT {APPROVAL_COLUMNS} FROM order_approvals
                     ORDER BY requested_at DESC, request_id LIMIT $1"
                ),
                &[&i64::try_from(limit).unwrap_or(i64::MAX)],
            )
            .await?
            .iter()
            .map(approval_row)
            .collect()
    }
}

async fn record_id(tx: &Transaction<'_>, key: &str) -> Result<Option<i64>, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT id FROM documents WHERE kind = 'record' AND key_folded = $1",
            &[&folded_key(key)],
        )
        .await?
        .map(|r| r.get(0)))
}

const APPROVAL_COLUMNS: &str = "request_id, customer_id, customer_name, lines, seats, requested_by, requested_at, approved_by, approved_at, sent_at";

fn approval_row(r: &Row) -> Result<Approval, StoreError> {
    let request_id: String = r.get(0);
    Ok(Approval {
        lines: decode_doc(&request_id, r.get(3))?,
        request_id,
        customer_id: r.get(1),
        customer_name: r.get(2),
        seats: u64::try_from(r.get::<_, i64>(4)).unwrap_or(0),
        requested_by: r.get(5),
        requested_at: r.get(6),
        approved_by: r.get(7),
        approved_at: r.get(8),
        sent_at: r.get(9),
    })
}

async fn approval(
    client: &impl GenericClient,
    request_id: &str,
) -> Result<Option<Approval>, StoreError> {
    client
        .query_opt(
            &format!("SELECT {APPROVAL_COLUMNS} FROM order_approvals WHERE request_id = $1"),
            &[&request_id],
        )
        .await?
        .as_ref()
        .map(approval_row)
        .transpose()
}

/// Change-log rows with the document before each, newest first (`tail` filters and orders).
async fn logged_changes(
    tx: &Transaction<'_>,
    tail: &str,
    args: &[&(dyn ToSql + Sync)],
) -> Result<Vec<LoggedChange>, StoreError> {
    let rows = tx
        .query(
            &format!(
                "SELECT c.key, c.version, c.at, c.actor, c.kind, c.doc, d.kind, p.doc
                 FROM changes c JOIN documents d ON d.id = c.document_id
                 LEFT JOIN changes p ON p.document_id = c.document_id AND p.version = c.version - 1
                 {tail}"
            ),
            args,
        )
        .await?;
    rows.iter()
        .map(|r| {
            let key: String = r.get(0);
            let kind: String = r.get(6);
            let previous: Option<String> = r.get(7);
            Ok(LoggedChange {
                change: Change {
                    version: to_version(&key, r.get(1))?,
                    at: r.get(2),
                    actor: r.get(3),
                    kind: ChangeKind::parse(&key, r.get(4))?,
                    doc: decode_doc(&key, r.get(5))?,
                    key: key.clone(),
                },
                settings: kind == "settings",
                previous: previous.map(|p| decode_doc(&key, &p)).transpose()?,
            })
        })
        .collect()
}

async fn events(
    tx: &Transaction<'_>,
    tail: &str,
    args: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Event>, StoreError> {
    let rows = tx
        .query(
            &format!(
                "SELECT e.seq, e.at, e.actor, e.kind, d.key, e.subject, e.detail
                 FROM events e LEFT JOIN documents d ON d.id = e.document_id {tail}"
            ),
            args,
        )
        .await?;
    rows.iter()
        .map(|r| {
            let subject: String = r.get(5);
            Ok(Event {
                seq: u64::try_from(r.get::<_, i64>(0)).unwrap_or(0),
                at: r.get(1),
                actor: r.get(2),
                kind: EventKind::parse(r.get(3))?,
                key: r.get(4),
                detail: decode_doc(&subject, r.get(6))?,
                subject,
            })
        })
        .collect()
}

/// Inserts a person as copied from SQLite (`migrate-store`).
pub(crate) async fn copy_person(tx: &Transaction<'_>, p: &Person) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO people (subject, name, email, role, group_role, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &p.subject,
            &p.name,
            &p.email,
            &role_text(p.assigned),
            &role_text(p.group_role),
            &p.first_seen_at,
            &p.last_seen_at,
        ],
    )
    .await?;
    Ok(())
}

/// Inserts an approval as copied from SQLite (`migrate-store`).
pub(crate) async fn copy_approval(tx: &Transaction<'_>, a: &Approval) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO order_approvals (request_id, customer_id, customer_name, lines, seats,
             requested_by, requested_at, approved_by, approved_at, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &a.request_id,
            &a.customer_id,
            &a.customer_name,
            &a.lines.to_string(),
            &i64::try_from(a.seats).unwrap_or(i64::MAX),
            &a.requested_by,
            &a.requested_at,
            &a.approved_by,
            &a.approved_at,
            &a.sent_at,
        ],
    )
    .await?;
    Ok(())
}

/// Appends an event as copied from SQLite, for the document now at `document_id`.
pub(crate) async fn copy_event(
    tx: &Transaction<'_>,
    document_id: Option<i64>,
    row: &super::super::copy::EventRow,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO events (at, actor, kind, document_id, subject, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &row.at,
            &row.actor,
            &row.kind,
            &document_id,
            &row.subject,
            &row.detail,
        ],
    )
    .await?;
    Ok(())
}
