//! Bulk work: many endpoints of one kind.
//!
//! What it holds: `journal`, a bulk job's record in SQLite (feature `journal`).
//!
//! May use: error.

#[cfg(feature = "journal")]
#[allow(dead_code)] // until the job drives it
pub(crate) mod journal;
