//! A rate limit as the user states it: at most N requests reach the wire in any window of a
//! given length (or Intune's budgets per workload), in this process or shared through Redis.

use crate::error::Error;
use std::fmt;
use std::time::Duration;

/// At most `max` requests reach the wire in any window of `window`, for a
/// [`Client`](crate::Client) and its clones:
/// `Client::builder().rate_limit(RateLimit::new(100, Duration::from_secs(20)))`.
///
/// A request takes its place after the client's gate (closed while Graph asked to wait) and
/// after its token, at the moment it is sent: a slow token does not push one window's
/// requests into the next, and a caller that gives up (its future dropped) frees its place in
/// the queue, in Redis too. Each attempt counts, retries included, and each item of a
/// `$batch`. Callers take their places in the order they asked. With
/// [`writes_only`](Self::writes_only), only `POST`, `PUT`, `PATCH` and `DELETE` count, and
/// reads are never held behind the write budget.
///
/// **A margin for the spread of arrivals.** The server counts arrivals, the client counts
/// departures, and requests sent at one instant reach the server over a spread of a few
/// milliseconds (more across the internet): a limit kept to exactly the server's window would
/// let the first request of one window arrive before the last of the previous window has
/// left the server's window, and a server that counts throttled requests (as Graph does)
/// would then throttle every window after. The client therefore keeps its budget over a
/// window longer by [`margin`](Self::margin) (2 % of it, at least 5 ms): `RateLimit::new(n,
/// w)` at exactly the server's `n` and `w` is not throttled, by a fixed window or a sliding
/// one, and runs at 98 % of the server's pace.
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
    /// Intune's budgets per workload (see [`RateLimit::intune`]) instead of one budget.
    pub(super) per_workload: bool,
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
        if self.per_workload {
            d.field("per_workload", &"intune");
        }
        // The URL may carry a password.
        if let Some(shared) = &self.shared {
            d.field("shared_key", &shared.key);
        }
        d.finish()
    }
}

impl RateLimit {
    /// At most `max` requests reach the wire in any window of `window` (kept over `window`
    /// plus [`margin`](Self::margin)). Any `window` is accepted, `Duration::MAX` included (a
    /// wait too long for the clock is a wait of about 30 years); `max` must be at least 1 and
    /// `window` longer than zero, or [`build`](crate::ClientBuilder::build) fails.
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimit { max, window, writes_only: false, per_workload: false, shared: None }
    }

    /// Intune's documented budgets, per app per tenant per 20 seconds, for each workload (the
    /// family of routes of a request, by its path; a `$batch` item by its own URL):
    ///
    /// | workload (path prefix) | writes | requests of any kind |
    /// |---|---|---|
    /// | `/deviceManagement/managedDevices`, `/deviceManagement/deviceManagementScripts`, `/deviceManagement/deviceShellScripts`, `/deviceManagement/deviceHealthScripts`, `/deviceManagement/deviceComplianceScripts`, `/deviceManagement/deviceCustomAttributeShellScripts` | 200 | 2,000 |
    /// | every other `/deviceManagement/{x}` and `/deviceAppManagement/{x}` (device configurations, compliance policies, apps, app protection, enrollment, ...) | 100 | 1,000 |
    ///
    /// Each workload `/deviceManagement/{x}` (or `/deviceAppManagement/{x}`) has its own pair of
    /// budgets: a burst of writes to device configurations does not hold back writes to mobile
    /// apps. Requests outside Intune (`/users`, `/groups`, ...) are not paced by it (the
    /// client's adaptive pacing still applies). Graph's per-tenant budgets are twice these,
    /// shared by every app of the tenant; several processes of one app share these through
    /// `shared` (feature `redis`). The margin applies as for [`new`](Self::new).
    /// [`max`](Self::max) and [`window`](Self::window) give the common row: 100 per 20 s.
    pub fn intune() -> Self {
        RateLimit { max: super::intune::WRITES, window: super::intune::WINDOW, writes_only: false, per_workload: true, shared: None }
    }

    /// The same limit over another window (Intune's table too, each budget's count kept): for
    /// benchmarks and tests against a stand-in that runs Graph's windows faster.
    #[doc(hidden)]
    pub fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// How much longer than [`window`](Self::window) the client keeps its budget over, for the
    /// spread of arrivals at the server: 2 % of the window, at least 5 ms. Measured against a
    /// loopback server admitting 100 writes per 2 s with 100 calls in flight, the first
    /// requests of a window reach it up to about 10 ms after the limiter let them go (on a
    /// loaded 2-core machine), and across the internet the spread is larger; 2 % costs 2 % of
    /// the pace.
    pub fn margin(&self) -> Duration {
        (self.window / 50).max(Duration::from_millis(5))
    }

    /// Intune's documented write limit for one app in one tenant: 100 writes (`POST`, `PUT`,
    /// `PATCH`, `DELETE`) per 20 seconds, all workloads together. Reads are not paced. See
    /// [`intune`](Self::intune) for the budgets per workload.
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

    /// Whether this is [`intune`](Self::intune)'s table of budgets per workload.
    pub fn is_per_workload(&self) -> bool {
        self.per_workload
    }

    /// The window budgets are kept over: the window and its margin, saturating.
    pub(super) fn kept_window(&self) -> Duration {
        self.window.saturating_add(self.margin())
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
