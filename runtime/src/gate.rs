//! Holding back a client's requests while Graph has asked it to wait: a `429` or `503` with a
//! `Retry-After` closes the gate for that long, and every attempt of the same kind (reads or
//! writes) waits for it to open. New calls then do not spend their places on answers that can
//! only be `429`, and calls that were throttled earlier are not overtaken at the boundary by
//! calls that arrived later: all of them go when Graph said to.

use std::sync::Mutex;
use std::sync::PoisonError;
use std::time::Duration;
use tokio::time::Instant;

/// When reads and writes may go again.
#[derive(Debug, Default)]
pub(crate) struct Gate {
    reads: Mutex<Option<Instant>>,
    writes: Mutex<Option<Instant>>,
}

impl Gate {
    fn side(&self, write: bool) -> &Mutex<Option<Instant>> {
        if write { &self.writes } else { &self.reads }
    }

    /// Graph asked to wait `retry_after` before sending requests of this kind again.
    pub(crate) fn close_for(&self, write: bool, retry_after: Duration) {
        let until = Instant::now() + retry_after;
        let mut side = self.side(write).lock().unwrap_or_else(PoisonError::into_inner);
        if side.is_none_or(|open_at| open_at < until) {
            *side = Some(until);
        }
    }

    /// Waits until requests of this kind may go.
    pub(crate) async fn pass(&self, write: bool) {
        let open_at = *self.side(write).lock().unwrap_or_else(PoisonError::into_inner);
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
        gate.close_for(true, Duration::from_secs(2));
        gate.close_for(true, Duration::from_secs(1));
        let started = Instant::now();
        gate.pass(false).await;
        assert_eq!(started.elapsed(), Duration::ZERO, "reads pass");
        gate.pass(true).await;
        assert_eq!(started.elapsed(), Duration::from_secs(2), "the longest wait holds");
        gate.pass(true).await;
        assert_eq!(started.elapsed(), Duration::from_secs(2), "open afterwards");
    }
}
