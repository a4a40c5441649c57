//! One chunk of a batch: one `$batch` request of at most 20 items of one API version, then
//! follow-up requests for its throttled items, until every item has its outcome. A chunk
//! never fails as a whole: a `$batch` request that fails gives its error to its own items
//! only, and the items answered before it keep their answers.
//!
//! This is the engine's unit of work: `client.batch(..)` runs chunks side by side (or one
//! after another, in order), and a job feeds chunks from its iterator as places free up.

use super::outcome::{Ids, Outcome};
use super::{item::Prepared, wire};
use crate::call::Call;
use crate::call::outcome::{self, Attempted, Resend};
use crate::client::Client;
use crate::error::{Error, GiveUp};
use crate::headers;
use crate::pacing::{Feedback, Key, Load};
use crate::protocol::ApiVersion;
use crate::request::decode::read_json;
use http::HeaderValue;
use http::header::CONTENT_TYPE;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use tracing::Instrument;

/// Graph's limit of requests in one `$batch`.
pub(crate) const MAX_ITEMS: usize = 20;

/// The most items of one chunk for `client`: Graph's 20, or fewer when the client's rate
/// limit lets fewer requests start at once.
pub(crate) fn chunk_size(client: &Client) -> usize {
    client.pacer().max_burst().map_or(MAX_ITEMS, |burst| (burst as usize).clamp(1, MAX_ITEMS))
}

/// The items of one `$batch` request: at most [`chunk_size`], all of `version`, each with its
/// index in the caller's input (its `$batch` id is `index + 1`, so indices must be distinct).
pub(crate) struct Chunk {
    pub(crate) version: ApiVersion,
    pub(crate) items: Vec<(usize, Prepared)>,
    /// Chains the items with `dependsOn`, each on the one before.
    pub(crate) in_order: bool,
}

/// What came of a chunk.
pub(crate) struct ChunkDone {
    /// Every item's outcome with its index, in index order.
    pub(crate) outcomes: Vec<(usize, Outcome)>,
    /// HTTP requests sent (a `$batch` request resent by the retry policy counts each time).
    pub(crate) requests: u32,
    /// Item answers `429` or `503`.
    pub(crate) throttled: u32,
}

/// An item still to be answered, with how many of its answers were failures that may pass
/// (`504`), which the retry policy's `max_retries` bounds.
struct Waiting {
    index: usize,
    item: Prepared,
    failures: u32,
}

/// Sends `chunk` and its follow-up rounds; every item gets its outcome. `sending` is told the
/// indices of the items of each `$batch` request just before it is sent (first round and
/// follow-ups). Follow-up rounds end within the retry policy's `max_total`, counted from the
/// start of the chunk.
pub(crate) async fn send_chunk(client: &Client, chunk: Chunk, sending: &(dyn Fn(&[usize]) + Sync)) -> ChunkDone {
    let Chunk { version, items, in_order } = chunk;
    let policy = client.retry_policy();
    let started = Instant::now();
    let mut done = ChunkDone { outcomes: Vec::with_capacity(items.len()), requests: 0, throttled: 0 };
    let mut waiting: Vec<Waiting> = items.into_iter().map(|(index, item)| Waiting { index, item, failures: 0 }).collect();
    let first = waiting.first().map_or(0, |w| w.index);
    let mut round = 0u32;
    while !waiting.is_empty() {
        round += 1;
        let indices: Vec<usize> = waiting.iter().map(|w| w.index).collect();
        sending(&indices);
        let span = tracing::info_span!("graph_batch", version = version.as_str(), first_item = first, round, items = waiting.len());
        let (responses, ids) = match send_once(client, version, &waiting, in_order, started).instrument(span).await {
            Ok((responses, ids, attempts)) => {
                done.requests += attempts;
                (responses, ids)
            }
            Err(error) => {
                // The request failed as a whole: its own items get its error, no others.
                done.requests += error.attempts();
                done.outcomes.extend(waiting.iter().map(|w| (w.index, Outcome::request_failed(&error, &w.item))));
                break;
            }
        };
        let mut again: Vec<Waiting> = Vec::new();
        // In order: whether the last item Graph ran goes again (then so do the items it kept
        // from running, after it; otherwise they stay not run).
        let mut last_goes_again = false;
        let mut wait = Duration::ZERO;
        let elapsed = started.elapsed();
        for mut entry in std::mem::take(&mut waiting) {
            let id = item_id(entry.index);
            let Some(response) = responses.iter().find(|r| r.id == id) else {
                done.outcomes.push((entry.index, Outcome::missing(&id, &entry.item, &ids)));
                continue;
            };
            let outcome = Outcome::answered(response, &entry.item, &ids);
            let verdict = outcome::judge(Attempted::Answered(response.status), entry.item.write, entry.item.idempotent);
            let asked = item_retry_after(response);
            // Each item reports to pacing as a single call does: a throttled one holds back
            // the client's other requests of its kind until its Retry-After (one beyond the
            // caps holds back nothing: the item fails alone).
            let feedback = match verdict.resend {
                Resend::Throttled => {
                    done.throttled += 1;
                    let held = asked.filter(|a| policy.may_wait(*a));
                    Feedback::Throttled { retry_after: held }
                }
                _ => Feedback::Answered(response.status),
            };
            client.pacer().report(Load::One(entry.item.key), feedback);
            let next = match verdict.resend {
                Resend::Throttled => Some(policy.throttled_wait(round, asked, elapsed)),
                Resend::Retry => {
                    entry.failures += 1;
                    Some(policy.wait(entry.failures, asked, elapsed))
                }
                // In order, an item Graph did not run because one before it goes again
                // goes again too, after it.
                Resend::No | Resend::Unsafe if in_order && response.status == 424 && last_goes_again => Some(Ok(Duration::ZERO)),
                Resend::No | Resend::Unsafe => None,
            };
            if response.status != 424 {
                last_goes_again = matches!(next, Some(Ok(_)));
            }
            match next {
                None => done.outcomes.push((entry.index, outcome)),
                Some(Ok(this)) => {
                    wait = wait.max(this);
                    again.push(entry);
                }
                // This item alone asks for more than the caps allow.
                Some(Err(give_up)) => done.outcomes.push((entry.index, outcome.with_give_up(give_up))),
            }
        }
        if again.is_empty() {
            break;
        }
        tracing::warn!(first_item = first, round, items = again.len(), wait_ms = wait.as_millis() as u64, "resending $batch items");
        tokio::time::sleep(wait).await;
        waiting = again;
    }
    done.outcomes.sort_by_key(|(index, _)| *index);
    if in_order {
        name_failed_dependency(&mut done.outcomes);
    }
    done
}

/// In order, the items Graph did not run (`424`) after the first that failed say which.
fn name_failed_dependency(outcomes: &mut [(usize, Outcome)]) {
    let Some(at) = outcomes.iter().position(|(_, outcome)| outcome.error().is_some() && outcome.status() != Some(424)) else {
        return;
    };
    let failed = outcomes[at].0;
    for (_, outcome) in &mut outcomes[at + 1..] {
        if outcome.status() == Some(424) {
            outcome.give_up(GiveUp::DependencyFailed { index: failed });
        }
    }
}

/// How long an item's answer asks to wait, if it says.
fn item_retry_after(response: &wire::Response) -> Option<Duration> {
    response.header("retry-after").and_then(|v| headers::parse_retry_after(v, SystemTime::now()))
}

fn item_id(index: usize) -> String {
    (index + 1).to_string()
}

/// One `$batch` request for `items`, through the client's exchange (its retries, rate limit
/// and span); the item answers, the request's ids and how many times it was sent.
async fn send_once(
    client: &Client,
    version: ApiVersion,
    items: &[Waiting],
    in_order: bool,
    began: Instant,
) -> Result<(Vec<wire::Response>, Ids, u32), Error> {
    let requests = items
        .iter()
        .enumerate()
        .map(|(position, entry)| wire::Request {
            id: item_id(entry.index),
            method: entry.item.method.as_str(),
            url: &entry.item.url,
            headers: &entry.item.headers,
            body: entry.item.body.as_ref(),
            depends_on: (in_order && position > 0).then(|| [item_id(items[position - 1].index)]),
        })
        .collect();
    let body = serde_json::to_vec(&wire::Requests { requests })
        .map_err(|e| Error::invalid_request(format!("the $batch body could not be serialized: {e}")))?;
    let url = format!("{}/{}/$batch", client.base_url(), version.as_str());
    let url = reqwest::Url::parse(&url).map_err(|e| Error::invalid_request(format!("the $batch URL is not valid: {e}")))?;
    let mut request = client.request_to(reqwest::Method::POST, url);
    request.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    *request.body_mut() = Some(body.into());
    let keys: Vec<Key> = items.iter().map(|entry| entry.item.key).collect();
    // Resending a $batch whose outcome is unknown would resend every write in it.
    // Follow-up rounds end within max_total of the chunk's start, their requests included.
    let call = Call::batch(&keys, items.iter().all(|entry| entry.item.idempotent)).began(began);
    let exchange = client.exchange(request, call).await?;
    let ids = Ids {
        client_request_id: exchange.client_request_id.to_str().unwrap_or_default().to_owned(),
        request_id: headers::request_id(&exchange.headers).map(str::to_owned),
    };
    let answer: wire::Responses = read_json(&exchange.body, "a $batch answer", false).map_err(|e| exchange.decode_error(e))?;
    Ok((answer.responses, ids, exchange.attempts))
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::error::{DecodeError, ErrorKind};
    use crate::protocol::Method;
    use crate::request::body::BodyWriter;
    use crate::request::decode::{Answer, decode_json};
    use crate::request::encode::PathWriter;
    use crate::request::endpoint::Endpoint;
    use crate::testing::{Reply, StandIn};
    use std::sync::Mutex;

    /// `PATCH /users/{userId}` with `{"n": n}`.
    struct Touch(usize);

    impl Endpoint for Touch {
        type Response = serde_json::Value;
        fn method(&self) -> Method {
            Method::Patch
        }
        fn template(&self) -> &'static str {
            "/users/{userId}"
        }
        fn write_path(&self, path: &mut PathWriter<'_>) -> Result<(), Error> {
            path.literal("/users/");
            path.param("userId", &format!("u{}", self.0), false, true)
        }
        fn write_body(&self, body: &mut BodyWriter<'_>) -> Result<(), Error> {
            body.json(&serde_json::json!({"n": self.0}))
        }
        fn decode_response(answer: &Answer<'_>) -> Result<Self::Response, DecodeError> {
            decode_json(answer.body)
        }
        fn routes() -> &'static [(Method, &'static str)] {
            &[(Method::Patch, "/users/{userId}")]
        }
    }

    /// What a job relies on: items with the caller's own indices, the `sending` hook before
    /// every request (follow-ups included), each item's outcome by index, and the cost.
    #[tokio::test]
    async fn a_chunk_runs_by_itself_with_the_callers_indices() {
        let stand_in = StandIn::start().await;
        stand_in.on::<Touch>().respond_with(|call| Reply::json(200, call.json::<serde_json::Value>().unwrap()));
        stand_in.route(Method::Patch, "/users/u102").throttle(1, Duration::from_millis(1)).json(200, serde_json::json!({"n": 102}));
        stand_in.route(Method::Patch, "/users/u103").error(404, "Request_ResourceNotFound", "gone");
        let client = stand_in.client();
        // Indices from anywhere in a longer input: ids 101..=104 on the wire.
        let items = (100..104).map(|i| (i, Prepared::of(&client, &Touch(i)).unwrap())).collect();
        let sent = Mutex::new(Vec::new());
        let chunk = Chunk { version: ApiVersion::V1, items, in_order: false };
        let done = send_chunk(&client, chunk, &|indices| sent.lock().unwrap().push(indices.to_vec())).await;
        assert_eq!(*sent.lock().unwrap(), [vec![100, 101, 102, 103], vec![102]]);
        assert_eq!((done.requests, done.throttled), (2, 1));
        let indices: Vec<usize> = done.outcomes.iter().map(|(index, _)| *index).collect();
        assert_eq!(indices, [100, 101, 102, 103]);
        let mut results = done.outcomes.into_iter().map(|(_, outcome)| outcome.decode::<Touch>());
        assert_eq!(results.next().unwrap().unwrap()["n"], 100);
        assert_eq!(results.next().unwrap().unwrap()["n"], 101);
        assert_eq!(results.next().unwrap().unwrap()["n"], 102);
        let gone = results.next().unwrap().unwrap_err();
        assert_eq!((gone.kind(), gone.status()), (ErrorKind::Api, Some(404)));
        let ids: Vec<String> = stand_in.batches()[0].json::<serde_json::Value>().unwrap()["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["101", "102", "103", "104"]);
    }
}
