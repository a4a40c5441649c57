//! Tokens from Microsoft Entra with the OAuth 2.0 client credentials grant and a client
//! secret.

use super::cache::TokenCache;
use super::entra::{BACKSTOP, DEFAULT_TIMEOUT, TokenHttp};
use super::{AccessToken, BoxFuture, TokenProvider};
use crate::call::origin;
use crate::cloud::NationalCloud;
use crate::error::Error;
use std::fmt;
use std::time::Duration;

/// An app registration's client secret, exchanged at
/// `{authority}/{tenant}/oauth2/v2.0/token` for a token with scope `{graph}/.default`.
///
/// Tokens are cached in a [`TokenCache`]: one token request at a time however many calls
/// need one, each bounded by [`timeout`](Self::timeout).
///
/// ```
/// use graph_endpoint::NationalCloud;
/// use graph_endpoint::auth::ClientSecretCredential;
///
/// let credential = ClientSecretCredential::new("contoso.onmicrosoft.com", "app-id", "app-secret")
///     .cloud(NationalCloud::UsGovL4);
/// assert_eq!(credential.token_url(), "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token");
/// assert_eq!(credential.scope(), "https://graph.microsoft.us/.default");
/// assert!(!format!("{credential:?}").contains("app-secret"));
/// ```
#[must_use]
pub struct ClientSecretCredential {
    cache: TokenCache<SecretFlow>,
}

/// What one token request needs.
#[derive(Clone)]
struct SecretFlow {
    tenant: String,
    client_id: String,
    secret: String,
    authority: String,
    scope: String,
    timeout: Duration,
    http: TokenHttp,
}

impl fmt::Debug for SecretFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecretCredential")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("secret", &"<redacted>")
            .field("authority", &self.authority)
            .field("scope", &self.scope)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl fmt::Debug for ClientSecretCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.provider().fmt(f)
    }
}

impl ClientSecretCredential {
    /// A credential for the global cloud.
    pub fn new(tenant: impl Into<String>, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        let cloud = NationalCloud::Global;
        let flow = SecretFlow {
            tenant: tenant.into(),
            client_id: client_id.into(),
            secret: secret.into(),
            authority: cloud.authority().to_owned(),
            scope: format!("{}/.default", cloud.graph_url()),
            timeout: DEFAULT_TIMEOUT,
            http: TokenHttp::default(),
        };
        ClientSecretCredential { cache: TokenCache::new(flow).timeout(DEFAULT_TIMEOUT + BACKSTOP) }
    }

    /// Uses a national cloud's authority and Graph scope.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        let flow = self.cache.provider_mut();
        flow.authority = cloud.authority().to_owned();
        flow.scope = format!("{}/.default", cloud.graph_url());
        self
    }

    /// Another authority (a local token endpoint in tests). It must be `https`, except for
    /// loopback hosts; a token request to any other authority fails.
    pub fn authority(mut self, authority: impl Into<String>) -> Self {
        self.cache.provider_mut().authority = authority.into().trim_end_matches('/').to_owned();
        self
    }

    /// Bounds every token request, from connecting to the end of the answer (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.cache.provider_mut().timeout = timeout;
        // The cache's own bound is a backstop, just above the request's.
        self.cache.set_timeout(timeout.saturating_add(BACKSTOP));
        self
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        let flow = self.cache.provider();
        format!("{}/{}/oauth2/v2.0/token", flow.authority, flow.tenant)
    }

    /// The scope requested.
    pub fn scope(&self) -> &str {
        &self.cache.provider().scope
    }
}

impl SecretFlow {
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let url = format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant);
        let url = origin::parse_secure(&url, "the token URL")?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", &self.secret)
            .append_pair("scope", &self.scope)
            .finish();
        self.http.post_form(&url, form, self.timeout).await
    }
}

impl TokenProvider for SecretFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cached_provider!(ClientSecretCredential);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_set_authority_and_scope() {
        let c = ClientSecretCredential::new("t", "c", "s").cloud(NationalCloud::China);
        assert_eq!(c.token_url(), "https://login.chinacloudapi.cn/t/oauth2/v2.0/token");
        assert_eq!(c.scope(), "https://microsoftgraph.chinacloudapi.cn/.default");
        let c = ClientSecretCredential::new("t", "c", "s").authority("http://127.0.0.1:9/");
        assert_eq!(c.token_url(), "http://127.0.0.1:9/t/oauth2/v2.0/token");
    }

    #[tokio::test]
    async fn plain_http_authorities_are_refused_before_sending() {
        let c = ClientSecretCredential::new("t", "c", "s").authority("http://login.example.com");
        let error = c.token().await.unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Config);
        assert!(error.message().contains("https"), "{error}");
    }
}
