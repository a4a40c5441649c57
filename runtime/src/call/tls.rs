//! TLS for the crate's own HTTP clients: rustls, with ring as its cryptography and the
//! platform's certificate verifier (the roots the system trusts), offering HTTP/2 and 1.1.
//!
//! Why not reqwest's default: its rustls feature brings aws-lc-rs, whose C library is a third
//! of a user's cold build; ring does the same work here (TLS 1.2 and 1.3 with Graph's and
//! Entra's suites, and the PS256 signatures of client assertions) at a fraction of the build.
//! The provider is passed to this configuration only, never installed process-wide, so an
//! application remains free to install its own default.

use crate::error::Error;
use std::sync::Arc;

/// A rustls configuration for one reqwest client.
pub(crate) fn client_config() -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| Error::config("the platform's certificate verifier could not be set up").with_source(e))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config("the TLS configuration could not be built").with_source(e))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // What reqwest offers by default with its http2 feature: HTTP/2 first, then HTTP/1.1.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_http2_then_http1_over_ring() {
        let config = client_config().unwrap();
        assert_eq!(config.alpn_protocols, [b"h2".to_vec(), b"http/1.1".to_vec()]);
        let provider = config.crypto_provider();
        assert!(provider.cipher_suites.iter().any(|s| s.version() == &rustls::version::TLS13));
        assert!(provider.cipher_suites.iter().any(|s| s.version() == &rustls::version::TLS12));
    }
}
