//! Random identifiers: request/correlation GUIDs and jitter.

/// A random version-4 GUID, as Partner Center expects in `MS-RequestId` / `MS-CorrelationId`.
pub fn guid() -> String {
    let mut b = [0u8; 16];
    fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// True for a GUID in the 8-4-4-4-12 hex form.
pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A random number in `0..bound` (for backoff jitter; not for secrets).
pub fn below(bound: u64) -> u64 {
    let mut b = [0u8; 8];
    fill(&mut b);
    if bound == 0 {
        0
    } else {
        u64::from_le_bytes(b) % bound
    }
}

fn fill(buf: &mut [u8]) {
    // The OS generator only fails on broken platforms; a zeroed buffer still yields a valid id.
    let _ = getrandom::fill(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_well_formed_and_distinct() {
        let a = guid();
        assert!(is_guid(&a), "{a}");
        assert_ne!(a, guid());
        assert!(!is_guid("not-a-guid"));
        assert!(!is_guid("b44bb1fb-c595-45b0-9e09-d657365580bg"));
    }
}
