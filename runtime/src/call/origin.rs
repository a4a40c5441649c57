//! Which URLs may receive a token or a request body: `https` anywhere, plain `http` only on
//! loopback hosts (local stand-ins in tests), and what counts as the same origin.

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

/// The Azure Instance Metadata Service, reached over plain `http` by design.
pub(crate) const IMDS_HOST: std::net::Ipv4Addr = std::net::Ipv4Addr::new(169, 254, 169, 254);

/// Which plain-`http` hosts a managed identity endpoint may have besides loopback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlainHttp {
    /// Only the IMDS address `169.254.169.254` (an IMDS URL given in code).
    Imds,
    /// Any IPv4 link-local address `169.254.0.0/16` (an `IDENTITY_ENDPOINT` the hosting
    /// platform set: App Service on Linux serves it on a link-local address).
    LinkLocal,
}

/// Parses a managed identity token URL: `https`, or `http` to loopback or to the link-local
/// hosts `plain` allows; no user info, query or fragment.
pub(crate) fn parse_identity_endpoint(text: &str, what: &str, plain: PlainHttp) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|e| Error::config(format!("{what} {text:?} is not a URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!("{what} {text:?} must not have a query or fragment")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!("{what} must not carry credentials in the URL")));
    }
    let link_local = match url.host() {
        Some(url::Host::Ipv4(ip)) => match plain {
            PlainHttp::Imds => ip == IMDS_HOST,
            PlainHttp::LinkLocal => ip.is_link_local(),
        },
        _ => false,
    };
    if url.scheme() == "http" && link_local {
        return Ok(url);
    }
    match check_secure(&url, what) {
        Ok(()) => Ok(url),
        Err(_) if url.scheme() == "http" => Err(Error::config(format!(
            "{what} {:?} uses http; managed identity tokens are only fetched over https, or over http from loopback or {}",
            url.as_str(),
            match plain {
                PlainHttp::Imds => "169.254.169.254",
                PlainHttp::LinkLocal => "link-local (169.254.0.0/16) hosts",
            }
        ))),
        Err(error) => Err(error),
    }
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
    fn identity_endpoints() {
        let imds = "http://169.254.169.254/metadata/identity/oauth2/token";
        for (text, plain, ok) in [
            (imds, PlainHttp::Imds, true),
            ("http://127.0.0.1:9/token", PlainHttp::Imds, true),
            ("https://identity.example/token", PlainHttp::Imds, true),
            ("http://169.254.169.253/token", PlainHttp::Imds, false),
            ("http://169.254.129.2:8081/msi/token", PlainHttp::LinkLocal, true),
            ("http://169.254.129.2:8081/msi/token", PlainHttp::Imds, false),
            ("http://10.0.0.1/token", PlainHttp::LinkLocal, false),
            ("http://identity.example/token", PlainHttp::LinkLocal, false),
            ("http://169.254.169.254.example/token", PlainHttp::Imds, false),
            ("ftp://169.254.169.254/", PlainHttp::Imds, false),
            ("http://169.254.169.254/?a=1", PlainHttp::Imds, false),
        ] {
            let result = parse_identity_endpoint(text, "the endpoint", plain);
            assert_eq!(result.is_ok(), ok, "{text} {plain:?}: {result:?}");
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
