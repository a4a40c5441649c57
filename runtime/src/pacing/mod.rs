//! Pacing: what stands in front of every attempt, and what hears how each one ended.
//!
//! In front of every attempt, in this order:
//!
//! 1. a place among the client's calls under way (`max_concurrency`), taken before a call's
//!    first attempt and held until its last, waits between retries included, so that a
//!    throttled herd does not grow while it waits ([`Pacer::enter`]);
//! 2. the gate: closed while Graph has asked this client to wait (a `429` or `503` with a
//!    `Retry-After`), for requests of the same kind ([`Pacer::admit`]);
//! 3. the budget of a [`RateLimit`]: at most N requests start in any window, each `$batch`
//!    item counted as one ([`Pacer::admit`]).
//!
//! The call path then fetches the token and sends. After every attempt, and for every item
//! of a `$batch` answer, it reports what came of it ([`Pacer::report`]), keyed by kind and
//! workload ([`Key`]): a throttled answer closes the gate for its kind.
//!
//! May use: error. Used by the call path (every attempt), the client (which builds the pacer)
//! and batch (its chunk size, its items' reports).

mod budget;
mod gate;
mod key;
mod limiter;
mod local;
mod rate_limit;
#[cfg(feature = "redis")]
mod redis;

pub(crate) use key::{Key, Load};
pub use rate_limit::RateLimit;

use crate::error::Error;
use gate::Gate;
use limiter::Limiter;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// What came of one request (an attempt, or one item of a `$batch` answer), as pacing hears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Feedback {
    /// Graph answered with this status, not a throttle.
    Answered(u16),
    /// Graph has not processed it (`429`, `503`), asking to wait this long if it said.
    Throttled { retry_after: Option<Duration> },
    /// No answer: the connection failed, broke or timed out.
    Failed,
}

/// A client's pacer: its concurrency limit, its gate and its rate limiter.
#[derive(Debug)]
pub(crate) struct Pacer {
    /// Places among the calls under way (`max_concurrency`).
    in_flight: Option<Semaphore>,
    gate: Gate,
    limiter: Option<Limiter>,
    /// The longest wait a throttled answer closes the gate for (the retry policy's
    /// `max_delay`): a longer one ends the call that drew it and holds back nothing.
    gate_cap: Duration,
}

/// A call's place among the calls under way, held until it is dropped.
#[must_use = "the place is given back when the permit is dropped"]
pub(crate) struct Permit<'a> {
    _place: Option<SemaphorePermit<'a>>,
}

impl Pacer {
    pub(crate) fn new(max_concurrency: Option<usize>, rate_limit: Option<&RateLimit>, gate_cap: Duration) -> Result<Pacer, Error> {
        let in_flight = match max_concurrency {
            Some(0) => return Err(Error::config("max_concurrency must be at least 1")),
            Some(n) => Some(Semaphore::new(n.min(Semaphore::MAX_PERMITS))),
            None => None,
        };
        let limiter = rate_limit.map(Limiter::new).transpose()?;
        Ok(Pacer { in_flight, gate: Gate::default(), limiter, gate_cap })
    }

    /// A place among the calls under way, for a whole call: taken before its first attempt
    /// and its first token, so that a call that queued never sends a stale token.
    pub(crate) async fn enter(&self) -> Result<Permit<'_>, Error> {
        let place = match &self.in_flight {
            Some(semaphore) => Some(semaphore.acquire().await.map_err(|_| Error::config("the client's concurrency limiter was closed"))?),
            None => None,
        };
        Ok(Permit { _place: place })
    }

    /// Waits until an attempt may go: the gate of its kind, then its places in the rate
    /// limit's window.
    pub(crate) async fn admit(&self, load: Load<'_>) -> Result<(), Error> {
        self.gate.pass(load.kind()).await;
        if let Some(limiter) = &self.limiter {
            limiter.acquire(limiter.counted(load)).await?;
        }
        Ok(())
    }

    /// Hears what came of an attempt, or of one `$batch` item: a throttled answer whose
    /// `Retry-After` is within the cap holds back this client's other requests of its kind
    /// until then.
    pub(crate) fn report(&self, load: Load<'_>, feedback: Feedback) {
        if let Feedback::Throttled { retry_after: Some(asked) } = feedback
            && asked <= self.gate_cap
        {
            let kind = load.kind();
            let workload = match load {
                Load::One(key) => key.workload.as_str(),
                Load::Items(_) => "/$batch",
            };
            tracing::debug!(
                kind = kind.as_str(),
                workload,
                wait_ms = asked.as_millis() as u64,
                "throttled: holding back requests of this kind"
            );
            self.gate.close_for(kind, asked);
        }
    }

    /// The most requests of one `$batch` the rate limit lets start at once, if there is one.
    pub(crate) fn max_burst(&self) -> Option<u32> {
        self.limiter.as_ref().map(Limiter::max_burst)
    }
}

#[cfg(test)]
mod tests {
    use super::key::{Kind, Workload};
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_throttled_write_holds_back_writes_only_and_never_beyond_the_cap() {
        let pacer = Pacer::new(None, None, Duration::from_secs(60)).unwrap();
        let workload = Workload::of("/deviceManagement/managedDevices/{managedDeviceId}");
        let (read, write) = (Key { kind: Kind::Read, workload }, Key { kind: Kind::Write, workload });
        pacer.report(Load::One(write), Feedback::Throttled { retry_after: Some(Duration::from_secs(2)) });
        // Beyond the cap, or without a Retry-After: nothing is held back.
        pacer.report(Load::One(write), Feedback::Throttled { retry_after: Some(Duration::from_secs(61)) });
        pacer.report(Load::One(read), Feedback::Throttled { retry_after: None });
        pacer.report(Load::One(read), Feedback::Answered(200));
        let began = tokio::time::Instant::now();
        pacer.admit(Load::One(read)).await.unwrap();
        assert_eq!(began.elapsed(), Duration::ZERO);
        pacer.admit(Load::Items(&[read, write])).await.unwrap();
        assert_eq!(began.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_permit_is_held_until_dropped() {
        let pacer = Pacer::new(Some(1), None, Duration::from_secs(60)).unwrap();
        let first = pacer.enter().await.unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(1), pacer.enter()).await.is_err());
        drop(first);
        let _second = pacer.enter().await.unwrap();
        assert_eq!(Pacer::new(Some(0), None, Duration::ZERO).unwrap_err().kind(), crate::error::ErrorKind::Config);
    }
}
