//! What every credential is configured with: the default bound on a token request, the Graph
//! scope of a national cloud, and, for the app credentials that ask Microsoft Entra (secret,
//! certificate, workload identity), one settings type holding tenant, authority, scope,
//! timeout and the token URL made from them.

use crate::call::origin;
use crate::cloud::NationalCloud;
use crate::error::Error;
use std::fmt;
use std::time::Duration;
use url::Url;

/// The default bound on one token request, for every credential and for [`TokenCache`](super::TokenCache).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How much longer a credential's cache waits than its request may take, so that the
/// request's own timeout error (which names the endpoint) is the one reported.
const BACKSTOP: Duration = Duration::from_millis(250);

/// The bound a credential gives its [`TokenCache`](super::TokenCache) for requests bounded by
/// `timeout`: a backstop just above it.
pub(crate) fn cache_bound(timeout: Duration) -> Duration {
    timeout.saturating_add(BACKSTOP)
}

/// The scope of a token for a cloud's Graph: `{graph}/.default`.
pub(crate) fn graph_scope(cloud: NationalCloud) -> String {
    format!("{}/.default", cloud.graph_url())
}

/// Where and how an app credential asks Microsoft Entra for a token: the tenant, the authority
/// (a national cloud's, or one given for a local stand-in), the scope, and the bound on each
/// request. The token URL is `{authority}/{tenant}/oauth2/v2.0/token`.
#[derive(Clone)]
pub(crate) struct EntraSettings {
    tenant: String,
    /// Without a trailing `/`.
    authority: String,
    scope: String,
    timeout: Duration,
}

impl EntraSettings {
    /// The global cloud's authority and scope, the default timeout.
    pub(crate) fn new(tenant: String) -> Self {
        let cloud = NationalCloud::Global;
        EntraSettings { tenant, authority: cloud.authority().to_owned(), scope: graph_scope(cloud), timeout: DEFAULT_TIMEOUT }
    }

    /// A national cloud's authority and Graph scope.
    pub(crate) fn set_cloud(&mut self, cloud: NationalCloud) {
        self.authority = cloud.authority().to_owned();
        self.scope = graph_scope(cloud);
    }

    /// Another authority; checked (`https`, or `http` to loopback) when a token is requested.
    pub(crate) fn set_authority(&mut self, authority: &str) {
        self.authority = authority.trim_end_matches('/').to_owned();
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    pub(crate) fn scope(&self) -> &str {
        &self.scope
    }

    /// The bound on one token request.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `{authority}/{tenant}/oauth2/v2.0/token`, as shown to users and signed into client
    /// assertions as their `aud`.
    pub(crate) fn token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant)
    }

    /// The token URL, refused unless it may receive a secret: `https`, or `http` to a loopback
    /// host; no user info, query or fragment.
    pub(crate) fn checked_token_url(&self) -> Result<Url, Error> {
        origin::parse_secure(&self.token_url(), "the token URL")
    }

    /// Adds the settings to a credential's `Debug`.
    pub(crate) fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("tenant", &self.tenant).field("authority", &self.authority).field("scope", &self.scope).field("timeout", &self.timeout);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_authorities_and_token_urls() {
        let mut settings = EntraSettings::new("contoso.onmicrosoft.com".into());
        assert_eq!(settings.token_url(), "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assert_eq!(settings.scope(), "https://graph.microsoft.com/.default");
        assert_eq!(settings.timeout(), DEFAULT_TIMEOUT);
        settings.set_cloud(NationalCloud::China);
        assert_eq!(settings.token_url(), "https://login.chinacloudapi.cn/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assert_eq!(settings.scope(), "https://microsoftgraph.chinacloudapi.cn/.default");
        settings.set_authority("http://127.0.0.1:9//");
        assert_eq!(settings.token_url(), "http://127.0.0.1:9/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assert_eq!(settings.scope(), "https://microsoftgraph.chinacloudapi.cn/.default", "an authority keeps the cloud's scope");
        assert!(settings.checked_token_url().is_ok());
        settings.set_authority("http://login.example.com");
        assert_eq!(settings.checked_token_url().unwrap_err().kind(), crate::ErrorKind::Config);
        assert_eq!(cache_bound(Duration::MAX), Duration::MAX);
    }
}
