//! The call path: a prepared request through pacing, its token, the wire, its redirects and
//! the retry policy, to its final answer or error.
//!
//! - `exchange`: the loop of attempts (pace, authorize, send, follow redirects, judge, wait,
//!   send again) inside one tracing span, and the final answer or error.
//! - `outcome`: the outcome table every attempt and every `$batch` item is judged by.
//! - `retry`: the [`RetryPolicy`]: how long to wait, when to give up.
//! - `redirects`: which redirects are followed, and what goes with them.
//! - `transport`: one request on the wire; failures classified by type.
//! - `read`: an answer's body, read in chunks up to a bound (the token requests use it too).
//! - `origin`: which URLs may receive a token or a request body.
//! - `tally`: counting the requests (and throttled answers) of one piece of work.
//!
//! May use: pacing, headers, deadline, error. Not the client, the request side or auth: the
//! token comes through [`Authorize`], which the client implements, so that the credentials
//! may use `origin` without a cycle.

mod exchange;
pub(crate) mod origin;
pub(crate) mod outcome;
pub(crate) mod read;
mod redirects;
mod retry;
pub(crate) mod tally;
mod tls;
mod transport;

pub(crate) use exchange::{Call, Exchange};
pub use retry::RetryPolicy;
#[cfg(test)]
pub(crate) use transport::copy;

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

/// A builder for the crate's own HTTP clients (Graph's and the token endpoints'): no redirect
/// followed (the call path follows them itself, knowing where the token and a body may go; a
/// token endpoint has no business redirecting), no `Referer`, and no decompression, whatever
/// features the application's own `reqwest` turns on. Cargo unifies features: an application
/// that enables `reqwest/gzip` (or `brotli`, `zstd`, `deflate`) for itself enables it for this
/// crate's `reqwest` too, which would then ask for compressed answers and inflate them, a
/// decompression bomb's worth included. Answers come as they were sent, and the bound on the
/// bytes read of one answer is a bound on what is held.
/// TLS is rustls with ring (see `tls`).
pub(crate) fn http_builder() -> Result<reqwest::ClientBuilder, Error> {
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls::client_config()?)
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .no_gzip()
        .no_brotli()
        .no_zstd()
        .no_deflate())
}

/// What a client sends through: its HTTP client, its retry policy, its pacer and the most
/// bytes it reads of one answer.
#[derive(Debug)]
pub(crate) struct Caller {
    http: reqwest::Client,
    retry: RetryPolicy,
    pacer: Pacer,
    max_response_bytes: u64,
}

impl Caller {
    pub(crate) fn new(http: reqwest::Client, retry: RetryPolicy, pacer: Pacer, max_response_bytes: u64) -> Caller {
        Caller { http, retry, pacer, max_response_bytes }
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn pacer(&self) -> &Pacer {
        &self.pacer
    }
}
