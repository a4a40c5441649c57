//! The call path: a prepared request through pacing, its token, the wire, its redirects and
//! the retry policy, to its final answer or error.
//!
//! - `exchange`: the loop of attempts (pace, authorize, send, follow redirects, judge, wait,
//!   send again) inside one tracing span, and the final answer or error.
//! - `outcome`: the outcome table every attempt and every `$batch` item is judged by.
//! - `retry`: the [`RetryPolicy`]: how long to wait, when to give up.
//! - `redirects`: which redirects are followed, and what goes with them.
//! - `transport`: one request on the wire; failures classified by type.
//! - `origin`: which URLs may receive a token or a request body.
//!
//! May use: pacing, headers, error. Not the client, the request side or auth: the token comes
//! through [`Authorize`], which the client implements, so that the credentials may use
//! `origin` without a cycle.

mod exchange;
pub(crate) mod origin;
pub(crate) mod outcome;
mod redirects;
mod retry;
mod transport;

pub(crate) use exchange::{Call, Exchange};
pub use retry::RetryPolicy;

use crate::error::Error;
use crate::pacing::Pacer;
use std::future::Future;

/// Where each attempt's `Authorization` comes from: the client's token source.
pub(crate) trait Authorize: Sync {
    /// The token an attempt carried, handed back after a `401`.
    type Token: Send + Sync;

    /// Sets `Authorization` on a request bound for the client's own origin; returns the token
    /// used when a provider gave it (and may replace it after a `401`).
    fn authorize(&self, request: &mut reqwest::Request) -> impl Future<Output = Result<Option<Self::Token>, Error>> + Send;

    /// After a `401` with `rejected`: tells the source so, and whether it now has a different
    /// token. Callers that saw the same `401` share one refresh.
    fn replaced(&self, rejected: &Self::Token) -> impl Future<Output = bool> + Send;
}

/// What a client sends through: its HTTP client, its retry policy and its pacer.
#[derive(Debug)]
pub(crate) struct Caller {
    http: reqwest::Client,
    retry: RetryPolicy,
    pacer: Pacer,
}

impl Caller {
    pub(crate) fn new(http: reqwest::Client, retry: RetryPolicy, pacer: Pacer) -> Caller {
        Caller { http, retry, pacer }
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn pacer(&self) -> &Pacer {
        &self.pacer
    }
}
