//! Tokens from Microsoft Entra for a Kubernetes workload identity: the service account token
//! the cluster projects into a file is the client assertion of a client credentials request.

use super::cache::TokenCache;
use super::entra::{TokenHttp, assertion_form};
use super::settings::{EntraSettings, cache_bound};
use super::small_file::{ReadFailure, read_small_file};
use super::{AccessToken, BoxFuture, TokenProvider, var};
use crate::cloud::NationalCloud;
use crate::error::Error;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A workload identity federation credential, as Azure Workload Identity sets it up for a pod:
/// the federated token in `AZURE_FEDERATED_TOKEN_FILE` is exchanged at
/// `{authority}/{tenant}/oauth2/v2.0/token` for a token with scope `{graph}/.default`.
///
/// The file is read again for every token request: the cluster rotates it. It is read
/// without holding a thread of the async runtime (a FIFO that nobody writes times out), must
/// hold at most 64 KiB, and counts against the request's [`timeout`](Self::timeout). Tokens
/// are cached in a [`TokenCache`].
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
    client_id: String,
    token_file: PathBuf,
    entra: EntraSettings,
    http: TokenHttp,
}

impl fmt::Debug for WorkloadFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("WorkloadIdentityCredential");
        d.field("client_id", &self.client_id).field("token_file", &self.token_file);
        self.entra.debug_fields(&mut d);
        d.finish()
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
        let entra = EntraSettings::new(tenant.into());
        let timeout = cache_bound(entra.timeout());
        let flow = WorkloadFlow { client_id: client_id.into(), token_file: token_file.into(), entra, http: TokenHttp::default() };
        WorkloadIdentityCredential { cache: TokenCache::new(flow).timeout(timeout) }
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

    /// Bounds every token request, from reading the token file to the end of the answer
    /// (default 30 s).
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

    /// The file the federated token is read from.
    pub fn token_file(&self) -> &Path {
        &self.cache.provider().token_file
    }
}

impl WorkloadFlow {
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let url = self.entra.checked_token_url()?;
        let started = tokio::time::Instant::now();
        // A small file on a projected volume: read it as it is now, every time, within the
        // request's bound; the request gets what is left of it.
        let assertion = read_token_file(&self.token_file, self.entra.timeout()).await?;
        let form = assertion_form(&self.client_id, self.entra.scope(), &assertion);
        self.http.post_form(&url, form, self.entra.timeout().saturating_sub(started.elapsed())).await
    }
}

/// The most a federated token file may hold: a service account token is a JWT of one or two
/// KiB.
const TOKEN_FILE_LIMIT: usize = 64 * 1024;

/// The federated token in the file at `path`, trimmed, read within `timeout`.
async fn read_token_file(path: &Path, timeout: Duration) -> Result<String, Error> {
    let shown = path.display();
    let bytes = read_small_file(path, TOKEN_FILE_LIMIT, timeout).await.map_err(|failure| match failure {
        ReadFailure::Io(e) => Error::auth(format!("the federated token file {shown} cannot be read: {e}")).with_source(e),
        ReadFailure::TooLarge => Error::auth(format!("the federated token file {shown} is larger than {} KiB", TOKEN_FILE_LIMIT / 1024)),
        ReadFailure::TimedOut => {
            Error::timeout(format!("the federated token file {shown} could not be read within {:.1} s", timeout.as_secs_f64()))
        }
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::auth(format!("the federated token file {shown} is not UTF-8 text")))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Error::auth(format!("the federated token file {shown} is empty")));
    }
    Ok(token.to_owned())
}

impl TokenProvider for WorkloadFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cache::cached_provider!(WorkloadIdentityCredential);

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
    async fn token_files_are_trimmed_text_of_at_most_64_kib() {
        let dir = std::env::temp_dir();
        let file = |name: &str, contents: &[u8]| {
            let path = dir.join(format!("graph-endpoint-token-{}-{name}", uuid::Uuid::new_v4()));
            std::fs::write(&path, contents).unwrap();
            path
        };
        let read = |path: PathBuf| async move {
            let result = read_token_file(&path, Duration::from_secs(10)).await;
            std::fs::remove_file(&path).unwrap();
            result
        };
        assert_eq!(read(file("text", b"  eyJ0eXAi.federated\n")).await.unwrap(), "eyJ0eXAi.federated");
        assert_eq!(read(file("fits", &[b'a'; TOKEN_FILE_LIMIT])).await.unwrap().len(), TOKEN_FILE_LIMIT);
        let error = read(file("long", &[b'a'; TOKEN_FILE_LIMIT + 1])).await.unwrap_err();
        assert!(error.message().contains("larger than 64 KiB"), "{error}");
        assert!(read(file("binary", &[0xff, 0xfe])).await.unwrap_err().message().contains("not UTF-8"));
        assert!(read(file("blank", b" \n")).await.unwrap_err().message().contains("is empty"));
    }

    #[tokio::test]
    async fn an_unreadable_token_file_is_an_auth_error_naming_it() {
        let credential = WorkloadIdentityCredential::new("t", "c", "/nonexistent/azure-identity-token").authority("http://127.0.0.1:9");
        let error = credential.token().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth);
        assert!(error.message().contains("/nonexistent/azure-identity-token"), "{error}");
    }
}
