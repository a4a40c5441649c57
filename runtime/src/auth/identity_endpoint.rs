//! Which URLs a managed identity token may be fetched from: `https`, or plain `http` to
//! loopback, to the Instance Metadata Service's address, or to the link-local endpoint a
//! hosting platform sets in `IDENTITY_ENDPOINT`.

use crate::call::origin;
use crate::error::Error;
use url::Url;

/// The Azure Instance Metadata Service, reached over plain `http` by design.
const IMDS_HOST: std::net::Ipv4Addr = std::net::Ipv4Addr::new(169, 254, 169, 254);

/// The Instance Metadata Service's token URL (plain `http` to a link-local address, by design).
pub(crate) const IMDS_TOKEN_URL: &str = "http://169.254.169.254/metadata/identity/oauth2/token";

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
    match origin::check_secure(&url, what) {
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
    fn identity_endpoints() {
        for (text, plain, ok) in [
            (IMDS_TOKEN_URL, PlainHttp::Imds, true),
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
}
