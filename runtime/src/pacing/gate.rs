//! Holding back a client's requests while Graph has asked it to wait: a `429` or `503` with a
//! `Retry-After` closes the gate for that long, and every attempt of the same kind (reads or
//! writes) waits for it to open. New calls then do not spend their places on answers that can
//! only be `429`, and calls that were throttled earlier are not overtaken at the boundary by
//! calls that arrived later: all of them go when Graph said to.

use super::budget::later;
use super::key::Kind;
use std::sync::Mutex;
use std::sync::PoisonError;
use std::time::Duration;
use tokio::time::Instant;

/// When reads and writes may go again.
#[derive(Debug, Default)]
pub(super) struct Gate {
    reads: Mutex<Option<Instant>>,
    writes: Mutex<Option<Instant>>,
}

impl Gate {
    fn side(&self, kind: Kind) -> &Mutex<Option<Instant>> {
        match kind {
            Kind::Read => &self.reads,
            Kind::Write => &self.writes,
        }
    }

    /// Graph asked to wait `retry_after` before sending requests of this kind again.
    pub(super) fn close_for(&self, kind: Kind, retry_after: Duration) {
        let until = later(Instant::now(), retry_after);
        let mut side = self.side(kind).lock().unwrap_or_else(PoisonError::into_inner);
        if side.is_none_or(|open_at| open_at < until) {
            *side = Some(until);
        }
    }

    /// Whether requests of this kind may go now.
    pub(super) fn is_open(&self, kind: Kind) -> bool {
        self.side(kind).lock().unwrap_or_else(PoisonError::into_inner).is_none_or(|open_at| open_at <= Instant::now())
    }

    /// When requests of this kind may go again, if the gate is closed for them now.
    pub(super) fn opens_at(&self, kind: Kind) -> Option<Instant> {
        (*self.side(kind).lock().unwrap_or_else(PoisonError::into_inner)).filter(|at| *at > Instant::now())
    }

    /// Waits until requests of this kind may go.
    pub(super) async fn pass(&self, kind: Kind) {
        let open_at = *self.side(kind).lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(open_at) = open_at.filter(|at| *at > Instant::now()) {
            tokio::time::sleep_until(open_at).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_closed_side_holds_its_kind_only() {
        let gate = Gate::default();
        gate.close_for(Kind::Write, Duration::from_secs(2));
        gate.close_for(Kind::Write, Duration::from_secs(1));
        let started = Instant::now();
        gate.pass(Kind::Read).await;
        assert_eq!(started.elapsed(), Duration::ZERO, "reads pass");
        gate.pass(Kind::Write).await;
        assert_eq!(started.elapsed(), Duration::from_secs(2), "the longest wait holds");
        gate.pass(Kind::Write).await;
        assert_eq!(started.elapsed(), Duration::from_secs(2), "open afterwards");
        assert!(gate.is_open(Kind::Write));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_too_long_for_the_clock_closes_the_gate_without_a_panic() {
        let gate = Gate::default();
        gate.close_for(Kind::Write, Duration::from_secs_f64(1e19));
        gate.close_for(Kind::Write, Duration::MAX);
        assert!(!gate.is_open(Kind::Write));
        assert!(gate.is_open(Kind::Read));
    }
}
