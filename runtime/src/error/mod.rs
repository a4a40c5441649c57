//! The one error type of the crate, with accessors for what Graph said.
//!
//! - here: [`Error`] and [`ErrorKind`], how errors are made and shown;
//! - `graph`: reading Graph's error body;
//! - `decode`: [`DecodeError`], a success body that is not what the endpoint declares;
//! - `give_up`: why a request was not sent again, kept typed in the error.
//!
//! May use: headers. Everything else uses it.

mod decode;
mod give_up;
mod graph;

pub use decode::DecodeError;
pub(crate) use give_up::GiveUp;

use crate::headers::{request_id, retry_after};
pub(crate) use graph::clean;
use graph::{ErrorBody, MESSAGE_LIMIT, reason_suffix, snippet, unwrap_nested_message};
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// What kind of failure an [`Error`] is.
///
/// ```
/// use graph_endpoint::{Error, ErrorKind};
///
/// fn worth_a_later_retry(error: &Error) -> bool {
///     matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout) || error.is_throttled()
/// }
/// # let _ = worth_a_later_retry;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client was configured wrongly (bad base URL, `http` to a remote host, ...).
    Config,
    /// The request could not be built from the endpoint's values (empty path segment, header
    /// value with a line break, body that does not serialize).
    InvalidRequest,
    /// The token provider could not supply a token.
    Auth,
    /// The connection failed or broke before a full response arrived.
    Transport,
    /// The request or the connection timed out, or the call's `RetryPolicy::max_total` ran out
    /// before its request could be sent (then it was not sent).
    Timeout,
    /// Graph answered with a non-2xx status.
    Api,
    /// Graph answered 2xx, but the body is not what the endpoint declares (or a `$batch`
    /// answer has no response for an item).
    Decode,
    /// Graph redirected the request where this client does not follow: more than 5 times, to
    /// plain `http`, with a body to another origin, or back to Graph from another origin.
    Redirect,
    /// A bound set on the client or the request was reached: a collection with more pages than
    /// `max_pages` allows, an answer longer than `max_response_bytes`. What was received up to
    /// it is not the whole answer.
    Limit,
    /// The request was never sent, so Graph cannot have acted on it: an item of an in-order
    /// `$batch` after an item that failed. The message says why.
    NotSent,
    /// A bulk job's journal records that an earlier run sent this item (a write that is not
    /// idempotent) and did not learn what came of it: it is not sent again; check it by hand.
    Unverified,
}

/// An error from building, sending or decoding a Graph request.
///
/// For errors Graph returned, [`status`](Self::status), [`code`](Self::code),
/// [`message`](Self::message) and the ids come from Graph's error body
/// (`{"error":{"code","message","innerError":{...}}}`) and the response headers. A non-2xx
/// body that is not Graph's error JSON still gives the status and a snippet of at most 1 KiB.
///
/// An error never quotes the values of a response: what Graph's error body says is kept
/// without control characters or terminal escapes and cut at 1,024 characters (ending with
/// `…`); a success body that does not decode gives the declared type, the JSON path
/// (`value[3].mail`), the line and column and the kind of value found, and no snippet.
///
/// [`may_have_been_applied`](Self::may_have_been_applied) tells whether a failed write may
/// nevertheless have taken effect, so that it is checked before being sent again.
///
/// Cheap to clone: the underlying cause is shared.
///
/// ```no_run
/// # use graph_endpoint::{Client, Endpoint};
/// # async fn run<E: Endpoint>(client: Client, wipe: E) {
/// match client.send(&wipe).await {
///     Ok(_) => println!("done"),
///     Err(error) if error.may_have_been_applied() => {
///         eprintln!("unknown outcome, check the device before sending again: {error}");
///     }
///     Err(error) => eprintln!("{} {:?} {} (request-id {:?})", error.status().unwrap_or(0), error.code(), error.message(), error.request_id()),
/// }
/// # }
/// ```
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    code: Option<String>,
    inner_code: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    snippet: Option<String>,
    attempts: u32,
    /// Why the request was not retried further, when retries were considered.
    retry_note: Option<Note>,
    /// The `Retry-After` of the answer, when it had one.
    retry_after: Option<Duration>,
    /// The outcome of a request other than GET is unknown: Graph may have acted on it.
    may_have_been_applied: bool,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// Why the request was not sent again, typed; its text made once, when first asked for.
#[derive(Clone)]
struct Note {
    reason: GiveUp,
    text: OnceLock<String>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                code: None,
                inner_code: None,
                request_id: None,
                client_request_id: None,
                date: None,
                snippet: None,
                attempts: 0,
                retry_note: None,
                retry_after: None,
                may_have_been_applied: false,
                source: None,
            }),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidRequest, message)
    }

    /// An error from a token provider.
    pub fn auth(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Auth, message)
    }

    pub(crate) fn transport(message: impl Into<String>, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::new(ErrorKind::Transport, message).with_source(source)
    }

    pub(crate) fn timeout(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Timeout, message)
    }

    pub(crate) fn redirect(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Redirect, message)
    }

    pub(crate) fn limit(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Limit, message)
    }

    pub(crate) fn not_sent(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::NotSent, message)
    }

    /// A write an earlier run sent with an unknown outcome, not sent again.
    #[cfg_attr(not(feature = "journal"), allow(dead_code))]
    pub(crate) fn unverified(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unverified, message).with_may_have_been_applied(true)
    }

    /// A 2xx answer that lacks what it should hold (a `$batch` answer without a response for
    /// an item): no status of its own.
    pub(crate) fn incomplete_answer(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Decode, message)
    }

    /// A non-2xx response: parses Graph's error body if it is one, else keeps a snippet.
    pub(crate) fn api(status: u16, body: &[u8], headers: &http::HeaderMap) -> Self {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut error = Error::new(ErrorKind::Api, String::new());
        error.inner.status = Some(status);
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(ErrorBody { error: Some(graph) }) => {
                let detail = graph.inner_error.unwrap_or_default();
                let shown = |text: Option<String>| text.map(|text| clean(&text, MESSAGE_LIMIT));
                error.inner.message = clean(&unwrap_nested_message(graph.message.as_deref().unwrap_or("")), MESSAGE_LIMIT);
                error.inner.code = shown(graph.code);
                error.inner.inner_code = shown(detail.code);
                error.inner.request_id = shown(detail.request_id);
                error.inner.client_request_id = shown(detail.client_request_id);
                error.inner.date = shown(detail.date);
            }
            _ => {
                error.inner.message = format!("the response is not Graph's error JSON{}", reason_suffix(status));
                error.inner.snippet = Some(snippet(body));
            }
        }
        error.inner.client_request_id = error.inner.client_request_id.take().or_else(|| header("client-request-id"));
        error.inner.date = error.inner.date.take().or_else(|| header("date"));
        error.with_response(status, headers)
    }

    /// A 2xx response whose body does not decode as the declared type. Keeps nothing of the
    /// body: a success body is the caller's data.
    pub(crate) fn decode(status: u16, cause: DecodeError) -> Self {
        let mut error = Error::new(ErrorKind::Decode, cause.to_string());
        error.inner.status = Some(status);
        error
    }

    pub(crate) fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }

    /// Keeps what the response tells about the call: its status, Graph's `request-id` (unless
    /// the error body named one) and `Retry-After`.
    pub(crate) fn with_response(mut self, status: u16, headers: &http::HeaderMap) -> Self {
        self.inner.status = Some(status);
        if self.inner.request_id.is_none() {
            self.inner.request_id = request_id(headers).map(str::to_owned);
        }
        self.inner.retry_after = retry_after(headers);
        self
    }

    /// The `client-request-id` this client sent, whether or not the server echoed it.
    pub(crate) fn with_client_request_id(mut self, id: &str) -> Self {
        self.inner.client_request_id = Some(id.to_owned());
        self
    }

    /// Graph's `request-id` of an enclosing request (a `$batch`), when the error has none of
    /// its own.
    pub(crate) fn with_request_id_if_missing(mut self, id: Option<&str>) -> Self {
        if self.inner.request_id.is_none() {
            self.inner.request_id = id.map(str::to_owned);
        }
        self
    }

    pub(crate) fn with_code(mut self, code: impl AsRef<str>) -> Self {
        self.inner.code = Some(clean(code.as_ref(), MESSAGE_LIMIT));
        self
    }

    pub(crate) fn with_may_have_been_applied(mut self, unknown: bool) -> Self {
        self.inner.may_have_been_applied = unknown;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn with_give_up(mut self, reason: GiveUp) -> Self {
        self.inner.retry_note = Some(Note { reason, text: OnceLock::new() });
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status Graph answered with, if a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// Graph's error code, e.g. `Request_ResourceNotFound` or `TooManyRequests` (cleaned and
    /// cut as [`message`](Self::message) is).
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The code inside `innerError`, when Graph gives one (the throttling answer puts `429`
    /// there).
    pub fn inner_code(&self) -> Option<&str> {
        self.inner.inner_code.as_deref()
    }

    /// A human-readable message: Graph's message (for Intune, the message inside the JSON
    /// text Intune puts there), or what went wrong locally. Graph's message is kept on one
    /// line, without control characters or terminal escapes, and cut after 1,024 characters
    /// (ending with `…`).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Graph's `request-id`, from the error body or else the response header. Quote it to
    /// Microsoft support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The `client-request-id` of the call: the one Graph echoed, or the one this client sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner.client_request_id.as_deref()
    }

    /// The `date` Graph gave for the error, if any.
    pub fn date(&self) -> Option<&str> {
        self.inner.date.as_deref()
    }

    /// The start (at most 1 KiB) of a non-2xx response body that is not Graph's error JSON.
    /// Never set for a success body (a decode error names the path, not the value).
    pub fn body_snippet(&self) -> Option<&str> {
        self.inner.snippet.as_deref()
    }

    /// How many times the request was sent (0 when it never left the client).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Why the request was not sent again (retries used up, or a `Retry-After` beyond the
    /// policy's caps), when it was throttled or failed transiently.
    pub fn retry_note(&self) -> Option<&str> {
        self.inner.retry_note.as_ref().map(|note| note.text.get_or_init(|| note.reason.to_string()).as_str())
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }

    /// Whether Graph may have acted on the request although the call failed: the method is not
    /// `GET` and the outcome is unknown — the connection broke or timed out after the request
    /// may have been written, a 2xx answer could not be read or decoded, an answer was longer
    /// than `max_response_bytes`, Graph answered `500`, `502` or `504`, or a redirect (`303`,
    /// or `301`/`302` after a `POST`) turned the write into a `GET` that then failed, whatever
    /// its status: Graph had received the write. Look before sending such a write again.
    ///
    /// `false` for errors raised before anything was sent ([`ErrorKind::NotSent`] among them),
    /// for `4xx` answers and for `429` and `503` (which Graph has not processed) to the request
    /// itself. For an item of a `$batch`, the item's own answer decides, or, when the `$batch`
    /// request carrying it failed, that request's outcome: never for a `GET` item.
    pub fn may_have_been_applied(&self) -> bool {
        self.inner.may_have_been_applied
    }

    /// How long Graph asked to wait before trying again (`Retry-After`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Whether Graph throttled the call (`429 Too Many Requests`).
    pub fn is_throttled(&self) -> bool {
        self.inner.status == Some(429)
    }
}

impl fmt::Display for Error {
    /// One line: kind or status, code, message, request-id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        match (inner.kind, inner.status) {
            (ErrorKind::Api, Some(status)) => write!(f, "Graph returned {status}")?,
            (ErrorKind::Decode, Some(status)) => write!(f, "could not decode the {status} response")?,
            (ErrorKind::Config, _) => f.write_str("invalid client configuration")?,
            (ErrorKind::InvalidRequest, _) => f.write_str("invalid request")?,
            (ErrorKind::Auth, _) => f.write_str("could not get a token")?,
            (ErrorKind::Transport, _) => f.write_str("transport error")?,
            (ErrorKind::Timeout, _) => f.write_str("timed out")?,
            (ErrorKind::Redirect, _) => f.write_str("redirect not followed")?,
            (ErrorKind::Limit, _) => f.write_str("limit reached")?,
            (ErrorKind::NotSent, _) => f.write_str("not sent")?,
            (ErrorKind::Unverified, _) => f.write_str("unverified")?,
            (kind, _) => write!(f, "{kind:?} error")?,
        }
        if let Some(code) = &inner.code {
            write!(f, " {code}")?;
        }
        if !inner.message.is_empty() {
            f.write_str(": ")?;
            // Keep Display on one line whatever the message holds.
            for (i, line) in inner.message.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                f.write_str(line.trim())?;
            }
        }
        if let Some(id) = &inner.request_id {
            write!(f, " (request-id: {id})")?;
        } else if let Some(id) = &inner.client_request_id {
            write!(f, " (client-request-id: {id})")?;
        }
        if inner.attempts > 1 {
            write!(f, " after {} attempts", inner.attempts)?;
        }
        if let Some(note) = &inner.retry_note {
            write!(f, " ({})", note.reason)?;
        }
        if inner.may_have_been_applied {
            f.write_str("; the request may have been applied: check before sending it again")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &inner.kind).field("message", &inner.message);
        if let Some(status) = inner.status {
            d.field("status", &status);
        }
        if let Some(code) = &inner.code {
            d.field("code", code);
        }
        if let Some(code) = &inner.inner_code {
            d.field("inner_code", code);
        }
        if let Some(id) = &inner.request_id {
            d.field("request_id", id);
        }
        if let Some(id) = &inner.client_request_id {
            d.field("client_request_id", id);
        }
        if let Some(snippet) = &inner.snippet {
            d.field("body_snippet", snippet);
        }
        if inner.attempts > 0 {
            d.field("attempts", &inner.attempts);
        }
        if let Some(note) = self.retry_note() {
            d.field("retry_note", &note);
        }
        if inner.may_have_been_applied {
            d.field("may_have_been_applied", &true);
        }
        if let Some(source) = &inner.source {
            d.field("source", &source.to_string());
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::graph::SNIPPET_LIMIT;
    use super::*;
    use http::{HeaderMap, HeaderValue};

    #[test]
    fn graph_error_body() {
        let body = br#"{"error":{"code":"TooManyRequests","message":"Too many requests","innerError":{"code":"429","date":"2024-01-01T00:00:00","request-id":"r-1","client-request-id":"c-1"}}}"#;
        let error = Error::api(429, body, &HeaderMap::new());
        assert_eq!(error.status(), Some(429));
        assert_eq!(error.code(), Some("TooManyRequests"));
        assert_eq!(error.inner_code(), Some("429"));
        assert_eq!(error.request_id(), Some("r-1"));
        assert_eq!(error.client_request_id(), Some("c-1"));
        assert_eq!(error.to_string(), "Graph returned 429 TooManyRequests: Too many requests (request-id: r-1)");
    }

    #[test]
    fn intune_nested_message_and_header_ids() {
        let body = br#"{"error":{"code":"BadRequest","message":"{\r\n  \"_version\": 3,\r\n  \"Message\": \"An error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000\",\r\n  \"CustomApiErrorPhrase\": \"\"\r\n}","innererror":{"date":"2024-01-01T00:00:00"}}}"#;
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("from-header"));
        let error = Error::api(400, body, &headers);
        assert_eq!(error.message(), "An error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000");
        assert_eq!(error.request_id(), Some("from-header"));
        assert!(!error.to_string().contains('\n'));
    }

    #[test]
    fn graph_text_is_cleaned_and_cut() {
        let long = "x".repeat(5000);
        let body = serde_json::json!({"error": {
            "code": "Bad\u{1b}[2J\r\nRequest",
            "message": format!("line one\r\nline two \u{1b}[31mred\u{1b}[0m\u{7} {long}"),
            "innerError": {"request-id": "r\n1"}
        }});
        let error = Error::api(400, body.to_string().as_bytes(), &HeaderMap::new());
        assert_eq!(error.code(), Some("Bad Request"));
        assert_eq!(error.request_id(), Some("r 1"));
        assert!(error.message().starts_with("line one line two red xxx"), "{}", error.message());
        assert_eq!(error.message().chars().count(), MESSAGE_LIMIT + 1);
        assert!(error.message().ends_with('…'));
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains(['\r', '\n', '\u{1b}', '\u{7}']), "{shown}");
            assert!(!shown.contains("\\u{1b}") && !shown.contains("\\r"), "{shown}");
            assert!(shown.len() < 1300, "{}", shown.len());
        }
    }

    #[test]
    fn non_json_error_keeps_status_and_bounded_snippet() {
        let body = vec![b'x'; 5000];
        let error = Error::api(502, &body, &HeaderMap::new());
        assert_eq!(error.status(), Some(502));
        assert_eq!(error.body_snippet().map(str::len), Some(SNIPPET_LIMIT));
        assert!(error.to_string().starts_with("Graph returned 502"), "{error}");
    }
}
