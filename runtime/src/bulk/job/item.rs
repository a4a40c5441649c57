//! What a job's stream yields: one item, as it finished.

use crate::error::Error;
use crate::request::endpoint::Endpoint;
use std::fmt;

/// One item of a [`Job`](super::Job), as it finished.
pub struct JobItem<E: Endpoint> {
    /// The item's position in the job's input, from 0.
    pub index: usize,
    /// The item's key, when the job has one ([`Job::key`](super::Job::key)).
    pub key: Option<String>,
    /// What came of it: the response, or the item's own error (an error of
    /// [`ErrorKind::Unverified`](crate::ErrorKind::Unverified) for a write an earlier run sent
    /// without learning its outcome, never sent again).
    pub result: Result<E::Response, Error>,
}

impl<E: Endpoint> fmt::Debug for JobItem<E>
where
    E::Response: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobItem").field("index", &self.index).field("key", &self.key).field("result", &self.result).finish()
    }
}
