//! The client: one connection pool, a base URL, a default API version and a token source.

use crate::auth::{AccessToken, StaticToken, TokenProvider};
use crate::builder::ClientBuilder;
use crate::call::{Authorize, Call, Caller, Exchange, RetryPolicy};
use crate::error::Error;
use crate::headers::{APPLICATION_JSON, USER_AGENT};
use crate::pacing::Pacer;
use crate::protocol::ApiVersion;
use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION, USER_AGENT as USER_AGENT_HEADER};
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
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// The base URL without a trailing `/`, e.g. `https://graph.microsoft.com`.
    pub(crate) base: String,
    pub(crate) version: ApiVersion,
    pub(crate) auth: Auth,
    /// Bounds each attempt, from connecting to the end of the body.
    pub(crate) timeout: Duration,
    /// The HTTP client, the retry policy and the pacer every attempt goes through.
    pub(crate) caller: Caller,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("default_version", &self.inner.version)
            .field("authenticated", &!matches!(self.inner.auth, Auth::None))
            .field("retry", self.inner.caller.retry_policy())
            .finish()
    }
}

/// Where `Authorization` comes from.
pub(crate) enum Auth {
    None,
    /// A fixed token, until the client is built.
    Static(StaticToken),
    /// A fixed token's header, built once.
    Header(HeaderValue),
    Provider(Arc<dyn TokenProvider>),
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
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
        Url::parse(&self.inner.base).is_ok_and(|base| crate::call::origin::same_origin(&base, url))
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
        self.inner.caller.exchange(&self.inner.auth, request, call).await
    }

    /// Sets `Authorization`; returns the token used when it came from a provider.
    pub(crate) async fn authorize(&self, request: &mut reqwest::Request) -> Result<Option<AccessToken>, Error> {
        self.inner.auth.authorize(request).await
    }
}

impl Authorize for Auth {
    type Token = AccessToken;

    async fn authorize(&self, request: &mut reqwest::Request) -> Result<Option<AccessToken>, Error> {
        match self {
            Auth::None => Ok(None),
            Auth::Header(value) => {
                request.headers_mut().insert(AUTHORIZATION, value.clone());
                Ok(None)
            }
            Auth::Static(token) => {
                request.headers_mut().insert(AUTHORIZATION, bearer_header(&token.token_now())?);
                Ok(None)
            }
            Auth::Provider(tokens) => {
                let token = tokens.token().await?;
                request.headers_mut().insert(AUTHORIZATION, bearer_header(&token)?);
                Ok(Some(token))
            }
        }
    }

    async fn replaced(&self, rejected: &AccessToken) -> bool {
        let Auth::Provider(tokens) = self else { return false };
        tokens.invalidate(rejected);
        matches!(tokens.token().await, Ok(fresh) if fresh != *rejected)
    }
}

pub(crate) fn bearer_header(token: &AccessToken) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.secret()))
        .map_err(|_| Error::auth("the token contains characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
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
