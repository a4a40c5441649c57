//! Tokens from Microsoft Entra with the OAuth 2.0 client credentials grant, cached and
//! refreshed ahead of expiry, with one refresh shared by every caller that needs it.

use crate::auth::{AccessToken, BoxFuture, TokenProvider};
use crate::cloud::NationalCloud;
use crate::error::Error;
use serde::Deserialize;
use std::fmt;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Tokens are refreshed this long before they expire.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// An app registration's client secret, exchanged at
/// `{authority}/{tenant}/oauth2/v2.0/token` for a token with scope `{graph}/.default`.
///
/// ```
/// use graph_endpoint_runtime::{ClientSecretCredential, NationalCloud};
///
/// let credential = ClientSecretCredential::new("contoso.onmicrosoft.com", "app-id", "app-secret")
///     .cloud(NationalCloud::UsGovL4);
/// assert_eq!(credential.token_url(), "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token");
/// assert_eq!(credential.scope(), "https://graph.microsoft.us/.default");
/// assert!(!format!("{credential:?}").contains("app-secret"));
/// ```
pub struct ClientSecretCredential {
    tenant: String,
    client_id: String,
    secret: String,
    authority: String,
    scope: String,
    http: reqwest::Client,
    /// The cached token and when it expires. An async lock: while one caller refreshes, the
    /// others wait for its result instead of asking Entra too.
    cache: Mutex<Option<(AccessToken, Instant)>>,
}

impl fmt::Debug for ClientSecretCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecretCredential")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("secret", &"<redacted>")
            .field("authority", &self.authority)
            .field("scope", &self.scope)
            .finish()
    }
}

impl ClientSecretCredential {
    /// A credential for the global cloud.
    pub fn new(tenant: impl Into<String>, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        let cloud = NationalCloud::Global;
        ClientSecretCredential {
            tenant: tenant.into(),
            client_id: client_id.into(),
            secret: secret.into(),
            authority: cloud.authority().to_owned(),
            scope: format!("{}/.default", cloud.graph_url()),
            http: reqwest::Client::new(),
            cache: Mutex::new(None),
        }
    }

    /// Uses a national cloud's authority and Graph scope.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.authority = cloud.authority().to_owned();
        self.scope = format!("{}/.default", cloud.graph_url());
        self
    }

    /// Another authority (a local token endpoint in tests); without a trailing `/`.
    pub fn authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = authority.into().trim_end_matches('/').to_owned();
        self
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant)
    }

    /// The scope requested.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    async fn cached_or_fetch(&self) -> Result<AccessToken, Error> {
        let mut cache = self.cache.lock().await;
        if let Some((token, expires)) = &*cache
            && Instant::now() + REFRESH_MARGIN < *expires
        {
            return Ok(token.clone());
        }
        let (token, lifetime) = self.fetch().await?;
        *cache = Some((token.clone(), Instant::now() + lifetime));
        Ok(token)
    }

    async fn fetch(&self) -> Result<(AccessToken, Duration), Error> {
        let url = self.token_url();
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", &self.secret)
            .append_pair("scope", &self.scope)
            .finish();
        let response = self
            .http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(|e| Error::auth(format!("the token request to {url} failed")).with_source(e.without_url()))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| Error::auth("the token response could not be read").with_source(e.without_url()))?;
        if !status.is_success() {
            return Err(Error::auth(token_error_message(status.as_u16(), &body)));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| Error::auth(format!("the token endpoint answered {status} with an unexpected body: {e}")))?;
        let lifetime = match answer.expires_in {
            Some(Seconds::Number(n)) => n,
            Some(Seconds::Text(t)) => t.trim().parse().unwrap_or(0),
            None => 0,
        };
        Ok((AccessToken::new(answer.access_token), Duration::from_secs(lifetime)))
    }
}

impl TokenProvider for ClientSecretCredential {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.cached_or_fetch())
    }

    fn invalidate(&self, token: &AccessToken) {
        // A refresh in progress holds the lock and will replace the token anyway.
        if let Ok(mut cache) = self.cache.try_lock()
            && cache.as_ref().is_some_and(|(cached, _)| cached == token)
        {
            *cache = None;
        }
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<Seconds>,
}

/// Entra has sent `expires_in` both as a number and as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Seconds {
    Number(u64),
    Text(String),
}

#[derive(Deserialize)]
struct TokenError {
    error: Option<String>,
    error_description: Option<String>,
}

/// `invalid_client: AADSTS7000215: Invalid client secret provided. ...` on one line.
fn token_error_message(status: u16, body: &[u8]) -> String {
    match serde_json::from_slice::<TokenError>(body) {
        Ok(TokenError { error: Some(error), error_description }) => {
            let description = error_description.unwrap_or_default();
            let description = description.split_whitespace().collect::<Vec<_>>().join(" ");
            format!("the token endpoint refused the request ({status}): {error}: {description}")
        }
        _ => format!("the token endpoint answered {status}: {}", String::from_utf8_lossy(&body[..body.len().min(200)])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_errors_become_one_line() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: abc\r\nCorrelation ID: def","error_codes":[7000215]}"#;
        let message = token_error_message(401, body);
        assert_eq!(
            message,
            "the token endpoint refused the request (401): invalid_client: AADSTS7000215: Invalid client secret provided. Trace ID: abc Correlation ID: def"
        );
    }

    #[test]
    fn clouds_set_authority_and_scope() {
        let c = ClientSecretCredential::new("t", "c", "s").cloud(NationalCloud::China);
        assert_eq!(c.token_url(), "https://login.chinacloudapi.cn/t/oauth2/v2.0/token");
        assert_eq!(c.scope(), "https://microsoftgraph.chinacloudapi.cn/.default");
        let c = ClientSecretCredential::new("t", "c", "s").authority("http://127.0.0.1:9/");
        assert_eq!(c.token_url(), "http://127.0.0.1:9/t/oauth2/v2.0/token");
    }
}
