//! A first run against the embedded sandbox opens on a real-looking portfolio: when the store holds
//! no records yet, the plans a partner would have after using Cutover for a while (built by the
//! sandbox from its seeded customers) are imported in one transaction.
use cutover_sandbox::SandboxConfig;

use crate::store::{ImportItem, Store, StoreError};

/// Imports the sandbox's seeded records into an empty store; returns how many were written (0
/// when the store already had records, or when the sandbox is configured to start empty).
pub async fn seed_if_empty(
    store: &Store,
    sandbox: &SandboxConfig,
    now: &str,
) -> Result<usize, String> {
    if !sandbox.first_run_plans {
        return Ok(0);
    }
    let counts = store.counts().await.map_err(|e| e.to_string())?;
    if counts.records > 0 {
        return Ok(0);
    }
    let items: Vec<ImportItem> = cutover_sandbox::seeded_records(sandbox)
        .into_iter()
        .filter_map(|record| {
            let key = cutover_plan::portfolio::key_of(&record);
            let doc = serde_json::to_value(&record).ok()?;
            Some(ImportItem {
                key,
                expected: None,
                doc,
            })
        })
        .collect();
    match store.import_records(&items, "sandbox first run", now).await {
        Ok(summary) => Ok(summary.created),
        // Another instance on the same database seeded it first.
        Err(StoreError::ImportConflict { .. }) => Ok(0),
        Err(e) => Err(format!(
            "The sandbox's first-run plans could not be stored ({e})."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreLocation;

    fn sandbox(plans: bool) -> SandboxConfig {
        SandboxConfig {
            customers: 40,
            prospects: 5,
            first_run_plans: plans,
            ..SandboxConfig::default()
        }
    }

    #[tokio::test]
    async fn an_empty_store_gets_the_first_run_plans_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&StoreLocation::Sqlite(dir.path().join("s.sqlite3")))
            .await
            .unwrap();
        let now = "2026-12-01T09:00:00Z";
        let n = seed_if_empty(&store, &sandbox(true), now).await.unwrap();
        assert!(n > 10, "{n} records");
        assert_eq!(store.counts().await.unwrap().records, n as u64);
        // A restart, or a second instance, finds records and writes nothing.
        assert_eq!(seed_if_empty(&store, &sandbox(true), now).await.unwrap(), 0);
        let records = store.list_records().await.unwrap();
        let planned = records
            .iter()
            .filter(|r| r.doc["originals"].as_array().is_some_and(|o| !o.is_empty()))
            .count();
        assert!(
            planned * 2 > records.len(),
            "most have plans: {planned} of {}",
            records.len()
        );
    }

    #[tokio::test]
    async fn configured_empty_means_empty() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&StoreLocation::Sqlite(dir.path().join("s.sqlite3")))
            .await
            .unwrap();
        let n = seed_if_empty(&store, &sandbox(false), "2026-12-01T09:00:00Z")
            .await
            .unwrap();
        assert_eq!(n, 0);
        assert_eq!(store.counts().await.unwrap().records, 0);
    }
}
