//! A client's rate limiter: its [`RateLimit`]'s budget, and which requests count against it.

use super::budget::Budget;
use super::key::{Kind, Load};
use super::local;
use super::rate_limit::RateLimit;
use crate::error::Error;
use std::fmt;

/// A client's pacer, built from its [`RateLimit`].
pub(super) struct Limiter {
    max: u32,
    writes_only: bool,
    budget: Box<dyn Budget>,
}

impl Limiter {
    pub(super) fn new(limit: &RateLimit) -> Result<Limiter, Error> {
        limit.check()?;
        let budget: Box<dyn Budget> = match &limit.shared {
            None => Box::new(local::Log::new(limit.max, limit.window)),
            #[cfg(feature = "redis")]
            Some(shared) => Box::new(super::redis::RedisLog::new(limit, shared)?),
            #[cfg(not(feature = "redis"))]
            Some(_) => return Err(Error::config("a shared rate limit needs the crate's `redis` feature")),
        };
        Ok(Limiter { max: limit.max, writes_only: limit.writes_only, budget })
    }

    /// How many requests of `load` count against the budget: all of them, or its writes only.
    pub(super) fn counted(&self, load: Load<'_>) -> u32 {
        if self.writes_only { load.count(Kind::Write) } else { load.len() }
    }

    /// The most requests that may start at one instant: `$batch` requests carry at most this
    /// many counted items.
    pub(super) fn max_burst(&self) -> u32 {
        self.max
    }

    /// Waits until `n` requests (at most [`max_burst`](Self::max_burst)) may start, and
    /// counts them as started.
    pub(super) async fn acquire(&self, n: u32) -> Result<(), Error> {
        if n == 0 {
            return Ok(());
        }
        self.budget.take(n.min(self.max_burst())).wait().await
    }
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter").field("max", &self.max).field("writes_only", &self.writes_only).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::key::{Key, Workload};
    use super::*;
    use std::time::Duration;

    #[cfg(not(feature = "redis"))]
    #[test]
    fn a_shared_limit_needs_the_feature() {
        let mut limit = RateLimit::new(10, Duration::from_secs(1));
        limit.shared = Some(super::super::rate_limit::Shared { url: "redis://:hunter2@127.0.0.1:6379".into(), key: "graph:k".into() });
        let error = Limiter::new(&limit).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Config);
        assert!(error.message().contains("`redis` feature"), "{error}");
        assert!(!format!("{limit:?}").contains("hunter2"), "{limit:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn reads_pass_a_writes_only_limit_and_nothing_waits_for_zero() {
        let limiter = Limiter::new(&RateLimit::new(1, Duration::from_secs(60)).writes_only()).unwrap();
        let workload = Workload::of("/deviceManagement/managedDevices/{managedDeviceId}");
        let (read, write) = (Key { kind: Kind::Read, workload }, Key { kind: Kind::Write, workload });
        assert_eq!(limiter.counted(Load::One(read)), 0);
        assert_eq!(limiter.counted(Load::One(write)), 1);
        assert_eq!(limiter.counted(Load::Items(&[read, write, write])), 2);
        let began = tokio::time::Instant::now();
        limiter.acquire(1).await.unwrap();
        limiter.acquire(0).await.unwrap();
        assert_eq!(began.elapsed(), Duration::ZERO);
        // More than the limit at once counts as the limit.
        limiter.acquire(5).await.unwrap();
        assert_eq!(began.elapsed(), Duration::from_secs(60));
    }
}
