//! What one item of a batch came to: Graph's answer to it, or the error that stands for it.

use super::item::{Prepared, is_json};
use super::wire;
use crate::call::outcome::{self, Attempted};
use crate::error::{Error, GiveUp};
use crate::request::decode::Answer;
use crate::request::endpoint::Endpoint;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::Value;

/// What one item came to. `pub` only to appear in the sealed `Items` trait; this module is
/// private.
pub struct Outcome {
    result: Result<ItemAnswer, Error>,
}

struct ItemAnswer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    write: bool,
    ids: Ids,
}

/// The ids of the `$batch` request that carried an item.
#[derive(Clone)]
pub(super) struct Ids {
    pub(super) client_request_id: String,
    pub(super) request_id: Option<String>,
}

impl Outcome {
    /// The item's result as a single call of `E` would give it.
    pub(crate) fn decode<E: Endpoint + ?Sized>(self) -> Result<E::Response, Error> {
        let item = self.result?;
        let answer = Answer { status: item.status, headers: &item.headers, body: &item.body };
        E::decode_response(&answer).map_err(|cause| {
            let status = item.status.as_u16();
            Error::decode(status, cause)
                .with_response(status, &item.headers)
                .with_request_id_if_missing(item.ids.request_id.as_deref())
                .with_client_request_id(&item.ids.client_request_id)
                .with_may_have_been_applied(item.write)
        })
    }

    /// The error, when the item failed (before decoding: a success answer is not an error
    /// here, whatever its body).
    pub(crate) fn error(&self) -> Option<&Error> {
        self.result.as_ref().err()
    }

    /// An item the batch did not account for (a bug, not a Graph answer).
    pub(super) fn lost<T>() -> Result<T, Error> {
        Err(Error::invalid_request("the batch returned fewer results than items"))
    }

    pub(crate) fn failed(error: Error) -> Outcome {
        Outcome { result: Err(error) }
    }

    /// An item of an in-order batch not sent because the item at `index` (0-based) before it
    /// failed.
    pub(crate) fn not_sent_after(index: usize) -> Outcome {
        Outcome::failed(Error::not_sent(format!(
            "the batch runs in order, and the item at index {index} ($batch id \"{}\") before this one failed",
            index + 1
        )))
    }

    /// An item of a `$batch` request that failed as a whole (after its retries): the
    /// request's error, with its status and ids. Graph may have applied the item only if it
    /// writes and the request may have reached Graph.
    pub(super) fn request_failed(error: &Error, item: &Prepared) -> Outcome {
        let applied = item.write && error.may_have_been_applied();
        Outcome::failed(error.clone().with_may_have_been_applied(applied))
    }

    /// An item the `$batch` answer has no response for: Graph received it (a write may have
    /// been applied) but said nothing of it.
    pub(super) fn missing(id: &str, item: &Prepared, ids: &Ids) -> Outcome {
        let error = Error::incomplete_answer(format!("Graph's $batch answer has no response for this item ($batch id \"{id}\")"))
            .with_request_id_if_missing(ids.request_id.as_deref())
            .with_client_request_id(&ids.client_request_id)
            .with_may_have_been_applied(item.write);
        Outcome::failed(error)
    }

    /// The same, failed for `reason` if it failed.
    pub(super) fn with_give_up(mut self, reason: GiveUp) -> Outcome {
        self.give_up(reason);
        self
    }

    /// Notes why a failed item was not sent again (or not run).
    pub(super) fn give_up(&mut self, reason: GiveUp) {
        if let Err(error) = &mut self.result {
            *error = error.clone().with_give_up(reason);
        }
    }

    /// A success's status and the ids of the `$batch` request that carried it: request-id,
    /// client-request-id (for a job's report and journal).
    pub(crate) fn success_ids(&self) -> Option<(u16, Option<&str>, &str)> {
        let answer = self.result.as_ref().ok()?;
        Some((answer.status.as_u16(), answer.ids.request_id.as_deref(), &answer.ids.client_request_id))
    }

    /// The status Graph answered the item with, if it did.
    pub(super) fn status(&self) -> Option<u16> {
        match &self.result {
            Ok(answer) => Some(answer.status.as_u16()),
            Err(error) => error.status(),
        }
    }

    /// Graph's answer to one item: a success to decode, or the item's error.
    pub(super) fn answered(response: &wire::Response, item: &Prepared, ids: &Ids) -> Outcome {
        let write = item.write;
        let mut headers = HeaderMap::new();
        for (name, value) in &response.headers {
            if let (Ok(name), Some(Ok(value))) = (HeaderName::try_from(name.as_str()), value.as_str().map(HeaderValue::from_str)) {
                headers.insert(name, value);
            }
        }
        let body = item_body(response);
        let Ok(status) = StatusCode::from_u16(response.status) else {
            let error = Error::incomplete_answer(format!(
                "Graph's $batch answer gives this item ($batch id \"{}\") no valid status ({})",
                response.id, response.status
            ))
            .with_request_id_if_missing(ids.request_id.as_deref())
            .with_client_request_id(&ids.client_request_id)
            .with_may_have_been_applied(write);
            return Outcome::failed(error);
        };
        if status.is_success() {
            return Outcome { result: Ok(ItemAnswer { status, headers, body, write, ids: ids.clone() }) };
        }
        let unknown = outcome::judge(Attempted::Answered(response.status), write, item.idempotent).may_have_been_applied;
        let error = Error::api(response.status, &body, &headers)
            .with_request_id_if_missing(ids.request_id.as_deref())
            .with_client_request_id(&ids.client_request_id)
            .with_may_have_been_applied(unknown);
        Outcome::failed(error)
    }
}

/// An item's body as the bytes a single call would have received: JSON re-serialized, a
/// base64 string of a non-JSON answer decoded.
fn item_body(response: &wire::Response) -> Bytes {
    match &response.body {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(text)) if !is_json(response.header("content-type")) => {
            BASE64.decode(text).map(Bytes::from).unwrap_or_else(|_| Bytes::from(text.clone().into_bytes()))
        }
        Some(value) => Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
    }
}
