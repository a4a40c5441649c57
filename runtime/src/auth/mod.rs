//! Where the client gets its bearer token from: a fixed token, a [`TokenProvider`] of your
//! own, or a credential that fetches tokens, each behind one [`TokenCache`].
//!
//! | credential | where it fits |
//! |---|---|
//! | [`ClientSecretCredential`] | an app registration and its client secret |
//! | [`ClientCertificateCredential`] | an app registration and its certificate (PEM), signing PS256 client assertions |
//! | [`ManagedIdentityCredential`] | code running on Azure: App Service, Functions, Container Apps, virtual machines |
//! | [`WorkloadIdentityCredential`] | a pod with Azure Workload Identity (`AZURE_FEDERATED_TOKEN_FILE`) |
//! | [`AzureCliCredential`] | a developer machine or pipeline signed in with `az login` |
//! | [`DefaultCredential`] | all of the above in turn: environment, workload identity, managed identity, Azure CLI |
//! | `AzureIdentity` (feature `azure-identity`) | any `azure_core` `TokenCredential`, such as those of `azure_identity` |
//!
//! Every credential requests a token for `{graph}/.default` (or the resource `{graph}`) of
//! its [`NationalCloud`](crate::NationalCloud), bounds each request by `.timeout(..)`
//! (default 30 s), sends tokens only over `https` (plain `http` to loopback hosts for local
//! stand-ins, and to the managed identity endpoints that are plain `http` by design), and
//! keeps its tokens in a [`TokenCache`]: one token request at a time however many calls need
//! one, a `401` invalidating the token that was refused. No `Debug` output shows a secret, a
//! key or a token.

mod azure_cli;
#[cfg(feature = "azure-identity")]
mod azure_identity;
mod cache;
mod certificate;
mod certificate_file;
mod child_env;
mod client_secret;
mod default;
mod entra;
mod identity_endpoint;
mod managed_identity;
mod settings;
mod small_file;
mod unavailable;
mod workload_identity;

pub use azure_cli::AzureCliCredential;
#[cfg(feature = "azure-identity")]
pub use azure_identity::AzureIdentity;
/// The `azure_core` crate whose `TokenCredential` [`AzureIdentity`] adapts.
#[cfg(feature = "azure-identity")]
pub use azure_identity::azure_core;
pub use cache::{REFRESH_MARGIN, TokenCache};
pub use certificate::ClientCertificateCredential;
pub use client_secret::ClientSecretCredential;
pub use default::DefaultCredential;
pub use managed_identity::ManagedIdentityCredential;
pub use workload_identity::WorkloadIdentityCredential;

use crate::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// An environment variable, unless it is unset, empty or not Unicode.
pub(crate) fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

/// `A is`, `A and B are`, `A, B and C are`.
pub(crate) fn names_are(names: &[&str]) -> String {
    match names {
        [] => "nothing is".to_owned(),
        [one] => format!("{one} is"),
        [rest @ .., last] => format!("{} and {last} are", rest.join(", ")),
    }
}

/// A boxed future, as returned by [`TokenProvider::token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A bearer token and, when known, when it expires. Its `Debug` never shows the secret.
///
/// Two tokens are equal when their secrets are.
#[derive(Clone)]
pub struct AccessToken {
    secret: Arc<str>,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// Wraps a token (without the `Bearer ` prefix) whose expiry is not known.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken { secret: Arc::from(token.into()), expires_at: None }
    }

    /// A token that expires `lifetime` from now (as an OAuth `expires_in` says).
    pub fn expiring_in(token: impl Into<String>, lifetime: Duration) -> Self {
        AccessToken::new(token).with_expires_at(SystemTime::now().checked_add(lifetime))
    }

    /// Sets when the token expires (`None`: unknown).
    #[must_use]
    pub fn with_expires_at(mut self, expires_at: Option<SystemTime>) -> Self {
        self.expires_at = expires_at;
        self
    }

    /// The secret itself. Keep it out of logs.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl PartialEq for AccessToken {
    fn eq(&self, other: &Self) -> bool {
        self.secret == other.secret
    }
}

impl Eq for AccessToken {}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken").field("secret", &"<redacted>").field("expires_at", &self.expires_at).finish()
    }
}

/// Supplies the bearer token for each request: a fixed token, or one fetched and refreshed
/// from Microsoft Entra.
///
/// A provider that fetches tokens itself can be wrapped in a [`TokenCache`], which asks it
/// only when the cached token is due, once for all concurrent callers.
///
/// ```
/// use graph_endpoint::Error;
/// use graph_endpoint::auth::{AccessToken, BoxFuture, TokenProvider};
///
/// struct FromEnv;
///
/// impl TokenProvider for FromEnv {
///     fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
///         Box::pin(async {
///             std::env::var("GRAPH_TOKEN").map(AccessToken::new).map_err(|_| Error::auth("GRAPH_TOKEN is not set"))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// A currently valid token.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>>;

    /// Graph rejected `token` (401): forget it, so that the next [`token`](Self::token)
    /// fetches a new one. The client then resends the request once, if the token changed.
    fn invalidate(&self, token: &AccessToken) {
        let _ = token;
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        (**self).token()
    }

    fn invalidate(&self, token: &AccessToken) {
        (**self).invalidate(token)
    }
}

/// A token that never changes, as given to `Client::builder().bearer_token(..)`.
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always answers with `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }

    /// The token, without going through the async trait.
    pub(crate) fn token_now(&self) -> AccessToken {
        self.0.clone()
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let provider = StaticToken::new("eyJ0eXAi.secret");
        assert!(!format!("{provider:?}").contains("eyJ"));
        assert!(!format!("{:?}", AccessToken::new("eyJ0eXAi.secret")).contains("eyJ"));
    }

    #[test]
    fn equality_is_by_secret() {
        let a = AccessToken::expiring_in("x", Duration::from_secs(60));
        assert_eq!(a, AccessToken::new("x"));
        assert_ne!(a, AccessToken::new("y"));
        assert!(AccessToken::expiring_in("x", Duration::MAX).expires_at().is_none());
    }
}
