//! One item of a batch, prepared as a single call would be: what goes in its `$batch` entry.

use crate::client::Client;
use crate::error::Error;
use crate::headers::CLIENT_REQUEST_ID;
use crate::pacing::Key;
use crate::protocol::ApiVersion;
use crate::request::endpoint::Endpoint;
use crate::request::options::Options;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use serde_json::{Map, Value};

/// One item, prepared as a single call would be. `pub` only to appear in the sealed
/// `Items` trait; this module is private.
pub struct Prepared {
    pub(super) version: ApiVersion,
    pub(super) method: http::Method,
    /// Relative to the version root, starting with `/`.
    pub(super) url: String,
    /// The item's headers as Graph's documentation writes them (`Content-Type`).
    pub(super) headers: Map<String, Value>,
    /// JSON inlined; any other body as a base64 string.
    pub(super) body: Option<Value>,
    pub(super) idempotent: bool,
    pub(super) write: bool,
    /// What pacing knows the item by: its kind and its own route's workload.
    pub(super) key: Key,
}

impl Prepared {
    /// Prepares `endpoint` for `client`: refused here (as a single call would be refused
    /// before sending) when its values do not make a request, or the request cannot travel
    /// in a `$batch` (a header that is not text, a JSON body that is not JSON).
    pub(crate) fn of<E: Endpoint + ?Sized>(client: &Client, endpoint: &E) -> Result<Prepared, Error> {
        let request = client.prepare(endpoint, &Options::default())?;
        let version = endpoint.version().unwrap_or(client.default_version());
        let root_len = client.base_url().len() + 1 + version.as_str().len();
        let url = request.url().as_str().get(root_len..).unwrap_or("/").to_owned();
        let mut headers = Map::new();
        let mut content_type = None;
        for (name, value) in request.headers() {
            if [ACCEPT, USER_AGENT, CONTENT_LENGTH, AUTHORIZATION, CLIENT_REQUEST_ID].contains(name) {
                continue;
            }
            let value = value.to_str().map_err(|_| Error::invalid_request(format!("the header `{name}` cannot go in a $batch item")))?;
            if name == CONTENT_TYPE {
                content_type = Some(value.to_owned());
            }
            headers.insert(header_case(name.as_str()), Value::String(value.to_owned()));
        }
        let body = match request.body().and_then(|body| body.as_bytes()) {
            None => None,
            Some(bytes) if is_json(content_type.as_deref()) => Some(
                serde_json::from_slice(bytes)
                    .map_err(|e| Error::invalid_request(format!("the body is not JSON, so it cannot be inlined in $batch: {e}")))?,
            ),
            // Bytes travel as base64, with their content type.
            Some(bytes) => Some(Value::String(BASE64.encode(bytes))),
        };
        // Graph refuses a whole `$batch` in which a POST, PUT or PATCH item lacks a body or a
        // Content-Type ("Write request id : 1 does not contain Content-Type header or body"),
        // a bodiless action (`/send`, `/syncDevice`) included: such an item goes with `{}`,
        // which an action without parameters takes as none. Every body carries its type.
        let body = match body {
            None if [http::Method::POST, http::Method::PUT, http::Method::PATCH].contains(request.method()) => {
                Some(Value::Object(Map::new()))
            }
            body => body,
        };
        if body.is_some() && content_type.is_none() {
            headers.insert("Content-Type".to_owned(), Value::String("application/json".to_owned()));
        }
        let write = request.method() != http::Method::GET;
        let key = Key::of(request.method(), endpoint.template());
        Ok(Prepared { version, method: request.method().clone(), url, headers, body, idempotent: endpoint.is_idempotent(), write, key })
    }

    /// The API version the item goes under: items of different versions go in different
    /// `$batch` requests.
    pub(crate) fn version(&self) -> ApiVersion {
        self.version
    }
}

/// Whether a body of this content type is JSON (none given: JSON).
pub(super) fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|t| {
        let t = t.split(';').next().unwrap_or("").trim();
        t.eq_ignore_ascii_case("application/json") || t.ends_with("+json")
    })
}

/// A header name as Graph's documentation writes it in `$batch` items: `Content-Type`,
/// `If-Match` (HTTP's names are case-insensitive; Graph's examples, and code that reads
/// the JSON with a fixed key, use these).
fn header_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        out.push(if start { c.to_ascii_uppercase() } else { c });
        start = c == '-';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_written_as_graph_writes_them() {
        assert_eq!(header_case("content-type"), "Content-Type");
        assert_eq!(header_case("if-match"), "If-Match");
        assert_eq!(header_case("consistencylevel"), "Consistencylevel");
        assert_eq!(header_case("prefer"), "Prefer");
    }

    #[test]
    fn json_content_types() {
        assert!(is_json(None));
        assert!(is_json(Some("application/json; charset=utf-8")));
        assert!(is_json(Some("application/merge-patch+json")));
        assert!(!is_json(Some("image/jpeg")));
    }
}
