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
use http::HeaderValue;
use http::header::{ACCEPT, USER_AGENT as USER_AGENT_HEADER};
use reqwest::Url;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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
    /// Bounds each attempt, from connecting to the end of the body.
    timeout: Duration,
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
        let http = match config.http {
            Some(http) => http,
            // No redirects followed by reqwest, no Referer, no decompression (see there).
            None => http_builder()?
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(|e| Error::config("the HTTP client could not be built").with_source(e))?,
        };
        let pacer = Pacer::new(config.max_concurrency, config.rate_limit.as_ref(), config.retry.max_delay_cap())?;
        let authorization = Authorization::new(config.token)?;
        if config.max_response_bytes == 0 {
            return Err(Error::config("max_response_bytes(0) allows no answer at all; give the most bytes one answer may have"));
        }
        let caller = Caller::new(http, config.retry, pacer, config.max_response_bytes);
        let inner = Inner { base, origin, version: config.version, timeout: config.timeout, authorization, caller };
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

    /// A bare request to `url` with what every request of this client carries: its timeout,
    /// `Accept` and `User-Agent` (per request, so that they hold for an HTTP client given by
    /// the user too).
    pub(crate) fn request_to(&self, method: reqwest::Method, url: Url) -> reqwest::Request {
        let mut request = reqwest::Request::new(method, url);
        *request.timeout_mut() = Some(self.inner.timeout);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, APPLICATION_JSON);
        headers.insert(USER_AGENT_HEADER, HeaderValue::from_static(USER_AGENT));
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
}
