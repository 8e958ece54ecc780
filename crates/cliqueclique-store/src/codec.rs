//! How Rust values map onto SQLite columns where the mapping is not obvious.
//!
//! Ids are 32-byte blobs.
//! Times we choose (`created_at`) are signed integers, saturating at `i64::MAX`.
//! A card's `issued_at` is claimed by a remote peer and may be any `u64`, which SQLite's signed
//! integers cannot hold, so it is stored as an 8-byte big-endian blob: blobs of equal length
//! compare byte by byte, which for big-endian numbers is numeric order.

/// An id column's bytes as an array, if the length is right.
pub(crate) fn id_bytes(blob: &[u8]) -> Option<[u8; 32]> {
    blob.try_into().ok()
}

/// The column value of a card's `issued_at`, ordered like the number.
pub(crate) fn issued_at_key(issued_at: u64) -> [u8; 8] {
    issued_at.to_be_bytes()
}

/// A time we chose, as a SQLite integer.
pub(crate) fn time_to_sql(unix_seconds: u64) -> i64 {
    i64::try_from(unix_seconds).unwrap_or(i64::MAX)
}

/// A time column back as unsigned seconds (negative values, which we never write, become zero).
pub(crate) fn time_from_sql(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}
