//! Pacing: at most N requests start in any window of a given length, counted exactly (a log
//! of start times, not a token bucket: a GCRA with a burst of N lets 2N through in some
//! windows). Each `$batch` item counts as one request.

mod local;
#[cfg(feature = "redis")]
mod redis;

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
    pub(crate) max: u32,
    pub(crate) window: Duration,
    pub(crate) writes_only: bool,
    pub(crate) shared: Option<Shared>,
}

/// A budget kept in Redis, shared by every process that names the same key.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Shared {
    pub(crate) url: String,
    pub(crate) key: String,
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

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.max == 0 {
            return Err(Error::config("a rate limit allows at least 1 request per window"));
        }
        if self.window.is_zero() {
            return Err(Error::config("a rate limit's window must be longer than zero"));
        }
        Ok(())
    }
}

/// A client's pacer, built from its [`RateLimit`].
pub(crate) struct Limiter {
    max: u32,
    writes_only: bool,
    budget: Budget,
}

enum Budget {
    Local(local::Log),
    #[cfg(feature = "redis")]
    Shared(Box<self::redis::Budget>),
}

impl Limiter {
    pub(crate) fn new(limit: &RateLimit) -> Result<Limiter, Error> {
        limit.check()?;
        let budget = match &limit.shared {
            None => Budget::Local(local::Log::new(limit.max, limit.window)),
            #[cfg(feature = "redis")]
            Some(shared) => Budget::Shared(Box::new(self::redis::Budget::new(limit, shared)?)),
            #[cfg(not(feature = "redis"))]
            Some(_) => return Err(Error::config("a shared rate limit needs the crate's `redis` feature")),
        };
        Ok(Limiter { max: limit.max, writes_only: limit.writes_only, budget })
    }

    /// Whether a request with this method counts against the budget.
    pub(crate) fn counts(&self, method: &http::Method) -> bool {
        !self.writes_only || method != http::Method::GET
    }

    /// The most requests that may start at one instant: `$batch` requests carry at most this
    /// many counted items.
    pub(crate) fn max_burst(&self) -> u32 {
        self.max
    }

    /// Waits until `n` requests (at most [`max_burst`](Self::max_burst)) may start, and
    /// counts them as started.
    pub(crate) async fn acquire(&self, n: u32) -> Result<(), Error> {
        if n == 0 {
            return Ok(());
        }
        let n = n.min(self.max_burst());
        match &self.budget {
            Budget::Local(log) => {
                log.acquire(n).await;
                Ok(())
            }
            #[cfg(feature = "redis")]
            Budget::Shared(budget) => budget.acquire(n).await,
        }
    }
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter").field("max", &self.max).field("writes_only", &self.writes_only).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "redis"))]
    #[test]
    fn a_shared_limit_needs_the_feature() {
        let mut limit = RateLimit::new(10, Duration::from_secs(1));
        limit.shared = Some(Shared { url: "redis://:hunter2@127.0.0.1:6379".into(), key: "graph:k".into() });
        let error = Limiter::new(&limit).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Config);
        assert!(error.message().contains("`redis` feature"), "{error}");
        assert!(!format!("{limit:?}").contains("hunter2"), "{limit:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn reads_pass_a_writes_only_limit_and_nothing_waits_for_zero() {
        let limiter = Limiter::new(&RateLimit::new(1, Duration::from_secs(60)).writes_only()).unwrap();
        assert!(!limiter.counts(&http::Method::GET));
        assert!(limiter.counts(&http::Method::PATCH));
        let began = tokio::time::Instant::now();
        limiter.acquire(1).await.unwrap();
        limiter.acquire(0).await.unwrap();
        assert_eq!(began.elapsed(), Duration::ZERO);
        // More than the limit at once counts as the limit.
        limiter.acquire(5).await.unwrap();
        assert_eq!(began.elapsed(), Duration::from_secs(60));
    }
}
