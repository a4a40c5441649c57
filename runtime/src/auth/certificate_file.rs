//! The default chain's certificate from the environment: `AZURE_CLIENT_CERTIFICATE_PATH`,
//! read at the first token request like a token file (without blocking the runtime, capped,
//! within the timeout), then a [`ClientCertificateCredential`].

use super::small_file::{ReadFailure, read_small_file};
use super::{AccessToken, BoxFuture, ClientCertificateCredential, TokenProvider};
use crate::cloud::NationalCloud;
use crate::error::Error;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::OnceCell;

/// The most a certificate file may hold: a key and a chain of certificates are a few KiB.
const CERTIFICATE_FILE_LIMIT: usize = 1024 * 1024;

/// A [`ClientCertificateCredential`] made from a PEM file (certificate and key) when first
/// asked for a token. A file that cannot be read or used is a configuration error, tried again
/// at the next request.
pub(crate) struct CertificateFile {
    path: PathBuf,
    tenant: String,
    client_id: String,
    cloud: NationalCloud,
    /// In place of the cloud's.
    authority: Option<String>,
    timeout: Duration,
    credential: OnceCell<ClientCertificateCredential>,
}

impl CertificateFile {
    pub(crate) fn new(
        path: PathBuf,
        tenant: String,
        client_id: String,
        cloud: NationalCloud,
        authority: Option<String>,
        timeout: Duration,
    ) -> Self {
        CertificateFile { path, tenant, client_id, cloud, authority, timeout, credential: OnceCell::new() }
    }

    async fn load(&self) -> Result<ClientCertificateCredential, Error> {
        let shown = self.path.display();
        let pem = read_small_file(&self.path, CERTIFICATE_FILE_LIMIT, self.timeout).await.map_err(|failure| match failure {
            ReadFailure::Io(e) => Error::config(format!("AZURE_CLIENT_CERTIFICATE_PATH {shown} cannot be read: {e}")).with_source(e),
            ReadFailure::TooLarge => {
                Error::config(format!("AZURE_CLIENT_CERTIFICATE_PATH {shown} is larger than {} MiB", CERTIFICATE_FILE_LIMIT >> 20))
            }
            ReadFailure::TimedOut => Error::timeout(format!(
                "AZURE_CLIENT_CERTIFICATE_PATH {shown} could not be read within {:.1} s",
                self.timeout.as_secs_f64()
            )),
        })?;
        let credential = ClientCertificateCredential::from_pem(&self.tenant, &self.client_id, &pem, &pem)
            .map_err(|e| Error::config(format!("AZURE_CLIENT_CERTIFICATE_PATH {shown}: {}", e.message())))?;
        let credential = credential.cloud(self.cloud).timeout(self.timeout);
        Ok(match &self.authority {
            Some(authority) => credential.authority(authority),
            None => credential,
        })
    }
}

impl TokenProvider for CertificateFile {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async move { self.credential.get_or_try_init(|| self.load()).await?.token().await })
    }

    fn invalidate(&self, token: &AccessToken) {
        if let Some(credential) = self.credential.get() {
            credential.invalidate(token);
        }
    }
}
