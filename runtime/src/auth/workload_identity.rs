//! Tokens from Microsoft Entra for a Kubernetes workload identity: the service account token
//! the cluster projects into a file is the client assertion of a client credentials request.

use super::cache::TokenCache;
use super::entra::{BACKSTOP, DEFAULT_TIMEOUT, TokenHttp, assertion_form};
use super::{AccessToken, BoxFuture, TokenProvider, var};
use crate::call::origin;
use crate::cloud::NationalCloud;
use crate::error::Error;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A workload identity federation credential, as Azure Workload Identity sets it up for a pod:
/// the federated token in `AZURE_FEDERATED_TOKEN_FILE` is exchanged at
/// `{authority}/{tenant}/oauth2/v2.0/token` for a token with scope `{graph}/.default`.
///
/// The file is read again for every token request: the cluster rotates it. Tokens are cached
/// in a [`TokenCache`], each request bounded by [`timeout`](Self::timeout).
///
/// ```no_run
/// use graph_endpoint::auth::WorkloadIdentityCredential;
///
/// // AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE (and AZURE_AUTHORITY_HOST)
/// let credential = WorkloadIdentityCredential::from_env()?;
/// let client = graph_endpoint::Client::builder().token_provider(credential).build()?;
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[must_use]
pub struct WorkloadIdentityCredential {
    cache: TokenCache<WorkloadFlow>,
}

#[derive(Clone)]
struct WorkloadFlow {
    tenant: String,
    client_id: String,
    token_file: PathBuf,
    authority: String,
    scope: String,
    timeout: Duration,
    http: TokenHttp,
}

impl fmt::Debug for WorkloadFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkloadIdentityCredential")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("token_file", &self.token_file)
            .field("authority", &self.authority)
            .field("scope", &self.scope)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl fmt::Debug for WorkloadIdentityCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.provider().fmt(f)
    }
}

impl WorkloadIdentityCredential {
    /// From `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_FEDERATED_TOKEN_FILE`, with the
    /// authority from `AZURE_AUTHORITY_HOST` when it is set. Fails with
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming each variable that is not set.
    pub fn from_env() -> Result<Self, Error> {
        let credential = Self::from_vars(var("AZURE_TENANT_ID"), var("AZURE_CLIENT_ID"), var("AZURE_FEDERATED_TOKEN_FILE"))?;
        Ok(match var("AZURE_AUTHORITY_HOST") {
            Some(host) => credential.authority(host),
            None => credential,
        })
    }

    pub(crate) fn from_vars(tenant: Option<String>, client_id: Option<String>, token_file: Option<String>) -> Result<Self, Error> {
        match (tenant, client_id, token_file) {
            (Some(tenant), Some(client_id), Some(token_file)) => Ok(Self::new(tenant, client_id, token_file)),
            (tenant, client_id, token_file) => {
                let missing: Vec<&str> = [
                    ("AZURE_TENANT_ID", tenant.is_none()),
                    ("AZURE_CLIENT_ID", client_id.is_none()),
                    ("AZURE_FEDERATED_TOKEN_FILE", token_file.is_none()),
                ]
                .into_iter()
                .filter_map(|(name, missing)| missing.then_some(name))
                .collect();
                Err(Error::config(format!("{} not set", super::names_are(&missing))))
            }
        }
    }

    /// A credential for the global cloud that reads the federated token from `token_file`.
    pub fn new(tenant: impl Into<String>, client_id: impl Into<String>, token_file: impl Into<PathBuf>) -> Self {
        let cloud = NationalCloud::Global;
        let flow = WorkloadFlow {
            tenant: tenant.into(),
            client_id: client_id.into(),
            token_file: token_file.into(),
            authority: cloud.authority().to_owned(),
            scope: format!("{}/.default", cloud.graph_url()),
            timeout: DEFAULT_TIMEOUT,
            http: TokenHttp::default(),
        };
        WorkloadIdentityCredential { cache: TokenCache::new(flow).timeout(DEFAULT_TIMEOUT + BACKSTOP) }
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

    /// The file the federated token is read from.
    pub fn token_file(&self) -> &Path {
        &self.cache.provider().token_file
    }
}

impl WorkloadFlow {
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let url = format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant);
        let url = origin::parse_secure(&url, "the token URL")?;
        // A small file on a projected volume: read it as it is now, every time.
        let assertion = std::fs::read_to_string(&self.token_file).map_err(|e| {
            Error::auth(format!("the federated token file {} cannot be read: {e}", self.token_file.display())).with_source(e)
        })?;
        let assertion = assertion.trim();
        if assertion.is_empty() {
            return Err(Error::auth(format!("the federated token file {} is empty", self.token_file.display())));
        }
        let form = assertion_form(&self.client_id, &self.scope, assertion);
        self.http.post_form(&url, form, self.timeout).await
    }
}

impl TokenProvider for WorkloadFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cached_provider!(WorkloadIdentityCredential);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn missing_values_are_named() {
        let error = WorkloadIdentityCredential::from_vars(Some("t".into()), None, None).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config);
        assert_eq!(error.message(), "AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE are not set");
        let error = WorkloadIdentityCredential::from_vars(None, Some("c".into()), Some("f".into())).unwrap_err();
        assert_eq!(error.message(), "AZURE_TENANT_ID is not set");
        let credential = WorkloadIdentityCredential::from_vars(Some("t".into()), Some("c".into()), Some("/var/run/token".into())).unwrap();
        assert_eq!(credential.token_file(), Path::new("/var/run/token"));
        assert_eq!(credential.cloud(NationalCloud::UsGovL4).token_url(), "https://login.microsoftonline.us/t/oauth2/v2.0/token");
    }

    #[tokio::test]
    async fn an_unreadable_token_file_is_an_auth_error_naming_it() {
        let credential = WorkloadIdentityCredential::new("t", "c", "/nonexistent/azure-identity-token").authority("http://127.0.0.1:9");
        let error = credential.token().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth);
        assert!(error.message().contains("/nonexistent/azure-identity-token"), "{error}");
    }
}
