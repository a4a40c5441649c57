//! Bulk work: many endpoints of one kind.
//!
//! What it holds: `job`, a bulk job (lazy input, results as they come, progress, report);
//! `journal`, a bulk job's record in SQLite (feature `journal`).
//!
//! May use: client, call (its tally), request, protocol, headers, error.

pub mod job;
#[cfg(feature = "journal")]
pub(crate) mod journal;
