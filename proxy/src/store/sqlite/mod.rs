//! The SQLite backend: one file in the data directory, the default.
//!
//! The API is synchronous; [`super::Store`] calls it through `tokio::task::spawn_blocking`.
//! Arguments arrive already checked by the store's front.
//!
//! Writes go through one connection behind a mutex and each runs in a `BEGIN IMMEDIATE`
//! transaction: the version check and the write are one atomic compare-and-swap, also against other
//! processes using the same file. Reads use a small pool of read-only connections and, thanks to
//! WAL, never wait for the writer.

mod calendar_links;
mod changes;
mod dump;
mod dump_notifications;
mod outbox;
mod records;
mod schema;
mod share_links;
mod subscribers;
mod team;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::{StoreCounts, StoreError};

/// How long a write waits for another process holding the database lock before giving up with
/// [`StoreError::Busy`]. Inside one proxy the writer mutex already serialises writes.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Idle read connections kept open; more are opened on demand and closed when returned.
const MAX_IDLE_READERS: usize = 4;

/// The SQLite store. Open one per process and share it.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and migrates it to the current schema.
    ///
    /// The parent directory must exist. Fails if the file belongs to another program or to a newer
    /// Cutover.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut writer = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_error)?;
        configure(&writer).map_err(|e| classify_open_error(path, e))?;
        // WAL is a property of the file (it persists), so it is set once here rather than on
        // every connection. It lets readers proceed while a write is in progress.
        let mode: String = writer
            .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
            .map_err(|e| classify_open_error(path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal {
                path: path.to_owned(),
                mode,
            });
        }
        schema::migrate(&mut writer, path)?;
        Ok(SqliteStore {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// The database file this store was opened on.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs SQLite's own consistency check (`PRAGMA quick_check`) over the whole file; used after
    /// a crash to prove the database is intact.
    pub fn check_integrity(&self) -> Result<(), StoreError> {
        self.read(|conn| {
            let mut problems = Vec::new();
            conn.pragma_query(None, "quick_check", |row| {
                problems.push(row.get::<_, String>(0)?);
                Ok(())
            })?;
            if problems.len() == 1 && problems[0] == "ok" {
                Ok(())
            } else {
                Err(StoreError::Corrupt {
                    detail: problems.join("; "),
                })
            }
        })
    }

    /// Succeeds when the file answers a trivial query.
    pub(crate) fn ping(&self) -> Result<(), StoreError> {
        self.read(|tx| Ok(tx.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    /// Row counts of every table, for `migrate-store`'s verification.
    pub(crate) fn counts(&self) -> Result<StoreCounts, StoreError> {
        self.read(|tx| {
            let count = |sql: &str| -> Result<u64, StoreError> {
                let n: i64 = tx.query_row(sql, [], |r| r.get(0))?;
                Ok(u64::try_from(n).unwrap_or(0))
            };
            Ok(StoreCounts {
                records: count("SELECT count(*) FROM documents WHERE kind = 'record'")?,
                settings: count("SELECT count(*) FROM documents WHERE kind = 'settings'")?,
                changes: count("SELECT count(*) FROM changes")?,
                share_links: count("SELECT count(*) FROM share_links")?,
                version_sum: count("SELECT coalesce(sum(version), 0) FROM documents")?,
                people: count("SELECT count(*) FROM people")?,
                events: count("SELECT count(*) FROM events")?,
                approvals: count("SELECT count(*) FROM order_approvals")?,
            })
        })
    }

    /// Runs `f` inside one read transaction on a pooled read-only connection, so every query it
    /// makes sees the same snapshot.
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = lock(&self.readers).pop();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => self.open_reader()?,
        };
        let result = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let value = f(&tx)?;
            tx.finish()?;
            Ok(value)
        })();
        let mut idle = lock(&self.readers);
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        result
    }

    /// Runs `f` inside one `BEGIN IMMEDIATE` transaction on the writer connection and commits if it
    /// returns `Ok`; any error rolls everything back.
    fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn open_reader(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Open {
            path: self.path.clone(),
            source,
        })?;
        configure(&conn)?;
        // Read-write is needed to use the WAL index; query_only keeps these connections honest.
        conn.pragma_update(None, "query_only", true)?;
        Ok(conn)
    }
}

/// Per-connection settings (these do not persist in the file).
fn configure(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // FULL: in WAL mode every commit fsyncs the log before returning, so an acknowledged write
    // survives not only `kill -9` (NORMAL would too) but also a power cut or kernel crash, which
    // NORMAL does not promise. The price is one fsync per write; partner staff write rarely.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Keep the log from staying large on disk after a burst of writes (e.g. a big import).
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    Ok(())
}

fn classify_open_error(path: &Path, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotCutoverDatabase {
            path: path.to_owned(),
        },
        _ => StoreError::Open {
            path: path.to_owned(),
            source: error,
        },
    }
}

/// A panic while holding a connection leaves it usable: its transaction was rolled back when the
/// `Transaction` guard dropped during unwinding.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::super::Versioned;
    use super::super::records::Kind;
    use super::super::share_links::NewLink;
    use super::super::validate::{decode_doc, encode_doc};
    use super::*;
    use serde_json::{Value, json};

    const T0: &str = "2025-04-01T09:00:00Z";

    fn temp_store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("cutover.db")).unwrap();
        (dir, store)
    }

    fn put(
        store: &SqliteStore,
        key: &str,
        expected: Option<u64>,
        doc: &Value,
    ) -> Result<Versioned, StoreError> {
        let doc = encode_doc(doc).unwrap();
        store.put(Kind::Record, key, expected, &doc, "ann", T0)
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn opening_sets_wal_full_sync_and_foreign_keys() {
        let (_dir, store) = temp_store();
        let conn = lock(&store.writer);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL");
        assert_eq!(fk, 1);
    }

    #[test]
    fn records_survive_closing_and_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cutover.db");
        {
            let store = SqliteStore::open(&path).unwrap();
            put(&store, "contoso.com", None, &json!({"n": 1})).unwrap();
            put(&store, "contoso.com", Some(1), &json!({"n": 2})).unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let record = store.get(Kind::Record, "contoso.com").unwrap().unwrap();
        assert_eq!(record.version, 2);
        assert_eq!(record.doc, json!({"n": 2}));
        assert_eq!(
            store
                .changes(Kind::Record, "contoso.com", None, 10)
                .unwrap()
                .len(),
            2
        );
        store.check_integrity().unwrap();
    }

    #[test]
    fn a_missing_data_directory_is_reported_as_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let err =
            SqliteStore::open(&dir.path().join("no-such-dir").join("cutover.db")).unwrap_err();
        assert!(matches!(err, StoreError::Open { .. }), "{err}");
        assert!(err.to_string().contains("data directory exists"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "x".repeat(4096)).unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::NotCutoverDatabase { .. }),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), "x".repeat(4096).as_bytes());
    }

    #[test]
    fn damaged_json_in_the_database_is_an_error_not_a_panic() {
        let (_dir, store) = temp_store();
        put(&store, "contoso.com", None, &json!({})).unwrap();
        lock(&store.writer)
            .execute(
                "UPDATE documents SET doc = '{not json' WHERE key = 'contoso.com'",
                [],
            )
            .unwrap();
        let err = store.get(Kind::Record, "contoso.com").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(store.list_records(decode_doc).is_err());
        let err = put(&store, "contoso.com", Some(1), &json!({})).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    }

    #[test]
    fn the_change_log_refuses_updates_and_deletes() {
        let (_dir, store) = temp_store();
        put(&store, "contoso.com", None, &json!({})).unwrap();
        let conn = lock(&store.writer);
        assert!(
            conn.execute("UPDATE changes SET actor = 'eve'", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM changes", []).is_err());
    }

    #[test]
    fn only_the_tokens_hash_reaches_the_database_file() {
        let (dir, store) = temp_store();
        put(&store, "contoso.com", None, &json!({})).unwrap();
        let link = NewLink::generate().unwrap();
        store
            .create_share_link("contoso.com", &link, None, None, "ann", T0)
            .unwrap();
        let raw = hex::decode(&link.token).unwrap();
        let mut files = 0;
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            files += 1;
            assert!(!contains(&bytes, link.token.as_bytes()));
            assert!(!contains(&bytes, link.token.to_uppercase().as_bytes()));
            assert!(!contains(&bytes, &raw));
        }
        assert!(
            files >= 2,
            "the database and its write-ahead log were checked"
        );
        let conn = lock(&store.writer);
        let stored: Vec<u8> = conn
            .query_row("SELECT token_sha256 FROM share_links", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, link.hash.as_slice());
    }

    /// Set in the child process of [`acknowledged_writes_survive_kill_9`].
    const CRASH_DB_ENV: &str = "CUTOVER_STORE_CRASH_TEST_DB";

    /// Not a test by itself: when the crash test starts this test binary as a child, this writes
    /// until it is killed, printing `ACK key version` after each write the store acknowledged.
    #[test]
    fn crash_test_writer_child() {
        let Ok(path) = std::env::var(CRASH_DB_ENV) else {
            return;
        };
        let store = std::sync::Arc::new(SqliteStore::open(Path::new(&path)).unwrap());
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let store = std::sync::Arc::clone(&store);
                std::thread::spawn(move || {
                    let key = format!("customer{w}.example");
                    let mut version = None;
                    for i in 0..100_000 {
                        let doc = json!({"writer": w, "i": i, "pad": "x".repeat(2000)});
                        let written = put(&store, &key, version, &doc).unwrap();
                        version = Some(written.version);
                        use std::io::Write;
                        let mut out = std::io::stdout().lock();
                        writeln!(out, "ACK {key} {}", written.version).unwrap();
                        out.flush().unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
    }

    #[test]
    fn acknowledged_writes_survive_kill_9() {
        use std::collections::HashMap;
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cutover.db");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["crash_test_writer_child", "--nocapture", "--test-threads=1"])
            .env(CRASH_DB_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut acknowledged: HashMap<String, u64> = HashMap::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut count = 0;
        while count < 400 {
            let Some(line) = lines.next() else { break };
            let line = line.unwrap();
            let Some(ack) = line.strip_prefix("ACK ") else {
                continue;
            };
            let (key, version) = ack.split_once(' ').unwrap();
            acknowledged.insert(key.to_owned(), version.parse().unwrap());
            count += 1;
        }
        child.kill().unwrap(); // SIGKILL on Unix: no destructors, no checkpoint
        child.wait().unwrap();
        assert_eq!(count, 400, "the writer stopped early");

        let store = SqliteStore::open(&path).unwrap();
        store.check_integrity().unwrap();
        for (key, version) in &acknowledged {
            let record = store.get(Kind::Record, key).unwrap().unwrap();
            assert!(
                record.version >= *version,
                "{key}: lost an acknowledged write"
            );
            let log = store
                .changes(Kind::Record, key, None, super::super::MAX_CHANGES_PAGE)
                .unwrap();
            assert_eq!(
                log.len() as u64,
                record.version,
                "{key}: change log out of step"
            );
        }
    }

    #[test]
    fn two_stores_on_one_file_see_each_others_writes() {
        // Stands in for a second proxy process sharing the data directory.
        let (dir, a) = temp_store();
        let b = SqliteStore::open(&dir.path().join("cutover.db")).unwrap();
        put(&a, "contoso.com", None, &json!({})).unwrap();
        let err = put(&b, "contoso.com", None, &json!({})).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        assert_eq!(
            b.get(Kind::Record, "contoso.com").unwrap().unwrap().version,
            1
        );
    }
}
