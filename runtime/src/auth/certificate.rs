//! Tokens from Microsoft Entra with the OAuth 2.0 client credentials grant and a certificate:
//! each token request carries a client assertion, a JWT signed with the certificate's RSA key.

use super::cache::TokenCache;
use super::entra::{TokenHttp, assertion_form};
use super::settings::{EntraSettings, cache_bound};
use super::{AccessToken, BoxFuture, TokenProvider};
use crate::cloud::NationalCloud;
use crate::error::Error;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{KeyPair as _, RSA_PSS_SHA256, RsaKeyPair};
use rustls_pki_types::pem::{self, PemObject, SectionKind};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long a client assertion is valid for.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// An app registration's certificate, proving the app's identity at
/// `{authority}/{tenant}/oauth2/v2.0/token` for a token with scope `{graph}/.default`.
///
/// Each token request sends a client assertion: a JWT signed with **PS256** whose header
/// names the certificate by `x5t#S256` (the base64url SHA-256 of its DER), with `aud` the
/// token URL, `iss` and `sub` the client id, a fresh `jti`, and an expiry ten minutes ahead.
/// [`send_certificate_chain`](Self::send_certificate_chain) adds the `x5c` header, for apps
/// that trust a certificate by subject name and issuer.
///
/// Keys are RSA, in PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM;
/// one PEM holding both the certificate and the key may be passed as both arguments.
/// Tokens are cached in a [`TokenCache`], one token request at a time, each bounded by
/// [`timeout`](Self::timeout).
///
/// ```no_run
/// use graph_endpoint::auth::ClientCertificateCredential;
///
/// let pem = std::fs::read("app.pem")?; // certificate and key
/// let credential = ClientCertificateCredential::from_pem("contoso.onmicrosoft.com", "app-id", &pem, &pem)?;
/// let client = graph_endpoint::Client::builder().token_provider(credential).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub struct ClientCertificateCredential {
    cache: TokenCache<CertificateFlow>,
}

/// What one token request needs.
#[derive(Clone)]
struct CertificateFlow {
    client_id: String,
    key: Arc<RsaKeyPair>,
    /// `x5t#S256` of the certificate that matches the key.
    thumbprint: String,
    /// Standard base64 DER of each certificate, the key's own first.
    chain: Vec<String>,
    send_chain: bool,
    entra: EntraSettings,
    http: TokenHttp,
}

impl fmt::Debug for CertificateFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientCertificateCredential");
        d.field("client_id", &self.client_id)
            .field("x5t#S256", &self.thumbprint)
            .field("certificates", &self.chain.len())
            .field("private_key", &"<redacted>")
            .field("send_certificate_chain", &self.send_chain);
        self.entra.debug_fields(&mut d);
        d.finish()
    }
}

impl fmt::Debug for ClientCertificateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.provider().fmt(f)
    }
}

impl ClientCertificateCredential {
    /// A credential for the global cloud from a PEM certificate (optionally followed by its
    /// chain) and the PEM RSA private key that belongs to it.
    ///
    /// Fails with [`ErrorKind::Config`](crate::ErrorKind::Config) when either PEM cannot be
    /// read, the key is not an unencrypted RSA key, or no certificate matches the key. The
    /// errors never contain the PEM text.
    pub fn from_pem(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        certificate_pem: impl AsRef<[u8]>,
        private_key_pem: impl AsRef<[u8]>,
    ) -> Result<Self, Error> {
        let key = read_key(private_key_pem.as_ref())?;
        let mut certificates = read_certificates(certificate_pem.as_ref())?;
        let public_key = key.public_key().as_ref();
        // The certificate whose subject public key is this key's: its RSAPublicKey DER is
        // the content of the certificate's key bit string.
        let Some(own) = certificates.iter().position(|der| der.windows(public_key.len()).any(|w| w == public_key)) else {
            return Err(Error::config("no certificate in the certificate PEM matches the private key"));
        };
        let leaf = certificates.remove(own);
        certificates.insert(0, leaf);
        let digest = ring::digest::digest(&ring::digest::SHA256, &certificates[0]);
        let entra = EntraSettings::new(tenant.into());
        let timeout = cache_bound(entra.timeout());
        let flow = CertificateFlow {
            client_id: client_id.into(),
            key: Arc::new(key),
            thumbprint: URL_SAFE_NO_PAD.encode(digest.as_ref()),
            chain: certificates.iter().map(|der| STANDARD.encode(der)).collect(),
            send_chain: false,
            entra,
            http: TokenHttp::default(),
        };
        Ok(ClientCertificateCredential { cache: TokenCache::new(flow).timeout(timeout) })
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

    /// Sends the certificate chain in the assertion's `x5c` header (default: not sent), as
    /// apps that trust certificates by subject name and issuer require.
    pub fn send_certificate_chain(mut self, send: bool) -> Self {
        self.cache.provider_mut().send_chain = send;
        self
    }

    /// The token endpoint, which is also the assertion's `aud`.
    pub fn token_url(&self) -> String {
        self.cache.provider().entra.token_url()
    }

    /// The scope requested.
    pub fn scope(&self) -> &str {
        self.cache.provider().entra.scope()
    }

    /// The certificate's `x5t#S256` thumbprint, as the assertion header carries it.
    pub fn thumbprint(&self) -> &str {
        &self.cache.provider().thumbprint
    }
}

impl CertificateFlow {
    /// A signed client assertion for `audience`.
    fn assertion(&self, audience: &str) -> Result<String, Error> {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| Error::auth("the system clock is before 1970: no client assertion can be dated"))?
            .as_secs();
        let mut header = serde_json::json!({"alg": "PS256", "typ": "JWT", "x5t#S256": self.thumbprint});
        if self.send_chain {
            header["x5c"] = serde_json::json!(self.chain);
        }
        let claims = serde_json::json!({
            "aud": audience,
            "iss": self.client_id,
            "sub": self.client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME.as_secs(),
        });
        let input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PSS_SHA256, &SystemRandom::new(), input.as_bytes(), &mut signature)
            .map_err(|_| Error::auth("signing the client assertion failed"))?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    async fn fetch(&self) -> Result<AccessToken, Error> {
        let url = self.entra.checked_token_url()?;
        let assertion = self.assertion(&self.entra.token_url())?;
        let form = assertion_form(&self.client_id, self.entra.scope(), &assertion);
        self.http.post_form(&url, form, self.entra.timeout()).await
    }
}

impl TokenProvider for CertificateFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cache::cached_provider!(ClientCertificateCredential);

/// What is wrong with a PEM, in words that quote none of it.
fn pem_problem(error: &pem::Error) -> &'static str {
    match error {
        pem::Error::MissingSectionEnd { .. } => "a section has no END line",
        pem::Error::IllegalSectionStart { .. } => "a BEGIN line is malformed",
        pem::Error::Base64Decode(_) => "a section's base64 is invalid",
        pem::Error::SectionTooLarge => "a section is too large",
        _ => "it is malformed",
    }
}

/// The first private key of `pem`, which must be an unencrypted RSA key.
fn read_key(pem: &[u8]) -> Result<RsaKeyPair, Error> {
    let contains = |needle: &[u8]| pem.windows(needle.len()).any(|w| w == needle);
    if contains(b"ENCRYPTED PRIVATE KEY") || contains(b"Proc-Type: 4,ENCRYPTED") {
        return Err(Error::config("the private key is encrypted; pass it decrypted (PKCS#8 or PKCS#1 PEM)"));
    }
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
        let (kind, mut der) = section.map_err(|e| Error::config(format!("the private key PEM cannot be read: {}", pem_problem(&e))))?;
        // ring names the reason in its Display (`WrongAlgorithm`, `InvalidEncoding`, ...).
        let rejected = |e: ring::error::KeyRejected| match e.to_string().as_str() {
            "WrongAlgorithm" => Error::config("the private key is not an RSA key; only RSA keys are supported"),
            problem => Error::config(format!("the private key is not a usable RSA key ({problem})")),
        };
        let key = match kind {
            SectionKind::PrivateKey => RsaKeyPair::from_pkcs8(&der).map_err(rejected),
            SectionKind::RsaPrivateKey => RsaKeyPair::from_der(&der).map_err(rejected),
            SectionKind::EcPrivateKey => Err(Error::config("the private key is an EC key; only RSA keys are supported")),
            _ => continue,
        };
        // Leave no copy of the key's DER behind in freed memory.
        der.fill(0);
        std::hint::black_box(&der);
        return key;
    }
    Err(Error::config("the private key PEM holds no private key (`-----BEGIN PRIVATE KEY-----` or `-----BEGIN RSA PRIVATE KEY-----`)"))
}

/// Every certificate of `pem`, in order (DER).
fn read_certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut certificates = Vec::new();
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
        let (kind, der) = section.map_err(|e| Error::config(format!("the certificate PEM cannot be read: {}", pem_problem(&e))))?;
        if kind == SectionKind::Certificate {
            certificates.push(der);
        }
    }
    if certificates.is_empty() {
        return Err(Error::config("the certificate PEM holds no certificate (`-----BEGIN CERTIFICATE-----`)"));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const CERT: &str = include_str!("../../../tests/data/credentials/client-cert.pem");
    const CHAIN: &str = include_str!("../../../tests/data/credentials/client-chain.pem");
    const PKCS8: &str = include_str!("../../../tests/data/credentials/client-key-pkcs8.pem");
    const PKCS1: &str = include_str!("../../../tests/data/credentials/client-key-pkcs1.pem");
    const COMBINED: &str = include_str!("../../../tests/data/credentials/client-combined.pem");
    const OTHER: &str = include_str!("../../../tests/data/credentials/other-key-pkcs8.pem");
    const EC: &str = include_str!("../../../tests/data/credentials/ec-key-pkcs8.pem");

    fn config_error(certificate: &str, key: &str) -> Error {
        let error = ClientCertificateCredential::from_pem("t", "c", certificate, key).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        let shown = format!("{error} {error:?}");
        for pem in [certificate, key] {
            for line in pem.lines().filter(|l| l.len() > 16 && !l.starts_with("-----")) {
                assert!(!shown.contains(line), "the error quotes the PEM: {shown}");
            }
        }
        error
    }

    #[test]
    fn pkcs8_pkcs1_and_combined_pems_give_one_thumbprint() {
        let a = ClientCertificateCredential::from_pem("t", "c", CERT, PKCS8).unwrap();
        let b = ClientCertificateCredential::from_pem("t", "c", CERT, PKCS1).unwrap();
        let c = ClientCertificateCredential::from_pem("t", "c", COMBINED, COMBINED).unwrap();
        let d = ClientCertificateCredential::from_pem("t", "c", CHAIN, PKCS8).unwrap();
        assert_eq!(a.thumbprint().len(), 43);
        for other in [&b, &c, &d] {
            assert_eq!(other.thumbprint(), a.thumbprint());
        }
        assert_eq!(d.cache.provider().chain.len(), 2);
    }

    #[test]
    fn a_chain_in_any_order_puts_the_keys_certificate_first() {
        let (leaf, ca) = CHAIN.split_at(CHAIN.find("-----END CERTIFICATE-----").unwrap() + 26);
        let reversed = format!("{ca}\n{leaf}");
        let credential = ClientCertificateCredential::from_pem("t", "c", &reversed, PKCS8).unwrap();
        let straight = ClientCertificateCredential::from_pem("t", "c", CHAIN, PKCS8).unwrap();
        assert_eq!(credential.cache.provider().chain, straight.cache.provider().chain);
    }

    #[test]
    fn bad_pems_are_config_errors_that_quote_nothing() {
        let message = |certificate: &str, key: &str| config_error(certificate, key).message().to_owned();
        assert!(message(CERT, OTHER).contains("matches"));
        assert!(message(CERT, EC).contains("only RSA"));
        assert!(message(CERT, CERT).contains("no private key"));
        assert!(message(PKCS8, PKCS8).contains("no certificate"));
        assert!(message(CERT, "not a pem at all").contains("no private key"));
        let truncated = &PKCS8[..PKCS8.len() - 30];
        assert!(message(CERT, truncated).contains("cannot be read"));
        let garbled = PKCS8.replacen('M', "*", 3);
        assert!(message(CERT, &garbled).contains("cannot be read"));
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert!(message(CERT, encrypted).contains("encrypted"));
        let not_a_key = "-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n";
        assert!(message(CERT, not_a_key).contains("not a usable RSA key"));
    }

    #[test]
    fn debug_shows_no_key_material() {
        let credential = ClientCertificateCredential::from_pem("t", "c", CHAIN, PKCS8).unwrap().send_certificate_chain(true);
        let shown = format!("{credential:?}");
        assert!(shown.contains("<redacted>") && shown.contains(credential.thumbprint()), "{shown}");
        for line in PKCS8.lines().chain(CHAIN.lines()).filter(|l| !l.starts_with("-----")) {
            assert!(!shown.contains(line), "{shown}");
        }
        assert!(!shown.contains(&credential.cache.provider().chain[0][..40]));
    }

    #[test]
    fn clouds_set_authority_audience_and_scope() {
        let credential = ClientCertificateCredential::from_pem("t", "c", CERT, PKCS8).unwrap().cloud(NationalCloud::UsGovL5Dod);
        assert_eq!(credential.token_url(), "https://login.microsoftonline.us/t/oauth2/v2.0/token");
        assert_eq!(credential.scope(), "https://dod-graph.microsoft.us/.default");
    }

    #[tokio::test]
    async fn plain_http_authorities_are_refused_before_signing() {
        let credential = ClientCertificateCredential::from_pem("t", "c", CERT, PKCS8).unwrap().authority("http://login.example.com");
        let error = credential.token().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config);
    }
}
