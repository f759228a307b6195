//! Share links: unguessable tokens that let a customer's IT admin read one record's status.
//!
//! A token is 32 bytes (256 bits) from the operating system, handed out once as 64 hex digits.
//! Only its SHA-256 is stored, so a copy of the database does not contain working links. A link
//! also has a separate random id, which is what the partner sees in lists and uses to revoke it.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::StoreError;

/// Random bytes in a token.
pub(crate) const TOKEN_BYTES: usize = 32;
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

/// A link about to be stored: its id, the token's hash, and the token to show once.
pub(crate) struct NewLink {
    pub id: String,
    pub hash: [u8; 32],
    pub token: String,
}

impl NewLink {
    /// Fresh random id and token.
    pub fn generate() -> Result<NewLink, StoreError> {
        let mut token = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut token)?;
        let mut id = [0u8; LINK_ID_BYTES];
        getrandom::fill(&mut id)?;
        Ok(NewLink {
            id: hex::encode(id),
            hash: Sha256::digest(token).into(),
            token: hex::encode(token),
        })
    }
}

/// SHA-256 of a well-formed token's bytes; `None` for anything that is not 64 hex digits.
///
/// The lookup is by this hash, so its timing says nothing about how much of a guessed token
/// was right.
pub(crate) fn token_hash(token: &str) -> Option<[u8; 32]> {
    if token.len() != TOKEN_BYTES * 2 {
        return None;
    }
    let bytes = hex::decode(token).ok()?;
    Some(Sha256::digest(bytes).into())
}
