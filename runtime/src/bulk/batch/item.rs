//! One item of a batch: prepared as a single call would be, and what it came to.

use super::wire;
use crate::call::outcome::{self, Attempted};
use crate::client::Client;
use crate::error::{Error, GiveUp};
use crate::headers::CLIENT_REQUEST_ID;
use crate::pacing::Key;
use crate::protocol::ApiVersion;
use crate::request::decode::Answer;
use crate::request::endpoint::Endpoint;
use crate::request::options::Options;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::{Map, Value};

/// One item, prepared as a single call would be. `pub` only to appear in the sealed
/// `Items` trait; this module is private.
pub struct Prepared {
    pub(super) version: ApiVersion,
    pub(super) method: http::Method,
    /// Relative to the version root, starting with `/`.
    pub(super) url: String,
    pub(super) headers: Map<String, Value>,
    pub(super) body: Option<Value>,
    pub(super) idempotent: bool,
    pub(super) write: bool,
    /// What pacing knows the item by: its kind and its own route's workload.
    pub(super) key: Key,
}

impl Prepared {
    pub(super) fn of<E: Endpoint + ?Sized>(client: &Client, endpoint: &E) -> Result<Prepared, Error> {
        let request = client.prepare(endpoint, &Options::default())?;
        let version = endpoint.version().unwrap_or(client.default_version());
        let root_len = client.base_url().len() + 1 + version.as_str().len();
        let url = request.url().as_str().get(root_len..).unwrap_or("/").to_owned();
        let mut headers = Map::new();
        for (name, value) in request.headers() {
            if [ACCEPT, USER_AGENT, CONTENT_LENGTH, AUTHORIZATION, CLIENT_REQUEST_ID].contains(name) {
                continue;
            }
            let value = value.to_str().map_err(|_| Error::invalid_request(format!("the header `{name}` cannot go in a $batch item")))?;
            headers.insert(name.as_str().to_owned(), Value::String(value.to_owned()));
        }
        let body = match request.body().and_then(|body| body.as_bytes()) {
            None => None,
            Some(bytes) if is_json(headers.get("content-type").and_then(Value::as_str)) => Some(
                serde_json::from_slice(bytes)
                    .map_err(|e| Error::invalid_request(format!("the body is not JSON, so it cannot be inlined in $batch: {e}")))?,
            ),
            // Bytes travel as base64, with their content type.
            Some(bytes) => Some(Value::String(BASE64.encode(bytes))),
        };
        let write = request.method() != http::Method::GET;
        let key = Key::of(request.method(), endpoint.template());
        Ok(Prepared { version, method: request.method().clone(), url, headers, body, idempotent: endpoint.is_idempotent(), write, key })
    }
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|t| {
        let t = t.split(';').next().unwrap_or("").trim();
        t.eq_ignore_ascii_case("application/json") || t.ends_with("+json")
    })
}

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
    pub(super) fn decode<E: Endpoint + ?Sized>(self) -> Result<E::Response, Error> {
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

    /// An item the batch did not account for (a bug, not a Graph answer).
    pub(super) fn lost<T>() -> Result<T, Error> {
        Err(Error::invalid_request("the batch returned fewer results than items"))
    }

    pub(super) fn failed(error: Error) -> Outcome {
        Outcome { result: Err(error) }
    }

    /// The same, failed for `reason` if it failed.
    pub(super) fn with_give_up(self, reason: GiveUp) -> Outcome {
        Outcome { result: self.result.map_err(|error| error.with_give_up(reason)) }
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
        let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
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
