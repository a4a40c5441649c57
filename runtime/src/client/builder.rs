//! The client's builder: where Graph is, how requests authenticate, how long they may take,
//! how they are retried, paced and how many run at once. It collects a [`Config`]; `build`
//! checks it and makes the client from it.

use super::Client;
use super::authorization::TokenSource;
use super::config::Config;
use crate::auth::{StaticToken, TokenProvider};
use crate::call::RetryPolicy;
use crate::cloud::NationalCloud;
use crate::error::Error;
use crate::pacing::RateLimit;
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
#[derive(Default)]
pub struct ClientBuilder {
    config: Config,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        f.debug_struct("ClientBuilder")
            .field("base_url", &config.base)
            .field("cloud", &config.cloud)
            .field("default_version", &config.version)
            .field("authenticated", &!matches!(config.token, TokenSource::None))
            .field("timeout", &config.timeout)
            .field("connect_timeout", &config.connect_timeout)
            .field("retry", &config.retry)
            .field("max_concurrency", &config.max_concurrency)
            .field("rate_limit", &config.rate_limit)
            .field("adaptive_pacing", &config.adaptive_pacing)
            .field("custom_http_client", &config.http.is_some())
            .field("max_response_bytes", &config.max_response_bytes)
            .finish()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

impl ClientBuilder {
    /// The Graph root URL, e.g. `http://127.0.0.1:8080` for a local stand-in. Only `https`
    /// is accepted, except for loopback hosts. Overrides [`cloud`](Self::cloud).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base = Some(url.into());
        self
    }

    /// A national cloud, whose Graph URL becomes the base URL (default: global).
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.config.cloud = cloud;
        self
    }

    /// The API version of endpoints that do not name one (default `v1.0`).
    pub fn default_version(mut self, version: ApiVersion) -> Self {
        self.config.version = version;
        self
    }

    /// A fixed bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.config.token = TokenSource::Static(StaticToken::new(token));
        self
    }

    /// A source of tokens, asked before every attempt (a credential answers from its cache).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.config.token = TokenSource::Provider(Arc::new(provider));
        self
    }

    /// Time allowed for one attempt, from connecting to the end of the body (default 100 s,
    /// as Graph's own SDKs use). It holds with an HTTP client given by
    /// [`http_client`](Self::http_client) too: it is then set on each request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How throttled (429) and unavailable (503, 504) answers and failed connections are
    /// resent (default: [`RetryPolicy::default`]; [`RetryPolicy::none`] turns resending off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// At most `n` calls of this client (and its clones) under way at once; further calls wait
    /// their turn. A call holds its place from its first attempt to its last, waits between
    /// retries included, so that a throttled herd does not grow while it waits; it takes its
    /// place before its token, so that a call that queued never sends a stale token.
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.config.max_concurrency = Some(n);
        self
    }

    /// Paces requests: at most N start in any window (see [`RateLimit`]). Each attempt counts,
    /// and each item of a `$batch`.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.config.rate_limit = Some(limit);
        self
    }

    /// Adaptive pacing (on by default): after Graph throttles a request (`429`, `503`), the
    /// client learns the rate Graph admits for that kind of request (reads or writes) and
    /// route family, from the requests admitted before and the `Retry-After`, and spaces
    /// its requests of that kind and family under it, probing upward again by 2 % per window
    /// while nothing is throttled. Nothing is paced before the first throttle. A burst of
    /// thousands of writes with default settings loses nothing and draws few `429`s. It works
    /// beside a [`RateLimit`] (which keeps a stated budget; adaptive pacing only acts when
    /// Graph throttles anyway). `false` turns it off: requests then wait only for the gate
    /// (the `Retry-After` of a throttled answer) and the rate limit.
    pub fn adaptive_pacing(mut self, on: bool) -> Self {
        self.config.adaptive_pacing = on;
        self
    }

    /// The most bytes read of one answer (default 64 MiB): a longer answer is an error of
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) with its status and ids, read no further
    /// (a `Content-Length` over the bound is refused before reading) and never resent; for a
    /// write, [`may_have_been_applied`](crate::Error::may_have_been_applied) is true, since
    /// Graph received it. It holds for single calls, each page of a stream and each `$batch`
    /// answer, and counts bytes after any decompression. The default is far above Graph's JSON
    /// answers (a page of 999 items is a few MiB); raise it for `$value` downloads and reports.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.config.max_response_bytes = bytes;
        self
    }

    /// Sends through this `reqwest` client instead of one built here: for a proxy, custom root
    /// certificates or client certificates. The client's own [`timeout`](Self::timeout) still
    /// bounds each request, `Accept` and `User-Agent` are still sent; the connect timeout is
    /// the given client's. Build it with `redirect(reqwest::redirect::Policy::none())`: this
    /// client follows redirects itself, with its own rules for where the token and the body
    /// may go.
    ///
    /// Decompression is the given client's: the clients this crate builds never decompress
    /// (whatever `reqwest` features the application enables), but one built with `gzip`,
    /// `brotli`, `zstd` or `deflate` on inflates what it receives. The
    /// [`max_response_bytes`](Self::max_response_bytes) bound still holds, on the inflated
    /// bytes: reading stops there, so a decompression bomb costs at most the bound.
    ///
    /// Start from [`http_client_builder`](Self::http_client_builder): the crate's reqwest has
    /// TLS without a default cryptography provider (it brings ring, not reqwest's default
    /// aws-lc-rs), so a `reqwest::Client::builder()` of an application whose own reqwest has
    /// no TLS feature panics when built, naming the provider it lacks.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http = Some(client);
        self
    }

    /// The `reqwest` builder the crate's own clients start from, to add a proxy (or anything
    /// else) and pass the result to [`http_client`](Self::http_client): TLS through rustls
    /// with ring and the platform's root certificates (HTTP/2 and 1.1), no redirects followed,
    /// no `Referer`, no decompression. Its TLS configuration is fixed: for custom root or
    /// client certificates, build a `rustls::ClientConfig` and give it to
    /// `tls_backend_preconfigured`, or enable reqwest's own `rustls` feature.
    ///
    /// ```
    /// # fn demo() -> Result<(), graph_endpoint::Error> {
    /// let http = graph_endpoint::ClientBuilder::http_client_builder()?
    ///     .proxy(graph_endpoint::reqwest::Proxy::https("http://proxy.internal:3128").unwrap())
    ///     .build()
    ///     .unwrap();
    /// let client = graph_endpoint::Client::builder().http_client(http).bearer_token("...").build()?;
    /// # let _ = client; Ok(()) }
    /// # demo().unwrap();
    /// ```
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
        crate::call::http_builder()
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        Client::from_config(self.config)
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
