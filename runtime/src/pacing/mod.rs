//! Pacing: what stands in front of every attempt, and what hears how each one ended.
//!
//! In front of every attempt, in this order:
//!
//! 1. a place among the client's calls under way (`max_concurrency`), taken before a call's
//!    first attempt and held until its last, waits between retries included, so that a
//!    throttled herd does not grow while it waits ([`Pacer::enter`]);
//! 2. the gate: closed while Graph has asked this client to wait (a `429` or `503` with a
//!    `Retry-After`), for requests of the same kind ([`Pacer::pass_gate`]);
//! 3. (the call path fetches the token here, so that a slow token delays nothing counted;)
//! 4. the turn at the learned rate of adaptive pacing (`adaptive`), then the places in the
//!    budgets of a [`RateLimit`] (`limiter`), taken at the moment of sending, each `$batch`
//!    item counted as one, and only if the gate is still open then ([`Pacer::take_turn`]).
//!
//! After every attempt, and for every item of a `$batch` answer, the call path reports what
//! came of it ([`Pacer::report`]), keyed by kind and workload ([`Key`]): a throttled answer
//! closes the gate for its kind, and teaches adaptive pacing the rate Graph admits.
//!
//! May use: deadline, error. Used by the call path (every attempt), the client (which builds
//! the pacer) and batch (its chunk size, its items' reports).

mod adaptive;
mod budget;
mod gate;
mod intune;
mod key;
mod limiter;
mod rate_limit;
#[cfg(feature = "redis")]
mod redis;
#[cfg(all(test, feature = "redis"))]
mod redis_tests;

pub(crate) use key::{Key, Load};
pub use rate_limit::RateLimit;

use crate::deadline::within;
use crate::error::Error;
use adaptive::Adaptive;
use gate::Gate;
use limiter::{Limiter, Turn};
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

/// A client's pacer: its concurrency limit, its gate, its adaptive pacing and its rate limiter.
#[derive(Debug)]
pub(crate) struct Pacer {
    /// Places among the calls under way (`max_concurrency`).
    in_flight: Option<Semaphore>,
    gate: Gate,
    adaptive: Option<Adaptive>,
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
    pub(crate) fn new(
        max_concurrency: Option<usize>,
        rate_limit: Option<&RateLimit>,
        adaptive: bool,
        gate_cap: Duration,
    ) -> Result<Pacer, Error> {
        let in_flight = match max_concurrency {
            Some(0) => return Err(Error::config("max_concurrency must be at least 1")),
            Some(n) => Some(Semaphore::new(n.min(Semaphore::MAX_PERMITS))),
            None => None,
        };
        let limiter = rate_limit.map(Limiter::new).transpose()?;
        let adaptive = adaptive.then(Adaptive::default);
        Ok(Pacer { in_flight, gate: Gate::default(), adaptive, limiter, gate_cap })
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

    /// Waits until the gate lets an attempt of this kind go; a gate that opens only after
    /// `deadline` is an error at once.
    pub(crate) async fn pass_gate(&self, load: Load<'_>, deadline: Option<tokio::time::Instant>) -> Result<(), Error> {
        let kind = load.kind();
        if let (Some(opens), Some(deadline)) = (self.gate.opens_at(kind), deadline)
            && opens > deadline
        {
            return Err(Error::timeout(format!(
                "the client holds back its {}s until Graph's Retry-After ends, {:.3} s from now, after the call's max_total has run out; not sent",
                kind.as_str(),
                opens.saturating_duration_since(tokio::time::Instant::now()).as_secs_f64()
            )));
        }
        self.gate.pass(kind).await;
        Ok(())
    }

    /// Waits for an attempt's turn at the learned rate and its places in the rate limit, and
    /// takes them at the moment it may be sent (the gate still open then). Returns whether it
    /// had to wait, so that the caller can refresh what it prepared before (the token). A
    /// rate-limit place that frees only after `deadline` is an error at once.
    pub(crate) async fn take_turn(&self, load: Load<'_>, deadline: Option<tokio::time::Instant>) -> Result<bool, Error> {
        let kind = load.kind();
        let mut waited = false;
        loop {
            if !self.gate.is_open(kind) {
                self.pass_gate(load, deadline).await?;
                waited = true;
            }
            if let Some(adaptive) = &self.adaptive {
                // Cancel-safe: a turn is taken only once its wait is over.
                let paced = adaptive.pace(load);
                waited |= within(deadline, paced).await.ok_or_else(|| {
                    Error::timeout("the call's max_total ran out while it waited for its turn at the learned rate; not sent")
                })?;
            }
            let Some(limiter) = &self.limiter else { return Ok(waited) };
            match limiter.take(load, || self.gate.is_open(kind), deadline).await? {
                Turn::Go { waited: queued } => return Ok(waited | queued),
                Turn::GateClosed => waited = true,
            }
        }
    }

    /// Hears what came of an attempt, or of one `$batch` item: a throttled answer whose
    /// `Retry-After` is within the cap holds back this client's other requests of its kind
    /// until then, and every answer teaches adaptive pacing.
    pub(crate) fn report(&self, load: Load<'_>, feedback: Feedback) {
        if let Some(adaptive) = &self.adaptive {
            match (feedback, load) {
                // A `$batch` answered: its items report for themselves.
                (Feedback::Answered(_), Load::One(key)) => adaptive.admitted(key),
                (Feedback::Throttled { retry_after }, _) => load.keys().iter().for_each(|key| adaptive.throttled(*key, retry_after)),
                _ => {}
            }
        }
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
        let pacer = Pacer::new(None, None, true, Duration::from_secs(60)).unwrap();
        let workload = Workload::of("/deviceManagement/managedDevices/{managedDeviceId}");
        let (read, write) = (Key { kind: Kind::Read, workload }, Key { kind: Kind::Write, workload });
        pacer.report(Load::One(write), Feedback::Throttled { retry_after: Some(Duration::from_secs(2)) });
        // Beyond the cap, or without a Retry-After: nothing is held back.
        pacer.report(Load::One(write), Feedback::Throttled { retry_after: Some(Duration::from_secs(61)) });
        pacer.report(Load::One(read), Feedback::Throttled { retry_after: None });
        pacer.report(Load::One(read), Feedback::Answered(200));
        let began = tokio::time::Instant::now();
        pacer.pass_gate(Load::One(read), None).await.unwrap();
        assert!(!pacer.take_turn(Load::One(read), None).await.unwrap());
        assert_eq!(began.elapsed(), Duration::ZERO);
        pacer.pass_gate(Load::Items(&[read, write]), None).await.unwrap();
        assert_eq!(began.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_permit_is_held_until_dropped() {
        let pacer = Pacer::new(Some(1), None, true, Duration::from_secs(60)).unwrap();
        let first = pacer.enter().await.unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(1), pacer.enter()).await.is_err());
        drop(first);
        let _second = pacer.enter().await.unwrap();
        assert_eq!(Pacer::new(Some(0), None, true, Duration::ZERO).unwrap_err().kind(), crate::error::ErrorKind::Config);
    }
}
