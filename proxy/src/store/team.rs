//! Team use: people and their roles, sign-in sessions and sign-ins under way, the event log of
//! what is not a document version, and order approvals. Same two backends, same checks.
//!
//! Secrets are never stored: a session's token and a sign-in's `state` are kept only as SHA-256
//! hashes, so a copy of the database cannot be used to sign in. (A sign-in's PKCE verifier and
//! nonce are stored while it is under way, at most [`SIGN_IN_SECS`]; each is useless without the
//! authorization code the identity provider sends to the browser.)
use cutover_plan::roles::Role;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::changes::Change;
use super::error::shorten;
use super::timestamp::canonical_utc;
use super::validate::check_key;
use super::{Backend, Store, StoreError, blocking};

/// A sign-in under way must come back from the identity provider within this many seconds.
pub const SIGN_IN_SECS: u64 = 600;
/// Longest subject, name or e-mail accepted, in characters.
const MAX_IDENTITY_CHARS: usize = 320;
/// The most change-log rows one activity read returns.
pub const MAX_ACTIVITY_ROWS: usize = 5000;

/// Someone who signed in at least once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The identity provider's stable id (`oid`, else `sub`).
    pub subject: String,
    /// Display name, as of the last sign-in.
    pub name: String,
    /// Sign-in name or e-mail, as of the last sign-in.
    pub email: String,
    /// The role an admin gave them, if any.
    pub assigned: Option<Role>,
    /// The role their groups gave them at the last sign-in, if any.
    pub group_role: Option<Role>,
    /// First sign-in.
    pub first_seen_at: String,
    /// Last sign-in.
    pub last_seen_at: String,
}

/// Who just signed in, as the ID token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// `oid`, else `sub`.
    pub subject: String,
    /// `name`.
    pub name: String,
    /// `preferred_username`, else `email`.
    pub email: String,
    /// The highest role their group claims map to.
    pub group_role: Option<Role>,
}

/// A sign-in under way, kept between sending the browser to the identity provider and its return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier.
    pub code_verifier: String,
    /// The redirect URI sent (the token request must repeat it).
    pub redirect_uri: String,
    /// Where in the app to go afterwards (a path).
    pub return_to: String,
}

/// What an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A share link was made (subject: its id; detail: its expiry).
    ShareLinkCreated,
    /// A share link was revoked (subject: its id).
    ShareLinkRevoked,
    /// Someone's role was changed (subject: their subject; detail: old and new role, name).
    RoleChanged,
    /// An order was put up for approval (subject: its request id; detail: lines).
    ApprovalRequested,
    /// An order was approved (subject: its request id).
    OrderApproved,
}

impl EventKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EventKind::ShareLinkCreated => "share_link_created",
            EventKind::ShareLinkRevoked => "share_link_revoked",
            EventKind::RoleChanged => "role_changed",
            EventKind::ApprovalRequested => "approval_requested",
            EventKind::OrderApproved => "order_approved",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<EventKind, StoreError> {
        Ok(match text {
            "share_link_created" => EventKind::ShareLinkCreated,
            "share_link_revoked" => EventKind::ShareLinkRevoked,
            "role_changed" => EventKind::RoleChanged,
            "approval_requested" => EventKind::ApprovalRequested,
            "order_approved" => EventKind::OrderApproved,
            _ => {
                return Err(StoreError::Corrupt {
                    detail: "the event log holds an unknown kind of event".into(),
                });
            }
        })
    }
}

/// One row of the event log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Order of writing.
    pub seq: u64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub kind: EventKind,
    /// The record it concerns, by its current key, if any.
    pub key: Option<String>,
    /// The link id, person or request id it concerns.
    pub subject: String,
    /// The rest, as JSON.
    pub detail: Value,
}

/// A change-log row with the document before it, for history.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedChange {
    /// The write.
    pub change: Change,
    /// True for the settings document, false for a migration record.
    pub settings: bool,
    /// The document as the previous version left it (`None` for version 1).
    pub previous: Option<Value>,
}

/// What an activity read found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Activity {
    /// Change-log rows, oldest first.
    pub changes: Vec<LoggedChange>,
    /// Events, oldest first.
    pub events: Vec<Event>,
    /// True when more rows matched than one read returns.
    pub truncated: bool,
}

/// An order's approval as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    /// The `MS-RequestId`, lower case.
    pub request_id: String,
    /// The Partner Center customer id.
    pub customer_id: String,
    /// The customer's name, as the requester gave it.
    pub customer_name: String,
    /// The order's lines as JSON (`[{offerId, quantity, …}]`).
    pub lines: Value,
    /// Seats in all.
    pub seats: u64,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: String,
    /// Who approved.
    pub approved_by: Option<String>,
    /// When.
    pub approved_at: Option<String>,
    /// When it was first sent to Partner Center.
    pub sent_at: Option<String>,
}

/// SHA-256 of a secret handed to a browser (session token, sign-in state).
pub(crate) fn secret_hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

fn check_identity<'a>(what: &str, value: &'a str) -> Result<&'a str, StoreError> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > MAX_IDENTITY_CHARS || v.chars().any(char::is_control) {
        return Err(StoreError::InvalidInput(format!(
            "The {what} \"{}\" must be 1 to {MAX_IDENTITY_CHARS} characters without line breaks.",
            shorten(&value.replace(char::is_control, " "))
        )));
    }
    Ok(v)
}

fn check_actor(actor: &str) -> Result<String, StoreError> {
    super::validate::check_actor(actor).map(str::to_owned)
}

/// The lower-cased request id, or why it is refused.
fn check_request_id(request_id: &str) -> Result<String, StoreError> {
    let id = request_id.trim();
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return Err(StoreError::InvalidInput(format!(
            "The order's request id \"{}\" is not a GUID; send the MS-RequestId the order will be sent with.",
            shorten(request_id)
        )));
    }
    Ok(id.to_ascii_lowercase())
}

impl Store {
    /// Keeps a sign-in under way, found again by its `state` until `expires_at`; drops expired ones.
    pub async fn begin_sign_in(
        &self,
        state: &str,
        pending: &PendingSignIn,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let now = canonical_utc("now", now)?;
        let expires_at = canonical_utc("expires_at", expires_at)?;
        let hash = secret_hash(state);
        match &self.backend {
            Backend::Sqlite(s) => {
                let pending = pending.clone();
                blocking(s, move |s| {
                    s.begin_sign_in(&hash, &pending, &now, &expires_at)
                })
                .await
            }
            Backend::Postgres(p) => p.begin_sign_in(&hash, pending, &now, &expires_at).await,
        }
    }

    /// Takes the sign-in under way for `state` (it can be taken only once); `None` when there is
    /// none, it was taken already, or it expired.
    pub async fn take_sign_in(
        &self,
        state: &str,
        now: &str,
    ) -> Result<Option<PendingSignIn>, StoreError> {
        let now = canonical_utc("now", now)?;
        let hash = secret_hash(state);
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.take_sign_in(&hash, &now)).await,
            Backend::Postgres(p) => p.take_sign_in(&hash, &now).await,
        }
    }

    /// Records a sign-in: the person (created, or their name, e-mail and group role refreshed) and
    /// a session for `token` until `expires_at`, in one step. Drops expired sessions.
    pub async fn sign_in(
        &self,
        who: &SignIn,
        token: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<Person, StoreError> {
        let who = SignIn {
            subject: check_identity("subject", &who.subject)?.to_owned(),
            name: check_identity("name", &who.name)?.to_owned(),
            email: check_identity("sign-in name", &who.email)?.to_owned(),
            group_role: who.group_role,
        };
        let now = canonical_utc("now", now)?;
        let expires_at = canonical_utc("expires_at", expires_at)?;
        let hash = secret_hash(token);
        match &self.backend {
            Backend::Sqlite(s) => {
                blocking(s, move |s| s.sign_in(&who, &hash, &now, &expires_at)).await
            }
            Backend::Postgres(p) => p.sign_in(&who, &hash, &now, &expires_at).await,
        }
    }

    /// The person whose session `token` is, while it has not expired at `now`.
    pub async fn session(&self, token: &str, now: &str) -> Result<Option<Person>, StoreError> {
        let now = canonical_utc("now", now)?;
        let hash = secret_hash(token);
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.session(&hash, &now)).await,
            Backend::Postgres(p) => p.session(&hash, &now).await,
        }
    }

    /// Ends the session `token` (signing out). Ending an unknown session does nothing.
    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        let hash = secret_hash(token);
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.end_session(&hash)).await,
            Backend::Postgres(p) => p.end_session(&hash).await,
        }
    }

    /// Everyone who signed in, by name.
    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.people()).await,
            Backend::Postgres(p) => p.people().await,
        }
    }

    /// Gives `subject` a role (`None`: takes the given role away), and logs who did it when it
    /// changed anything. Returns the role before and the person after.
    pub async fn set_role(
        &self,
        subject: &str,
        role: Option<Role>,
        actor: &str,
        now: &str,
    ) -> Result<(Option<Role>, Person), StoreError> {
        let subject = check_identity("subject", subject)?.to_owned();
        let actor = check_actor(actor)?;
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                blocking(s, move |s| s.set_role(&subject, role, &actor, &now)).await
            }
            Backend::Postgres(p) => p.set_role(&subject, role, &actor, &now).await,
        }
    }

    /// Every change and event of the record `key` (following it across re-keying): the newest
    /// `limit` changes with the version before each, and its events. Oldest first.
    pub async fn record_activity(&self, key: &str, limit: usize) -> Result<Activity, StoreError> {
        check_key(key)?;
        let limit = limit.min(MAX_ACTIVITY_ROWS);
        match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.to_owned();
                blocking(s, move |s| s.record_activity(&key, limit)).await
            }
            Backend::Postgres(p) => p.record_activity(key, limit).await,
        }
    }

    /// Every change (records and settings) and event from `from` (inclusive) to `to` (exclusive),
    /// the newest `limit` of each kind, each change with the version before it. Oldest first.
    pub async fn activity(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Activity, StoreError> {
        let from = canonical_utc("from", from)?;
        let to = canonical_utc("to", to)?;
        let limit = limit.min(MAX_ACTIVITY_ROWS);
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.activity(&from, &to, limit)).await,
            Backend::Postgres(p) => p.activity(&from, &to, limit).await,
        }
    }

    /// Puts an order up for a second person's approval. Asking again for the same request id
    /// with the same lines changes nothing; with other lines or another customer it is refused.
    #[allow(clippy::too_many_arguments)]
    pub async fn request_approval(
        &self,
        request_id: &str,
        customer_id: &str,
        customer_name: &str,
        lines: &Value,
        seats: u64,
        actor: &str,
        now: &str,
    ) -> Result<Approval, StoreError> {
        check_key(customer_id)?;
        let approval = Approval {
            request_id: check_request_id(request_id)?,
            customer_id: customer_id.to_owned(),
            customer_name: customer_name
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect(),
            lines: lines.clone(),
            seats,
            requested_by: check_actor(actor)?,
            requested_at: canonical_utc("now", now)?,
            approved_by: None,
            approved_at: None,
            sent_at: None,
        };
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.request_approval(&approval)).await,
            Backend::Postgres(p) => p.request_approval(&approval).await,
        }
    }

    /// Approves the order `request_id` as `actor`, who must not be the person who asked.
    /// Approving twice keeps the first approval.
    pub async fn approve(
        &self,
        request_id: &str,
        actor: &str,
        now: &str,
    ) -> Result<Approval, StoreError> {
        let request_id = check_request_id(request_id)?;
        let actor = check_actor(actor)?;
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.approve(&request_id, &actor, &now)).await,
            Backend::Postgres(p) => p.approve(&request_id, &actor, &now).await,
        }
    }

    /// The approval of the order `request_id`, if it was ever asked for.
    pub async fn approval(&self, request_id: &str) -> Result<Option<Approval>, StoreError> {
        let Ok(request_id) = check_request_id(request_id) else {
            return Ok(None);
        };
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.approval(&request_id)).await,
            Backend::Postgres(p) => p.approval(&request_id).await,
        }
    }

    /// Notes that the approved order `request_id` is being sent (the first time only).
    pub async fn mark_approval_sent(&self, request_id: &str, now: &str) -> Result<(), StoreError> {
        let request_id = check_request_id(request_id)?;
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                blocking(s, move |s| s.mark_approval_sent(&request_id, &now)).await
            }
            Backend::Postgres(p) => p.mark_approval_sent(&request_id, &now).await,
        }
    }

    /// The newest approvals, at most `limit`.
    pub async fn approvals(&self, limit: usize) -> Result<Vec<Approval>, StoreError> {
        let limit = limit.min(MAX_ACTIVITY_ROWS);
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.approvals(limit)).await,
            Backend::Postgres(p) => p.approvals(limit).await,
        }
    }
}

/// Reads a stored role; anything else means the database was changed by hand.
pub(crate) fn parse_role(text: Option<String>) -> Result<Option<Role>, StoreError> {
    match text {
        None => Ok(None),
        Some(t) => Role::parse(&t)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt {
                detail: format!("a person has the unknown role \"{}\"", shorten(&t)),
            }),
    }
}

/// The message for an approval asked again with other lines or for another customer.
pub(crate) fn approval_differs(request_id: &str) -> StoreError {
    StoreError::InvalidInput(format!(
        "An approval for order {request_id} was already asked for with other lines or another customer. Start a new order instead."
    ))
}

/// The message for approving one's own order.
pub(crate) fn own_approval() -> StoreError {
    StoreError::Forbidden(
        "You asked for this order's approval yourself; a second person must approve it.".into(),
    )
}

/// The message for an approval that does not exist.
pub(crate) fn no_approval(request_id: &str) -> StoreError {
    StoreError::InvalidInput(format!(
        "No approval was asked for order {request_id}; ask for one first."
    ))
}

/// The message for a role given to someone who never signed in.
pub(crate) fn unknown_person(subject: &str) -> StoreError {
    StoreError::InvalidInput(format!(
        "Nobody with the id \"{}\" has signed in to Cutover yet; they get a role after their first sign-in.",
        shorten(subject)
    ))
}
