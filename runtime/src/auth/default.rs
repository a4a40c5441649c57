//! A chain of credentials for programs that run in many places: the environment, a Kubernetes
//! workload identity, a managed identity, the Azure CLI, in that order.

use super::cache::TokenCache;
use super::certificate_file::CertificateFile;
use super::settings::{DEFAULT_TIMEOUT, cache_bound};
use super::unavailable::{is_unavailable, unavailable};
use super::{
    AccessToken, AzureCliCredential, BoxFuture, ClientSecretCredential, ManagedIdentityCredential, TokenProvider,
    WorkloadIdentityCredential, names_are, var,
};
use crate::cloud::NationalCloud;
use crate::error::Error;
use std::ffi::OsString;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How long the managed identity step waits for the Instance Metadata Service to accept a
/// connection before the chain moves on.
const IMDS_PROBE: Duration = Duration::from_secs(1);

/// The steps, by the names errors give them.
const ENVIRONMENT: &str = "environment";
const WORKLOAD_IDENTITY: &str = "workload identity";
const MANAGED_IDENTITY: &str = "managed identity";
const AZURE_CLI: &str = "Azure CLI";

/// The first credential available where the program runs, tried in this order:
///
/// 1. **environment**: `AZURE_TENANT_ID` and `AZURE_CLIENT_ID` with `AZURE_CLIENT_SECRET`
///    ([`ClientSecretCredential`]) or with `AZURE_CLIENT_CERTIFICATE_PATH`, a PEM file holding
///    the certificate and its key ([`ClientCertificateCredential`](super::ClientCertificateCredential));
/// 2. **workload identity**: [`WorkloadIdentityCredential::from_env`];
/// 3. **managed identity**: [`ManagedIdentityCredential`], user-assigned when
///    `AZURE_CLIENT_ID` is set, else system-assigned;
/// 4. **Azure CLI**: [`AzureCliCredential`].
///
/// Only a step that is *unavailable* passes to the next:
///
/// | step | unavailable when |
/// |---|---|
/// | environment | its variables are not set |
/// | workload identity | its variables are not set |
/// | managed identity | without `IDENTITY_ENDPOINT`: nothing accepts a connection at the Instance Metadata Service within a second, it answers `400` (no identity assigned to this resource), or what answers there does not answer in JSON (another cloud's metadata service, a proxy's page) |
/// | Azure CLI | `az` is not installed, or not signed in |
///
/// A step that is set up and fails ends the chain with its own error: Entra refusing the
/// secret, an answer `5xx`, a timeout, a certificate or token file that cannot be read. The
/// chain never switches identity because the one set up failed for a moment; the next token
/// request tries it again.
///
/// The environment is read when the credential is made, the steps are built at the first
/// token request (the certificate file is read then, as the token file is at each refresh:
/// without holding a thread of the async runtime, capped, within the timeout), and the first
/// step that gives a token is used from then on. When every step
/// is unavailable, the one [`ErrorKind::Auth`](crate::ErrorKind::Auth) error names each step
/// and why. `AZURE_AUTHORITY_HOST` sets the authority of the Entra steps.
///
/// ```no_run
/// use graph_endpoint::auth::DefaultCredential;
///
/// let client = graph_endpoint::Client::builder().token_provider(DefaultCredential::new()).build()?;
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[must_use]
pub struct DefaultCredential {
    settings: Settings,
    state: OnceLock<(Arc<Chain>, TokenCache<Selector>)>,
}

/// The environment as it was when the credential was made, and the overrides.
#[derive(Clone)]
struct Settings {
    tenant: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    certificate_path: Option<String>,
    federated_token_file: Option<String>,
    authority_host: Option<String>,
    identity_endpoint: Option<String>,
    identity_header: Option<String>,
    authority: Option<String>,
    managed_identity_endpoint: Option<String>,
    azure_cli_program: Option<OsString>,
    timeout: Duration,
    cloud: NationalCloud,
}

struct Step {
    name: &'static str,
    /// The credential, or why this step cannot give a token at all: unavailable (marked so)
    /// when it is not set up, else set up wrongly.
    credential: Result<Box<dyn TokenProvider>, Error>,
}

struct Chain {
    steps: Vec<Step>,
    /// The step that gave the first token.
    chosen: OnceLock<usize>,
}

/// Walks the chain until a step gives a token; behind a [`TokenCache`], so that concurrent
/// first callers share one walk and its failure.
struct Selector(Arc<Chain>);

impl Default for DefaultCredential {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultCredential {
    /// Reads the environment; the steps are built at the first token request.
    pub fn new() -> Self {
        DefaultCredential {
            settings: Settings {
                tenant: var("AZURE_TENANT_ID"),
                client_id: var("AZURE_CLIENT_ID"),
                client_secret: var("AZURE_CLIENT_SECRET"),
                certificate_path: var("AZURE_CLIENT_CERTIFICATE_PATH"),
                federated_token_file: var("AZURE_FEDERATED_TOKEN_FILE"),
                authority_host: var("AZURE_AUTHORITY_HOST"),
                identity_endpoint: var("IDENTITY_ENDPOINT"),
                identity_header: var("IDENTITY_HEADER"),
                authority: None,
                managed_identity_endpoint: None,
                azure_cli_program: None,
                timeout: DEFAULT_TIMEOUT,
                cloud: NationalCloud::Global,
            },
            state: OnceLock::new(),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Settings)) -> Self {
        change(&mut self.settings);
        // Steps built before are rebuilt with the new settings.
        self.state = OnceLock::new();
        self
    }

    /// The authority of the environment and workload identity steps (a local token endpoint
    /// in tests), in place of `AZURE_AUTHORITY_HOST` and the cloud's.
    pub fn authority(self, authority: impl Into<String>) -> Self {
        let authority = authority.into();
        self.with(|s| s.authority = Some(authority))
    }

    /// The URL the managed identity step asks in place of the Instance Metadata Service
    /// ([`ManagedIdentityCredential::endpoint`]).
    pub fn managed_identity_endpoint(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.with(|s| s.managed_identity_endpoint = Some(url))
    }

    /// The program the Azure CLI step runs in place of `az` ([`AzureCliCredential::program`]).
    pub fn azure_cli_program(self, program: impl Into<OsString>) -> Self {
        let program = program.into();
        self.with(|s| s.azure_cli_program = Some(program))
    }

    /// Bounds every token request of every step (default 30 s).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|s| s.timeout = timeout)
    }

    /// Requests tokens for a national cloud's Graph, from its authority.
    pub fn cloud(self, cloud: NationalCloud) -> Self {
        self.with(|s| s.cloud = cloud)
    }

    /// The step that gave the first token and is used from then on (`"environment"`,
    /// `"workload identity"`, `"managed identity"` or `"Azure CLI"`), once there is one.
    pub fn selected(&self) -> Option<&'static str> {
        let (chain, _) = self.state.get()?;
        chain.chosen.get().map(|&i| chain.steps[i].name)
    }

    fn state(&self) -> &(Arc<Chain>, TokenCache<Selector>) {
        self.state.get_or_init(|| {
            let chain = Arc::new(self.settings.build());
            // The walk may take each step's bound in turn.
            let steps = u32::try_from(chain.steps.len()).unwrap_or(u32::MAX);
            let bound = cache_bound(self.settings.timeout).saturating_mul(steps).saturating_add(IMDS_PROBE);
            (chain.clone(), TokenCache::new(Selector(chain)).timeout(bound))
        })
    }
}

impl Settings {
    /// The Entra authority for the environment and workload identity steps, if not the cloud's.
    fn authority(&self) -> Option<&str> {
        self.authority.as_deref().or(self.authority_host.as_deref())
    }

    fn build(&self) -> Chain {
        let steps = vec![
            Step { name: ENVIRONMENT, credential: self.environment() },
            Step { name: WORKLOAD_IDENTITY, credential: self.workload_identity() },
            Step { name: MANAGED_IDENTITY, credential: Ok(Box::new(self.managed_identity())) },
            Step { name: AZURE_CLI, credential: Ok(Box::new(self.azure_cli())) },
        ];
        Chain { steps, chosen: OnceLock::new() }
    }

    fn environment(&self) -> Result<Box<dyn TokenProvider>, Error> {
        let (Some(tenant), Some(client_id)) = (&self.tenant, &self.client_id) else {
            let mut missing: Vec<&str> = [("AZURE_TENANT_ID", self.tenant.is_none()), ("AZURE_CLIENT_ID", self.client_id.is_none())]
                .into_iter()
                .filter_map(|(name, missing)| missing.then_some(name))
                .collect();
            if self.client_secret.is_none() && self.certificate_path.is_none() {
                missing.push("AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH");
            }
            return Err(unavailable(Error::config(format!("{} not set", names_are(&missing)))));
        };
        if let Some(secret) = &self.client_secret {
            let mut credential = ClientSecretCredential::new(tenant, client_id, secret).cloud(self.cloud).timeout(self.timeout);
            if let Some(authority) = self.authority() {
                credential = credential.authority(authority);
            }
            return Ok(Box::new(credential));
        }
        let Some(path) = &self.certificate_path else {
            return Err(unavailable(Error::config("AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH is not set")));
        };
        // Set up from here on: a certificate that cannot be read, at the first token request,
        // ends the chain.
        let authority = self.authority().map(str::to_owned);
        Ok(Box::new(CertificateFile::new(path.into(), tenant.clone(), client_id.clone(), self.cloud, authority, self.timeout)))
    }

    fn workload_identity(&self) -> Result<Box<dyn TokenProvider>, Error> {
        // Its only error: variables that are not set.
        let credential =
            WorkloadIdentityCredential::from_vars(self.tenant.clone(), self.client_id.clone(), self.federated_token_file.clone())
                .map_err(unavailable)?;
        let mut credential = credential.cloud(self.cloud).timeout(self.timeout);
        if let Some(authority) = self.authority() {
            credential = credential.authority(authority);
        }
        Ok(Box::new(credential))
    }

    fn managed_identity(&self) -> ManagedIdentityCredential {
        let mut credential =
            ManagedIdentityCredential::from_parts(self.client_id.clone(), self.identity_endpoint.clone(), self.identity_header.clone())
                .cloud(self.cloud)
                .timeout(self.timeout)
                .probe(IMDS_PROBE);
        if let Some(url) = &self.managed_identity_endpoint {
            credential = credential.endpoint(url.clone());
        }
        credential
    }

    fn azure_cli(&self) -> AzureCliCredential {
        let mut credential = AzureCliCredential::new().cloud(self.cloud).timeout(self.timeout);
        if let Some(program) = &self.azure_cli_program {
            credential = credential.program(program.clone());
        }
        credential
    }
}

impl TokenProvider for Selector {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async move {
            let chain = &self.0;
            if let Some(&i) = chain.chosen.get()
                && let Ok(credential) = &chain.steps[i].credential
            {
                return credential.token().await;
            }
            let mut unavailable = Vec::new();
            for (i, step) in chain.steps.iter().enumerate() {
                let result = match &step.credential {
                    Ok(credential) => credential.token().await,
                    Err(error) => Err(error.clone()),
                };
                match result {
                    Ok(token) => {
                        let _ = chain.chosen.set(i);
                        tracing::debug!(credential = step.name, "DefaultCredential uses the {} credential", step.name);
                        return Ok(token);
                    }
                    Err(error) if is_unavailable(&error) => unavailable.push(format!("{}: {}", step.name, error.message())),
                    // Set up here and failed: its error is the answer, whatever comes after it.
                    Err(error) => {
                        tracing::debug!(
                            credential = step.name,
                            "DefaultCredential: the {} credential failed; no later step is tried",
                            step.name
                        );
                        return Err(error);
                    }
                }
            }
            Err(Error::auth(format!("no credential is available ({})", unavailable.join("; "))))
        })
    }
}

impl TokenProvider for DefaultCredential {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        let (chain, selector) = self.state();
        if let Some(&i) = chain.chosen.get()
            && let Ok(credential) = &chain.steps[i].credential
        {
            return credential.token();
        }
        selector.token()
    }

    fn invalidate(&self, token: &AccessToken) {
        let Some((chain, selector)) = self.state.get() else { return };
        if let Some(&i) = chain.chosen.get()
            && let Ok(credential) = &chain.steps[i].credential
        {
            credential.invalidate(token);
        }
        selector.invalidate(token);
    }
}

impl fmt::Debug for DefaultCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.settings;
        let set = |value: &Option<String>| value.as_ref().map(|_| "<set>");
        f.debug_struct("DefaultCredential")
            .field("selected", &self.selected())
            .field("tenant", &s.tenant)
            .field("client_id", &s.client_id)
            .field("client_secret", &set(&s.client_secret))
            .field("certificate_path", &s.certificate_path)
            .field("federated_token_file", &s.federated_token_file)
            .field("identity_endpoint", &s.identity_endpoint)
            .field("identity_header", &set(&s.identity_header))
            .field("authority", &s.authority().unwrap_or(s.cloud.authority()))
            .field("managed_identity_endpoint", &s.managed_identity_endpoint)
            .field("azure_cli_program", &s.azure_cli_program)
            .field("timeout", &s.timeout)
            .field("cloud", &s.cloud)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            tenant: None,
            client_id: None,
            client_secret: None,
            certificate_path: None,
            federated_token_file: None,
            authority_host: None,
            identity_endpoint: None,
            identity_header: None,
            authority: None,
            managed_identity_endpoint: None,
            azure_cli_program: None,
            timeout: DEFAULT_TIMEOUT,
            cloud: NationalCloud::Global,
        }
    }

    fn reason(result: Result<Box<dyn TokenProvider>, Error>) -> String {
        let error = result.err().expect("the step cannot give a token");
        assert!(is_unavailable(&error), "not set up is unavailable: {error}");
        error.message().to_owned()
    }

    #[tokio::test]
    async fn steps_not_set_up_are_unavailable_and_say_what_is_missing() {
        let s = settings();
        assert_eq!(
            reason(s.environment()),
            "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH are not set"
        );
        assert_eq!(reason(s.workload_identity()), "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE are not set");
        let s = Settings { tenant: Some("t".into()), client_id: Some("c".into()), ..settings() };
        assert_eq!(reason(s.environment()), "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH is not set");
        assert_eq!(reason(s.workload_identity()), "AZURE_FEDERATED_TOKEN_FILE is not set");
        let s = Settings { certificate_path: Some("/nonexistent/cert.pem".into()), ..s };
        let Ok(step) = s.environment() else { panic!("set up: the certificate is read at the first token request") };
        let error = step.token().await.unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Config);
        assert!(!is_unavailable(&error), "a certificate that cannot be read is set up wrongly, not unavailable: {error}");
        assert!(error.message().contains("/nonexistent/cert.pem"), "{error}");
    }

    #[test]
    fn debug_hides_the_secret_and_the_identity_header() {
        let mut credential = DefaultCredential::new();
        credential.settings.client_secret = Some("s3cret-value".into());
        credential.settings.identity_header = Some("h3ader-value".into());
        let shown = format!("{credential:?}");
        assert!(!shown.contains("s3cret") && !shown.contains("h3ader") && shown.contains("<set>"), "{shown}");
    }
}
