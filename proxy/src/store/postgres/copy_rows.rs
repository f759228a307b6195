//! Inserting rows copied from SQLite as they are (see `store::copy`).

use deadpool_postgres::Transaction;

use super::super::StoreError;
use super::super::copy::{ChangeRow, DocumentRow, LinkRow};
use super::super::validate::folded_key;

/// Inserts a document with its version and time; returns its id in PostgreSQL.
pub(crate) async fn copy_document(
    tx: &Transaction<'_>,
    row: &DocumentRow,
) -> Result<i64, StoreError> {
    let stmt = tx
        .prepare_cached(
            "INSERT INTO documents (kind, key, key_folded, version, updated_at, doc)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .await?;
    let id = tx
        .query_one(
            &stmt,
            &[
                &row.kind,
                &row.key,
                &folded_key(&row.key),
                &row.version,
                &row.updated_at,
                &row.doc,
            ],
        )
        .await?
        .get(0);
    Ok(id)
}

/// Appends a change of the document now at `document_id`.
pub(crate) async fn copy_change(
    tx: &Transaction<'_>,
    document_id: i64,
    row: &ChangeRow,
) -> Result<(), StoreError> {
    let stmt = tx
        .prepare_cached(
            "INSERT INTO changes (document_id, key, version, at, actor, kind, doc)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    tx.execute(
        &stmt,
        &[
            &document_id,
            &row.key,
            &row.version,
            &row.at,
            &row.actor,
            &row.kind,
            &row.doc,
        ],
    )
    .await?;
    Ok(())
}

/// Inserts a share link of the document now at `document_id`, with its hash and times.
pub(crate) async fn copy_share_link(
    tx: &Transaction<'_>,
    document_id: i64,
    row: &LinkRow,
) -> Result<(), StoreError> {
    let stmt = tx
        .prepare_cached(
            "INSERT INTO share_links (id, document_id, token_sha256, created_at, expires_at,
                                      last_used_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    tx.execute(
        &stmt,
        &[
            &row.id,
            &document_id,
            &row.token_sha256,
            &row.created_at,
            &row.expires_at,
            &row.last_used_at,
            &row.revoked_at,
        ],
    )
    .await?;
    Ok(())
}
