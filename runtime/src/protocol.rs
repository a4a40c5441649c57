//! What a Graph request line names besides its path: the HTTP method and the API version.

use crate::error::Error;
use std::fmt;

/// An HTTP method Graph uses.
///
/// ```
/// use graph_endpoint::Method;
///
/// assert_eq!(Method::Patch.as_str(), "PATCH");
/// assert_eq!(Method::Delete.to_string(), "DELETE");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it appears on the request line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Microsoft Graph API version: the first path segment after the host.
///
/// ```
/// use graph_endpoint::ApiVersion;
///
/// assert_eq!("beta".parse::<ApiVersion>()?, ApiVersion::Beta);
/// assert_eq!(ApiVersion::default().as_str(), "v1.0");
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `v1.0`, the generally available API.
    #[default]
    V1,
    /// `beta`, preview APIs (much of Intune lives here).
    Beta,
}

impl ApiVersion {
    /// The path segment: `v1.0` or `beta`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

impl std::str::FromStr for ApiVersion {
    type Err = Error;

    /// `v1.0` (or `v1`) and `beta`, case-insensitive.
    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "v1.0" | "v1" => Ok(ApiVersion::V1),
            "beta" => Ok(ApiVersion::Beta),
            _ => Err(Error::config(format!("unknown API version `{text}`; expected v1.0 or beta"))),
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
