//! Sending a batch: items prepared as single calls would be, grouped by API version, chunked
//! and sent as chunks (see `chunk`), four side by side, or one after another in order. Every
//! item gets its own outcome, whatever happens to the others.

use super::chunk::{Chunk, ChunkDone, chunk_size, send_chunk};
use super::item::Prepared;
use super::outcome::Outcome;
use crate::client::Client;
use crate::error::Error;
use crate::protocol::ApiVersion;
use futures_util::StreamExt;

/// `$batch` requests in flight at once for a batch that is not in order.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Sends every prepared item; outcomes in input order, one per item.
pub(super) async fn run(client: &Client, prepared: Vec<Result<Prepared, Error>>, in_order: bool) -> Vec<Outcome> {
    let mut outcomes: Vec<Option<Outcome>> = (0..prepared.len()).map(|_| None).collect();
    let mut cost = Cost::default();
    if in_order {
        run_in_order(client, prepared, &mut outcomes, &mut cost).await;
    } else {
        run_side_by_side(client, prepared, &mut outcomes, &mut cost).await;
    }
    tracing::debug!(items = outcomes.len(), requests = cost.requests, throttled = cost.throttled, "$batch done");
    outcomes
        .into_iter()
        .map(|outcome| outcome.unwrap_or_else(|| Outcome::failed(Error::invalid_request("the batch lost this item"))))
        .collect()
}

/// What a batch cost, for its log line.
#[derive(Default)]
struct Cost {
    requests: u32,
    throttled: u32,
}

impl Cost {
    fn add(&mut self, done: &ChunkDone) {
        self.requests += done.requests;
        self.throttled += done.throttled;
    }
}

/// Every version's items in chunks, up to [`CHUNKS_IN_FLIGHT`] at once; a chunk that fails
/// stops no other.
async fn run_side_by_side(client: &Client, prepared: Vec<Result<Prepared, Error>>, outcomes: &mut [Option<Outcome>], cost: &mut Cost) {
    let mut ready: Vec<(usize, Prepared)> = Vec::new();
    for (index, item) in prepared.into_iter().enumerate() {
        match item {
            Ok(item) => ready.push((index, item)),
            // Refused before sending, as a single call would be; the others still go.
            Err(error) => outcomes[index] = Some(Outcome::failed(error)),
        }
    }
    let chunks = by_version(ready, chunk_size(client));
    let mut sent = futures_util::stream::iter(chunks)
        .map(|(version, items)| send_chunk(client, Chunk { version, items, in_order: false }, &|_| {}))
        .buffer_unordered(CHUNKS_IN_FLIGHT);
    while let Some(done) = sent.next().await {
        cost.add(&done);
        for (index, outcome) in done.outcomes {
            outcomes[index] = Some(outcome);
        }
    }
}

/// Chunks of consecutive items of one version, one after another, each chained with
/// `dependsOn`; once an item has failed (refused before sending included), no later item is
/// sent: each is `NotSent`, naming it.
async fn run_in_order(client: &Client, prepared: Vec<Result<Prepared, Error>>, outcomes: &mut [Option<Outcome>], cost: &mut Cost) {
    let size = chunk_size(client);
    let mut items = prepared.into_iter().enumerate().peekable();
    let mut failed: Option<usize> = None;
    while let Some((index, item)) = items.next() {
        if let Some(failed) = failed {
            outcomes[index] = Some(Outcome::not_sent_after(failed));
            continue;
        }
        let first = match item {
            Ok(first) => first,
            Err(error) => {
                outcomes[index] = Some(Outcome::failed(error));
                failed = Some(index);
                continue;
            }
        };
        let version = first.version();
        let mut chunk = vec![(index, first)];
        while chunk.len() < size
            && let Some((_, Ok(next))) = items.peek()
            && next.version() == version
            && let Some((index, Ok(next))) = items.next()
        {
            chunk.push((index, next));
        }
        let done = send_chunk(client, Chunk { version, items: chunk, in_order: true }, &|_| {}).await;
        cost.add(&done);
        for (index, outcome) in done.outcomes {
            if failed.is_none() && outcome.error().is_some() {
                failed = Some(index);
            }
            outcomes[index] = Some(outcome);
        }
    }
}

/// Chunks of at most `size` items of one API version: every item of a version together,
/// versions in order of first appearance.
fn by_version(items: Vec<(usize, Prepared)>, size: usize) -> Vec<(ApiVersion, Vec<(usize, Prepared)>)> {
    let mut groups: Vec<(ApiVersion, Vec<(usize, Prepared)>)> = Vec::new();
    for item in items {
        let version = item.1.version();
        match groups.iter().position(|(v, _)| *v == version) {
            Some(at) => groups[at].1.push(item),
            None => groups.push((version, vec![item])),
        }
    }
    let mut chunks = Vec::new();
    for (version, mut items) in groups {
        while !items.is_empty() {
            let rest = items.split_off(items.len().min(size));
            chunks.push((version, std::mem::replace(&mut items, rest)));
        }
    }
    chunks
}
