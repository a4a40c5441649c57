//! A stand-in that throttles like Graph: budgets per route family and kind, over fixed or
//! sliding windows, throttled requests counted against the budget or not, `Retry-After` in
//! whole or fractional seconds; each `$batch` item counts as one request.

use crate::pacing::RateLimit;
use crate::protocol::Method;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How a [`StandIn`](super::StandIn) throttles: `stand_in.throttle(Throttle::new(100,
/// Duration::from_secs(2)).writes_only().sliding())`.
///
/// Each route family has its own budgets: a path's family is its first segment under the
/// version (`/users`, `/groups`), or its first two under `/deviceManagement` and
/// `/deviceAppManagement` (`/deviceManagement/managedDevices`), as Intune's workloads are.
/// A request that finds a budget of its family spent is answered Graph's `429` with the time
/// until the budget frees as `Retry-After`, without reaching its route (it is still recorded
/// as a call). By default windows are fixed (they start when the throttle is set, one after
/// another), throttled requests count against the budget (Graph counts every request: an early
/// retry only pushes the wait further), and `Retry-After` is given in fractional seconds to
/// the millisecond, rounded up, as Intune sends it.
///
/// A [`RateLimit`] converts into the throttle it describes: `stand_in.throttle(RateLimit::new(100,
/// Duration::from_secs(20)))`, or Intune's table per workload with `RateLimit::intune()`.
///
/// ```
/// # use graph_endpoint::testing::{StandIn, Throttle};
/// # use std::time::Duration;
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let stand_in = StandIn::start().await;
/// stand_in.throttle(Throttle::intune().with_window(Duration::from_secs(2)).sliding().whole_seconds());
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a throttle does nothing until it is given to `StandIn::throttle`"]
pub struct Throttle {
    /// Requests of any kind per window and family (`None`: no such budget).
    requests: Option<u32>,
    /// Writes per window and family.
    writes: Option<u32>,
    /// Intune's table: each family's budgets by its workload.
    intune: bool,
    window: Duration,
    sliding: bool,
    count_throttled: bool,
    whole_seconds: bool,
}

impl Throttle {
    /// At most `max` requests of any kind per route family in each `window`.
    pub fn new(max: u32, window: Duration) -> Throttle {
        Throttle { requests: Some(max), writes: None, intune: false, window, sliding: false, count_throttled: true, whole_seconds: false }
    }

    /// Intune's budgets, per app per tenant per 20 seconds: 100 writes and 1,000 requests per
    /// workload under `/deviceManagement` and `/deviceAppManagement`, 200 and 2,000 for managed
    /// devices and scripts (see [`RateLimit::intune`]); other routes are not throttled.
    pub fn intune() -> Throttle {
        Throttle {
            requests: Some(1_000),
            writes: Some(100),
            intune: true,
            window: Duration::from_secs(20),
            ..Throttle::new(0, Duration::ZERO)
        }
    }

    /// Counts writes only (`POST`, `PUT`, `PATCH`, `DELETE`): `max` writes per family and
    /// window, reads never throttled.
    pub fn writes_only(mut self) -> Throttle {
        self.writes = self.writes.or(self.requests);
        self.requests = None;
        self
    }

    /// The same budgets over another window (to run Graph's 20 s windows faster).
    pub fn with_window(mut self, window: Duration) -> Throttle {
        self.window = window;
        self
    }

    /// Sliding windows: at most the budget in any window ending at an arrival.
    pub fn sliding(mut self) -> Throttle {
        self.sliding = true;
        self
    }

    /// Fixed windows, one after another from when the throttle is set (the default).
    pub fn fixed(mut self) -> Throttle {
        self.sliding = false;
        self
    }

    /// Whether a throttled request counts against the budget (default `true`, as Graph).
    pub fn count_throttled(mut self, counted: bool) -> Throttle {
        self.count_throttled = counted;
        self
    }

    /// `Retry-After` in whole seconds, rounded up (default: fractional, to the millisecond).
    pub fn whole_seconds(mut self) -> Throttle {
        self.whole_seconds = true;
        self
    }

    /// The budgets of `family`: (writes, requests).
    fn budgets(&self, family: &str) -> (Option<u32>, Option<u32>) {
        if !self.intune {
            return (self.writes, self.requests);
        }
        let larger =
            family == "/deviceManagement/managedDevices" || (family.starts_with("/deviceManagement/device") && family.ends_with("Scripts"));
        let scale = |budget: Option<u32>| budget.map(|n| if larger { n * 2 } else { n });
        if family.starts_with("/deviceManagement/") || family.starts_with("/deviceAppManagement/") {
            (scale(self.writes), scale(self.requests))
        } else {
            (None, None)
        }
    }
}

impl From<RateLimit> for Throttle {
    /// The throttle a rate limit describes: its budget and window, writes only or not, or
    /// Intune's table over its window.
    fn from(limit: RateLimit) -> Throttle {
        let throttle = if limit.is_per_workload() { Throttle::intune() } else { Throttle::new(limit.max(), limit.window()) };
        let throttle = throttle.with_window(limit.window());
        if limit.is_writes_only() { throttle.writes_only() } else { throttle }
    }
}

/// One budget's record of counted arrivals.
#[derive(Debug, Default)]
struct Log {
    /// Sliding: the counted arrivals in the last window. Fixed: those of the current window.
    arrivals: VecDeque<Instant>,
}

/// A throttle at work: its budgets' records, and how many requests it answered `429`.
#[derive(Debug)]
pub(super) struct Running {
    throttle: Throttle,
    started: Instant,
    logs: HashMap<(String, bool), Log>,
    throttled: usize,
}

impl Running {
    pub(super) fn new(throttle: Throttle) -> Running {
        Running { throttle, started: Instant::now(), logs: HashMap::new(), throttled: 0 }
    }

    /// How many requests were answered `429`.
    pub(super) fn throttled(&self) -> usize {
        self.throttled
    }

    /// Counts a request of `method` to `path` (under its version) arriving now: `None` when
    /// admitted, or the `Retry-After` of its `429`.
    pub(super) fn admit(&mut self, method: Method, path: &str) -> Option<Duration> {
        self.admit_at(method, path, Instant::now())
    }

    fn admit_at(&mut self, method: Method, path: &str, now: Instant) -> Option<Duration> {
        let family = family(path);
        let (writes, requests) = self.throttle.budgets(&family);
        let write = method != Method::Get;
        let mut budgets: Vec<(bool, u32)> = requests.map(|n| (false, n)).into_iter().collect();
        if write && let Some(n) = writes {
            budgets.push((true, n));
        }
        let window = self.throttle.window;
        let mut wait: Option<Duration> = None;
        for &(writes, max) in &budgets {
            let log = self.logs.entry((family.clone(), writes)).or_default();
            // Sliding: the window ending now, (now - window, now]. Fixed: the current one,
            // [opened, opened + window).
            let opened = if self.throttle.sliding {
                now.checked_sub(window)
            } else {
                let elapsed = now.saturating_duration_since(self.started).as_nanos();
                let index = elapsed / window.as_nanos().max(1);
                Some(self.started + Duration::from_nanos(u64::try_from(index * window.as_nanos()).unwrap_or(u64::MAX)))
            };
            if let Some(opened) = opened {
                let sliding = self.throttle.sliding;
                while log.arrivals.front().is_some_and(|&at| if sliding { at <= opened } else { at < opened }) {
                    log.arrivals.pop_front();
                }
            }
            let count = log.arrivals.len();
            if count >= max as usize {
                let frees = match opened {
                    Some(opened) if !self.throttle.sliding => opened + window,
                    _ => log.arrivals[count - max as usize] + window,
                };
                wait = wait.max(Some(frees.saturating_duration_since(now)));
            }
        }
        if wait.is_none() || self.throttle.count_throttled {
            for &(writes, _) in &budgets {
                self.logs.entry((family.clone(), writes)).or_default().arrivals.push_back(now);
            }
        }
        let wait = wait?;
        self.throttled += 1;
        let wait = if self.throttle.whole_seconds {
            Duration::from_secs(wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(Duration::from_secs(1))
        } else {
            Duration::from_millis(u64::try_from(wait.as_micros().div_ceil(1_000)).unwrap_or(u64::MAX)).max(Duration::from_millis(1))
        };
        Some(wait)
    }
}

/// The route family of a path under its version (`/v1.0/users/u-1` → `/users`;
/// `/beta/deviceManagement/managedDevices/d-1/wipe` → `/deviceManagement/managedDevices`).
fn family(path: &str) -> String {
    let mut segments = path.split('/').filter(|segment| !segment.is_empty()).skip(1);
    let first = segments.next().unwrap_or_default();
    // A key in parentheses is not part of the family: `/users('u-1')` is `/users`.
    let strip = |segment: &str| segment.split('(').next().unwrap_or_default().to_owned();
    let first = strip(first);
    match segments.next() {
        Some(second) if first == "deviceManagement" || first == "deviceAppManagement" => format!("/{first}/{}", strip(second)),
        _ => format!("/{first}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_are_the_first_segment_or_intune_workloads() {
        assert_eq!(family("/v1.0/users/u-1/memberOf"), "/users");
        assert_eq!(family("/v1.0/users('u-1')"), "/users");
        assert_eq!(family("/beta/deviceManagement/managedDevices/d-1/wipe"), "/deviceManagement/managedDevices");
        assert_eq!(family("/beta/deviceAppManagement/mobileApps"), "/deviceAppManagement/mobileApps");
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn fixed_windows_admit_the_budget_then_say_when_the_window_ends() {
        let mut running = Running::new(Throttle::new(2, ms(1_000)));
        let t0 = running.started;
        let path = "/v1.0/users/u";
        assert_eq!(running.admit_at(Method::Get, path, t0), None);
        assert_eq!(running.admit_at(Method::Patch, path, t0 + ms(100)), None);
        assert_eq!(running.admit_at(Method::Get, path, t0 + ms(300)), Some(ms(700)));
        // Another family has its own budget; the next window admits again.
        assert_eq!(running.admit_at(Method::Get, "/v1.0/groups/g", t0 + ms(300)), None);
        assert_eq!(running.admit_at(Method::Get, path, t0 + ms(1_000)), None);
        assert_eq!(running.throttled(), 1);
    }

    #[test]
    fn a_sliding_window_counting_throttled_requests_pushes_the_wait() {
        let mut running = Running::new(Throttle::new(2, ms(1_000)).sliding());
        let t0 = running.started;
        let path = "/v1.0/users/u";
        assert_eq!(running.admit_at(Method::Get, path, t0), None);
        assert_eq!(running.admit_at(Method::Get, path, t0 + ms(500)), None);
        assert_eq!(running.admit_at(Method::Get, path, t0 + ms(900)), Some(ms(100)));
        // Counted: the throttled arrival at 900 holds a place until 1,900.
        assert_eq!(running.admit_at(Method::Get, path, t0 + ms(1_000)), Some(ms(500)));
        let mut lenient = Running::new(Throttle::new(2, ms(1_000)).sliding().count_throttled(false).whole_seconds());
        let t0 = lenient.started;
        lenient.admit_at(Method::Get, path, t0);
        lenient.admit_at(Method::Get, path, t0 + ms(500));
        assert_eq!(lenient.admit_at(Method::Get, path, t0 + ms(900)), Some(ms(1_000)));
        assert_eq!(lenient.admit_at(Method::Get, path, t0 + ms(1_000)), None);
    }

    #[test]
    fn intune_throttles_writes_per_workload_and_nothing_else() {
        let mut running = Running::new(Throttle::intune().with_window(ms(2_000)));
        let t0 = running.started;
        for i in 0..100 {
            assert_eq!(running.admit_at(Method::Patch, "/beta/deviceManagement/deviceConfigurations/c", t0 + ms(i)), None);
        }
        assert!(running.admit_at(Method::Patch, "/beta/deviceManagement/deviceConfigurations/c", t0 + ms(100)).is_some());
        assert_eq!(running.admit_at(Method::Get, "/beta/deviceManagement/deviceConfigurations/c", t0 + ms(100)), None);
        for i in 0..200 {
            assert_eq!(running.admit_at(Method::Post, "/beta/deviceManagement/managedDevices/d/sync", t0 + ms(i)), None, "{i}");
        }
        assert_eq!(running.admit_at(Method::Patch, "/v1.0/users/u", t0), None);
        let from_limit = Throttle::from(RateLimit::intune().with_window(ms(2_000)));
        assert_eq!(from_limit, Throttle::intune().with_window(ms(2_000)));
        assert_eq!(Throttle::from(RateLimit::new(5, ms(10)).writes_only()), Throttle::new(5, ms(10)).writes_only());
    }
}
