//! JSON `$batch`: many endpoints in few requests, with typed results in input order.
//!
//! ```no_run
//! # use graph_endpoint::{Client, Endpoint, Error};
//! # async fn run<E: Endpoint + Send + Sync, G: Endpoint + Send + Sync, L: Endpoint + Send + Sync>(client: Client, updates: Vec<E>, get_user: G, list_devices: L) -> Result<(), Error>
//! # where E::Response: Send, G::Response: Send, L::Response: Send {
//! // Many of one endpoint type: chunked into $batch requests of at most 20, results in input order.
//! let results: Vec<Result<E::Response, Error>> = client.batch(updates).await?;
//! // Up to 20 different endpoint types: typed results, one per item.
//! let (user, devices) = client.batch((&get_user, &list_devices)).await?;
//! # let _ = (results, user, devices);
//! # Ok(()) }
//! ```
//!
//! - Each item is sent as `{"id", "method", "url", "headers", "body"}`, its `url` relative to
//!   the version root; items of different API versions go in separate `$batch` requests;
//!   JSON bodies are inlined, byte bodies sent as base64 with their content type.
//! - [`in_order`](Batch::in_order) chains the items with `dependsOn`, so that Graph runs them
//!   one after another (and sends the chunks one after another).
//! - Items answered `429` or `503` (and `504`, except a non-idempotent `POST`) are resent in a
//!   follow-up `$batch` after the largest `Retry-After` among them, within the client's
//!   [`RetryPolicy`](crate::RetryPolicy) caps; items that succeeded are never resent, and an
//!   item whose own `Retry-After` exceeds the caps fails alone. A throttled item holds back
//!   the client's other requests of its kind until its `Retry-After`, as a single call's `429`
//!   does.
//! - The outer `Result` fails only when a `$batch` request itself fails after its retries;
//!   chunks after it are not sent then, and the error says how many items went before it.
//!   Each item's own `Result` carries its status, code, message and ids as a single call's.
//! - Under a [`RateLimit`](crate::RateLimit), each item counts as one request, and a chunk
//!   holds no more items than the limit allows at once.

// What it holds: `items`, what `Client::batch` takes (a sealed trait); `item`, one item
// prepared and what it came to; `engine`, chunking, sending and the follow-up rounds; `wire`,
// the JSON of `$batch`.
//
// May use: client, call (the exchange, the outcome table), pacing (its chunk size, its items'
// reports), request (preparing and decoding items), protocol, headers, error.

mod engine;
mod item;
mod items;
mod wire;

pub use items::BatchItems;

use crate::client::Client;
use crate::error::Error;
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
    /// Chains the items with `dependsOn`: Graph runs each after the one before has succeeded
    /// (an item after a failed one is answered `424 Failed Dependency`), and the `$batch`
    /// requests are sent one after another.
    pub fn in_order(mut self) -> Self {
        self.in_order = true;
        self
    }

    /// Sends the items; the same as `.await`.
    pub async fn send(self) -> Result<I::Output, Error> {
        let prepared = self.items.prepare(self.client);
        let outcomes = engine::run(self.client, prepared, self.in_order).await?;
        Ok(I::finish(outcomes))
    }
}

impl<'a, I> IntoFuture for Batch<'a, I>
where
    I: BatchItems + Send + 'a,
    I::Output: Send,
{
    type Output = Result<I::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Sends many endpoints in JSON `$batch` requests of at most 20: a `Vec<E>` or `&[E]`
    /// (results in input order), or a tuple of up to 20 endpoints of any types (typed
    /// results). See [`crate::batch`].
    pub fn batch<I: BatchItems>(&self, items: I) -> Batch<'_, I> {
        Batch { client: self, items, in_order: false }
    }
}
