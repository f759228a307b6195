//! Team use in SQLite: people, sessions, sign-ins under way, the event log, order approvals.

use cutover_plan::roles::Role;
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use super::super::StoreError;
use super::super::changes::{Change, ChangeKind};
use super::super::team::{
    Activity, Approval, Event, EventKind, LoggedChange, PendingSignIn, Person, SignIn,
    approval_differs, no_approval, own_approval, parse_role, unknown_person,
};
use super::super::validate::{decode_doc, to_version};
use super::SqliteStore;

const PERSON_COLUMNS: &str =
    "p.subject, p.name, p.email, p.role, p.group_role, p.first_seen_at, p.last_seen_at";

fn person(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Person, Option<String>, Option<String>)> {
    Ok((
        Person {
            subject: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            assigned: None,
            group_role: None,
            first_seen_at: r.get(5)?,
            last_seen_at: r.get(6)?,
        },
        r.get(3)?,
        r.get(4)?,
    ))
}

fn finish(row: (Person, Option<String>, Option<String>)) -> Result<Person, StoreError> {
    let (mut p, assigned, group) = row;
    p.assigned = parse_role(assigned)?;
    p.group_role = parse_role(group)?;
    Ok(p)
}

fn role_text(role: Option<Role>) -> Option<&'static str> {
    role.map(Role::code)
}

/// Appends one event inside the caller's write transaction.
pub(super) fn append_event(
    tx: &Transaction<'_>,
    at: &str,
    actor: &str,
    kind: EventKind,
    document_id: Option<i64>,
    subject: &str,
    detail: &Value,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO events (at, actor, kind, document_id, subject, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        at,
        actor,
        kind.as_str(),
        document_id,
        subject,
        detail.to_string()
    ])?;
    Ok(())
}

impl SqliteStore {
    /// Up to `limit` events with a sequence number above `after`, in log order (`migrate-store`).
    pub(crate) fn dump_events(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<super::super::copy::EventRow>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT seq, at, actor, kind, document_id, subject, detail FROM events
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![after, limit], |r| {
                Ok(super::super::copy::EventRow {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    kind: r.get(3)?,
                    document_id: r.get(4)?,
                    subject: r.get(5)?,
                    detail: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    pub(crate) fn begin_sign_in(
        &self,
        hash: &[u8; 32],
        p: &PendingSignIn,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached("DELETE FROM sign_ins WHERE expires_at <= ?1")?
                .execute([now])?;
            tx.prepare_cached(
                "INSERT INTO sign_ins (state_sha256, nonce, code_verifier, redirect_uri, return_to, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                hash.as_slice(),
                p.nonce,
                p.code_verifier,
                p.redirect_uri,
                p.return_to,
                expires_at
            ])?;
            Ok(())
        })
    }

    pub(crate) fn take_sign_in(
        &self,
        hash: &[u8; 32],
        now: &str,
    ) -> Result<Option<PendingSignIn>, StoreError> {
        self.write(|tx| {
            let found = tx
                .prepare_cached(
                    "DELETE FROM sign_ins WHERE state_sha256 = ?1
                     RETURNING nonce, code_verifier, redirect_uri, return_to, expires_at",
                )?
                .query_row([hash.as_slice()], |r| {
                    Ok((
                        PendingSignIn {
                            nonce: r.get(0)?,
                            code_verifier: r.get(1)?,
                            redirect_uri: r.get(2)?,
                            return_to: r.get(3)?,
                        },
                        r.get::<_, String>(4)?,
                    ))
                })
                .optional()?;
            Ok(found.and_then(|(p, expires_at)| (expires_at.as_str() > now).then_some(p)))
        })
    }

    pub(crate) fn sign_in(
        &self,
        who: &SignIn,
        hash: &[u8; 32],
        now: &str,
        expires_at: &str,
    ) -> Result<Person, StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO people (subject, name, email, group_role, first_seen_at, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (subject) DO UPDATE SET name = excluded.name, email = excluded.email,
                     group_role = excluded.group_role, last_seen_at = excluded.last_seen_at",
            )?
            .execute(params![
                who.subject,
                who.name,
                who.email,
                role_text(who.group_role),
                now
            ])?;
            tx.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
                .execute([now])?;
            tx.prepare_cached(
                "INSERT INTO sessions (token_sha256, subject, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![hash.as_slice(), who.subject, now, expires_at])?;
            let row = tx
                .prepare_cached(&format!(
                    "SELECT {PERSON_COLUMNS} FROM people p WHERE p.subject = ?1"
                ))?
                .query_row([&who.subject], person)?;
            finish(row)
        })
    }

    pub(crate) fn session(&self, hash: &[u8; 32], now: &str) -> Result<Option<Person>, StoreError> {
        self.read(|tx| {
            tx.prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM sessions s JOIN people p ON p.subject = s.subject
                 WHERE s.token_sha256 = ?1 AND s.expires_at > ?2"
            ))?
            .query_row(params![hash.as_slice(), now], person)
            .optional()?
            .map(finish)
            .transpose()
        })
    }

    pub(crate) fn end_session(&self, hash: &[u8; 32]) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached("DELETE FROM sessions WHERE token_sha256 = ?1")?
                .execute([hash.as_slice()])?;
            Ok(())
        })
    }

    pub(crate) fn people(&self) -> Result<Vec<Person>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM people p ORDER BY lower(p.name), p.subject"
            ))?;
            let rows = stmt.query_map([], person)?;
            rows.map(|r| finish(r?)).collect()
        })
    }

    pub(crate) fn set_role(
        &self,
        subject: &str,
        role: Option<Role>,
        actor: &str,
        now: &str,
    ) -> Result<(Option<Role>, Person), StoreError> {
        self.write(|tx| {
            let before = tx
                .prepare_cached(&format!(
                    "SELECT {PERSON_COLUMNS} FROM people p WHERE p.subject = ?1"
                ))?
                .query_row([subject], person)
                .optional()?
                .map(finish)
                .transpose()?
                .ok_or_else(|| unknown_person(subject))?;
            if before.assigned == role {
                return Ok((role, before));
            }
            tx.prepare_cached("UPDATE people SET role = ?2 WHERE subject = ?1")?
                .execute(params![subject, role_text(role)])?;
            let detail = serde_json::json!({
                "name": before.name,
                "email": before.email,
                "old": role_text(before.assigned),
                "new": role_text(role),
            });
            append_event(
                tx,
                now,
                actor,
                EventKind::RoleChanged,
                None,
                subject,
                &detail,
            )?;
            let old = before.assigned;
            Ok((
                old,
                Person {
                    assigned: role,
                    ..before
                },
            ))
        })
    }

    pub(crate) fn record_activity(&self, key: &str, limit: usize) -> Result<Activity, StoreError> {
        self.read(|tx| {
            let id: i64 = tx
                .prepare_cached("SELECT id FROM documents WHERE kind = 'record' AND key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound {
                    key: key.to_owned(),
                })?;
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let mut changes = logged_changes(
                tx,
                "WHERE c.document_id = ?1 ORDER BY c.seq DESC LIMIT ?2",
                params![id, limit.saturating_add(1)],
            )?;
            let truncated = changes.len() as i64 > limit;
            changes.truncate(limit as usize);
            changes.reverse();
            let mut events = events(
                tx,
                "WHERE e.document_id = ?1 ORDER BY e.seq DESC LIMIT ?2",
                params![id, limit],
            )?;
            events.reverse();
            Ok(Activity {
                changes,
                events,
                truncated,
            })
        })
    }

    pub(crate) fn activity(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Activity, StoreError> {
        self.read(|tx| {
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let mut changes = logged_changes(
                tx,
                "WHERE c.at >= ?1 AND c.at < ?2 ORDER BY c.seq DESC LIMIT ?3",
                params![from, to, limit.saturating_add(1)],
            )?;
            let mut events = events(
                tx,
                "WHERE e.at >= ?1 AND e.at < ?2 ORDER BY e.seq DESC LIMIT ?3",
                params![from, to, limit.saturating_add(1)],
            )?;
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
        })
    }

    pub(crate) fn request_approval(&self, a: &Approval) -> Result<Approval, StoreError> {
        self.write(|tx| {
            if let Some(existing) = approval(tx, &a.request_id)? {
                if existing.customer_id != a.customer_id || existing.lines != a.lines {
                    return Err(approval_differs(&a.request_id));
                }
                return Ok(existing);
            }
            tx.prepare_cached(
                "INSERT INTO order_approvals (request_id, customer_id, customer_name, lines, seats,
                     requested_by, requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                a.request_id,
                a.customer_id,
                a.customer_name,
                a.lines.to_string(),
                i64::try_from(a.seats).unwrap_or(i64::MAX),
                a.requested_by,
                a.requested_at
            ])?;
            let document = record_id(tx, &a.customer_id)?;
            let detail = serde_json::json!({"customerId": a.customer_id, "customerName": a.customer_name, "lines": a.lines, "seats": a.seats});
            append_event(
                tx,
                &a.requested_at,
                &a.requested_by,
                EventKind::ApprovalRequested,
                document,
                &a.request_id,
                &detail,
            )?;
            Ok(a.clone())
        })
    }

    pub(crate) fn approve(
        &self,
        request_id: &str,
        actor: &str,
        now: &str,
    ) -> Result<Approval, StoreError> {
        self.write(|tx| {
            let a = approval(tx, request_id)?.ok_or_else(|| no_approval(request_id))?;
            if a.approved_by.is_some() {
                return Ok(a);
            }
            if a.requested_by.eq_ignore_ascii_case(actor) {
                return Err(own_approval());
            }
            tx.prepare_cached(
                "UPDATE order_approvals SET approved_by = ?2, approved_at = ?3 WHERE request_id = ?1",
            )?
            .execute(params![request_id, actor, now])?;
            let document = record_id(tx, &a.customer_id)?;
            let detail = serde_json::json!({"customerId": a.customer_id, "customerName": a.customer_name, "lines": a.lines, "seats": a.seats, "requestedBy": a.requested_by});
            append_event(
                tx,
                now,
                actor,
                EventKind::OrderApproved,
                document,
                request_id,
                &detail,
            )?;
            Ok(Approval {
                approved_by: Some(actor.to_owned()),
                approved_at: Some(now.to_owned()),
                ..a
            })
        })
    }

    pub(crate) fn approval(&self, request_id: &str) -> Result<Option<Approval>, StoreError> {
        self.read(|tx| approval(tx, request_id))
    }

    pub(crate) fn mark_approval_sent(&self, request_id: &str, now: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "UPDATE order_approvals SET sent_at = ?2 WHERE request_id = ?1 AND sent_at IS NULL",
            )?
            .execute(params![request_id, now])?;
            Ok(())
        })
    }

    pub(crate) fn approvals(&self, limit: usize) -> Result<Vec<Approval>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {APPROVAL_COLUMNS} FROM order_approvals ORDER BY requested_at DESC, request_id LIMIT ?1"
            ))?;
            let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], approval_row)?;
            rows.map(|r| decode_approval(r?)).collect()
        })
    }
}

/// The id of the record keyed `key`, if there is one (approvals name a customer id).
fn record_id(tx: &Transaction<'_>, key: &str) -> Result<Option<i64>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT id FROM documents WHERE kind = 'record' AND key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

const APPROVAL_COLUMNS: &str = "request_id, customer_id, customer_name, lines, seats, requested_by, requested_at, approved_by, approved_at, sent_at";

type ApprovalRow = (Approval, String);

fn approval_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApprovalRow> {
    Ok((
        Approval {
            request_id: r.get(0)?,
            customer_id: r.get(1)?,
            customer_name: r.get(2)?,
            lines: Value::Null,
            seats: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
            requested_by: r.get(5)?,
            requested_at: r.get(6)?,
            approved_by: r.get(7)?,
            approved_at: r.get(8)?,
            sent_at: r.get(9)?,
        },
        r.get(3)?,
    ))
}

fn decode_approval((mut a, lines): ApprovalRow) -> Result<Approval, StoreError> {
    a.lines = decode_doc(&a.request_id, &lines)?;
    Ok(a)
}

fn approval(tx: &Transaction<'_>, request_id: &str) -> Result<Option<Approval>, StoreError> {
    tx.prepare_cached(&format!(
        "SELECT {APPROVAL_COLUMNS} FROM order_approvals WHERE request_id = ?1"
    ))?
    .query_row([request_id], approval_row)
    .optional()?
    .map(decode_approval)
    .transpose()
}

/// Change-log rows with the document before each, newest first (`tail` filters and orders).
fn logged_changes(
    tx: &Transaction<'_>,
    tail: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<LoggedChange>, StoreError> {
    let mut stmt = tx.prepare(&format!(
        "SELECT c.key, c.version, c.at, c.actor, c.kind, c.doc, d.kind, p.doc
         FROM changes c JOIN documents d ON d.id = c.document_id
         LEFT JOIN changes p ON p.document_id = c.document_id AND p.version = c.version - 1
         {tail}"
    ))?;
    let rows = stmt.query_map(args, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, version, at, actor, kind, doc, document_kind, previous) = row?;
        out.push(LoggedChange {
            change: Change {
                kind: ChangeKind::parse(&key, &kind)?,
                version: to_version(&key, version)?,
                doc: decode_doc(&key, &doc)?,
                key: key.clone(),
                at,
                actor,
            },
            settings: document_kind == "settings",
            previous: previous.map(|p| decode_doc(&key, &p)).transpose()?,
        });
    }
    Ok(out)
}

fn events(
    tx: &Transaction<'_>,
    tail: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<Event>, StoreError> {
    let mut stmt = tx.prepare(&format!(
        "SELECT e.seq, e.at, e.actor, e.kind, d.key, e.subject, e.detail
         FROM events e LEFT JOIN documents d ON d.id = e.document_id {tail}"
    ))?;
    let rows = stmt.query_map(args, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, at, actor, kind, key, subject, detail) = row?;
        out.push(Event {
            seq: u64::try_from(seq).unwrap_or(0),
            at,
            actor,
            kind: EventKind::parse(&kind)?,
            key,
            detail: decode_doc(&subject, &detail)?,
            subject,
        });
    }
    Ok(out)
}
