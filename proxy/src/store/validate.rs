//! Checks every argument gets before it reaches a database, whichever backend holds the data.
//!
//! Both backends receive only what passed these checks, so they refuse the same input with the
//! same sentence.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::StoreError;
use super::error::shorten;

/// The longest key accepted, in characters (an e-mail-length domain or a Partner Center id fits).
pub const MAX_KEY_CHARS: usize = 320;
/// The longest actor name accepted, in characters.
pub const MAX_ACTOR_CHARS: usize = 200;
/// The largest document accepted, in bytes of compact JSON.
pub const MAX_DOC_BYTES: usize = 1024 * 1024;
/// Deeper documents could be written but not read back (serde_json stops parsing at 128 levels).
const MAX_DOC_DEPTH: usize = 100;

/// A document checked and encoded once, ready for either backend.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// Compact JSON, as stored.
    pub json: String,
    /// The same document, handed back in answers.
    pub value: Value,
}

/// Refuses keys that cannot be a customer id or a domain, before they reach the database.
pub(crate) fn check_key(key: &str) -> Result<(), StoreError> {
    let problem = if key.is_empty() {
        "The key is empty. Use the customer's Partner Center id, or its primary domain before it has one.".to_owned()
    } else if key.chars().count() > MAX_KEY_CHARS {
        format!(
            "The key is {} characters long; keys are at most {MAX_KEY_CHARS} characters. Use the customer's Partner Center id or primary domain.",
            key.chars().count()
        )
    } else if key.chars().any(char::is_control) {
        format!(
            "The key \"{}\" contains a control character (such as a line break). Use the customer's Partner Center id or primary domain.",
            shorten(&key.replace(char::is_control, " "))
        )
    } else if key.trim() != key {
        format!(
            "The key \"{}\" starts or ends with a space. Remove the spaces and try again.",
            shorten(key)
        )
    } else {
        return Ok(());
    };
    Err(StoreError::InvalidInput(problem))
}

/// Keys are compared without regard to ASCII case ("Contoso.com" and "contoso.com" are one
/// customer), exactly like SQLite's `NOCASE`; this is the form PostgreSQL indexes.
pub(crate) fn folded_key(key: &str) -> String {
    key.to_ascii_lowercase()
}

pub(crate) fn check_actor(actor: &str) -> Result<&str, StoreError> {
    let actor = actor.trim();
    if actor.is_empty()
        || actor.chars().count() > MAX_ACTOR_CHARS
        || actor.chars().any(char::is_control)
    {
        return Err(StoreError::InvalidInput(format!(
            "The name recorded for this change must be 1 to {MAX_ACTOR_CHARS} characters without line breaks. Sign in again or fix the name."
        )));
    }
    Ok(actor)
}

pub(crate) fn encode_doc(doc: &Value) -> Result<Doc, StoreError> {
    if depth_exceeds(doc, MAX_DOC_DEPTH) {
        return Err(StoreError::InvalidInput(format!(
            "The document is nested more than {MAX_DOC_DEPTH} levels deep. Flatten it and try again."
        )));
    }
    let text = serde_json::to_string(doc).map_err(|e| {
        StoreError::InvalidInput(format!(
            "The document could not be written as JSON ({e}). Check its contents and try again."
        ))
    })?;
    if text.len() > MAX_DOC_BYTES {
        return Err(StoreError::TooLarge {
            bytes: text.len(),
            limit: MAX_DOC_BYTES,
        });
    }
    Ok(Doc {
        json: text,
        value: doc.clone(),
    })
}

/// Without recursion, so a hostile document cannot overflow the stack here.
fn depth_exceeds(doc: &Value, max: usize) -> bool {
    let mut stack = vec![(doc, 1usize)];
    while let Some((value, depth)) = stack.pop() {
        if depth > max {
            return true;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    false
}

pub(crate) fn decode_doc(key: &str, text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        detail: format!(
            "the stored document of \"{}\" is not valid JSON: {e}",
            shorten(key)
        ),
    })
}

/// A stored document read straight into `T`: [`StoreError::Corrupt`] when the text is not JSON
/// at all, [`StoreError::Unreadable`] when it is JSON but not a `T` (written by another version of
/// Cutover, or edited by hand).
pub(crate) fn decode_doc_as<T: DeserializeOwned>(key: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| {
        if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
            return decode_doc(key, text).err().unwrap_or(StoreError::Corrupt {
                detail: e.to_string(),
            });
        }
        StoreError::Unreadable {
            key: key.to_owned(),
            detail: e.to_string(),
        }
    })
}

pub(crate) fn to_version(key: &str, version: i64) -> Result<u64, StoreError> {
    u64::try_from(version).map_err(|_| StoreError::Corrupt {
        detail: format!("the version of \"{}\" is negative", shorten(key)),
    })
}

/// A version as both databases store it (a signed 64-bit integer).
pub(crate) fn db_version(key: &str, version: u64) -> Result<i64, StoreError> {
    i64::try_from(version).map_err(|_| StoreError::Corrupt {
        detail: format!("the version of \"{}\" is out of range", shorten(key)),
    })
}

pub(crate) fn next_version(key: &str, version: u64) -> Result<u64, StoreError> {
    version
        .checked_add(1)
        .filter(|v| i64::try_from(*v).is_ok())
        .ok_or_else(|| StoreError::Corrupt {
            detail: format!(
                "the version of \"{}\" cannot grow any further",
                shorten(key)
            ),
        })
}
