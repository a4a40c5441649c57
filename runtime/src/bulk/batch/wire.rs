//! The JSON of `$batch`: `{"requests": [...]}` out, `{"responses": [...]}` back.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A `$batch` request body.
#[derive(Serialize)]
pub(super) struct Requests<'a> {
    pub(super) requests: Vec<Request<'a>>,
}

#[derive(Serialize)]
pub(super) struct Request<'a> {
    pub(super) id: String,
    pub(super) method: &'a str,
    /// Relative to the version root: `/users/x?$select=id`.
    pub(super) url: &'a str,
    #[serde(skip_serializing_if = "no_headers")]
    pub(super) headers: &'a Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) body: Option<&'a Value>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Option::is_none")]
    pub(super) depends_on: Option<[String; 1]>,
}

fn no_headers(headers: &&Map<String, Value>) -> bool {
    headers.is_empty()
}

/// A `$batch` answer.
#[derive(Deserialize)]
pub(super) struct Responses {
    #[serde(default)]
    pub(super) responses: Vec<Response>,
}

#[derive(Deserialize)]
pub(super) struct Response {
    pub(super) id: String,
    pub(super) status: u16,
    #[serde(default)]
    pub(super) headers: Map<String, Value>,
    #[serde(default)]
    pub(super) body: Option<Value>,
}

impl Response {
    /// A header of the item's answer, case-insensitively.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).and_then(|(_, value)| value.as_str())
    }
}
