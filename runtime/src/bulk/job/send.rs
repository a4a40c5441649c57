//! Sending one chunk of a job: in one `$batch` request (with follow-up rounds for throttled
//! items), or as single calls; each item's result with what the report and the journal keep.

use crate::bulk::batch::{Chunk, Prepared, send_chunk};
use crate::call::tally;
use crate::client::Client;
use crate::error::Error;
use crate::headers::{self, CLIENT_REQUEST_ID};
use crate::protocol::ApiVersion;
use crate::request::endpoint::Endpoint;
use crate::request::response::Response;
use std::collections::HashMap;

/// One item of a chunk, ready to go.
pub(crate) struct Ready<E> {
    pub(crate) index: usize,
    pub(crate) key: Option<String>,
    pub(crate) endpoint: E,
}

/// What came of one item.
pub(crate) struct Sent<R> {
    pub(crate) index: usize,
    pub(crate) key: Option<String>,
    pub(crate) result: Result<R, Error>,
    /// The status of its answer, when known.
    pub(crate) status: Option<u16>,
    pub(crate) request_id: Option<String>,
    pub(crate) client_request_id: Option<String>,
}

impl<R> Sent<R> {
    pub(crate) fn new(index: usize, key: Option<String>, result: Result<R, Error>) -> Sent<R> {
        let (status, request_id, client_request_id) = match &result {
            Ok(_) => (None, None, None),
            Err(error) => (error.status(), error.request_id().map(str::to_owned), error.client_request_id().map(str::to_owned)),
        };
        Sent { index, key, result, status, request_id, client_request_id }
    }

    fn answered(index: usize, key: Option<String>, result: Result<Response<R>, Error>) -> Sent<R> {
        match result {
            Ok(response) => {
                let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let (status, request_id) = (Some(response.status()), headers::request_id(response.headers()).map(str::to_owned));
                let client_request_id = header(CLIENT_REQUEST_ID);
                Sent { index, key, result: Ok(response.into_inner()), status, request_id, client_request_id }
            }
            Err(error) => Sent::new(index, key, Err(error)),
        }
    }
}

/// Sends `items` (all of one API version when in `$batch`), every item with its result.
pub(crate) async fn chunk<E>(client: &Client, items: Vec<Ready<E>>, singles: bool, in_order: bool) -> Vec<Sent<E::Response>>
where
    E: Endpoint + Send + Sync,
    E::Response: Send,
{
    if singles {
        return one_by_one(client, items, in_order).await;
    }
    let mut sent = Vec::with_capacity(items.len());
    let mut keys: HashMap<usize, Option<String>> = HashMap::with_capacity(items.len());
    // One `$batch` request per API version (in order: per run of consecutive items of one
    // version, one after another).
    let mut requests: Vec<(ApiVersion, Vec<(usize, Prepared)>)> = Vec::new();
    let mut failed: Option<usize> = None;
    for Ready { index, key, endpoint } in items {
        if let Some(at) = failed {
            sent.push(Sent::new(index, key, Err(not_sent_after(at))));
            continue;
        }
        let prepared = match Prepared::of(client, &endpoint) {
            Ok(prepared) => prepared,
            Err(error) => {
                // Refused before sending, as a single call would be.
                sent.push(Sent::new(index, key, Err(error)));
                if in_order {
                    failed = Some(index);
                }
                continue;
            }
        };
        keys.insert(index, key);
        let version = prepared.version();
        let same = if in_order { requests.len().checked_sub(1) } else { requests.iter().position(|(v, _)| *v == version) };
        match same.filter(|&at| requests[at].0 == version) {
            Some(at) => requests[at].1.push((index, prepared)),
            None => requests.push((version, vec![(index, prepared)])),
        }
    }
    let mut stopped: Option<usize> = None;
    for (version, items) in requests {
        if let Some(at) = stopped {
            for (index, _) in items {
                sent.push(Sent::new(index, keys.remove(&index).flatten(), Err(not_sent_after(at))));
            }
            continue;
        }
        stopped = batch::<E>(client, Chunk { version, items, in_order }, &mut keys, &mut sent, in_order).await;
    }
    sent
}

/// One `$batch` request and its follow-ups; in order, the first item that failed.
async fn batch<E: Endpoint>(
    client: &Client,
    chunk: Chunk,
    keys: &mut HashMap<usize, Option<String>>,
    sent: &mut Vec<Sent<E::Response>>,
    in_order: bool,
) -> Option<usize> {
    let done = send_chunk(client, chunk, &|_| {}).await;
    tally::items_throttled(done.throttled);
    let mut failed = None;
    for (index, outcome) in done.outcomes {
        let key = keys.remove(&index).flatten();
        let ids = outcome
            .success_ids()
            .map(|(status, request_id, client_request_id)| (status, request_id.map(str::to_owned), client_request_id.to_owned()));
        let result = outcome.decode::<E>();
        if in_order && failed.is_none() && result.is_err() {
            failed = Some(index);
        }
        let mut item = Sent::new(index, key, result);
        if let Some((status, request_id, client_request_id)) = ids {
            item.status = Some(status);
            item.request_id = item.request_id.or(request_id);
            item.client_request_id = Some(client_request_id);
        }
        sent.push(item);
    }
    failed
}

/// Single calls: all at once (within the client's own limits), or one after another until
/// one fails.
async fn one_by_one<E>(client: &Client, items: Vec<Ready<E>>, in_order: bool) -> Vec<Sent<E::Response>>
where
    E: Endpoint + Send + Sync,
    E::Response: Send,
{
    if !in_order {
        let calls = items.into_iter().map(|Ready { index, key, endpoint }| async move {
            let result = client.execute(&endpoint).await;
            Sent::answered(index, key, result)
        });
        return futures_util::future::join_all(calls).await;
    }
    let mut sent = Vec::with_capacity(items.len());
    let mut failed: Option<usize> = None;
    for Ready { index, key, endpoint } in items {
        if let Some(at) = failed {
            sent.push(Sent::new(index, key, Err(not_sent_after(at))));
            continue;
        }
        let done = Sent::answered(index, key, client.execute(&endpoint).await);
        if done.result.is_err() {
            failed = Some(index);
        }
        sent.push(done);
    }
    sent
}

/// The error of an item not sent because the item at `index` failed before it.
pub(crate) fn not_sent_after(index: usize) -> Error {
    Error::not_sent(format!("not sent: the job runs in order, and item {index} (from 0) failed before it"))
}
