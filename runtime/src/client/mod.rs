//! The client: one connection pool, a base URL, a default API version, a token source, and
//! the call path every request goes through.
//!
//! - `builder`: [`ClientBuilder`], whose setters collect a `Config`;
//! - `config`: the settings, unchecked;
//! - `authorization`: the token source, and how each request gets its `Authorization`;
//! - here: [`Client`] over a private `Inner` that only [`ClientBuilder::build`] makes, from a
//!   `Config`, through `Client::from_config`.
//!
//! The calls themselves are where their concepts are: `send`, `execute`, `request`, `stream`
//! and `build_request` in the request side, `batch` in batch.
//!
//! May use: call, pacing, auth, cloud, protocol, headers, error. Not the request side, batch or
//! testing, which use it.

mod authorization;
mod builder;
mod config;

pub use builder::ClientBuilder;

use crate::call::{Authorize as _, Call, Caller, Exchange, RetryPolicy, http_builder, origin};
use crate::error::Error;
use crate::headers::{APPLICATION_JSON, USER_AGENT};
use crate::pacing::Pacer;
use crate::protocol::ApiVersion;
use authorization::Authorization;
use config::Config;
use http::header::{ACCEPT, USER_AGENT as USER_AGENT_HEADER};
use http::{HeaderMap, HeaderValue};
use reqwest::Url;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The headers a request's map has room for from the start: those every request carries, an
/// endpoint's own few, and those added on the way (see `transport::copy` for why a map that
/// grows late costs).
const HEADER_ROOM: usize = 12;

/// A Microsoft Graph client. Cheap to clone (clones share one connection pool, token source
/// and concurrency limit) and `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), graph_endpoint::Error> {
/// let client = graph_endpoint::Client::builder()
///     .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What a client's clones share. Made only from a checked [`Config`].
struct Inner {
    /// The base URL without a trailing `/`, e.g. `https://graph.microsoft.com`.
    base: String,
    /// The same, parsed: the origin the token goes to.
    origin: Url,
    version: ApiVersion,
    /// Bounds each attempt, from connecting to the end of the body: set once on the crate's
    /// own HTTP client, and on each request when the HTTP client is the user's.
    request_timeout: Option<Duration>,
    /// `Accept` and `User-Agent`, in a map with room for a request's other headers (see
    /// `HEADER_ROOM`): each request starts as a copy of it.
    headers: HeaderMap,
    authorization: Authorization,
    /// The HTTP client, the retry policy and the pacer every attempt goes through.
    caller: Caller,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("default_version", &self.inner.version)
            .field("authenticated", &self.inner.authorization.is_some())
            .field("retry", self.inner.caller.retry_policy())
            .finish()
    }
}

impl Client {
    /// Checks a builder's settings and makes the client: the only way to an `Inner`.
    fn from_config(config: Config) -> Result<Client, Error> {
        let base = config.base.as_deref().unwrap_or(config.cloud.graph_url());
        let base = origin::parse_secure(base, "the base URL")?;
        let base = base.as_str().trim_end_matches('/').to_owned();
        let origin = Url::parse(&base).map_err(|e| Error::config(format!("the base URL {base:?} is not a URL: {e}")))?;
        let (http, request_timeout) = match config.http {
            Some(http) => (http, Some(config.timeout)),
            // No redirects followed by reqwest, no Referer, no decompression (see there).
            None => (
                http_builder()?
                    .connect_timeout(config.connect_timeout)
                    .timeout(config.timeout)
                    .build()
                    .map_err(|e| Error::config("the HTTP client could not be built").with_source(e))?,
                None,
            ),
        };
        let pacer = Pacer::new(config.max_concurrency, config.rate_limit.as_ref(), config.adaptive_pacing, config.retry.max_delay_cap())?;
        let authorization = Authorization::new(config.token)?;
        if config.max_response_bytes == 0 {
            return Err(Error::config("max_response_bytes(0) allows no answer at all; give the most bytes one answer may have"));
        }
        let caller = Caller::new(http, config.retry, pacer, config.max_response_bytes);
        let mut headers = HeaderMap::with_capacity(HEADER_ROOM);
        headers.insert(ACCEPT, APPLICATION_JSON);
        headers.insert(USER_AGENT_HEADER, HeaderValue::from_static(USER_AGENT));
        let inner = Inner { base, origin, version: config.version, request_timeout, headers, authorization, caller };
        Ok(Client { inner: Arc::new(inner) })
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The API version of endpoints that do not name one.
    pub fn default_version(&self) -> ApiVersion {
        self.inner.version
    }

    /// Whether `url` has the base URL's scheme, host and port: the only place this client
    /// sends its token to.
    pub(crate) fn same_origin(&self, url: &Url) -> bool {
        origin::same_origin(&self.inner.origin, url)
    }

    /// A bare request to `url` with what every request of this client carries: `Accept` and
    /// `User-Agent` (per request, so that they hold for an HTTP client given by the user too),
    /// and with such a client the timeout.
    pub(crate) fn request_to(&self, method: reqwest::Method, url: Url) -> reqwest::Request {
        let mut request = reqwest::Request::new(method, url);
        if let Some(timeout) = self.inner.request_timeout {
            *request.timeout_mut() = Some(timeout);
        }
        // A copy keeps the template's room: later headers never make the map grow.
        *request.headers_mut() = self.inner.headers.clone();
        request
    }

    /// The retry policy.
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        self.inner.caller.retry_policy()
    }

    /// The pacer in front of every attempt.
    pub(crate) fn pacer(&self) -> &Pacer {
        self.inner.caller.pacer()
    }

    /// Sends a prepared request through the call path, with this client's token.
    pub(crate) async fn exchange(&self, request: reqwest::Request, call: Call<'_>) -> Result<Exchange, Error> {
        self.inner.caller.exchange(&self.inner.authorization, request, call).await
    }

    /// Sets `Authorization` as the first attempt would.
    pub(crate) async fn authorize(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        self.inner.authorization.authorize(request).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Client>();
    }

    /// What the HTTP client does to a request's headers after the call path is done with them,
    /// on the connection's task: a copy of the map (reqwest keeps the original for
    /// redirects); in HTTP/1, `Host`, a look for `Transfer-Encoding`, and `Content-Length` if
    /// missing; in HTTP/2, `Content-Length` if missing.
    fn as_the_http_client_does(headers: &HeaderMap, http1: bool) -> HeaderMap {
        let mut copy = headers.clone();
        if http1 {
            copy.insert(http::header::HOST, HeaderValue::from_static("graph.microsoft.com"));
            let _ = copy.entry(http::header::TRANSFER_ENCODING);
        }
        copy.entry(http::header::CONTENT_LENGTH).or_insert_with(|| HeaderValue::from(2));
        copy
    }

    /// A request of `client` with a body and these headers besides `Accept` and `User-Agent`,
    /// as the call path sends it (copied, then authorized).
    fn sent(client: &Client, headers: &[(&'static str, &'static str)]) -> reqwest::Request {
        let url = Url::parse("http://127.0.0.1:9/v1.0/deviceManagement/deviceConfigurations/1").unwrap();
        let mut prepared = client.request_to(reqwest::Method::PATCH, url);
        prepared.headers_mut().insert(http::header::CONTENT_TYPE, APPLICATION_JSON);
        prepared.headers_mut().insert("client-request-id", crate::headers::new_request_id());
        for (name, value) in headers {
            prepared.headers_mut().insert(*name, HeaderValue::from_static(value));
        }
        *prepared.body_mut() = Some(reqwest::Body::from("{}"));
        let mut sent = crate::call::copy(&prepared).unwrap();
        sent.headers_mut().insert(http::header::AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        sent
    }

    #[test]
    fn a_request_leaves_with_nothing_for_the_http_client_to_grow() {
        let client = Client::builder().base_url("http://127.0.0.1:9").bearer_token("t").build().unwrap();
        // The headers of a PATCH through the crate, and of one with an endpoint's own and a retry.
        let many = [("if-match", "W/\"1\""), ("prefer", "return=minimal"), ("retry-attempt", "1")];
        for request in [sent(&client, &[]), sent(&client, &many)] {
            let headers = request.headers();
            assert_eq!(headers[http::header::CONTENT_LENGTH], "2", "the body's length is set before the request leaves");
            for http1 in [true, false] {
                let completed = as_the_http_client_does(headers, http1);
                // Only `Host` added, and in a table that is not rebuilt.
                assert_eq!(completed.len(), headers.len() + usize::from(http1));
                assert_eq!(completed.capacity(), headers.capacity());
            }
        }
        // A map made without room (a request built elsewhere) gains it when copied.
        let mut bare = reqwest::Request::new(reqwest::Method::GET, Url::parse("http://127.0.0.1:9/v1.0/me").unwrap());
        for name in ["accept", "user-agent", "client-request-id", "content-type", "authorization"] {
            bare.headers_mut().insert(name, HeaderValue::from_static("x"));
        }
        assert!(as_the_http_client_does(bare.headers(), true).capacity() > bare.headers().capacity(), "the case guarded against");
        let copied = crate::call::copy(&bare).unwrap();
        assert_eq!(as_the_http_client_does(copied.headers(), true).capacity(), copied.headers().capacity());
    }
}
