//! Sending a batch: items prepared as single calls would be, grouped by API version, chunked,
//! sent as `$batch` requests through the client's exchange, and the throttled items resent in
//! follow-up rounds until each has a final answer.

use super::item::{Ids, Outcome, Prepared};
use super::wire;
use crate::call::Call;
use crate::call::outcome::{self, Attempted, Resend};
use crate::client::Client;
use crate::error::{Error, GiveUp};
use crate::headers;
use crate::pacing::{Feedback, Key, Load};
use crate::protocol::ApiVersion;
use crate::request::decode::read_json;
use futures_util::StreamExt;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue};
use std::time::{Duration, SystemTime};
use tracing::Instrument;

/// Graph's limit of requests in one `$batch`.
const MAX_ITEMS: usize = 20;
/// `$batch` requests in flight at once for a batch that is not in order.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Sends every prepared item; outcomes in input order.
pub(super) async fn run(client: &Client, prepared: Vec<Result<Prepared, Error>>, in_order: bool) -> Result<Vec<Outcome>, Error> {
    let count = prepared.len();
    let mut outcomes: Vec<Option<Outcome>> = (0..count).map(|_| None).collect();
    let mut ready: Vec<(usize, Prepared)> = Vec::new();
    for (index, item) in prepared.into_iter().enumerate() {
        match item {
            Ok(item) => ready.push((index, item)),
            // Refused before sending, as a single call would be; the others still go.
            Err(error) => outcomes[index] = Some(Outcome::failed(error)),
        }
    }
    let size = client.pacer().max_burst().map_or(MAX_ITEMS, |burst| (burst as usize).clamp(1, MAX_ITEMS));
    let chunks = chunk(ready, size, in_order);
    let total_chunks = chunks.len();
    let mut sent = 0usize;
    let mut results = futures_util::stream::iter(chunks.into_iter().enumerate())
        .map(|(number, (version, items))| send_chunk(client, version, items, in_order, number + 1))
        .buffered(if in_order { 1 } else { CHUNKS_IN_FLIGHT });
    while let Some(result) = results.next().await {
        match result {
            Ok(answered) => {
                sent += answered.len();
                for (index, outcome) in answered {
                    outcomes[index] = Some(outcome);
                }
            }
            Err(error) => {
                return Err(error.with_give_up(GiveUp::BatchFailed { answered: sent, items: count, requests: total_chunks }));
            }
        }
    }
    Ok(outcomes.into_iter().map(|o| o.unwrap_or_else(|| Outcome::failed(Error::invalid_request("an item was not sent")))).collect())
}

/// Chunks of at most `size` items of one API version. In order: consecutive items of one
/// version stay together, so that the chunks, sent one after another, keep the order.
/// Otherwise: every item of a version together, versions in order of first appearance.
fn chunk(items: Vec<(usize, Prepared)>, size: usize, in_order: bool) -> Vec<(ApiVersion, Vec<(usize, Prepared)>)> {
    let mut groups: Vec<(ApiVersion, Vec<(usize, Prepared)>)> = Vec::new();
    for item in items {
        let version = item.1.version;
        let position = if in_order {
            groups.last().filter(|(v, _)| *v == version).map(|_| groups.len() - 1)
        } else {
            groups.iter().position(|(v, _)| *v == version)
        };
        match position {
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

/// Sends one chunk, then follow-up rounds for its throttled items, until every item has a
/// final answer. `Err` only when a `$batch` request itself fails.
async fn send_chunk(
    client: &Client,
    version: ApiVersion,
    mut waiting: Vec<(usize, Prepared)>,
    in_order: bool,
    number: usize,
) -> Result<Vec<(usize, Outcome)>, Error> {
    let policy = client.retry_policy();
    let mut done = Vec::with_capacity(waiting.len());
    let (mut round, mut waited) = (0u32, Duration::ZERO);
    while !waiting.is_empty() {
        round += 1;
        let span = tracing::info_span!("graph_batch", version = version.as_str(), chunk = number, round, items = waiting.len());
        let (responses, ids) = send_once(client, version, &waiting, in_order).instrument(span).await?;
        let mut again: Vec<(usize, Prepared, wire::Response)> = Vec::new();
        let mut longest: Option<Duration> = None;
        for (index, item) in std::mem::take(&mut waiting) {
            let Some(response) = responses.iter().position(|r| r.id == item_id(index)).map(|at| &responses[at]) else {
                let error = Error::api(502, b"", &HeaderMap::new())
                    .with_give_up(GiveUp::NotInBatchAnswer { item: index + 1 })
                    .with_request_id_if_missing(ids.request_id.as_deref())
                    .with_client_request_id(&ids.client_request_id)
                    .with_may_have_been_applied(item.write);
                done.push((index, Outcome::failed(error)));
                continue;
            };
            let verdict = outcome::judge(Attempted::Answered(response.status), item.write, item.idempotent);
            // Each item reports to pacing as a single call does: a throttled one holds back
            // the client's other requests of its kind until its Retry-After.
            let throttled = verdict.resend == Resend::Throttled;
            let retry_after = if throttled { item_retry_after(response) } else { None };
            let feedback = if throttled { Feedback::Throttled { retry_after } } else { Feedback::Answered(response.status) };
            client.pacer().report(Load::One(item.key), feedback);
            if throttled {
                crate::call::tally::item_throttled();
            }
            // After an item that goes again, its dependents (424) go again too.
            let resend =
                matches!(verdict.resend, Resend::Throttled | Resend::Retry) || (in_order && response.status == 424 && !again.is_empty());
            if !resend {
                done.push((index, Outcome::answered(response, &item, &ids)));
                continue;
            }
            let asked = if throttled { retry_after } else { item_retry_after(response) };
            if let Some(asked) = asked
                && asked > policy.max_delay_cap()
            {
                // This item alone asks for more than the caps allow.
                let outcome = Outcome::answered(response, &item, &ids);
                done.push((index, outcome.with_give_up(GiveUp::ItemWaitTooLong { asked })));
                continue;
            }
            longest = longest.max(asked);
            again.push((index, item, clone_response(response)));
        }
        if again.is_empty() {
            break;
        }
        match policy.throttled_wait(round, longest, waited) {
            Ok(wait) => {
                tracing::warn!(
                    chunk = number,
                    round,
                    items = again.len(),
                    wait_ms = wait.as_millis() as u64,
                    "resending throttled $batch items"
                );
                tokio::time::sleep(wait).await;
                waited += wait;
                waiting = again.into_iter().map(|(index, item, _)| (index, item)).collect();
            }
            Err(give_up) => {
                for (index, item, response) in again {
                    done.push((index, Outcome::answered(&response, &item, &ids).with_give_up(give_up)));
                }
            }
        }
    }
    Ok(done)
}

/// How long an item's answer asks to wait, if it says.
fn item_retry_after(response: &wire::Response) -> Option<Duration> {
    response.header("retry-after").and_then(|v| headers::parse_retry_after(v, SystemTime::now()))
}

fn clone_response(response: &wire::Response) -> wire::Response {
    wire::Response { id: response.id.clone(), status: response.status, headers: response.headers.clone(), body: response.body.clone() }
}

fn item_id(index: usize) -> String {
    (index + 1).to_string()
}

/// One `$batch` request for `items`, through the client's exchange (its retries, rate limit
/// and span); the item answers and the request's ids.
async fn send_once(
    client: &Client,
    version: ApiVersion,
    items: &[(usize, Prepared)],
    in_order: bool,
) -> Result<(Vec<wire::Response>, Ids), Error> {
    let requests = items
        .iter()
        .enumerate()
        .map(|(position, (index, item))| wire::Request {
            id: item_id(*index),
            method: item.method.as_str(),
            url: &item.url,
            headers: item.headers.clone(),
            body: item.body.as_ref(),
            depends_on: (in_order && position > 0).then(|| [item_id(items[position - 1].0)]),
        })
        .collect();
    let body = serde_json::to_vec(&wire::Requests { requests })
        .map_err(|e| Error::invalid_request(format!("the $batch body could not be serialized: {e}")))?;
    let url = format!("{}/{}/$batch", client.base_url(), version.as_str());
    let url = reqwest::Url::parse(&url).map_err(|e| Error::invalid_request(format!("the $batch URL is not valid: {e}")))?;
    let mut request = client.request_to(reqwest::Method::POST, url);
    request.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    *request.body_mut() = Some(body.into());
    let keys: Vec<Key> = items.iter().map(|(_, item)| item.key).collect();
    // Resending a $batch whose outcome is unknown would resend every write in it.
    let call = Call::batch(&keys, items.iter().all(|(_, item)| item.idempotent));
    let exchange = client.exchange(request, call).await?;
    let ids = Ids {
        client_request_id: exchange.client_request_id.to_str().unwrap_or_default().to_owned(),
        request_id: headers::request_id(&exchange.headers).map(str::to_owned),
    };
    let answer: wire::Responses = read_json(&exchange.body, "a $batch answer", false).map_err(|e| exchange.decode_error(e))?;
    Ok((answer.responses, ids))
}
