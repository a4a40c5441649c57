//! The client: one connection pool, a base URL, a default API version and a token source,
//! and how an endpoint becomes a request and a response becomes its value.

use crate::auth::{AccessToken, StaticToken, TokenProvider};
use crate::body::{Body, BodyWriter};
use crate::builder::ClientBuilder;
use crate::encode::{HeaderWriter, PathWriter, QueryWriter};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::gate::Gate;
use crate::headers::{APPLICATION_JSON, USER_AGENT};
use crate::options::Options;
use crate::protocol::{ApiVersion, Method};
use crate::rate_limit::Limiter;
use crate::retry::RetryPolicy;
use bytes::Bytes;
use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT as USER_AGENT_HEADER};
use reqwest::Url;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

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
    pub(crate) http: reqwest::Client,
    /// The base URL without a trailing `/`, e.g. `https://graph.microsoft.com`.
    pub(crate) base: String,
    pub(crate) version: ApiVersion,
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    /// Bounds each attempt, from connecting to the end of the body.
    pub(crate) timeout: Duration,
    /// Bounds the calls under way (`max_concurrency`); held for a whole call.
    pub(crate) in_flight: Option<Arc<Semaphore>>,
    /// Paces the requests (`rate_limit`).
    pub(crate) limiter: Option<Limiter>,
    /// Closed while Graph has asked this client to wait.
    pub(crate) gate: Gate,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("default_version", &self.inner.version)
            .field("authenticated", &!matches!(self.inner.auth, Auth::None))
            .field("retry", &self.inner.retry)
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
        Url::parse(&self.inner.base).is_ok_and(|base| crate::origin::same_origin(&base, url))
    }

    /// The request without `Authorization` (which may change between attempts).
    pub(crate) fn prepare<E: Endpoint + ?Sized>(&self, endpoint: &E, options: &Options) -> Result<reqwest::Request, Error> {
        let version = endpoint.version().unwrap_or(self.inner.version).as_str();
        let base = &self.inner.base;
        let mut url = String::with_capacity(base.len() + 1 + version.len() + 2 * endpoint.template().len());
        url.push_str(base);
        url.push('/');
        url.push_str(version);
        endpoint.write_path(&mut PathWriter::new(&mut url))?;
        let mut query = QueryWriter::new(&mut url);
        endpoint.write_query(&mut query);
        options.write_query(&mut query)?;
        let url = Url::parse(&url).map_err(|e| Error::invalid_request(format!("the request URL is not valid: {e}")))?;

        let mut request = self.request_to(reqwest_method(endpoint.method()), url);
        let headers = request.headers_mut();
        endpoint.write_headers(&mut HeaderWriter::new(headers))?;
        options.write_headers(headers)?;

        // serde_json's own `to_vec` starts at 128 bytes too: most Graph bodies need one growth.
        let mut buffer = Vec::with_capacity(128);
        let mut writer = BodyWriter::new(&mut buffer);
        endpoint.write_body(&mut writer)?;
        // The endpoint's own Content-Type, if it set one, wins over the body's.
        let (content_type, body) = match writer.finish() {
            Body::None => {
                if matches!(endpoint.method(), Method::Post | Method::Put | Method::Patch) {
                    // Graph answers 411 Length Required to a bodiless POST without Content-Length.
                    request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                }
                return Ok(request);
            }
            Body::Json => (APPLICATION_JSON, Bytes::from(buffer)),
            Body::Raw { content_type, bytes } => {
                let value = HeaderValue::from_str(&content_type).map_err(|_| Error::invalid_request("invalid Content-Type"))?;
                (value, bytes.unwrap_or_else(|| Bytes::from(buffer)))
            }
        };
        request.headers_mut().entry(CONTENT_TYPE).or_insert(content_type);
        *request.body_mut() = Some(body.into());
        Ok(request)
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
        &self.inner.retry
    }

    /// The rate limiter, if any.
    pub(crate) fn limiter(&self) -> Option<&Limiter> {
        self.inner.limiter.as_ref()
    }

    /// Sets `Authorization`; returns the token used when it came from a provider.
    pub(crate) async fn authorize(&self, request: &mut reqwest::Request) -> Result<Option<AccessToken>, Error> {
        match &self.inner.auth {
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

    /// After a 401: tells the provider that `rejected` failed, and whether it now has a
    /// different token. Callers that saw the same 401 share the provider's one refresh.
    pub(crate) async fn token_changes_after(&self, rejected: &AccessToken) -> bool {
        let Auth::Provider(tokens) = &self.inner.auth else { return false };
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

fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
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
