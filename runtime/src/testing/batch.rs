//! `$batch` at the stand-in, as Graph answers it: the envelope checked against Graph's rules
//! (a `400` for the whole request when one is broken), each item unpacked into a [`Call`] and
//! answered by the same dispatch as a single call, items chained by `dependsOn` run after
//! their dependencies (`424` when one failed), and the answers in a shuffled order.
//!
//! Graph's rules checked here: a JSON body with a `requests` array of at most 20 items; each
//! item with an `id` unique among them (letter case aside), a `method`, and a relative `url`;
//! an item with a `body` carries a `Content-Type` header, and a `POST`, `PUT` or `PATCH` item
//! has a body (Graph refuses a bodiless action in a `$batch`); `dependsOn` names ids of the
//! same request (and no cycle).

use super::call::Call;
use super::reply::Reply;
use crate::protocol::{ApiVersion, Method};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::time::Duration;

/// Graph's limit of requests in one `$batch`.
const MAX_ITEMS: usize = 20;

/// Answers one item as a single call: the stand-in's dispatch.
pub(super) type Dispatch<'a> = dyn FnMut(Call) -> (Reply, Option<Duration>) + 'a;

/// What the stand-in answers a `$batch` envelope.
pub(super) struct Answered {
    pub(super) reply: Reply,
    /// The longest chain of item delays (independent items run side by side).
    pub(super) delay: Option<Duration>,
    /// One line per item, for the stand-in's log of requests.
    pub(super) log: Vec<String>,
}

/// The version when `path` is a `$batch` endpoint: `/v1.0/$batch` or `/beta/$batch`.
pub(super) fn batch_version(path: &str) -> Option<ApiVersion> {
    [ApiVersion::V1, ApiVersion::Beta]
        .into_iter()
        .find(|version| path.strip_prefix('/').and_then(|p| p.strip_prefix(version.as_str())) == Some("/$batch"))
}

/// One item of the envelope, read and checked.
struct Item {
    id: String,
    method: Method,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

/// Answers the `$batch` envelope `body`, sent under `version` with `envelope` headers; `seed`
/// orders the answers.
pub(super) fn answer(version: ApiVersion, body: &[u8], envelope: &HeaderMap, seed: u64, dispatch: &mut Dispatch<'_>) -> Answered {
    let items = match read(body) {
        Ok(items) => items,
        Err(message) => return Answered { reply: Reply::error(400, "BadRequest", &message), delay: None, log: Vec::new() },
    };
    let order = match run_order(&items) {
        Ok(order) => order,
        Err(message) => return Answered { reply: Reply::error(400, "BadRequest", &message), delay: None, log: Vec::new() },
    };
    let client_request_id = envelope.get("client-request-id").and_then(|v| v.to_str().ok());
    let position: HashMap<String, usize> = items.iter().enumerate().map(|(i, item)| (item.id.to_lowercase(), i)).collect();
    // Per item: its status and when it finished (its delay after its dependencies').
    let mut ran: Vec<Option<(u16, Duration)>> = vec![None; items.len()];
    let mut answers: Vec<Value> = Vec::with_capacity(items.len());
    let mut log = Vec::with_capacity(items.len());
    for at in order {
        let item = &items[at];
        let dependencies: Vec<(u16, Duration)> =
            item.depends_on.iter().filter_map(|id| position.get(&id.to_lowercase()).and_then(|&d| ran[d])).collect();
        let after = dependencies.iter().map(|(_, done)| *done).max().unwrap_or_default();
        let failed = item
            .depends_on
            .iter()
            .find(|id| position.get(&id.to_lowercase()).and_then(|&d| ran[d]).is_some_and(|(status, _)| !(200..300).contains(&status)));
        let (reply, delay) = match failed {
            // Graph does not run an item whose dependency failed.
            Some(failed) => {
                let message = format!("The request {} depends on the request {failed}, which failed.", item.id);
                (Reply::error(424, "FailedDependency", &message), None)
            }
            None => dispatch(call_of(version, item, envelope)),
        };
        let done = after + delay.unwrap_or_default();
        ran[at] = Some((reply.status_code(), done));
        log.push(format!("  $batch item {}: {} /{}{} -> {}", item.id, item.method, version.as_str(), item.url, reply.status_code()));
        answers.push(reply.batch_item(&item.id, client_request_id));
    }
    fastrand::Rng::with_seed(seed).shuffle(&mut answers);
    let delay = ran.iter().flatten().map(|(_, done)| *done).max().filter(|d| !d.is_zero());
    Answered { reply: Reply::json(200, json!({"responses": answers})), delay, log }
}

/// The items of an envelope, or Graph's reason to refuse it.
fn read(body: &[u8]) -> Result<Vec<Item>, String> {
    let envelope: Value = serde_json::from_slice(body).map_err(|_| "Invalid batch payload format: the body is not JSON.".to_owned())?;
    let requests = envelope
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| "Invalid batch payload format: no `requests` array.".to_owned())?;
    if requests.len() > MAX_ITEMS {
        return Err(format!("The number of requests in a batch ({}) exceeds the limit of {MAX_ITEMS}.", requests.len()));
    }
    let mut items: Vec<Item> = Vec::with_capacity(requests.len());
    for request in requests {
        let id = match request.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            _ => return Err("Every request in a batch needs an `id`.".to_owned()),
        };
        if items.iter().any(|item| item.id.eq_ignore_ascii_case(&id)) {
            return Err(format!("The request id `{id}` is not unique in the batch (ids are compared without letter case)."));
        }
        let method = match request.get("method").and_then(Value::as_str).map(str::to_ascii_uppercase).as_deref() {
            Some("GET") => Method::Get,
            Some("POST") => Method::Post,
            Some("PUT") => Method::Put,
            Some("PATCH") => Method::Patch,
            Some("DELETE") => Method::Delete,
            _ => return Err(format!("The request {id} has no valid `method`.")),
        };
        let url = request.get("url").and_then(Value::as_str).unwrap_or_default();
        if url.is_empty() || url.contains("://") || url.starts_with("//") {
            return Err(format!("Invalid request URL for the request {id}: a batch item's url is relative to the version root."));
        }
        let url = if url.starts_with('/') { url.to_owned() } else { format!("/{url}") };
        let headers = match request.get("headers") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(headers)) => headers.clone(),
            Some(_) => return Err(format!("The headers of the request {id} are not an object.")),
        };
        let body = request.get("body").filter(|body| !body.is_null()).cloned();
        let typed = headers.keys().any(|name| name.eq_ignore_ascii_case("content-type"));
        let write = matches!(method, Method::Post | Method::Put | Method::Patch);
        if (body.is_some() && !typed) || (write && body.is_none()) {
            return Err(format!("Write request id : {id} does not contain Content-Type header or body."));
        }
        let depends_on = match request.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(ids)) if ids.iter().all(Value::is_string) => {
                ids.iter().filter_map(Value::as_str).map(str::to_owned).collect()
            }
            Some(_) => return Err(format!("The dependsOn of the request {id} is not an array of ids.")),
        };
        items.push(Item { id, method, url, headers, body, depends_on });
    }
    for item in &items {
        if let Some(missing) = item.depends_on.iter().find(|id| !items.iter().any(|other| other.id.eq_ignore_ascii_case(id))) {
            return Err(format!("The request {} depends on the request {missing}, which is not in the batch.", item.id));
        }
    }
    Ok(items)
}

/// The items in an order that runs each after its dependencies (otherwise in envelope
/// order), or why there is none.
fn run_order(items: &[Item]) -> Result<Vec<usize>, String> {
    let mut order = Vec::with_capacity(items.len());
    let mut placed = vec![false; items.len()];
    while order.len() < items.len() {
        let ready = (0..items.len()).find(|&i| {
            !placed[i]
                && items[i]
                    .depends_on
                    .iter()
                    .all(|id| items.iter().position(|other| other.id.eq_ignore_ascii_case(id)).is_some_and(|d| placed[d]))
        });
        let Some(ready) = ready else {
            return Err("The dependsOn of the batch's requests form a cycle.".to_owned());
        };
        placed[ready] = true;
        order.push(ready);
    }
    Ok(order)
}

/// An item as the single call it stands for: its method and URL under the envelope's
/// version, its own headers with the envelope's `Authorization` and `client-request-id`,
/// its body as the bytes a single call would have sent (JSON written out, base64 decoded).
fn call_of(version: ApiVersion, item: &Item, envelope: &HeaderMap) -> Call {
    let (path, query) = match item.url.split_once('?') {
        Some((path, query)) => (path, Some(query.to_owned())),
        None => (item.url.as_str(), None),
    };
    let mut headers = HeaderMap::new();
    for name in ["authorization", "client-request-id"] {
        if let Some(value) = envelope.get(name) {
            headers.insert(HeaderName::from_static(name), value.clone());
        }
    }
    let mut content_type = None;
    for (name, value) in &item.headers {
        let Some(text) = value.as_str() else { continue };
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(text)) {
            if name == http::header::CONTENT_TYPE {
                content_type = Some(text.to_owned());
            }
            headers.insert(name, value);
        }
    }
    let body = match &item.body {
        None => Bytes::new(),
        Some(Value::String(text)) if !is_json(content_type.as_deref()) => {
            BASE64.decode(text).map(Bytes::from).unwrap_or_else(|_| Bytes::from(text.clone().into_bytes()))
        }
        Some(value) => Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
    };
    Call {
        method: item.method,
        version,
        path: format!("/{}{path}", version.as_str()),
        query,
        headers,
        body,
        template: None,
        params: Vec::new(),
    }
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|t| {
        let t = t.split(';').next().unwrap_or("").trim();
        t.eq_ignore_ascii_case("application/json") || t.ends_with("+json")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(envelope: Value) -> String {
        let body = serde_json::to_vec(&envelope).unwrap();
        let answered = answer(ApiVersion::V1, &body, &HeaderMap::new(), 0, &mut |_| panic!("nothing runs"));
        assert_eq!(answered.reply.status_code(), 400, "{envelope}");
        format!("{:?}", answered.reply)
    }

    #[test]
    fn graphs_rules_refuse_the_whole_request() {
        let item = |id: &str| json!({"id": id, "method": "GET", "url": "/me"});
        let many: Vec<Value> = (1..=21).map(|i| item(&i.to_string())).collect();
        assert!(refused(json!({"requests": many})).contains("limit of 20"));
        assert!(refused(json!({"requests": [item("a"), item("A")]})).contains("not unique"));
        assert!(
            refused(json!({"requests": [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"}]})).contains("relative")
        );
        assert!(
            refused(json!({"requests": [{"id": "1", "method": "PATCH", "url": "/me", "body": {"x": 1}}]}))
                .contains("does not contain Content-Type")
        );
        assert!(refused(json!({"requests": [{"id": "1", "method": "POST", "url": "/me/messages/m/send"}]})).contains("or body"));
        assert!(
            refused(json!({"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]}]})).contains("not in the batch")
        );
        let cycle = json!({"requests": [
            {"id": "1", "method": "GET", "url": "/me", "dependsOn": ["2"]},
            {"id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"]}
        ]});
        assert!(refused(cycle).contains("cycle"));
        assert!(refused(json!({"nothing": []})).contains("requests"));
    }

    #[test]
    fn batch_paths() {
        assert_eq!(batch_version("/v1.0/$batch"), Some(ApiVersion::V1));
        assert_eq!(batch_version("/beta/$batch"), Some(ApiVersion::Beta));
        assert_eq!(batch_version("/beta/$batch/x"), None);
        assert_eq!(batch_version("/v1.0/users"), None);
    }
}
