//! The shared store suite (`store_suite/`) on a real PostgreSQL server that this test starts
//! (Debian's package, in a temporary directory, on a loopback port); each case gets a database of
//! its own. Not part of a plain `cargo test`: scripts/test runs it with
//! `cargo test -p cutover-proxy --test store_postgres`.
mod migrate_store;
mod postgres_only;
mod store_suite;
mod support;

use cutover_proxy::store::{Store, StoreLocation};
use store_suite::Fixture;
use support::postgres::PgServer;

#[tokio::main]
async fn main() {
    let server = match PgServer::start() {
        Ok(s) => s,
        Err(why) => {
            eprintln!("store_postgres: {why}");
            std::process::exit(1);
        }
    };
    let pg = &server;
    let fresh = |name: &'static str| async move {
        let db = pg.create_database(name).await;
        let location = StoreLocation::Postgres(pg.url(&db));
        Fixture {
            store: Store::open(&location).await.unwrap(),
            location,
            _keep: None,
        }
    };
    let passed = store_suite::runner::run(
        "postgres",
        store_suite::all()
            .into_iter()
            .chain(store_suite::team::all())
            .collect(),
        fresh,
    )
    .await;
    let outbox = store_suite::runner::run("postgres", store_suite::outbox::all(), fresh).await;
    let passed = passed && outbox;
    let only = store_suite::runner::run("postgres-only", postgres_only::all(), fresh).await;
    let migrated = store_suite::runner::run("migrate", migrate_store::all(), fresh).await;
    let passed = passed && only && migrated;
    drop(server); // stops PostgreSQL before the process exits
    if !passed {
        std::process::exit(1);
    }
}
