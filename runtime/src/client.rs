//! The client: one connection pool, a base URL, a default API version and a token provider,
//! and the way every request is sent to Graph.

use crate::auth::{AccessToken, StaticToken, TokenProvider};
use crate::cloud::NationalCloud;
use crate::collection::Collection;
use crate::encode::{HeaderWriter, PathWriter, QueryWriter};
use crate::endpoint::{ApiVersion, Endpoint, Method};
use crate::error::Error;
use crate::paging::Items;
use crate::request::{Options, RequestBuilder};
use crate::retry::{self, RetryPolicy};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use std::fmt;
use std::io::ErrorKind;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::Semaphore;
use tracing::Instrument;

/// `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("graph-endpoint/", env!("CARGO_PKG_VERSION"));

pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A Microsoft Graph client. Cheap to clone (clones share one connection pool) and
/// `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), graph_endpoint_runtime::Error> {
/// let client = graph_endpoint_runtime::Client::builder()
///     .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// The base URL without a trailing `/`, e.g. `https://graph.microsoft.com`.
    base: String,
    version: ApiVersion,
    auth: Auth,
    retry: RetryPolicy,
    /// Bounds the requests in flight (`max_concurrency`); held per attempt, not while waiting.
    in_flight: Option<Arc<Semaphore>>,
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

/// Configures a [`Client`].
pub struct ClientBuilder {
    base: Option<String>,
    cloud: NationalCloud,
    version: ApiVersion,
    auth: Auth,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_concurrency: Option<usize>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base)
            .field("cloud", &self.cloud)
            .field("default_version", &self.version)
            .field("authenticated", &!matches!(self.auth, Auth::None))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base: None,
            cloud: NationalCloud::Global,
            version: ApiVersion::V1,
            auth: Auth::None,
            timeout: Duration::from_secs(100),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            max_concurrency: None,
        }
    }
}

impl ClientBuilder {
    /// The Graph root URL, e.g. `http://127.0.0.1:8080` for a local stand-in. Only `https`
    /// is accepted, except for loopback hosts. Overrides [`cloud`](Self::cloud).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = Some(url.into());
        self
    }

    /// A national cloud, whose Graph URL becomes the base URL (default: global).
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version of endpoints that do not name one (default `v1.0`).
    pub fn default_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// A fixed bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Static(StaticToken::new(token));
        self
    }

    /// A source of tokens, asked before every request.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth = Auth::Provider(Arc::new(provider));
        self
    }

    /// Time allowed for a whole request, from connecting to the end of the body (default
    /// 100 s, as Graph's own SDKs use).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How throttled (429) and unavailable (503, 504) answers and broken connections are
    /// retried (default: [`RetryPolicy::default`]; [`RetryPolicy::none`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// At most `n` requests of this client (and its clones) in flight at once; further calls
    /// wait their turn. A call that waits to retry does not hold a place.
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base = self.base.as_deref().unwrap_or(self.cloud.graph_url());
        let base = check_base_url(base)?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, APPLICATION_JSON);
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // reqwest drops Authorization and cookies when a redirect changes scheme, host or
            // port; tests/resilience.rs holds it to that.
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(|e| Error::config("the HTTP client could not be built").with_source(e))?;
        let in_flight = match self.max_concurrency {
            Some(0) => return Err(Error::config("max_concurrency must be at least 1")),
            Some(n) => Some(Arc::new(Semaphore::new(n.min(Semaphore::MAX_PERMITS)))),
            None => None,
        };
        let auth = match self.auth {
            // A fixed token's header is built once, not per request.
            Auth::Static(token) => Auth::Header(bearer_header(&token.token_now())?),
            other => other,
        };
        Ok(Client { inner: Arc::new(Inner { http, base, version: self.version, auth, retry: self.retry, in_flight }) })
    }
}

/// Validates a base URL and returns it without a trailing `/`.
fn check_base_url(base: &str) -> Result<String, Error> {
    let url = Url::parse(base).map_err(|e| Error::config(format!("base URL {base:?} is not a URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!("base URL {base:?} must not have a query or fragment")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("the base URL must not carry credentials; use bearer_token or token_provider"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "base URL {base:?} uses http; Graph tokens are only sent over https (http is allowed for loopback hosts only)"
            )));
        }
        other => return Err(Error::config(format!("base URL {base:?} has scheme `{other}`; use https"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// A decoded response with its status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    value: T,
}

impl<T> Response<T> {
    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (`request-id`, `client-request-id`, `Location`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Graph's `request-id` header, if present.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, by value.
    pub fn into_inner(self) -> T {
        self.value
    }
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

    /// Whether `url` has the base URL's scheme, host and port: the only place this client
    /// sends its token to.
    pub(crate) fn same_origin(&self, url: &Url) -> bool {
        Url::parse(&self.inner.base).is_ok_and(|base| {
            base.scheme() == url.scheme() && base.host() == url.host() && base.port_or_known_default() == url.port_or_known_default()
        })
    }

    /// Sends a GET to `url` as it is (an `@odata.nextLink`), with `headers`, through the retry
    /// policy.
    pub(crate) async fn get_link(&self, url: Url, headers: &HeaderMap, template: &'static str) -> Result<Exchange, Error> {
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        request.headers_mut().extend(headers.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.exchange(request, template).await
    }

    /// The API version of endpoints that do not name one.
    pub fn default_version(&self) -> ApiVersion {
        self.inner.version
    }

    /// Sends the endpoint's request and decodes the response as the endpoint declares.
    pub async fn send<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.execute(endpoint).await.map(Response::into_inner)
    }

    /// Like [`send`](Self::send), keeping the status and headers with the value.
    pub async fn execute<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<Response<E::Response>, Error> {
        self.execute_with(endpoint, &Options::default()).await
    }

    /// Starts a request with OData query options (`$select`, `$filter`, `$top`, ...) and extra
    /// headers on top of what the endpoint declares.
    pub fn request<'a, E: Endpoint + ?Sized>(&'a self, endpoint: &'a E) -> RequestBuilder<'a, E> {
        RequestBuilder::new(self, endpoint)
    }

    /// Streams the items of a collection endpoint page by page; see [`RequestBuilder::stream`].
    pub fn stream<E, T>(&self, endpoint: &E) -> Items<T>
    where
        E: Endpoint<Response = Collection<T>> + ?Sized,
        T: DeserializeOwned + Send + 'static,
    {
        self.request(endpoint).stream()
    }

    pub(crate) async fn execute_with<E: Endpoint + ?Sized>(&self, endpoint: &E, options: &Options) -> Result<Response<E::Response>, Error> {
        let request = self.prepare(endpoint, options)?;
        let Exchange { status, headers, body, attempts } = self.exchange(request, endpoint.template()).await?;
        let value = E::decode_response(&body).map_err(|e| {
            let id = headers.get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            Error::decode(status.as_u16(), &body, e).with_attempts(attempts).with_client_request_id(&id)
        })?;
        Ok(Response { status: status.as_u16(), headers, value })
    }

    /// Sends a prepared request (adding a `client-request-id` unless it has one) through the
    /// retry policy, inside one tracing span; a non-2xx answer becomes an error.
    pub(crate) async fn exchange(&self, mut request: reqwest::Request, template: &'static str) -> Result<Exchange, Error> {
        let id = match request.headers().get(CLIENT_REQUEST_ID) {
            Some(id) => id.clone(),
            None => {
                let id = new_request_id();
                request.headers_mut().insert(CLIENT_REQUEST_ID, id.clone());
                id
            }
        };
        let id = id.to_str().unwrap_or_default();
        // The template, never the filled path: ids can be personal data.
        let span = tracing::info_span!(
            "graph_request",
            method = request.method().as_str(),
            template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let outcome = self.send_with_retries(request).instrument(span.clone()).await;
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        let exchange = match outcome {
            Ok(exchange) => exchange,
            Err(error) => {
                span.record("attempts", error.attempts());
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                return Err(error.with_client_request_id(id));
            }
        };
        let Exchange { status, headers, body, attempts } = &exchange;
        span.record("status", status.as_u16());
        span.record("attempts", attempts);
        if let Some(request_id) = headers.get("request-id").and_then(|v| v.to_str().ok()) {
            span.record("request_id", request_id);
        }
        if !status.is_success() {
            return Err(Error::api(status.as_u16(), body, headers).with_attempts(*attempts).with_client_request_id(id));
        }
        Ok(exchange)
    }

    /// Sends the request until it gets an answer that is not a throttle or a passing outage,
    /// or the retry policy says to stop. Every attempt sends the same bytes and the same
    /// `client-request-id`; retries add `Retry-Attempt`.
    async fn send_with_retries(&self, prepared: reqwest::Request) -> Result<Exchange, Error> {
        let policy = self.inner.retry;
        let (mut attempts, mut retries, mut waited, mut refreshed) = (0u32, 0u32, Duration::ZERO, false);
        loop {
            attempts += 1;
            let mut request = prepared.try_clone().ok_or_else(|| Error::invalid_request("the request body cannot be sent again"))?;
            if retries > 0 {
                request.headers_mut().insert(RETRY_ATTEMPT, HeaderValue::from(retries));
            }
            let token = self.authorize(&mut request).await.map_err(|e| e.with_attempts(attempts - 1))?;
            let sent = {
                let _permit = match &self.inner.in_flight {
                    Some(semaphore) => {
                        Some(semaphore.acquire().await.map_err(|_| Error::config("the client's request limiter was closed"))?)
                    }
                    None => None,
                };
                match self.inner.http.execute(request).await {
                    Ok(mut response) => {
                        let status = response.status();
                        // Taken, not cloned: reading the body does not need them.
                        let headers = std::mem::take(response.headers_mut());
                        response.bytes().await.map(|body| (status, headers, body))
                    }
                    Err(error) => Err(error),
                }
            };
            let (status, headers, body) = match sent {
                Ok(answer) => answer,
                Err(error) if is_reset_before_response(&error) => {
                    retries += 1;
                    match policy.wait(retries, None, waited) {
                        Ok(wait) => {
                            tracing::warn!(retry = retries, wait_ms = wait.as_millis() as u64, reason = "connection reset", "retrying");
                            tokio::time::sleep(wait).await;
                            waited += wait;
                            continue;
                        }
                        Err(give_up) => {
                            return Err(transport_error(error, "sending the request").with_attempts(attempts).with_retry_note(give_up));
                        }
                    }
                }
                Err(error) => return Err(transport_error(error, "sending the request").with_attempts(attempts)),
            };
            if status == StatusCode::UNAUTHORIZED
                && !refreshed
                && let Some(rejected) = &token
                && self.token_changes_after(rejected).await
            {
                refreshed = true;
                tracing::warn!(status = 401, reason = "token rejected", "retrying once with a new token");
                continue;
            }
            if !matches!(status.as_u16(), 429 | 503 | 504) {
                return Ok(Exchange { status, headers, body, attempts });
            }
            let retry_after =
                headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
            retries += 1;
            match policy.wait(retries, retry_after, waited) {
                Ok(wait) => {
                    let reason = if retry_after.is_some() { "Retry-After" } else { "backoff" };
                    tracing::warn!(status = status.as_u16(), retry = retries, wait_ms = wait.as_millis() as u64, reason, "retrying");
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
                Err(give_up) => {
                    tracing::warn!(status = status.as_u16(), attempts, %give_up, "not retrying");
                    return Err(Error::api(status.as_u16(), &body, &headers).with_attempts(attempts).with_retry_note(give_up));
                }
            }
        }
    }

    /// Sets `Authorization`; returns the token used when it came from a provider.
    async fn authorize(&self, request: &mut reqwest::Request) -> Result<Option<AccessToken>, Error> {
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

    /// After a 401: whether the provider, told that `rejected` failed, has a different token.
    async fn token_changes_after(&self, rejected: &AccessToken) -> bool {
        let Auth::Provider(tokens) = &self.inner.auth else { return false };
        tokens.invalidate(rejected);
        matches!(tokens.token().await, Ok(fresh) if fresh != *rejected)
    }

    /// Builds the `reqwest::Request` for an endpoint, with its `Authorization`: URL, headers
    /// and body. Public so that a request can be inspected or sent by other means.
    pub async fn build_request<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<reqwest::Request, Error> {
        let mut request = self.prepare(endpoint, &Options::default())?;
        let id = uuid::Uuid::new_v4().hyphenated().to_string();
        request
            .headers_mut()
            .entry(CLIENT_REQUEST_ID)
            .or_insert(HeaderValue::from_str(&id).map_err(|_| Error::invalid_request("invalid client-request-id"))?);
        self.authorize(&mut request).await?;
        Ok(request)
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

        let method = reqwest_method(endpoint.method());
        let mut request = reqwest::Request::new(method, url);
        let headers = request.headers_mut();
        endpoint.write_headers(&mut HeaderWriter::new(headers))?;
        options.write_headers(headers)?;

        // serde_json's own `to_vec` starts at 128 bytes too: most Graph bodies need one growth.
        let mut body = Vec::with_capacity(128);
        if endpoint.write_body(&mut body)? {
            request.headers_mut().insert(CONTENT_TYPE, APPLICATION_JSON);
            *request.body_mut() = Some(body.into());
        } else if matches!(endpoint.method(), Method::Post | Method::Put | Method::Patch) {
            // Graph answers 411 Length Required to a bodiless POST without Content-Length.
            request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        Ok(request)
    }
}

/// Where `Authorization` comes from.
enum Auth {
    None,
    /// A fixed token, until the client is built.
    Static(StaticToken),
    /// A fixed token's header, built once.
    Header(HeaderValue),
    Provider(Arc<dyn TokenProvider>),
}

/// A fresh `client-request-id`: a UUID v4, formatted without an intermediate `String`.
fn new_request_id() -> HeaderValue {
    let mut buffer = uuid::Uuid::encode_buffer();
    let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buffer);
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("00000000-0000-0000-0000-000000000000"))
}

fn bearer_header(token: &AccessToken) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.secret()))
        .map_err(|_| Error::auth("the token contains characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// One final answer: status, headers and the whole body.
pub(crate) struct Exchange {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    pub(crate) attempts: u32,
}

/// A connection that broke before any response: the request can be sent again.
fn is_reset_before_response(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe | ErrorKind::UnexpectedEof
            )
        {
            return true;
        }
        // hyper's "connection closed before message completed", without naming hyper.
        if cause.to_string().contains("connection closed before message completed") {
            return true;
        }
        source = cause.source();
    }
    false
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

fn transport_error(error: reqwest::Error, doing: &str) -> Error {
    // reqwest's messages name the URL, which holds ids; keep the cause, drop the URL.
    let error = error.without_url();
    if error.is_timeout() {
        Error::timeout(format!("timed out {doing}")).with_source(error)
    } else {
        Error::transport(format!("failed {doing}"), error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(check_base_url("https://graph.microsoft.com/").unwrap(), "https://graph.microsoft.com");
        assert_eq!(check_base_url("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(check_base_url("http://localhost:1").unwrap(), "http://localhost:1");
        assert_eq!(check_base_url("http://[::1]:9/graph/").unwrap(), "http://[::1]:9/graph");
        for bad in ["http://graph.microsoft.com", "http://10.0.0.1", "ftp://x", "not a url", "https://x/?a=1", "https://u:p@x"] {
            let error = check_base_url(bad).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Config, "{bad}");
        }
    }

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Client>();
    }
}
