//! Microsoft Graph's national clouds: where Graph and its sign-in authority live.

use std::fmt;

/// A Microsoft Graph deployment.
///
/// ```
/// use graph_endpoint::NationalCloud;
///
/// let cloud: NationalCloud = "us-gov-l4".parse()?;
/// assert_eq!(cloud.graph_url(), "https://graph.microsoft.us");
/// assert_eq!(cloud.authority(), "https://login.microsoftonline.us");
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NationalCloud {
    /// The global service, `https://graph.microsoft.com`.
    #[default]
    Global,
    /// US Government L4, `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DOD), `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// China, operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl NationalCloud {
    /// Every cloud, in declaration order.
    pub const ALL: [NationalCloud; 4] = [NationalCloud::Global, NationalCloud::UsGovL4, NationalCloud::UsGovL5Dod, NationalCloud::China];

    /// The Graph root URL, without a trailing `/`.
    pub const fn graph_url(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com",
            NationalCloud::UsGovL4 => "https://graph.microsoft.us",
            NationalCloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            NationalCloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The Microsoft Entra sign-in authority for this cloud, without a trailing `/`.
    pub const fn authority(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://login.microsoftonline.com",
            NationalCloud::UsGovL4 | NationalCloud::UsGovL5Dod => "https://login.microsoftonline.us",
            NationalCloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// A cloud by one of its usual names (`global`, `us-gov-l4`/`usgov`, `us-gov-l5`/`dod`,
    /// `china`), case-insensitive.
    pub fn from_name(name: &str) -> Option<NationalCloud> {
        let name = name.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match name.as_str() {
            "global" | "public" | "worldwide" | "azure" => NationalCloud::Global,
            "us-gov-l4" | "usgov" | "us-gov" | "usgovl4" | "gcc-high" | "l4" => NationalCloud::UsGovL4,
            "us-gov-l5" | "us-gov-l5-dod" | "dod" | "usgovl5" | "l5" => NationalCloud::UsGovL5Dod,
            "china" | "21vianet" | "cn" => NationalCloud::China,
            _ => return None,
        })
    }
}

impl fmt::Display for NationalCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NationalCloud::Global => "global",
            NationalCloud::UsGovL4 => "us-gov-l4",
            NationalCloud::UsGovL5Dod => "us-gov-l5-dod",
            NationalCloud::China => "china",
        })
    }
}

impl std::str::FromStr for NationalCloud {
    type Err = crate::error::Error;

    /// Parses a name as [`from_name`](Self::from_name) does.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        NationalCloud::from_name(name).ok_or_else(|| {
            crate::error::Error::config(format!("unknown national cloud `{name}`; expected global, us-gov-l4, us-gov-l5-dod or china"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for cloud in NationalCloud::ALL {
            assert_eq!(NationalCloud::from_name(&cloud.to_string()), Some(cloud));
        }
        assert_eq!(NationalCloud::from_name("DoD"), Some(NationalCloud::UsGovL5Dod));
        assert_eq!(NationalCloud::from_name("mars"), None);
        assert_eq!("china".parse::<NationalCloud>().unwrap(), NationalCloud::China);
        assert!("mars".parse::<NationalCloud>().unwrap_err().message().contains("mars"));
    }
}
