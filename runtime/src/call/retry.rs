//! When and how long to wait before sending a request again.
//!
//! Graph throttles with `429 Too Many Requests` and sheds load with `503` and `504`, each
//! usually with a `Retry-After` header: integer seconds, fractional seconds (`2.128`, as
//! Intune sends) or an HTTP date. The policy honours it exactly, falls back to exponential
//! backoff with full jitter without it, and gives up at once — instead of sleeping — when
//! the server asks for more than the caps allow.

use crate::error::GiveUp;
use std::time::Duration;

/// How a client resends throttled and failed requests.
///
/// - Throttled (`429`) and shed (`503`) answers, which Graph has not processed, are resent as
///   long as the call stays within [`max_total`](Self::max_total) and each wait
///   within [`max_delay`](Self::max_delay), up to
///   [`max_throttled_retries`](Self::max_throttled_retries) times (a safety net against a
///   server that throttles without asking for a wait): a burst of writes at the throttle
///   limit loses nothing, and a `Retry-After` beyond the caps ends the call at once.
/// - Other failures that may be resent (see the crate docs) are resent at most
///   [`max_retries`](Self::max_retries) times, with exponential backoff and full jitter.
/// - `max_retries(0)`, or [`RetryPolicy::none`], turns resending off altogether.
///
/// ```
/// use graph_endpoint::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default().max_retries(5).max_delay(Duration::from_secs(30));
/// let no_retries = RetryPolicy::none();
/// # let _ = (policy, no_retries);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a policy does nothing until it is given to `ClientBuilder::retry`"]
pub struct RetryPolicy {
    max_retries: u32,
    max_throttled_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries of failures, 30 of throttled answers, 3 s base delay, at most 60 s per wait
    /// and 180 s in all.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_throttled_retries: 30,
            base_delay: Duration::from_secs(3),
            max_delay: Duration::from_secs(60),
            max_total: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// A policy that never resends anything.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// How many times a failed request may be sent again (default 3); throttled answers do not
    /// count against it. `0` turns resending off, throttled answers included.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// How many times a throttled (`429`) or shed (`503`) request may be sent again
    /// (default 30), within [`max_total`](Self::max_total).
    pub fn max_throttled_retries(mut self, retries: u32) -> Self {
        self.max_throttled_retries = retries;
        self
    }

    /// The first backoff step when the server gives no `Retry-After` (default 3 s); each
    /// retry doubles it, and the wait is drawn uniformly from zero to that step.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single wait (default 60 s). A `Retry-After` above it ends the call at once.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How long one call may go on sending (default 180 s), counted from its start: attempts
    /// and every wait together (`Retry-After`, backoff, the client's gate after a throttled
    /// answer, the rate limit, adaptive pacing, a place among
    /// [`max_concurrency`](crate::ClientBuilder::max_concurrency) calls, its token). A resend
    /// whose wait would end past it is not waited for (the call ends at once with the answer
    /// or error that asked for it), a wait for the client's own pacing ends there, and no
    /// attempt starts after it, so **every call ends within `max_total` plus one request
    /// timeout** (the [`timeout`](crate::ClientBuilder::timeout) of the
    /// attempt under way, per redirect hop). A call that runs out before its request left
    /// fails with [`ErrorKind::Timeout`](crate::ErrorKind::Timeout), not applied.
    ///
    /// Waits for the client's own pacing count too: thousands of calls started at once behind
    /// a rate limit that lets a few hundred through per `max_total` end, the later ones, in
    /// such errors. Keep what is in flight bounded (`buffer_unordered`, `client.job`,
    /// `client.batch`), or raise `max_total` to the time such a queue takes.
    pub fn max_total(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }

    /// How long one call may go on sending.
    pub(crate) fn max_total_cap(&self) -> Duration {
        self.max_total
    }

    /// The longest single wait.
    pub(crate) fn max_delay_cap(&self) -> Duration {
        self.max_delay
    }

    /// Whether a request answered with a `Retry-After` of `asked` may wait for it at all:
    /// within `max_delay` and `max_total`, and an end a clock can hold.
    pub(crate) fn may_wait(&self, asked: Duration) -> bool {
        !beyond(asked, self.max_delay) && asked <= self.max_total
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before retry number `retry` (1-based), or why there is none.
    pub(crate) fn wait(&self, retry: u32, retry_after: Option<Duration>, waited: Duration) -> Result<Duration, GiveUp> {
        if retry > self.max_retries {
            return Err(GiveUp::Exhausted { retries: self.max_retries });
        }
        let wait = match retry_after {
            Some(asked) if beyond(asked, self.max_delay) => return Err(GiveUp::WaitTooLong { asked, max: self.max_delay }),
            Some(asked) => asked,
            None => self.backoff(retry),
        };
        if waited.saturating_add(wait) > self.max_total {
            return Err(GiveUp::OverBudget { asked: wait, waited, max: self.max_total });
        }
        Ok(wait)
    }

    /// The wait before resending a throttled (`429`) or shed (`503`) request: Graph has not
    /// processed it, so the number of such retries is bounded only by the total wait
    /// ([`max_total`](Self::max_total)), and a single wait by [`max_delay`](Self::max_delay).
    /// `Retry-After` is honoured exactly: no random spread, which would let calls throttled
    /// later overtake those throttled earlier (the client's gate holds new calls back until
    /// the same instant).
    pub(crate) fn throttled_wait(&self, retry: u32, retry_after: Option<Duration>, waited: Duration) -> Result<Duration, GiveUp> {
        if self.max_retries == 0 {
            return Err(GiveUp::Exhausted { retries: 0 });
        }
        if retry > self.max_throttled_retries {
            return Err(GiveUp::Exhausted { retries: self.max_throttled_retries });
        }
        let wait = match retry_after {
            Some(asked) if beyond(asked, self.max_delay) => return Err(GiveUp::WaitTooLong { asked, max: self.max_delay }),
            Some(asked) => asked,
            None => self.backoff(retry),
        };
        if waited.saturating_add(wait) > self.max_total {
            return Err(GiveUp::OverBudget { asked: wait, waited, max: self.max_total });
        }
        Ok(wait)
    }

    /// Full jitter: uniform in `[0, min(max_delay, base * 2^(retry-1))]`.
    fn backoff(&self, retry: u32) -> Duration {
        let step = self.base_delay.saturating_mul(1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX)).min(self.max_delay);
        step.mul_f64(fastrand::f64())
    }
}

/// Whether a `Retry-After` of `asked` is beyond the cap `max`. A wait whose end no clock can
/// hold (`1e19` seconds; `Duration::MAX`, which a value too long for a `Duration`, `1e30` or
/// `inf`, reads as) is beyond every cap, even a cap of `Duration::MAX`.
fn beyond(asked: Duration, max: Duration) -> bool {
    asked > max || std::time::Instant::now().checked_add(asked).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_and_budget() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.wait(1, Some(Duration::from_secs(2)), Duration::ZERO), Ok(Duration::from_secs(2)));
        assert!(matches!(policy.wait(1, Some(Duration::from_secs(300)), Duration::ZERO), Err(GiveUp::WaitTooLong { .. })));
        assert!(matches!(policy.wait(2, Some(Duration::from_secs(60)), Duration::from_secs(150)), Err(GiveUp::OverBudget { .. })));
        assert!(matches!(policy.wait(4, None, Duration::ZERO), Err(GiveUp::Exhausted { retries: 3 })));
        assert!(matches!(RetryPolicy::none().wait(1, None, Duration::ZERO), Err(GiveUp::Exhausted { retries: 0 })));
    }

    #[test]
    fn throttled_waits_honour_retry_after_and_a_count_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.throttled_wait(1, Some(Duration::from_secs(2)), Duration::ZERO), Ok(Duration::from_secs(2)));
        // Not bounded by max_retries (3), but by its own cap and the total wait.
        assert!(policy.throttled_wait(30, Some(Duration::ZERO), Duration::ZERO).is_ok());
        assert!(matches!(policy.throttled_wait(31, Some(Duration::ZERO), Duration::ZERO), Err(GiveUp::Exhausted { retries: 30 })));
        assert!(matches!(policy.throttled_wait(2, Some(Duration::from_secs(61)), Duration::ZERO), Err(GiveUp::WaitTooLong { .. })));
        assert!(matches!(
            policy.throttled_wait(2, Some(Duration::from_secs(30)), Duration::from_secs(170)),
            Err(GiveUp::OverBudget { .. })
        ));
        assert!(RetryPolicy::none().throttled_wait(1, None, Duration::ZERO).is_err());
    }

    /// A `Retry-After` too long for a `Duration` is read as `Duration::MAX`: with caps at
    /// their largest, the sum with the time already waited must not overflow.
    #[test]
    fn the_longest_waits_neither_panic_nor_pass() {
        let open = RetryPolicy::default().max_delay(Duration::MAX).max_total(Duration::MAX);
        let waited = Duration::from_secs(1);
        assert!(matches!(open.throttled_wait(1, Some(Duration::MAX), waited), Err(GiveUp::WaitTooLong { .. })));
        assert!(matches!(open.wait(1, Some(Duration::MAX), waited), Err(GiveUp::WaitTooLong { .. })));
        // 1e19 s is a Duration, but no Instant that far ahead is.
        let long = Duration::from_secs(10_000_000_000_000_000_000);
        assert!(matches!(open.throttled_wait(1, Some(long), waited), Err(GiveUp::WaitTooLong { .. })));
        assert!(!open.may_wait(long) && !open.may_wait(Duration::MAX) && open.may_wait(Duration::from_secs(3600)));
        let capped = RetryPolicy::default().max_delay(Duration::MAX);
        assert!(matches!(capped.throttled_wait(1, Some(Duration::from_secs(3600)), Duration::MAX), Err(GiveUp::OverBudget { .. })));
        assert!(!capped.may_wait(Duration::from_secs(181)));
        let default = RetryPolicy::default();
        assert!(matches!(default.throttled_wait(1, Some(Duration::MAX), waited), Err(GiveUp::WaitTooLong { .. })));
    }

    #[test]
    fn backoff_is_jittered_within_the_doubling_step() {
        let policy = RetryPolicy::default().max_retries(10).base_delay(Duration::from_millis(100)).max_delay(Duration::from_millis(350));
        for retry in 1..=6 {
            let cap = Duration::from_millis((100u64 << (retry - 1)).min(350));
            for _ in 0..50 {
                let wait = policy.wait(retry, None, Duration::ZERO);
                assert!(matches!(wait, Ok(w) if w <= cap), "{retry}: {wait:?}");
            }
        }
    }
}
