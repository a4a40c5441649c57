//! Graph's error body, `{"error":{"code","message","innerError":{...}}}`, and what an error
//! keeps of a body that is not one.

use serde::Deserialize;

/// Longest body snippet kept in an error.
pub(crate) const SNIPPET_LIMIT: usize = 1024;

/// Graph's error body.
#[derive(Deserialize)]
pub(super) struct ErrorBody {
    pub(super) error: Option<GraphError>,
}

#[derive(Deserialize)]
pub(super) struct GraphError {
    pub(super) code: Option<String>,
    pub(super) message: Option<String>,
    #[serde(rename = "innerError", alias = "innererror", alias = "InnerError")]
    pub(super) inner_error: Option<InnerError>,
}

#[derive(Deserialize, Default)]
pub(super) struct InnerError {
    pub(super) code: Option<String>,
    #[serde(rename = "request-id", alias = "requestId")]
    pub(super) request_id: Option<String>,
    #[serde(rename = "client-request-id", alias = "clientRequestId")]
    pub(super) client_request_id: Option<String>,
    pub(super) date: Option<String>,
}

/// Intune puts a JSON document in `message` (`{"_version":3,"Message":"An error has
/// occurred - Operation ID ...", ...}`): take its `Message` when it is one.
pub(super) fn unwrap_nested_message(message: &str) -> String {
    let trimmed = message.trim();
    if trimmed.starts_with('{')
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(trimmed)
        && let Some(serde_json::Value::String(inner)) = map.get("Message").or_else(|| map.get("message"))
    {
        return inner.clone();
    }
    message.to_owned()
}

pub(super) fn reason_suffix(status: u16) -> String {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).map(|r| format!(" ({r})")).unwrap_or_default()
}

/// At most [`SNIPPET_LIMIT`] bytes of a body, cut at a character boundary.
pub(super) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LIMIT)]);
    let mut text = text.into_owned();
    while text.len() > SNIPPET_LIMIT {
        text.pop();
    }
    text
}
