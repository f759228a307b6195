//! The shared store suite (`store_suite/`) on SQLite: each case on a fresh file.
mod store_suite;

use std::sync::Arc;

use cutover_proxy::store::{Store, StoreLocation};
use store_suite::Fixture;

#[tokio::main]
async fn main() {
    let fresh = |_| async {
        let dir = tempfile::tempdir().unwrap();
        let location = StoreLocation::Sqlite(dir.path().join("cutover.sqlite3"));
        Fixture {
            store: Store::open(&location).await.unwrap(),
            location,
            _keep: Some(Arc::new(dir)),
        }
    };
    let passed = store_suite::runner::run(
        "sqlite",
        store_suite::all()
            .into_iter()
            .chain(store_suite::team::all())
            .collect(),
        fresh,
    )
    .await;
    let outbox = store_suite::runner::run("sqlite", store_suite::outbox::all(), fresh).await;
    if !(passed && outbox) {
        std::process::exit(1);
    }
}
