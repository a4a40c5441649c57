//! Any `azure_core` `TokenCredential` (the credentials of the `azure_identity` crate) as a
//! [`TokenProvider`], behind the crate's [`TokenCache`].

use super::cache::TokenCache;
use super::settings::{DEFAULT_TIMEOUT, graph_scope};
use super::{AccessToken, BoxFuture, TokenProvider};
use crate::cloud::NationalCloud;
use crate::error::Error;
pub use azure_core;
use azure_core::credentials::TokenCredential;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// An `azure_core` [`TokenCredential`] adapted into a [`TokenProvider`] (cargo feature
/// `azure-identity`): tokens for scope `{graph}/.default` of the
/// [`cloud`](Self::cloud), cached in a [`TokenCache`] (one request at a time, each bounded by
/// [`timeout`](Self::timeout)).
///
/// ```no_run
/// use graph_endpoint::auth::AzureIdentity;
/// use graph_endpoint::auth::azure_core::credentials::TokenCredential;
///
/// // `credential`: for example `azure_identity::ManagedIdentityCredential::new(None)?`.
/// fn client(credential: std::sync::Arc<dyn TokenCredential>) -> Result<graph_endpoint::Client, graph_endpoint::Error> {
///     graph_endpoint::Client::builder().token_provider(AzureIdentity::from_arc(credential)).build()
/// }
/// ```
#[must_use]
pub struct AzureIdentity {
    cache: TokenCache<AzureFlow>,
}

#[derive(Clone)]
struct AzureFlow {
    credential: Arc<dyn TokenCredential>,
    scope: String,
}

impl fmt::Debug for AzureIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flow = self.cache.provider();
        f.debug_struct("AzureIdentity").field("credential", &flow.credential).field("scope", &flow.scope).finish()
    }
}

impl AzureIdentity {
    /// Adapts `credential`, for the global cloud's Graph.
    pub fn new(credential: impl TokenCredential + 'static) -> Self {
        Self::from_arc(Arc::new(credential))
    }

    /// Adapts a shared credential, as `azure_identity`'s constructors return them.
    pub fn from_arc(credential: Arc<dyn TokenCredential>) -> Self {
        let flow = AzureFlow { credential, scope: graph_scope(NationalCloud::Global) };
        AzureIdentity { cache: TokenCache::new(flow).timeout(DEFAULT_TIMEOUT) }
    }

    /// Requests tokens for a national cloud's Graph.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cache.provider_mut().scope = graph_scope(cloud);
        self
    }

    /// Bounds every call of the credential (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.cache.set_timeout(timeout);
        self
    }

    /// The scope requested.
    pub fn scope(&self) -> &str {
        &self.cache.provider().scope
    }
}

impl AzureFlow {
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let token = self
            .credential
            .get_token(&[self.scope.as_str()], None)
            .await
            .map_err(|e| Error::auth(format!("the Azure credential gave no token: {e}")).with_source(e))?;
        let expires_at = u64::try_from(token.expires_on.unix_timestamp())
            .ok()
            .and_then(|seconds| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds)));
        Ok(AccessToken::new(token.token.secret()).with_expires_at(expires_at))
    }
}

impl TokenProvider for AzureFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cache::cached_provider!(AzureIdentity);

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::credentials::{AccessToken as AzureToken, TokenRequestOptions};
    use azure_core::time::OffsetDateTime;
    use std::sync::Mutex;

    /// Answers `token-1`, `token-2`, ... valid for an hour, recording the scopes asked for.
    #[derive(Debug, Default)]
    struct Fake {
        scopes: Mutex<Vec<Vec<String>>>,
        fail: bool,
    }

    #[async_trait::async_trait]
    impl TokenCredential for Fake {
        async fn get_token(&self, scopes: &[&str], _: Option<TokenRequestOptions<'_>>) -> azure_core::Result<AzureToken> {
            let mut seen = self.scopes.lock().unwrap();
            seen.push(scopes.iter().map(|s| s.to_string()).collect());
            if self.fail {
                return Err(azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, "no identity here"));
            }
            let expires_on = OffsetDateTime::now_utc() + Duration::from_secs(3600);
            Ok(AzureToken::new(format!("token-{}", seen.len()), expires_on))
        }
    }

    #[tokio::test]
    async fn tokens_are_cached_refreshed_after_invalidation_and_scoped_to_the_cloud() {
        let fake = Arc::new(Fake::default());
        let provider = AzureIdentity::from_arc(fake.clone()).cloud(NationalCloud::UsGovL4);
        let first = provider.token().await.unwrap();
        assert_eq!(first.secret(), "token-1");
        let left = first.expires_at().unwrap().duration_since(SystemTime::now()).unwrap();
        assert!(left > Duration::from_secs(3500), "{left:?}");
        assert_eq!(provider.token().await.unwrap(), first);
        provider.invalidate(&first);
        assert_eq!(provider.token().await.unwrap().secret(), "token-2");
        assert_eq!(*fake.scopes.lock().unwrap(), vec![vec!["https://graph.microsoft.us/.default".to_owned()]; 2]);
        assert!(!format!("{provider:?}").contains("token-"));
    }

    #[tokio::test]
    async fn failures_are_auth_errors_with_the_credentials_message() {
        let provider = AzureIdentity::new(Fake { fail: true, ..Fake::default() });
        let error = provider.token().await.unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Auth);
        assert!(error.message().contains("no identity here"), "{error}");
    }
}
