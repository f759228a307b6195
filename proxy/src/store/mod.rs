//! Cutover's store: migration records, the settings, their change log and share links.
//!
//! One interface, [`Store`], over two backends that behave identically (the same test suite runs
//! against both, `proxy/tests/store_suite/`):
//! - an SQLite file in the data directory (the default; one machine, any number of proxy
//!   processes sharing the file), see [`sqlite`];
//! - a PostgreSQL database named by `CUTOVER_DATABASE_URL` (several machines), see [`postgres`].
//!
//! Every write is a compare-and-swap on the document's version inside one transaction, so a stale
//! write is refused (409) whichever instance or process made the newer one. Every argument is
//! checked here, once, before either backend sees it ([`validate`]). Instants are passed in by the
//! caller (`now`) as RFC 3339 UTC text, so nothing here reads a clock.

mod calendar_links;
mod changes;
pub mod copy;
mod copy_notifications;
mod error;
pub mod outbox;
pub mod postgres;
mod records;
mod share_links;
pub mod sqlite;
pub mod subscribers;
mod team;
mod timestamp;
mod validate;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use calendar_links::CalendarLink;
pub use changes::{Change, ChangeKind, MAX_CHANGES_PAGE};
pub use error::StoreError;
pub use outbox::{Claimed, MessageKind, NewMessage, OutboxCounts, Outcome, Recipient};
pub use records::{ImportItem, ImportSummary};
pub use share_links::ShareLink;
pub use subscribers::{MailTarget, NewSubscriber, Subscribed, Subscriber};
pub use team::{
    Activity, Approval, Event, EventKind, LoggedChange, MAX_ACTIVITY_ROWS, PendingSignIn, Person,
    SIGN_IN_SECS, SignIn,
};
pub use validate::{MAX_ACTOR_CHARS, MAX_DOC_BYTES, MAX_KEY_CHARS};

use error::shorten;
use records::{Kind, SETTINGS_KEY};
use share_links::{NewLink, token_hash};
use timestamp::canonical_utc;
use validate::{Doc, check_actor, check_key, decode_doc, decode_doc_as, encode_doc};

/// A versioned JSON document: a migration record, or the settings. `D` is the document as
/// read: JSON (the store's own view), or a type the caller names (see
/// [`Store::list_records_as`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Versioned<D = Value> {
    /// The record's key: the Partner Center customer id, or the primary domain before that.
    pub key: String,
    /// 1 for a new document, +1 on every write. Writes must name the version they were based on.
    pub version: u64,
    /// When the last write happened, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub updated_at: String,
    /// The document itself; its schema belongs to `cutover-plan`, not to the store.
    pub doc: D,
}

/// The stamp of a list of records, from each one's key, version and time of its last write, in
/// the order given (each backend lists in its own fixed order). A version is never reused for
/// other content under the same key, so equal stamps mean equal lists.
pub fn records_stamp<'a>(rows: impl IntoIterator<Item = (&'a str, u64, &'a str)>) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (key, version, updated_at) in rows {
        // Lengths first, so no two different lists hash the same bytes.
        h.update((key.len() as u64).to_le_bytes());
        h.update(key.as_bytes());
        h.update(version.to_le_bytes());
        h.update((updated_at.len() as u64).to_le_bytes());
        h.update(updated_at.as_bytes());
    }
    h.finalize().into()
}

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// An SQLite file (created if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL database, as a `postgres://` URL (may contain a password).
    Postgres(String),
}

impl std::fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password a URL may carry.
        f.write_str(&self.describe())
    }
}

impl StoreLocation {
    /// A description safe for logs: the file, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            StoreLocation::Sqlite(path) => format!("sqlite:{}", path.display()),
            StoreLocation::Postgres(url) => postgres::redact_url(url),
        }
    }
}

/// How many rows each part of a store holds (for `migrate-store`'s verification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StoreCounts {
    /// Migration records.
    pub records: u64,
    /// Settings documents (0 or 1).
    pub settings: u64,
    /// Change log entries of records and settings.
    pub changes: u64,
    /// Share links, revoked and expired ones included.
    pub share_links: u64,
    /// The sum of every document's version (equal when every write was copied).
    pub version_sum: u64,
    /// People who signed in.
    pub people: u64,
    /// Event log entries (share links made and revoked, roles given, orders approved).
    pub events: u64,
    /// Order approvals.
    pub approvals: u64,
}

/// The store. Cheap to clone; open one per process and share it.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    location: StoreLocation,
}

#[derive(Clone)]
enum Backend {
    Sqlite(Arc<sqlite::SqliteStore>),
    Postgres(postgres::PgStore),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location)
            .finish()
    }
}

/// A prepared import item: checked key, expected version and encoded document.
pub(crate) struct Prepared {
    pub key: String,
    pub expected: Option<u64>,
    pub doc: Doc,
}

impl Store {
    /// Opens the store at `location` and brings its schema up to date (versioned migrations, each
    /// applied once, safe when several instances start at the same moment).
    pub async fn open(location: &StoreLocation) -> Result<Store, StoreError> {
        let backend = match location {
            StoreLocation::Sqlite(path) => {
                let path = path.clone();
                let store = tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(&path))
                    .await
                    .map_err(|_| StoreError::Interrupted)??;
                Backend::Sqlite(Arc::new(store))
            }
            StoreLocation::Postgres(url) => Backend::Postgres(postgres::PgStore::open(url).await?),
        };
        Ok(Store {
            backend,
            location: location.clone(),
        })
    }

    /// Where this store keeps its data, safe to log.
    pub fn describe(&self) -> String {
        self.location.describe()
    }

    /// The SQLite backend, when that is what this store uses (for SQLite-only checks).
    pub fn as_sqlite(&self) -> Option<&sqlite::SqliteStore> {
        match &self.backend {
            Backend::Sqlite(s) => Some(s),
            Backend::Postgres(_) => None,
        }
    }

    /// Succeeds when the database answers a trivial query (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.ping()).await,
            Backend::Postgres(p) => p.ping().await,
        }
    }

    /// Closes the connection pool: new calls fail, calls in progress finish.
    pub fn close(&self) {
        if let Backend::Postgres(p) = &self.backend {
            p.close();
        }
    }

    /// How many records, changes and links the store holds.
    pub async fn counts(&self) -> Result<StoreCounts, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.counts()).await,
            Backend::Postgres(p) => p.counts().await,
        }
    }

    /// Every migration record, ordered by key (compared without regard to ASCII case).
    pub async fn list_records(&self) -> Result<Vec<Versioned>, StoreError> {
        self.list_records_with(decode_doc).await
    }

    /// [`Store::list_records`] with each document read straight from its stored text into `T`
    /// (no JSON tree in between: about half the work for a large list). A document that is not
    /// a `T` is [`StoreError::Unreadable`].
    pub async fn list_records_as<T: DeserializeOwned + Send + 'static>(
        &self,
    ) -> Result<Vec<Versioned<T>>, StoreError> {
        self.list_records_with(decode_doc_as::<T>).await
    }

    /// What identifies the current list of records without reading their documents: every
    /// record's key, version and time of its last write, hashed (see [`records_stamp`]). Any
    /// create, update, rekey or import changes it.
    pub async fn records_stamp(&self) -> Result<[u8; 32], StoreError> {
        let rows = match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.record_versions()).await?,
            Backend::Postgres(p) => p.record_versions().await?,
        };
        Ok(records_stamp(
            rows.iter().map(|(k, v, at)| (k.as_str(), *v, at.as_str())),
        ))
    }

    async fn list_records_with<D: Send + 'static>(
        &self,
        decode: fn(&str, &str) -> Result<D, StoreError>,
    ) -> Result<Vec<Versioned<D>>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.list_records(decode)).await,
            Backend::Postgres(p) => p.list_records(decode).await,
        }
    }

    /// The record with this key (compared case-insensitively), if there is one.
    pub async fn get_record(&self, key: &str) -> Result<Option<Versioned>, StoreError> {
        check_key(key)?;
        self.get(Kind::Record, key).await
    }

    /// The settings, if they were ever saved.
    pub async fn get_settings(&self) -> Result<Option<Versioned>, StoreError> {
        self.get(Kind::Settings, SETTINGS_KEY).await
    }

    async fn get(&self, kind: Kind, key: &str) -> Result<Option<Versioned>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.to_owned();
                blocking(s, move |s| s.get(kind, &key)).await
            }
            Backend::Postgres(p) => p.get(kind, key).await,
        }
    }

    /// Writes the record `key` if it is still at `expected_version` (`None`: it must not exist yet),
    /// and returns it at its new version. A stale version gives [`StoreError::Conflict`] with the
    /// current record, and nothing is written.
    pub async fn put_record(
        &self,
        key: &str,
        expected_version: Option<u64>,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        check_key(key)?;
        self.put(Kind::Record, key, expected_version, doc, actor, now)
            .await
    }

    /// Writes the settings with the same compare-and-swap as [`Store::put_record`]; a stale
    /// version gives [`StoreError::SettingsConflict`].
    pub async fn put_settings(
        &self,
        expected_version: Option<u64>,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        self.put(
            Kind::Settings,
            SETTINGS_KEY,
            expected_version,
            doc,
            actor,
            now,
        )
        .await
    }

    async fn put(
        &self,
        kind: Kind,
        key: &str,
        expected: Option<u64>,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        let actor = check_actor(actor)?.to_owned();
        let now = canonical_utc("now", now)?;
        let doc = encode_doc(doc)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.to_owned();
                blocking(s, move |s| s.put(kind, &key, expected, &doc, &actor, &now)).await
            }
            Backend::Postgres(p) => p.put(kind, key, expected, &doc, &actor, &now).await,
        }
    }

    /// Moves the record at `old_key` (at `expected_version`) to `new_key` and writes `doc` in the
    /// same step, as when a prospect keyed by domain accepts and gets its Partner Center id. Its
    /// change log and share links follow it.
    pub async fn rekey_record(
        &self,
        old_key: &str,
        new_key: &str,
        expected_version: u64,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        check_key(old_key)?;
        check_key(new_key)?;
        let actor = check_actor(actor)?.to_owned();
        let now = canonical_utc("now", now)?;
        let doc = encode_doc(doc)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let (old_key, new_key) = (old_key.to_owned(), new_key.to_owned());
                blocking(s, move |s| {
                    s.rekey(&old_key, &new_key, expected_version, &doc, &actor, &now)
                })
                .await
            }
            Backend::Postgres(p) => {
                p.rekey(old_key, new_key, expected_version, &doc, &actor, &now)
                    .await
            }
        }
    }

    /// Creates and updates these records in one transaction, or writes none of them.
    ///
    /// An invalid or repeated key is refused before anything is written. If any create's key
    /// exists, or any update's record is not at its expected version or is gone,
    /// [`StoreError::ImportConflict`] lists what is stored now and which keys are missing, and
    /// nothing is written. Every write appends an `imported` change; updated records keep their
    /// history. An empty import writes nothing.
    pub async fn import_records(
        &self,
        items: &[ImportItem],
        actor: &str,
        now: &str,
    ) -> Result<ImportSummary, StoreError> {
        let actor = check_actor(actor)?.to_owned();
        let now = canonical_utc("now", now)?;
        let mut first_seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
        let mut prepared = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let n = index + 1;
            let in_item = |e: StoreError| StoreError::InvalidInput(format!("Item {n}: {e}"));
            check_key(&item.key).map_err(in_item)?;
            if let Some(earlier) = first_seen.insert(validate::folded_key(&item.key), n) {
                return Err(StoreError::InvalidInput(format!(
                    "Items {earlier} and {n} have the same key \"{}\". Each customer may appear only once in an import; nothing was saved.",
                    shorten(&item.key)
                )));
            }
            prepared.push(Prepared {
                key: item.key.clone(),
                expected: item.expected,
                doc: encode_doc(&item.doc).map_err(in_item)?,
            });
        }
        if prepared.is_empty() {
            return Ok(ImportSummary {
                created: 0,
                updated: 0,
                records: Vec::new(),
            });
        }
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.import(&prepared, &actor, &now)).await,
            Backend::Postgres(p) => p.import(&prepared, &actor, &now).await,
        }
    }

    /// The change log of the record `key`, oldest first: writes with a version above `since` (all
    /// when `None`), at most `limit` (and at most 1,000). Follows the record across re-keying.
    pub async fn changes(
        &self,
        key: &str,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        check_key(key)?;
        self.changes_of(Kind::Record, key, since, limit).await
    }

    /// The change log of the settings, oldest first, with the same paging as [`Store::changes`].
    /// Empty while the settings have never been saved.
    pub async fn settings_changes(
        &self,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        self.changes_of(Kind::Settings, SETTINGS_KEY, since, limit)
            .await
    }

    async fn changes_of(
        &self,
        kind: Kind,
        key: &str,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.to_owned();
                blocking(s, move |s| s.changes(kind, &key, since, limit)).await
            }
            Backend::Postgres(p) => p.changes(kind, key, since, limit).await,
        }
    }

    /// Makes a new share link for the record `key`, optionally expiring at `expires_at`. Returns the
    /// link and its token; the token cannot be recovered later, so show it to the user now.
    /// `actor` (who made it) goes into the event log with the link's id, never its token.
    pub async fn create_share_link(
        &self,
        key: &str,
        expires_at: Option<&str>,
        actor: &str,
        now: &str,
    ) -> Result<(ShareLink, String), StoreError> {
        self.create_share_link_in(key, expires_at, None, actor, now)
            .await
    }

    /// Like [`Store::create_share_link`], remembering the language (`en`, `ja`) the partner
    /// shares it in: the link's feed and calendar speak it unless the reader asks otherwise.
    pub async fn create_share_link_in(
        &self,
        key: &str,
        expires_at: Option<&str>,
        lang: Option<&str>,
        actor: &str,
        now: &str,
    ) -> Result<(ShareLink, String), StoreError> {
        check_key(key)?;
        let actor = check_actor(actor)?.to_owned();
        if lang.is_some_and(|l| !matches!(l, "en" | "ja")) {
            return Err(StoreError::InvalidInput(
                "A status link is shared in English (en) or Japanese (ja).".into(),
            ));
        }
        let lang = lang.map(str::to_owned);
        let now = canonical_utc("now", now)?;
        let expires_at = expires_at
            .map(|at| canonical_utc("expires_at", at))
            .transpose()?;
        if let Some(at) = &expires_at
            && *at <= now
        {
            return Err(StoreError::InvalidInput(format!(
                "The expiry {at} is not in the future. Choose a later date, or none for a link that does not expire."
            )));
        }
        let link = NewLink::generate()?;
        let token = link.token.clone();
        let made = match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.to_owned();
                blocking(s, move |s| {
                    s.create_share_link(
                        &key,
                        &link,
                        expires_at.as_deref(),
                        lang.as_deref(),
                        &actor,
                        &now,
                    )
                })
                .await?
            }
            Backend::Postgres(p) => {
                p.create_share_link(
                    key,
                    &link,
                    expires_at.as_deref(),
                    lang.as_deref(),
                    &actor,
                    &now,
                )
                .await?
            }
        };
        Ok((made, token))
    }

    /// The record's share links, oldest first, revoked and expired ones included.
    pub async fn list_share_links(&self, key: &str) -> Result<Vec<ShareLink>, StoreError> {
        check_key(key)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.to_owned();
                blocking(s, move |s| s.list_share_links(&key)).await
            }
            Backend::Postgres(p) => p.list_share_links(key).await,
        }
    }

    /// Revokes the link `link_id` of the record `key` for good. Returns `false` if that record has
    /// no such link; revoking twice keeps the first revocation (time and `actor`) and returns `true`.
    pub async fn revoke_share_link(
        &self,
        key: &str,
        link_id: &str,
        actor: &str,
        now: &str,
    ) -> Result<bool, StoreError> {
        check_key(key)?;
        let actor = check_actor(actor)?.to_owned();
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let (key, link_id) = (key.to_owned(), link_id.to_owned());
                blocking(s, move |s| {
                    s.revoke_share_link(&key, &link_id, &actor, &now)
                })
                .await
            }
            Backend::Postgres(p) => p.revoke_share_link(key, link_id, &actor, &now).await,
        }
    }

    /// The key of the record a token opens, or `None` for any token that does not work now:
    /// malformed, truncated, unknown, revoked or expired alike. Records the use.
    pub async fn resolve_share_token(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .resolve_share_link(token, now)
            .await?
            .map(|(_, key)| key))
    }

    /// Like [`Store::resolve_share_token`], also giving the link's id (which, unlike the token,
    /// may appear in what the customer sees, e.g. as part of a feed's ids): `(link id, key)`.
    pub async fn resolve_share_link(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let now = canonical_utc("now", now)?;
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.resolve_share_link(&hash, &now)).await,
            Backend::Postgres(p) => p.resolve_share_link(&hash, &now).await,
        }
    }
}

/// Runs an SQLite call on the blocking pool (SQLite calls block, and a write may fsync).
async fn blocking<T: Send + 'static>(
    store: &Arc<sqlite::SqliteStore>,
    f: impl FnOnce(&sqlite::SqliteStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || f(&store))
        .await
        .map_err(|_| StoreError::Interrupted)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_can_be_shared_across_tasks() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Store>();
        assert_send_sync::<StoreError>();
    }

    #[test]
    fn descriptions_never_show_a_password() {
        let pg =
            StoreLocation::Postgres("postgres://cutover:s3cret-pw@db.example:5433/cutover".into());
        let text = format!("{} {pg:?}", pg.describe());
        assert!(!text.contains("s3cret-pw"), "{text}");
        assert!(text.contains("db.example:5433/cutover"), "{text}");
    }
}
