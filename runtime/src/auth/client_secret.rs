//! Tokens from Microsoft Entra with the OAuth 2.0 client credentials grant and a client
//! secret.

use super::cache::TokenCache;
use super::entra::TokenHttp;
use super::settings::{EntraSettings, cache_bound};
use super::{AccessToken, BoxFuture, TokenProvider};
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
    client_id: String,
    secret: String,
    entra: EntraSettings,
    http: TokenHttp,
}

impl fmt::Debug for SecretFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientSecretCredential");
        d.field("client_id", &self.client_id).field("secret", &"<redacted>");
        self.entra.debug_fields(&mut d);
        d.finish()
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
        let entra = EntraSettings::new(tenant.into());
        let timeout = cache_bound(entra.timeout());
        let flow = SecretFlow { client_id: client_id.into(), secret: secret.into(), entra, http: TokenHttp::default() };
        ClientSecretCredential { cache: TokenCache::new(flow).timeout(timeout) }
    }

    /// Uses a national cloud's authority and Graph scope.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cache.provider_mut().entra.set_cloud(cloud);
        self
    }

    /// Another authority (a local token endpoint in tests). It must be `https`, except for
    /// loopback hosts; a token request to any other authority fails.
    pub fn authority(mut self, authority: impl Into<String>) -> Self {
        self.cache.provider_mut().entra.set_authority(&authority.into());
        self
    }

    /// Bounds every token request, from connecting to the end of the answer (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.cache.provider_mut().entra.set_timeout(timeout);
        self.cache.set_timeout(cache_bound(timeout));
        self
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        self.cache.provider().entra.token_url()
    }

    /// The scope requested.
    pub fn scope(&self) -> &str {
        self.cache.provider().entra.scope()
    }
}

impl SecretFlow {
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let url = self.entra.checked_token_url()?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", &self.secret)
            .append_pair("scope", self.entra.scope())
            .finish();
        self.http.post_form(&url, form, self.entra.timeout()).await
    }
}

impl TokenProvider for SecretFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cache::cached_provider!(ClientSecretCredential);

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
