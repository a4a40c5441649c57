//! What the stand-in answers: a [`Reply`], Graph's error body, and collection pages.

use super::call::Call;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime};
use wiremock::ResponseTemplate;

/// One answer of the stand-in: a status, headers and a body.
///
/// Every answer also carries a fresh `request-id` header and echoes the request's
/// `client-request-id`, as Graph does (unless the reply sets them itself). Most tests use
/// the shorthands of [`RouteBuilder`](super::RouteBuilder); a reply is what a
/// [`respond_with`](super::RouteBuilder::respond_with) closure returns.
///
/// ```
/// use graph_endpoint::testing::Reply;
/// use std::time::Duration;
///
/// let created = Reply::json(201, serde_json::json!({"id": "g-1"})).header("location", "https://graph.microsoft.com/v1.0/groups/g-1");
/// let missing = Reply::error(404, "Request_ResourceNotFound", "Resource 'g-2' does not exist.");
/// let throttled = Reply::throttled(Duration::from_millis(20));
/// # let _ = (created, missing, throttled);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Reply {
    status: u16,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    Empty,
    Bytes {
        content_type: String,
        bytes: Bytes,
    },
    /// Graph's error JSON, written per answer so that its ids are the answer's own.
    GraphError {
        code: String,
        message: String,
        inner_code: Option<String>,
    },
}

impl Reply {
    /// `status` with `body` as JSON.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status or `body` does not serialize.
    #[track_caller]
    pub fn json(status: u16, body: impl Serialize) -> Reply {
        let bytes = serde_json::to_vec(&body).unwrap_or_else(|e| panic!("the stand-in's reply body does not serialize as JSON: {e}"));
        Reply::bytes(status, "application/json", bytes)
    }

    /// `status` with `body` sent as it is, under `content_type`.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status or `content_type` cannot be a header value.
    #[track_caller]
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        if HeaderValue::from_str(content_type).is_err() {
            panic!("`{content_type}` cannot be a Content-Type header");
        }
        Reply { body: Body::Bytes { content_type: content_type.to_owned(), bytes: body.into() }, ..Reply::status(status) }
    }

    /// `204 No Content`.
    pub fn no_content() -> Reply {
        Reply::status(204)
    }

    /// `status` with no body.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status (100 to 999).
    #[track_caller]
    pub fn status(status: u16) -> Reply {
        if http::StatusCode::from_u16(status).is_err() {
            panic!("{status} is not an HTTP status");
        }
        Reply { status, headers: Vec::new(), body: Body::Empty }
    }

    /// `status` with Graph's error JSON:
    /// `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`,
    /// the ids being those of the answer's headers.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status.
    #[track_caller]
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply { body: Body::GraphError { code: code.to_owned(), message: message.to_owned(), inner_code: None }, ..Reply::status(status) }
    }

    /// Graph's throttling answer: `429 Too Many Requests` with `Retry-After` (in seconds,
    /// fractional when `retry_after` is not whole seconds, as Intune sends it) and the
    /// `TooManyRequests` error body with `429` as its inner code.
    pub fn throttled(retry_after: Duration) -> Reply {
        let body =
            Body::GraphError { code: "TooManyRequests".into(), message: "Too many requests.".into(), inner_code: Some("429".into()) };
        Reply { body, ..Reply::status(429) }.header("retry-after", &retry_after.as_secs_f64().to_string())
    }

    /// Adds a response header.
    ///
    /// # Panics
    ///
    /// When `name` or `value` cannot be a header.
    #[track_caller]
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) else {
            panic!("`{name}: {value}` cannot be a response header");
        };
        self.headers.push((name, value));
        self
    }

    /// The HTTP status.
    pub fn status_code(&self) -> u16 {
        self.status
    }

    /// The reply's own `request-id` header, or a fresh one.
    fn request_id(&self) -> String {
        match self.headers.iter().find(|(key, _)| key == "request-id") {
            Some((_, value)) => value.to_str().unwrap_or_default().to_owned(),
            None => uuid::Uuid::new_v4().to_string(),
        }
    }

    /// Graph's error JSON of a `GraphError` body, with the answer's ids.
    fn graph_error(code: &str, message: &str, inner_code: Option<&str>, request_id: &str, client_request_id: Option<&str>) -> Value {
        let mut inner = json!({"date": utc_now(), "request-id": request_id, "client-request-id": client_request_id});
        if let Some(inner_code) = inner_code {
            inner["code"] = inner_code.into();
        }
        json!({"error": {"code": code, "message": message, "innerError": inner}})
    }

    /// The reply as one entry of a `$batch` answer, `{"id", "status", "headers", "body"}`, as
    /// Graph writes it: a JSON body inlined, any other body as base64, its `Content-Type` among
    /// the headers.
    pub(crate) fn batch_item(&self, id: &str, client_request_id: Option<&str>) -> Value {
        let mut headers = serde_json::Map::new();
        for (name, value) in &self.headers {
            headers.insert(name.as_str().to_owned(), value.to_str().unwrap_or_default().into());
        }
        let mut item = json!({"id": id, "status": self.status});
        match &self.body {
            Body::Empty => {}
            Body::Bytes { content_type, bytes } => {
                headers.insert("Content-Type".to_owned(), content_type.as_str().into());
                let json = content_type.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
                item["body"] = match serde_json::from_slice::<Value>(bytes) {
                    Ok(value) if json => value,
                    _ => BASE64.encode(bytes).into(),
                };
            }
            Body::GraphError { code, message, inner_code } => {
                headers.insert("Content-Type".to_owned(), "application/json".into());
                item["body"] = Reply::graph_error(code, message, inner_code.as_deref(), &self.request_id(), client_request_id);
            }
        }
        item["headers"] = headers.into();
        item
    }

    /// The response for a request that sent `client_request_id`.
    pub(crate) fn render(&self, client_request_id: Option<&str>) -> ResponseTemplate {
        let has = |name: &str| self.headers.iter().any(|(key, _)| key == name);
        let request_id = self.request_id();
        let mut response = ResponseTemplate::new(self.status);
        if !has("request-id") {
            response = response.insert_header("request-id", request_id.as_str());
        }
        if let (Some(id), false) = (client_request_id, has("client-request-id")) {
            response = response.insert_header("client-request-id", id);
        }
        for (name, value) in &self.headers {
            response = response.append_header(name.clone(), value.clone());
        }
        match &self.body {
            Body::Empty => response,
            Body::Bytes { content_type, bytes } => response.set_body_raw(bytes.to_vec(), content_type),
            Body::GraphError { code, message, inner_code } => {
                let body = Reply::graph_error(code, message, inner_code.as_deref(), &request_id, client_request_id);
                response.set_body_raw(body.to_string().into_bytes(), "application/json")
            }
        }
    }
}

/// The page of `pages` that `call` asks for (its `$skiptoken`, none for the first), linked
/// to the next one by an `@odata.nextLink` back at `origin`, with the call's own query.
pub(crate) fn page(pages: &[Value], origin: &str, call: &Call) -> Reply {
    let token = call.query("$skiptoken");
    let index = match token.as_deref().map(str::parse::<usize>) {
        None => 0,
        Some(Ok(index)) if index > 0 && index < pages.len() => index,
        Some(_) => {
            let token = token.unwrap_or_default();
            return Reply::error(400, "BadRequest", &format!("The $skiptoken `{token}` is not one the stand-in gave for this collection."));
        }
    };
    let mut body = json!({"value": pages.get(index).cloned().unwrap_or_else(|| json!([]))});
    if index + 1 < pages.len() {
        let mut link = format!("{origin}{}?", call.path());
        for pair in call.query_string().unwrap_or("").split('&').filter(|pair| !pair.is_empty()) {
            let key = percent_encoding::percent_decode_str(pair.split('=').next().unwrap_or("")).decode_utf8_lossy();
            if key != "$skiptoken" {
                link.push_str(pair);
                link.push('&');
            }
        }
        link.push_str(&format!("$skiptoken={}", index + 1));
        body["@odata.nextLink"] = link.into();
    }
    Reply::json(200, body)
}

/// Now in UTC as `innerError.date` writes it: `2024-05-01T12:34:56`.
fn utc_now() -> String {
    let seconds = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |since| since.as_secs());
    utc(seconds)
}

/// `seconds` since the Unix epoch as `YYYY-MM-DDTHH:MM:SS` (Howard Hinnant's civil date).
fn utc(seconds: u64) -> String {
    let (days, time) = (seconds / 86_400, seconds % 86_400);
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", time / 3_600, time % 3_600 / 60, time % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_civil_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(utc(1_700_000_000), "2023-11-14T22:13:20");
        assert_eq!(utc(4_107_542_399), "2100-02-28T23:59:59");
    }

    #[test]
    #[should_panic(expected = "not an HTTP status")]
    fn a_status_is_checked() {
        let _ = Reply::status(42);
    }

    #[test]
    fn throttled_says_when_in_fractional_seconds() {
        let reply = Reply::throttled(Duration::from_millis(2128));
        assert_eq!(reply.status_code(), 429);
        assert!(reply.headers.iter().any(|(name, value)| name == "retry-after" && value == "2.128"));
        let whole = Reply::throttled(Duration::from_secs(3));
        assert!(whole.headers.iter().any(|(name, value)| name == "retry-after" && value == "3"));
    }
}
