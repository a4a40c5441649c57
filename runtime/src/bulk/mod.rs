//! Bulk work: JSON `$batch` (`batch`), for many endpoints in few requests; bulk jobs (`job`:
//! lazy input, results as they come, progress, a report) and their record in SQLite
//! (`journal`, feature `journal`). `job` sends its chunks through `batch`.
//!
//! May use: client, call, pacing, request, protocol, headers, error.

pub mod batch;
pub mod job;
#[cfg(feature = "journal")]
pub(crate) mod journal;
