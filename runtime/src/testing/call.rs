//! What the stand-in received: one [`Call`] per request, retries and pages included.

use super::template::Template;
use crate::protocol::{ApiVersion, Method};
use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;

/// One request the stand-in received, as it arrived.
///
/// Calls come from [`StandIn::calls`](super::StandIn::calls) (bound to the endpoint type's
/// template, so that [`path_param`](Self::path_param) reads its parameters),
/// [`StandIn::calls_to`](super::StandIn::calls_to) and
/// [`StandIn::received`](super::StandIn::received) (bound to the route that answered, if one did).
///
/// ```
/// # use graph_endpoint::testing::StandIn;
/// # use graph_endpoint::{ApiVersion, Method, graph_endpoint};
/// #[graph_endpoint(GET "/users('{userId}')/memberOf", response = serde_json::Value)]
/// struct MemberOf {
///     user_id: String,
///     #[graph(query = "$filter")]
///     filter: Option<String>,
/// }
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let stand_in = StandIn::start().await;
/// stand_in.on::<MemberOf>().json(200, serde_json::json!({"value": []}));
/// let filter = Some("startswith(displayName,'A&B')".to_owned());
/// stand_in.client().send(&MemberOf { user_id: "O'Brien/2".into(), filter }).await.unwrap();
///
/// let call = &stand_in.calls::<MemberOf>()[0];
/// assert_eq!(call.method(), Method::Get);
/// assert_eq!(call.version(), ApiVersion::V1);
/// assert_eq!(call.path(), "/v1.0/users('O%27%27Brien%2F2')/memberOf");
/// assert_eq!(call.path_param("userId").as_deref(), Some("O'Brien/2"));
/// assert_eq!(call.query("$filter").as_deref(), Some("startswith(displayName,'A&B')"));
/// assert_eq!(call.header("authorization"), Some("Bearer stand-in-token"));
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Call {
    pub(crate) method: Method,
    pub(crate) version: ApiVersion,
    /// The raw path, version included.
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) template: Option<Arc<str>>,
    pub(crate) params: Vec<(String, String)>,
}

impl Call {
    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The API version the request was sent under (its first path segment).
    pub fn version(&self) -> ApiVersion {
        self.version
    }

    /// The path as it arrived, still percent-encoded and with the version:
    /// `/beta/users/a%2Fb`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The template this call was matched against (`/users/{userId}`), if it matched one.
    pub fn template(&self) -> Option<&str> {
        self.template.as_deref()
    }

    /// The value the client put in the template's parameter `name`, decoded: percent-decoding
    /// undone, and inside a quoted key (`users('{id}')`) OData's doubled `''` back to `'`.
    /// `None` when the template has no such parameter, or the call matched no template.
    pub fn path_param(&self, name: &str) -> Option<String> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
    }

    /// Every path parameter with its decoded value, in template order.
    pub fn path_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(key, value)| (key.as_str(), value.as_str()))
    }

    /// The first value of the query parameter `name` (`$filter`, `$top`, ...), decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value)
    }

    /// Every query pair, decoded, in order.
    pub fn query_pairs(&self) -> impl Iterator<Item = (String, String)> + '_ {
        let query = self.query.as_deref().unwrap_or("");
        url::form_urlencoded::parse(query.as_bytes()).map(|(key, value)| (key.into_owned(), value.into_owned()))
    }

    /// The query string as it arrived (without `?`), if there was one.
    pub fn query_string(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The value of header `name` (any case), when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Every header of the request.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as it arrived (empty when there was none).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded from JSON, as the type the test expects.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The path after the version: what templates match.
    pub(crate) fn route_path(&self) -> &str {
        &self.path[1 + self.version.as_str().len()..]
    }

    /// This call with the parameters of `template`, when its path matches it.
    pub(crate) fn bound_to(&self, method: Method, template: &Template) -> Option<Call> {
        if method != self.method {
            return None;
        }
        let params = template.matches(self.route_path())?;
        Some(Call { template: Some(template.text().clone()), params, ..self.clone() })
    }
}

impl fmt::Display for Call {
    /// `PATCH /beta/users/a%2Fb?$select=id`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(query) = &self.query {
            write!(f, "?{query}")?;
        }
        Ok(())
    }
}
