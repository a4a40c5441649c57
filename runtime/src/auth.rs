//! Where the client gets its bearer token from.

use crate::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed future, as returned by [`TokenProvider::token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A bearer token. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The secret itself. Keep it out of logs.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Supplies the bearer token for each request: a fixed token, or one fetched and refreshed
/// from Microsoft Entra.
///
/// ```
/// use graph_endpoint_runtime::{AccessToken, BoxFuture, Error, TokenProvider};
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

/// A token that never changes, as given to `Client::builder().bearer_token(..)`.
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always answers with `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl StaticToken {
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
        assert!(!format!("{provider:?}").contains("secret"));
        assert!(!format!("{:?}", AccessToken::new("eyJ0eXAi.secret")).contains("eyJ"));
    }
}
