//! Tokens from the managed identity of the Azure resource the program runs on: the App
//! Service / Functions / Container Apps identity endpoint, else the Instance Metadata Service.

use super::cache::TokenCache;
use super::entra::TokenHttp;
use super::identity_endpoint::{IMDS_TOKEN_URL, PlainHttp, parse_identity_endpoint};
use super::settings::{DEFAULT_TIMEOUT, cache_bound};
use super::unavailable::{unavailable, unavailable_because};
use super::{AccessToken, BoxFuture, TokenProvider, var};
use crate::cloud::NationalCloud;
use crate::error::Error;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use url::Url;

/// A managed identity: the system-assigned identity of the resource the program runs on, or
/// one of its user-assigned identities.
///
/// - With `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` set (App Service, Functions, Container
///   Apps): `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource={graph}` with the header
///   `X-IDENTITY-HEADER`.
/// - Otherwise (virtual machines, scale sets, AKS nodes) the Instance Metadata Service:
///   `GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource={graph}`
///   with `Metadata: true`.
///
/// A user-assigned identity adds `client_id=...`. The environment is read when the credential
/// is made. Plain `http` is accepted only for loopback hosts, for `169.254.169.254`, and for
/// a link-local `IDENTITY_ENDPOINT` set by the platform; any other endpoint must be `https`.
/// Tokens are cached in a [`TokenCache`], each request bounded by [`timeout`](Self::timeout).
///
/// ```
/// use graph_endpoint::auth::ManagedIdentityCredential;
///
/// let credential = ManagedIdentityCredential::user_assigned("5c6a3f3e-0000-0000-0000-000000000000");
/// let client = graph_endpoint::Client::builder().token_provider(credential).build()?;
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[must_use]
pub struct ManagedIdentityCredential {
    cache: TokenCache<ManagedFlow>,
}

#[derive(Clone)]
struct ManagedFlow {
    client_id: Option<String>,
    resource: String,
    source: Source,
    timeout: Duration,
    /// Before the first IMDS request, check within this long that something listens there
    /// (so that a chain of credentials moves on at once where there is no IMDS).
    probe: Option<Duration>,
    probed: Arc<AtomicBool>,
    http: TokenHttp,
}

#[derive(Clone)]
enum Source {
    /// `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`.
    AppService { endpoint: String, header: String },
    /// The Instance Metadata Service, or the URL given in its place.
    Imds { endpoint: String },
}

impl fmt::Debug for ManagedFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ManagedIdentityCredential");
        match &self.client_id {
            Some(id) => d.field("user_assigned", id),
            None => d.field("system_assigned", &true),
        };
        match &self.source {
            Source::AppService { endpoint, .. } => d.field("identity_endpoint", endpoint).field("identity_header", &"<redacted>"),
            Source::Imds { endpoint } => d.field("imds", endpoint),
        };
        d.field("resource", &self.resource).field("timeout", &self.timeout).finish()
    }
}

impl fmt::Debug for ManagedIdentityCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.provider().fmt(f)
    }
}

impl ManagedIdentityCredential {
    /// The resource's system-assigned identity.
    pub fn system() -> Self {
        Self::from_parts(None, var("IDENTITY_ENDPOINT"), var("IDENTITY_HEADER"))
    }

    /// A user-assigned identity, by its client id.
    pub fn user_assigned(client_id: impl Into<String>) -> Self {
        Self::from_parts(Some(client_id.into()), var("IDENTITY_ENDPOINT"), var("IDENTITY_HEADER"))
    }

    pub(crate) fn from_parts(client_id: Option<String>, identity_endpoint: Option<String>, identity_header: Option<String>) -> Self {
        let source = match (identity_endpoint, identity_header) {
            (Some(endpoint), Some(header)) => Source::AppService { endpoint, header },
            _ => Source::Imds { endpoint: IMDS_TOKEN_URL.to_owned() },
        };
        let flow = ManagedFlow {
            client_id,
            resource: NationalCloud::Global.graph_url().to_owned(),
            source,
            timeout: DEFAULT_TIMEOUT,
            probe: None,
            probed: Arc::default(),
            http: TokenHttp::direct(),
        };
        ManagedIdentityCredential { cache: TokenCache::new(flow).timeout(cache_bound(DEFAULT_TIMEOUT)) }
    }

    /// Asks the Instance Metadata Service at `url` instead of
    /// `http://169.254.169.254/metadata/identity/oauth2/token` (a local stand-in in tests),
    /// also where `IDENTITY_ENDPOINT` is set. It must be `https`, or `http` to loopback or to
    /// `169.254.169.254`.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.cache.provider_mut().source = Source::Imds { endpoint: url.into() };
        self
    }

    /// Requests tokens for a national cloud's Graph.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cache.provider_mut().resource = cloud.graph_url().to_owned();
        self
    }

    /// Bounds every token request, from connecting to the end of the answer (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.cache.provider_mut().timeout = timeout;
        self.cache.set_timeout(cache_bound(timeout).saturating_add(self.cache.provider().probe.unwrap_or_default()));
        self
    }

    /// Before the first request to the Instance Metadata Service, checks within `bound` that
    /// it accepts connections.
    pub(crate) fn probe(mut self, bound: Duration) -> Self {
        self.cache.provider_mut().probe = Some(bound);
        let timeout = self.cache.provider().timeout;
        self.timeout(timeout)
    }

    /// The resource tokens are requested for (`{graph}`).
    pub fn resource(&self) -> &str {
        &self.cache.provider().resource
    }
}

impl ManagedFlow {
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let imds = matches!(self.source, Source::Imds { .. });
        let (mut url, api_version, header) = match &self.source {
            Source::AppService { endpoint, header } => {
                let url = parse_identity_endpoint(endpoint, "IDENTITY_ENDPOINT", PlainHttp::LinkLocal)?;
                (url, "2019-08-01", ("X-IDENTITY-HEADER", header.as_str()))
            }
            Source::Imds { endpoint } => {
                let url = parse_identity_endpoint(endpoint, "the managed identity endpoint", PlainHttp::Imds)?;
                if let Some(bound) = self.probe
                    && !self.probed.load(Ordering::Relaxed)
                {
                    probe(&url, bound).await?;
                    self.probed.store(true, Ordering::Relaxed);
                }
                (url, "2018-02-01", ("Metadata", "true"))
            }
        };
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("api-version", api_version).append_pair("resource", &self.resource);
            if let Some(client_id) = &self.client_id {
                query.append_pair("client_id", client_id);
            }
        }
        let probing = self.probe.is_some();
        self.http.get(&url, &[header], self.timeout).await.map_err(|failure| match failure.status {
            // The Instance Metadata Service answers 400 when the resource has no identity, or
            // not the one asked for: no managed identity is available here.
            Some(400) if imds => unavailable(failure.error),
            // In a chain, an answer at the metadata address that is not JSON comes from
            // something else (another cloud's metadata service, a proxy's page): Azure's
            // service is not there, as the Azure SDKs judge it too.
            Some(_) if imds && probing && failure.not_json => unavailable(failure.error),
            _ => failure.error,
        })
    }
}

/// Whether anything accepts connections at `url`'s host and port within `bound`; if not, no
/// managed identity is available here.
async fn probe(url: &Url, bound: Duration) -> Result<(), Error> {
    let port = url.port_or_known_default().unwrap_or(80);
    let host = match url.host() {
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        Some(host) => host.to_string(),
        None => String::new(),
    };
    let shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    match tokio::time::timeout(bound, tokio::net::TcpStream::connect((host.as_str(), port))).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(unavailable_because(Error::auth(format!("no managed identity endpoint at {shown}:{port} ({error})")), error)),
        Err(_) => Err(unavailable(Error::auth(format!(
            "no managed identity endpoint at {shown}:{port} (no connection within {:.1} s)",
            bound.as_secs_f64()
        )))),
    }
}

impl TokenProvider for ManagedFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cache::cached_provider!(ManagedIdentityCredential);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn the_environment_picks_the_source_and_debug_hides_the_header() {
        let app = ManagedIdentityCredential::from_parts(None, Some("http://127.0.0.1:9/msi/token".into()), Some("h3ader".into()));
        let shown = format!("{app:?}");
        assert!(shown.contains("identity_endpoint") && !shown.contains("h3ader"), "{shown}");
        let half = ManagedIdentityCredential::from_parts(Some("id".into()), Some("http://127.0.0.1:9/".into()), None);
        let shown = format!("{half:?}");
        assert!(shown.contains(IMDS_TOKEN_URL) && shown.contains("\"id\""), "{shown}");
        assert_eq!(half.cloud(NationalCloud::China).resource(), "https://microsoftgraph.chinacloudapi.cn");
    }

    #[tokio::test]
    async fn endpoints_other_than_https_loopback_or_imds_are_refused_before_sending() {
        for endpoint in ["http://10.1.2.3/token", "http://169.254.169.253/token", "http://identity.example/token"] {
            let error = ManagedIdentityCredential::from_parts(None, None, None).endpoint(endpoint).token().await.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Config, "{endpoint}: {error}");
        }
        let error =
            ManagedIdentityCredential::from_parts(None, Some("http://10.1.2.3/msi".into()), Some("h".into())).token().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    }

    #[tokio::test]
    async fn the_probe_fails_fast_where_nothing_listens() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let credential = ManagedIdentityCredential::from_parts(None, None, None)
            .endpoint(format!("http://127.0.0.1:{port}/token"))
            .probe(Duration::from_secs(1));
        let started = std::time::Instant::now();
        let error = credential.token().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
        assert!(error.message().contains("no managed identity endpoint"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
