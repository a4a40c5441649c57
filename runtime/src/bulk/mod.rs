//! Bulk work: JSON `$batch` (`batch`), for many endpoints in few requests.
//!
//! May use: client, call, pacing, request, protocol, headers, error.

pub mod batch;
