//! JSON `$batch`: many endpoints in few requests, with typed results in input order.
//!
//! ```no_run
//! # use graph_endpoint::{Client, Endpoint, Error};
//! # async fn run<E: Endpoint + Send + Sync, G: Endpoint + Send + Sync, L: Endpoint + Send + Sync>(client: Client, updates: Vec<E>, get_user: G, list_devices: L)
//! # where E::Response: Send, G::Response: Send, L::Response: Send {
//! // Many of one endpoint type: chunked into $batch requests of at most 20, results in input order.
//! let results: Vec<Result<E::Response, Error>> = client.batch(updates).await;
//! // Up to 20 different endpoint types: typed results, one per item.
//! let (user, devices) = client.batch((&get_user, &list_devices)).await;
//! # let _ = (results, user, devices);
//! # }
//! ```
//!
//! **Every item gets its own `Result`, always: there is no outer `Result`.**
//!
//! - Each item is sent as `{"id", "method", "url", "headers", "body"}`, its `url` relative to
//!   the version root; items of different API versions go in separate `$batch` requests;
//!   JSON bodies are inlined, byte bodies sent as base64; an item with a body always carries
//!   its `Content-Type` (Graph refuses a body without one).
//! - Items answered `429` or `503` (and `504`, except a non-idempotent `POST`) are resent in a
//!   follow-up `$batch` after the largest `Retry-After` among them, within the client's
//!   [`RetryPolicy`](crate::RetryPolicy) caps (the follow-ups of one `$batch` end within its
//!   `max_total`); items that succeeded are never resent, and an item whose own `Retry-After`
//!   exceeds the caps (a huge or infinite value included) fails alone. A throttled item holds
//!   back the client's other requests of its kind until its `Retry-After`, as a single call's
//!   `429` does.
//! - A `$batch` request that fails after its retries (a `5xx`, a broken connection, an answer
//!   that is not `$batch` JSON or is over `max_response_bytes`, no token) fails its own items
//!   only, each with that request's error, status and ids; the items answered before it keep
//!   their answers and the other requests go on. Such an item's
//!   [`may_have_been_applied`](crate::Error::may_have_been_applied) is true only for a write in
//!   a request that may have reached Graph: never for a `GET`, nor when nothing left.
//! - An item the answer has no response for is an error of its own that says so
//!   ([`ErrorKind::Decode`](crate::ErrorKind::Decode), no status; a write may have been
//!   applied).
//! - [`in_order`](Batch::in_order) chains the items with `dependsOn`, so that Graph runs them
//!   one after another, and sends the requests one after another: once an item has failed, no
//!   later item is sent. In its own request, Graph answers the items after it `424`; the items
//!   of later requests are errors of [`ErrorKind::NotSent`](crate::ErrorKind::NotSent). Both
//!   name the item that failed.
//! - Under a [`RateLimit`](crate::RateLimit), each item counts as one request, and a chunk
//!   holds no more items than the limit allows at once.
//!
//! | what fails | what each item gets |
//! |---|---|
//! | an item's own answer (`4xx`, `5xx`) | that answer's error, as a single call's |
//! | an item throttled past the caps | its `429`/`503` answer, with why it was not resent |
//! | the `$batch` request (`5xx` after retries, reset, non-JSON `200`, over the size bound) | items of that request: its error, status and ids; applied: writes only |
//! | the request never left (no token, pacing refused, connect error) | items of that request: its error; applied: never |
//! | the answer lacks an item | that item: `Decode` error saying so; applied: if a write |
//! | an item failed, in order | later items of its request: Graph's `424`; of later requests: `NotSent` |

// What it holds: `items`, what `Client::batch` takes (a sealed trait); `item`, one item
// prepared; `outcome`, what an item came to; `chunk`, one `$batch` request and its follow-up
// rounds (the unit a job drives too); `engine`, chunking and running the chunks; `wire`, the
// JSON of `$batch`.
//
// May use: client, call (the exchange, the outcome table), pacing (its chunk size, its items'
// reports), request (preparing and decoding items), protocol, headers, error.

mod chunk;
mod engine;
mod item;
mod items;
mod outcome;
mod wire;

// For the job module, which prepares items, runs chunks and decodes outcomes itself.
pub use items::BatchItems;
#[allow(unused_imports)]
pub(crate) use {
    chunk::{Chunk, ChunkDone, MAX_ITEMS, chunk_size, send_chunk},
    item::Prepared,
    outcome::Outcome,
};

use crate::client::Client;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

/// A `$batch` call, from [`Client::batch`]: `.await` it, after [`in_order`](Self::in_order)
/// if the items must run one after another.
#[must_use = "a batch does nothing until it is awaited"]
pub struct Batch<'a, I> {
    client: &'a Client,
    items: I,
    in_order: bool,
}

impl<I> std::fmt::Debug for Batch<'_, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("in_order", &self.in_order).finish_non_exhaustive()
    }
}

impl<'a, I: BatchItems> Batch<'a, I> {
    /// Chains the items with `dependsOn`: Graph runs each after the one before has succeeded,
    /// and the `$batch` requests are sent one after another. Once an item has failed, no later
    /// item runs: those of its request are answered `424 Failed Dependency` by Graph, those
    /// of later requests are not sent ([`ErrorKind::NotSent`](crate::ErrorKind::NotSent)); each
    /// names the item that failed.
    pub fn in_order(mut self) -> Self {
        self.in_order = true;
        self
    }

    /// Sends the items; the same as `.await`. One result per item, in input order.
    pub async fn send(self) -> I::Output {
        let prepared = self.items.prepare(self.client);
        let outcomes = engine::run(self.client, prepared, self.in_order).await;
        I::finish(outcomes)
    }
}

impl<'a, I> IntoFuture for Batch<'a, I>
where
    I: BatchItems + Send + 'a,
    I::Output: Send,
{
    type Output = I::Output;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Sends many endpoints in JSON `$batch` requests of at most 20: a `Vec<E>` or `&[E]`
    /// (results in input order), or a tuple of up to 20 endpoints of any types (typed
    /// results). Every item gets its own `Result`; there is no outer one. See
    /// [`crate::batch`].
    pub fn batch<I: BatchItems>(&self, items: I) -> Batch<'_, I> {
        Batch { client: self, items, in_order: false }
    }
}
