//! The PostgreSQL backend, chosen with `CUTOVER_DATABASE_URL=postgres://…`: several proxy
//! instances on several machines share one database.
//!
//! tokio-postgres with a deadpool connection pool. Every write runs in one transaction that locks
//! the rows it compares (`SELECT … FOR UPDATE`, always in key order), so the version check and
//! the write are one atomic compare-and-swap whichever instance runs them. Creates use
//! `INSERT … ON CONFLICT DO NOTHING`: of two instances creating the same key at once, one wins
//! and the other answers 409 with the winner's record.

mod calendar_links;
mod copy_rows;
mod outbox;
mod records;
mod schema;
mod share_links;
mod subscribers;
mod team;

use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use tokio_postgres::config::{Host, SslMode};

use super::{StoreCounts, StoreError};

/// Connections per instance. PostgreSQL's default limit is 100: room for several instances.
const POOL_SIZE: usize = 16;
/// How long a call waits for a free connection, or for a new one to open.
const POOL_WAIT: Duration = Duration::from_secs(10);
/// How long opening one connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) use copy_rows::{copy_change, copy_document, copy_share_link};
pub(crate) use team::{copy_approval, copy_event, copy_person};

/// The PostgreSQL store. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// The URL without its password, for messages.
    target: String,
}

impl PgStore {
    /// Connects to `url` and migrates the database to the current schema.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        let target = redact_url(url);
        let mut config = tokio_postgres::Config::from_str(url).map_err(|e| {
            StoreError::InvalidInput(format!(
                "CUTOVER_DATABASE_URL is not a PostgreSQL URL ({e}). Use the form postgres://user:password@host:5432/database."
            ))
        })?;
        if matches!(config.get_ssl_mode(), SslMode::Require) {
            return Err(StoreError::InvalidInput(format!(
                "{target} asks for TLS (sslmode=require), which this cutover-proxy does not speak to PostgreSQL. Reach the database over a private network or a local socket, and remove sslmode from CUTOVER_DATABASE_URL."
            )));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("cutover-proxy");
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(POOL_WAIT))
            .build()
            .map_err(|e| StoreError::Unavailable {
                target: target.clone(),
                detail: e.to_string(),
            })?;
        let store = PgStore { pool, target };
        let mut client = store.client().await?;
        schema::migrate(&mut client, &store.target).await?;
        drop(client);
        Ok(store)
    }

    /// A pooled connection, or a sentence saying the database cannot be reached.
    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(|e| self.unavailable(e))
    }

    fn unavailable(&self, error: PoolError) -> StoreError {
        let detail = match &error {
            PoolError::Backend(e) => {
                // The server's own sentence (e.g. "database \"x\" does not exist") when it sent one.
                e.as_db_error()
                    .map(|d| d.message().to_owned())
                    .unwrap_or_else(|| e.to_string())
            }
            PoolError::Timeout(_) => "no connection became free in time".to_owned(),
            other => other.to_string(),
        };
        StoreError::Unavailable {
            target: self.target.clone(),
            detail,
        }
    }

    /// Succeeds when the database answers a trivial query.
    pub(crate) async fn ping(&self) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.simple_query("SELECT 1").await?;
        Ok(())
    }

    /// Closes the pool: waiting calls fail, connections are closed as they are returned.
    pub(crate) fn close(&self) {
        self.pool.close();
    }

    /// Row counts of every table, for `migrate-store`'s verification.
    pub(crate) async fn counts(&self) -> Result<StoreCounts, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT
                   (SELECT count(*) FROM documents WHERE kind = 'record'),
                   (SELECT count(*) FROM documents WHERE kind = 'settings'),
                   (SELECT count(*) FROM changes),
                   (SELECT count(*) FROM share_links),
                   (SELECT coalesce(sum(version), 0)::BIGINT FROM documents),
                   (SELECT count(*) FROM people),
                   (SELECT count(*) FROM events),
                   (SELECT count(*) FROM order_approvals)",
                &[],
            )
            .await?;
        let n = |i: usize| u64::try_from(row.get::<_, i64>(i)).unwrap_or(0);
        Ok(StoreCounts {
            records: n(0),
            settings: n(1),
            changes: n(2),
            share_links: n(3),
            version_sum: n(4),
            people: n(5),
            events: n(6),
            approvals: n(7),
        })
    }
}

/// `postgres://user@host:port/database`, without the password (for logs and messages).
pub fn redact_url(url: &str) -> String {
    let Ok(config) = tokio_postgres::Config::from_str(url) else {
        return "postgres (the URL could not be read)".to_owned();
    };
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = config.get_ports().get(i).or(config.get_ports().first());
            let host = match host {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(path) => path.display().to_string(),
            };
            match port {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    format!(
        "postgres://{}{}/{}",
        config
            .get_user()
            .map(|u| format!("{u}@"))
            .unwrap_or_default(),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_urls_keep_user_host_port_and_database() {
        assert_eq!(
            redact_url("postgres://cutover:pw-secret@127.0.0.1:5433/cutover"),
            "postgres://cutover@127.0.0.1:5433/cutover"
        );
        let with_query = redact_url("postgres://u@h/db?password=pw-secret");
        assert!(!with_query.contains("pw-secret"), "{with_query}");
        assert!(!redact_url("not a url with pw-secret").contains("pw-secret"));
    }

    #[tokio::test]
    async fn an_unreachable_server_is_reported_as_a_sentence_naming_it() {
        // Nothing listens on port 1 of loopback.
        let Err(err) = PgStore::open("postgres://cutover:pw@127.0.0.1:1/cutover").await else {
            panic!("expected an error");
        };
        let text = err.to_string();
        assert!(matches!(err, StoreError::Unavailable { .. }), "{text}");
        assert!(
            text.contains("127.0.0.1:1") && !text.contains(":pw@"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn tls_urls_are_refused_with_a_sentence() {
        let Err(err) = PgStore::open("postgres://u@127.0.0.1:1/db?sslmode=require").await else {
            panic!("expected an error");
        };
        assert!(err.to_string().contains("sslmode"), "{err}");
    }
}
