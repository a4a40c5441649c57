//! The client's configuration: where Graph is, how requests authenticate, how long they may
//! take, how they are retried and how many run at once.

use crate::auth::{StaticToken, TokenProvider};
use crate::call::{Caller, RetryPolicy, origin};
use crate::client::{Auth, Client, Inner};
use crate::cloud::NationalCloud;
use crate::error::Error;
use crate::pacing::{Pacer, RateLimit};
use crate::protocol::ApiVersion;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Configures a [`Client`].
///
/// ```
/// use graph_endpoint::{ApiVersion, Client, NationalCloud, RetryPolicy};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .cloud(NationalCloud::UsGovL4)
///     .default_version(ApiVersion::Beta)
///     .bearer_token("eyJ0...")
///     .timeout(Duration::from_secs(30))
///     .retry(RetryPolicy::default().max_retries(5))
///     .max_concurrency(16)
///     .build()?;
/// assert_eq!(client.base_url(), "https://graph.microsoft.us");
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    base: Option<String>,
    cloud: NationalCloud,
    version: ApiVersion,
    auth: Auth,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_concurrency: Option<usize>,
    rate_limit: Option<RateLimit>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base)
            .field("cloud", &self.cloud)
            .field("default_version", &self.version)
            .field("authenticated", &!matches!(self.auth, Auth::None))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("max_concurrency", &self.max_concurrency)
            .field("rate_limit", &self.rate_limit)
            .field("custom_http_client", &self.http.is_some())
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
            rate_limit: None,
            http: None,
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

    /// A source of tokens, asked before every attempt (a credential answers from its cache).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth = Auth::Provider(Arc::new(provider));
        self
    }

    /// Time allowed for one attempt, from connecting to the end of the body (default 100 s,
    /// as Graph's own SDKs use).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How throttled (429) and unavailable (503, 504) answers and failed connections are
    /// resent (default: [`RetryPolicy::default`]; [`RetryPolicy::none`] turns resending off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// At most `n` calls of this client (and its clones) under way at once; further calls wait
    /// their turn. A call holds its place from its first attempt to its last, waits between
    /// retries included, so that a throttled herd does not grow while it waits; it takes its
    /// place before its token, so that a call that queued never sends a stale token.
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// Paces requests: at most N start in any window (see [`RateLimit`]). Each attempt counts,
    /// and each item of a `$batch`.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Sends through this `reqwest` client instead of one built here: for a proxy, custom root
    /// certificates or client certificates. The client's own [`timeout`](Self::timeout) still
    /// bounds each request, `Accept` and `User-Agent` are still sent; the connect timeout is
    /// the given client's. Build it with `redirect(reqwest::redirect::Policy::none())`: this
    /// client follows redirects itself, with its own rules for where the token and the body
    /// may go.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base = self.base.as_deref().unwrap_or(self.cloud.graph_url());
        let base = origin::parse_secure(base, "the base URL")?;
        let base = base.as_str().trim_end_matches('/').to_owned();
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                // Redirects are followed by the client itself, which knows the method, the body
                // and where the token may go (see `exchange.rs`).
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(|e| Error::config("the HTTP client could not be built").with_source(e))?,
        };
        let pacer = Pacer::new(self.max_concurrency, self.rate_limit.as_ref(), self.retry.max_delay_cap())?;
        let auth = match self.auth {
            // A fixed token's header is built once, not per request.
            Auth::Static(token) => Auth::Header(crate::client::bearer_header(&token.token_now())?),
            other => other,
        };
        let caller = Caller::new(http, self.retry, pacer);
        Ok(Client { inner: Arc::new(Inner { base, version: self.version, auth, timeout: self.timeout, caller }) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str) -> Result<String, Error> {
        Client::builder().base_url(url).build().map(|c| c.base_url().to_owned())
    }

    #[test]
    fn base_url_rules() {
        assert_eq!(base("https://graph.microsoft.com/").unwrap(), "https://graph.microsoft.com");
        assert_eq!(base("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(base("http://localhost:1").unwrap(), "http://localhost:1");
        assert_eq!(base("http://[::1]:9/graph/").unwrap(), "http://[::1]:9/graph");
        for bad in ["http://graph.microsoft.com", "http://10.0.0.1", "ftp://x", "not a url", "https://x/?a=1", "https://u:p@x"] {
            let error = base(bad).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Config, "{bad}");
        }
    }
}
