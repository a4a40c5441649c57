//! Which URLs may receive a token or a request body: `https` anywhere, plain `http` only on
//! loopback hosts (local stand-ins in tests), and what counts as the same origin. (Managed
//! identity endpoints have rules of their own, in `auth::identity_endpoint`.)

use crate::error::Error;
use std::net::IpAddr;
use url::Url;

/// Whether the URL's host is `localhost` or a loopback address.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// `https`, or `http` to a loopback host; `what` names the URL in the error.
pub(crate) fn check_secure(url: &Url, what: &str) -> Result<(), Error> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Error::config(format!(
            "{what} {:?} uses http; tokens and request bodies are only sent over https (http is allowed for loopback hosts only)",
            url.as_str()
        ))),
        other => Err(Error::config(format!("{what} {:?} has scheme `{other}`; use https", url.as_str()))),
    }
}

/// Parses a URL that will receive credentials: `https` (or loopback `http`), no user info,
/// no query or fragment.
pub(crate) fn parse_secure(text: &str, what: &str) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|e| Error::config(format!("{what} {text:?} is not a URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!("{what} {text:?} must not have a query or fragment")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!("{what} must not carry credentials in the URL")));
    }
    check_secure(&url, what)?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_urls() {
        for good in ["https://login.microsoftonline.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9/x"] {
            assert!(parse_secure(good, "authority").is_ok(), "{good}");
        }
        for bad in ["http://login.microsoftonline.com", "http://10.0.0.1", "ftp://x", "not a url", "https://x/?a=1", "https://u:p@x"] {
            assert_eq!(parse_secure(bad, "authority").unwrap_err().kind(), crate::ErrorKind::Config, "{bad}");
        }
    }

    #[test]
    fn origins() {
        let a = Url::parse("https://graph.microsoft.com/v1.0/x").unwrap();
        assert!(same_origin(&a, &Url::parse("https://graph.microsoft.com:443/beta").unwrap()));
        assert!(!same_origin(&a, &Url::parse("http://graph.microsoft.com/").unwrap()));
        assert!(!same_origin(&a, &Url::parse("https://graph.microsoft.com:8443/").unwrap()));
        assert!(!same_origin(&a, &Url::parse("https://evil.example/").unwrap()));
    }
}
