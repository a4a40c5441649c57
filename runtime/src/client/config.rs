//! What a builder collects: the settings a client is built from, none of them checked yet.

use super::authorization::TokenSource;
use crate::call::RetryPolicy;
use crate::cloud::NationalCloud;
use crate::pacing::RateLimit;
use crate::protocol::ApiVersion;
use std::time::Duration;

/// A client's settings, as the builder's setters leave them.
pub(super) struct Config {
    pub(super) base: Option<String>,
    pub(super) cloud: NationalCloud,
    pub(super) version: ApiVersion,
    pub(super) token: TokenSource,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) retry: RetryPolicy,
    pub(super) max_concurrency: Option<usize>,
    pub(super) rate_limit: Option<RateLimit>,
    pub(super) adaptive_pacing: bool,
    pub(super) http: Option<reqwest::Client>,
    pub(super) max_response_bytes: u64,
}

/// The most bytes read of one answer by default: 64 MiB.
pub(super) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            base: None,
            cloud: NationalCloud::Global,
            version: ApiVersion::V1,
            token: TokenSource::None,
            timeout: Duration::from_secs(100),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            max_concurrency: None,
            rate_limit: None,
            adaptive_pacing: true,
            http: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}
