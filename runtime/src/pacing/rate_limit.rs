//! A rate limit as the user states it: at most N requests start in any window of a given
//! length, in this process or shared through Redis.

use crate::error::Error;
use std::fmt;
use std::time::Duration;

/// At most `max` requests start in any window of `window`, for a [`Client`](crate::Client)
/// and its clones: `Client::builder().rate_limit(RateLimit::new(100, Duration::from_secs(20)))`.
///
/// A call waits for its turn before each attempt, retries included; each item of a `$batch`
/// counts as one request. With [`writes_only`](Self::writes_only), only `POST`, `PUT`, `PATCH`
/// and `DELETE` count, and reads are never held behind the write budget.
///
/// ```
/// use graph_endpoint::{Client, RateLimit};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .bearer_token("eyJ0...")
///     .rate_limit(RateLimit::intune_writes()) // 100 writes per 20 s, reads unpaced
///     .build()?;
/// let reads = RateLimit::new(1_000, Duration::from_secs(20));
/// # let _ = (client, reads);
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[must_use = "a rate limit does nothing until it is given to `ClientBuilder::rate_limit`"]
pub struct RateLimit {
    pub(super) max: u32,
    pub(super) window: Duration,
    pub(super) writes_only: bool,
    pub(super) shared: Option<Shared>,
}

/// A budget kept in Redis, shared by every process that names the same key.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Shared {
    pub(super) url: String,
    pub(super) key: String,
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RateLimit");
        d.field("max", &self.max).field("window", &self.window).field("writes_only", &self.writes_only);
        // The URL may carry a password.
        if let Some(shared) = &self.shared {
            d.field("shared_key", &shared.key);
        }
        d.finish()
    }
}

impl RateLimit {
    /// At most `max` requests start in any window of `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimit { max, window, writes_only: false, shared: None }
    }

    /// Intune's documented write limit for one app in one tenant: 100 writes (`POST`, `PUT`,
    /// `PATCH`, `DELETE`) per 20 seconds. Reads are not paced.
    pub fn intune_writes() -> Self {
        RateLimit::new(100, Duration::from_secs(20)).writes_only()
    }

    /// Keeps the budget in Redis under `key`, shared by every client that names the same key,
    /// in this process or in others, on this machine or on others: several processes of one
    /// app registration pace together, at most `max` starts in any window across them all.
    ///
    /// - `redis_url`: `redis://[user][:password@]host[:port][/db]`, `rediss://` for TLS (the
    ///   system's roots), or `redis+unix:///path/to/socket`. An invalid URL fails
    ///   [`build`](crate::ClientBuilder::build) with [`ErrorKind::Config`](crate::ErrorKind::Config).
    /// - `key`: the Redis key of the budget, a sorted set of reserved start times. Every process
    ///   that shares it must use the same `max`, `window` and [`writes_only`](Self::writes_only).
    ///   It expires a little after its last start leaves the window, so nothing is left behind.
    ///
    /// Start times come from Redis's clock, so the processes' clocks need not agree. The client
    /// connects on its first paced request. Connecting and each reservation are bounded by 2 s:
    /// a Redis that is down, unreachable or silent fails the request with
    /// [`ErrorKind::Transport`](crate::ErrorKind::Transport) (wrong credentials or a key of
    /// another type: [`ErrorKind::Config`](crate::ErrorKind::Config)), its message naming the
    /// key, never the password. Nothing is sent unpaced; the next request tries Redis again.
    ///
    /// ```
    /// use graph_endpoint::{Client, RateLimit};
    ///
    /// let limit = RateLimit::intune_writes().shared("redis://:secret@127.0.0.1:6379/0", "graph:intune-writes:contoso");
    /// assert!(!format!("{limit:?}").contains("secret"));
    /// let client = Client::builder().bearer_token("eyJ0...").rate_limit(limit).build()?;
    /// # let _ = client;
    /// # Ok::<(), graph_endpoint::Error>(())
    /// ```
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn shared(mut self, redis_url: impl Into<String>, key: impl Into<String>) -> Self {
        self.shared = Some(Shared { url: redis_url.into(), key: key.into() });
        self
    }

    /// The Redis key of a [`shared`](Self::shared) budget.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn shared_key(&self) -> Option<&str> {
        self.shared.as_ref().map(|shared| shared.key.as_str())
    }

    /// Counts only writes (`POST`, `PUT`, `PATCH`, `DELETE`); reads pass without waiting.
    pub fn writes_only(mut self) -> Self {
        self.writes_only = true;
        self
    }

    /// The most requests in one window.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The length of the window.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Whether only writes count.
    pub fn is_writes_only(&self) -> bool {
        self.writes_only
    }

    pub(super) fn check(&self) -> Result<(), Error> {
        if self.max == 0 {
            return Err(Error::config("a rate limit allows at least 1 request per window"));
        }
        if self.window.is_zero() {
            return Err(Error::config("a rate limit's window must be longer than zero"));
        }
        Ok(())
    }
}
