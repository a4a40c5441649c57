//! One request on the wire: its whole answer, or a failure that says whether Graph may have
//! seen the request. Failures are classified from the error types of reqwest and hyper, never
//! from message text.

use super::read::{self, Unread};
use crate::error::Error;
use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use http::{HeaderMap, HeaderValue, StatusCode};
use reqwest::Url;

/// A whole answer.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The URL that answered, kept for redirects only (a `Location` may be relative).
    pub(crate) url: Option<Url>,
}

/// Whether the server may have received a request whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// Provably not: the connection failed before the request was written (a connect error,
    /// or a pooled connection found closed before writing).
    NotSent,
    /// Perhaps: the connection broke after the request may have been written, the answer
    /// timed out, or it was cut short.
    MaybeSent,
    /// Certainly: Graph received it and answered, but what followed cannot be used: the answer
    /// is longer than the client reads, or a redirect turned the write into a `GET` (`303`, or
    /// `301`/`302` after a `POST`) and that `GET` failed or was not answered with a success.
    Received,
}

/// An attempt without a whole answer.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) delivery: Delivery,
    /// Why, in a few words, for logs.
    pub(crate) reason: &'static str,
}

/// Headers a request may gain after it is copied: `Content-Length`, `Authorization` and
/// `Retry-Attempt` here; `Host` in the HTTP client (HTTP/1); and a place the HTTP/1 encoder
/// reserves as it looks for `Transfer-Encoding`.
const ADDED_LATER: usize = 5;

/// A copy of a prepared request for one more sending (the body is shared, not copied), made
/// so that the HTTP client has nothing to add to its header map on the connection's task:
/// the map has room for what is added later, and a body's `Content-Length` is set here.
///
/// Why: reqwest hands hyper a copy of the map, which keeps the table's size but not the
/// entries' spare room, and hyper completes it on the connection's task, most often on
/// another thread than the caller's. A map that grows there (a table rebuilt in HTTP/1, the
/// entries' list in HTTP/2, where hyper adds `Content-Length`) is reallocated across threads,
/// which the system allocator makes costly under load: at 64 calls in flight over HTTP/1, a
/// third of the throughput (BENCHMARKS.md, "Calls in flight through buffer_unordered").
pub(crate) fn copy(prepared: &reqwest::Request) -> Result<reqwest::Request, Error> {
    let mut request = prepared.try_clone().ok_or_else(|| Error::invalid_request("the request body cannot be sent again"))?;
    let length = request.body().and_then(reqwest::Body::as_bytes).map(<[u8]>::len);
    let headers = request.headers_mut();
    // A no-op for the client's own requests, made with room (`Client::request_to`).
    headers.reserve(ADDED_LATER);
    if let Some(length) = length {
        headers.entry(CONTENT_LENGTH).or_insert_with(|| HeaderValue::from(length));
    }
    Ok(request)
}

/// Sends `request` and reads the whole answer, at most `limit` bytes of it.
pub(crate) async fn execute(http: &reqwest::Client, request: reqwest::Request, limit: u64) -> Result<Reply, Failure> {
    let mut response = match http.execute(request).await {
        Ok(response) => response,
        Err(error) => {
            super::tally::sent(None);
            return Err(before_answer(error));
        }
    };
    let status = response.status();
    super::tally::sent(Some(status.as_u16()));
    // Taken, not cloned: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    let url = status.is_redirection().then(|| response.url().clone());
    match read::body(&mut response, limit).await {
        Ok(body) => Ok(Reply { status, headers, body, url }),
        Err(Unread::TooLong) => {
            let code = status.as_u16();
            let error = Error::limit(format!(
                "Graph's {code} answer is longer than max_response_bytes ({limit} bytes); it was not read further (raise the bound with ClientBuilder::max_response_bytes for large downloads)"
            ))
            .with_response(code, &headers);
            Err(Failure { error, delivery: Delivery::Received, reason: "answer too long" })
        }
        Err(Unread::Failed(error)) => {
            let code = status.as_u16();
            let (message, reason) = if error.is_timeout() {
                (format!("timed out reading the body of Graph's {code} answer"), "body timed out")
            } else {
                (format!("the connection broke while reading the body of Graph's {code} answer"), "body cut short")
            };
            let error = classified(error, message).with_response(code, &headers);
            Err(Failure { error, delivery: Delivery::MaybeSent, reason })
        }
    }
}

/// A failure before any answer arrived.
fn before_answer(error: reqwest::Error) -> Failure {
    let delivery = delivery(&error);
    let (message, reason) = match (delivery, error.is_timeout()) {
        (Delivery::NotSent, true) => ("timed out connecting to Graph", "connect timeout"),
        (Delivery::NotSent, false) => ("could not connect to Graph, or the connection closed before the request was written", "not sent"),
        // (`delivery` never says `Received`: no answer arrived.)
        (Delivery::MaybeSent | Delivery::Received, true) => ("timed out waiting for Graph's answer", "timeout"),
        (Delivery::MaybeSent | Delivery::Received, false) => ("the connection broke before Graph answered", "connection broke"),
    };
    Failure { error: classified(error, message), delivery, reason }
}

/// A timeout or transport error keeping `error` as its source, without the URL (which holds
/// ids).
fn classified(error: reqwest::Error, message: impl Into<String>) -> Error {
    let error = error.without_url();
    if error.is_timeout() { Error::timeout(message).with_source(error) } else { Error::transport(message, error) }
}

/// What the error's types say about whether the request left the client.
fn delivery(error: &reqwest::Error) -> Delivery {
    if error.is_connect() {
        return Delivery::NotSent;
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        // hyper cancels a request it never wrote, when its pooled connection closed first.
        if cause.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_canceled) {
            return Delivery::NotSent;
        }
        source = cause.source();
    }
    Delivery::MaybeSent
}
