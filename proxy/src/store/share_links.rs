//! Share links: unguessable tokens that let a customer's IT admin read one record's status.
//!
//! A token is 32 bytes (256 bits) from the operating system, handed out once as 64 hex digits.
//! Only its SHA-256 is stored, so a copy of the database does not contain working links. A link
//! also has a separate random id, which is what the partner sees in lists and uses to revoke it.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::records::{Kind, check_key, document_id};
use super::timestamp::canonical_utc;
use super::{Store, StoreError};

/// Random bytes in a token.
pub(super) const TOKEN_BYTES: usize = 32;
/// Random bytes in a link id (not secret, but not guessable either).
const LINK_ID_BYTES: usize = 16;

/// A share link as the partner sees it. Never holds the token or its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareLink {
    /// Identifies the link for listing and revoking.
    pub id: String,
    /// The record it shows (its current key).
    pub key: String,
    /// When it was made, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub created_at: String,
    /// From this instant on it no longer works; `None`: never expires.
    pub expires_at: Option<String>,
    /// When it last opened the status page.
    pub last_used_at: Option<String>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

impl Store {
    /// Makes a new share link for the record `key`, optionally expiring at `expires_at`. Returns the
    /// link and its token; the token cannot be recovered later, so show it to the user now.
    pub fn create_share_link(
        &self,
        key: &str,
        expires_at: Option<&str>,
        now: &str,
    ) -> Result<(ShareLink, String), StoreError> {
        check_key(key)?;
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
        let mut token = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut token)?;
        let mut id = [0u8; LINK_ID_BYTES];
        getrandom::fill(&mut id)?;
        let id = hex::encode(id);
        let hash = Sha256::digest(token);
        let link = self.write(|tx| {
            let (document, stored_key) = record_of(tx, key)?;
            tx.prepare_cached(
                "INSERT INTO share_links (id, document_id, token_sha256, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, document, hash.as_slice(), now, expires_at])?;
            Ok(ShareLink {
                id: id.clone(),
                key: stored_key,
                created_at: now.clone(),
                expires_at: expires_at.clone(),
                last_used_at: None,
                revoked_at: None,
            })
        })?;
        Ok((link, hex::encode(token)))
    }

    /// The record's share links, oldest first, revoked and expired ones included.
    pub fn list_share_links(&self, key: &str) -> Result<Vec<ShareLink>, StoreError> {
        check_key(key)?;
        self.read(|tx| {
            let (document, stored_key) = record_of(tx, key)?;
            let mut stmt = tx.prepare_cached(
                "SELECT id, created_at, expires_at, last_used_at, revoked_at FROM share_links
                 WHERE document_id = ?1 ORDER BY created_at, rowid",
            )?;
            let rows = stmt.query_map([document], |r| {
                Ok(ShareLink {
                    id: r.get(0)?,
                    key: stored_key.clone(),
                    created_at: r.get(1)?,
                    expires_at: r.get(2)?,
                    last_used_at: r.get(3)?,
                    revoked_at: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// Revokes the link `link_id` of the record `key` for good. Returns `false` if that record has
    /// no such link; revoking twice keeps the first revocation time and returns `true`.
    pub fn revoke_share_link(
        &self,
        key: &str,
        link_id: &str,
        now: &str,
    ) -> Result<bool, StoreError> {
        check_key(key)?;
        let now = canonical_utc("now", now)?;
        self.write(|tx| {
            let Some(document) = document_id(tx, Kind::Record, key)? else {
                return Ok(false);
            };
            let found = tx
                .prepare_cached(
                    "UPDATE share_links SET revoked_at = coalesce(revoked_at, ?3)
                     WHERE id = ?1 AND document_id = ?2",
                )?
                .execute(params![link_id, document, now])?;
            Ok(found > 0)
        })
    }

    /// The key of the record a token opens, or `None` for any token that does not work now:
    /// malformed, truncated, unknown, revoked or expired alike. Records the use.
    ///
    /// The lookup is by the token's SHA-256, so its timing says nothing about how much of a
    /// guessed token was right.
    pub fn resolve_share_token(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self.resolve_share_link(token, now)?.map(|(_, key)| key))
    }

    /// Like [`Store::resolve_share_token`], also giving the link's id (which, unlike the token,
    /// may appear in what the customer sees, e.g. as part of a feed's ids): `(link id, key)`.
    pub fn resolve_share_link(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let now = canonical_utc("now", now)?;
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        // Most views need no write: only touch last_used_at when it would change.
        let seen = self.read(|tx| valid_link(tx, &hash, &now))?;
        match seen {
            None => Ok(None),
            Some((id, key, last_used)) if last_used.as_deref() == Some(now.as_str()) => {
                Ok(Some((id, key)))
            }
            Some(_) => self.write(|tx| {
                // Checked again under the write lock: the link may have been revoked meanwhile.
                let Some((id, key, _)) = valid_link(tx, &hash, &now)? else {
                    return Ok(None);
                };
                tx.prepare_cached(
                    "UPDATE share_links SET last_used_at = ?2
                     WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?2)",
                )?
                .execute(params![id, now])?;
                Ok(Some((id, key)))
            }),
        }
    }
}

/// SHA-256 of a well-formed token's bytes; `None` for anything that is not 64 hex digits.
fn token_hash(token: &str) -> Option<[u8; 32]> {
    if token.len() != TOKEN_BYTES * 2 {
        return None;
    }
    let bytes = hex::decode(token).ok()?;
    Some(Sha256::digest(bytes).into())
}

/// The link's id, the record's key and the last use, if the link works at `now`.
fn valid_link(
    tx: &Transaction<'_>,
    hash: &[u8; 32],
    now: &str,
) -> Result<Option<(String, String, Option<String>)>, StoreError> {
    Ok(tx
        .prepare_cached(
            "SELECT s.id, d.key, s.last_used_at FROM share_links s
             JOIN documents d ON d.id = s.document_id
             WHERE s.token_sha256 = ?1 AND d.kind = 'record' AND s.revoked_at IS NULL
               AND (s.expires_at IS NULL OR s.expires_at > ?2)",
        )?
        .query_row(params![hash.as_slice(), now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

fn record_of(tx: &Transaction<'_>, key: &str) -> Result<(i64, String), StoreError> {
    tx.prepare_cached("SELECT id, key FROM documents WHERE kind = 'record' AND key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            key: key.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{T0, temp_store};
    use super::*;
    use serde_json::json;

    const LATER: &str = "2025-04-02T09:00:00Z";

    fn store_with_customers() -> (tempfile::TempDir, Store) {
        let (dir, store) = temp_store();
        for key in ["contoso.com", "fabrikam.com"] {
            store
                .put_record(key, None, &json!({"name": key}), "ann", T0)
                .unwrap();
        }
        (dir, store)
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_token_has_256_random_bits_and_opens_only_its_record() {
        let (_dir, store) = store_with_customers();
        let (link, token) = store.create_share_link("contoso.com", None, T0).unwrap();
        let (_, other) = store.create_share_link("fabrikam.com", None, T0).unwrap();
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(token, other);
        assert_ne!(link.id, token);
        assert_eq!(
            store.resolve_share_token(&token, LATER).unwrap().as_deref(),
            Some("contoso.com")
        );
        assert_eq!(
            store.resolve_share_token(&other, LATER).unwrap().as_deref(),
            Some("fabrikam.com")
        );
    }

    #[test]
    fn only_the_tokens_hash_reaches_the_database_file() {
        let (dir, store) = store_with_customers();
        let (_, token) = store.create_share_link("contoso.com", None, T0).unwrap();
        let raw = hex::decode(&token).unwrap();
        let mut files = 0;
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            files += 1;
            assert!(!contains(&bytes, token.as_bytes()));
            assert!(!contains(&bytes, token.to_uppercase().as_bytes()));
            assert!(!contains(&bytes, &raw));
        }
        assert!(
            files >= 2,
            "the database and its write-ahead log were checked"
        );
        let hash = Sha256::digest(&raw);
        let conn = super::super::lock(&store.writer);
        let stored: Vec<u8> = conn
            .query_row("SELECT token_sha256 FROM share_links", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, hash.as_slice());
    }

    #[test]
    fn listing_shows_links_without_tokens_and_records_last_use() {
        let (_dir, store) = store_with_customers();
        let (made, token) = store
            .create_share_link("contoso.com", Some("2025-05-01T00:00:00Z"), T0)
            .unwrap();
        store.create_share_link("fabrikam.com", None, T0).unwrap();
        let links = store.list_share_links("contoso.com").unwrap();
        assert_eq!(links, vec![made.clone()]);
        assert_eq!(links[0].last_used_at, None);
        let listed = serde_json::to_string(&links).unwrap();
        assert!(!listed.contains(&token));

        store.resolve_share_token(&token, LATER).unwrap().unwrap();
        let used = &store.list_share_links("contoso.com").unwrap()[0];
        assert_eq!(used.last_used_at.as_deref(), Some(LATER));
        // Using it again in the same second writes nothing new; later uses move it on.
        store.resolve_share_token(&token, LATER).unwrap().unwrap();
        store
            .resolve_share_token(&token, "2025-04-03T00:00:00.5Z")
            .unwrap()
            .unwrap();
        let used = &store.list_share_links("contoso.com").unwrap()[0];
        assert_eq!(used.last_used_at.as_deref(), Some("2025-04-03T00:00:00Z"));
    }

    #[test]
    fn revoked_links_stop_working_like_unknown_ones() {
        let (_dir, store) = store_with_customers();
        let (link, token) = store.create_share_link("contoso.com", None, T0).unwrap();
        // Another customer's key cannot revoke it.
        assert!(
            !store
                .revoke_share_link("fabrikam.com", &link.id, LATER)
                .unwrap()
        );
        assert!(store.resolve_share_token(&token, LATER).unwrap().is_some());

        assert!(
            store
                .revoke_share_link("contoso.com", &link.id, LATER)
                .unwrap()
        );
        assert_eq!(store.resolve_share_token(&token, LATER).unwrap(), None);
        // Revoking again keeps the first time.
        assert!(
            store
                .revoke_share_link("contoso.com", &link.id, "2025-06-01T00:00:00Z")
                .unwrap()
        );
        let listed = &store.list_share_links("contoso.com").unwrap()[0];
        assert_eq!(listed.revoked_at.as_deref(), Some(LATER));
        assert!(
            !store
                .revoke_share_link("contoso.com", "no-such-link", LATER)
                .unwrap()
        );
        assert!(
            !store
                .revoke_share_link("nobody.example", &link.id, LATER)
                .unwrap()
        );
    }

    #[test]
    fn links_expire_at_their_expiry_instant() {
        let (_dir, store) = store_with_customers();
        let expiry = "2025-04-10T00:00:00Z";
        let (_, token) = store
            .create_share_link("contoso.com", Some(expiry), T0)
            .unwrap();
        assert!(
            store
                .resolve_share_token(&token, "2025-04-09T23:59:59Z")
                .unwrap()
                .is_some()
        );
        assert_eq!(store.resolve_share_token(&token, expiry).unwrap(), None);
        assert_eq!(
            store
                .resolve_share_token(&token, "2026-01-01T00:00:00Z")
                .unwrap(),
            None
        );
    }

    #[test]
    fn an_expiry_in_the_past_or_malformed_is_refused() {
        let (_dir, store) = store_with_customers();
        let err = store
            .create_share_link("contoso.com", Some(T0), T0)
            .unwrap_err();
        assert!(err.to_string().contains("not in the future"), "{err}");
        let err = store
            .create_share_link("contoso.com", Some("next week"), T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidTime { .. }), "{err}");
        assert!(store.list_share_links("contoso.com").unwrap().is_empty());
    }

    #[test]
    fn malformed_truncated_and_guessed_tokens_resolve_to_nothing() {
        let (_dir, store) = store_with_customers();
        let (_, token) = store.create_share_link("contoso.com", None, T0).unwrap();
        let mut flipped = token.clone().into_bytes();
        flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        let huge = "a".repeat(1_000_000);
        let with_slash = format!("{}/", &token[..63]);
        let non_ascii = format!("{}é", &token[..62]);
        for bad in [
            "",
            &token[..63],
            &token[..32],
            &format!("{token}0"),
            &flipped,
            &"0".repeat(64),
            &"g".repeat(64),
            &with_slash,
            &non_ascii,
            &huge,
            "../../etc/passwd",
        ] {
            assert_eq!(store.resolve_share_token(bad, LATER).unwrap(), None);
        }
    }

    #[test]
    fn links_follow_a_record_when_it_is_rekeyed() {
        let (_dir, store) = store_with_customers();
        let (_, token) = store.create_share_link("contoso.com", None, T0).unwrap();
        store
            .rekey_record(
                "contoso.com",
                "4b1c7f4e-0000-4000-8000-000000000001",
                1,
                &json!({}),
                "ann",
                LATER,
            )
            .unwrap();
        assert_eq!(
            store.resolve_share_token(&token, LATER).unwrap().as_deref(),
            Some("4b1c7f4e-0000-4000-8000-000000000001")
        );
    }

    #[test]
    fn a_link_for_an_unknown_record_is_refused() {
        let (_dir, store) = store_with_customers();
        let err = store
            .create_share_link("nobody.example", None, T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
        let err = store.list_share_links("nobody.example").unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    }
}
