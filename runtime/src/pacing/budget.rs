//! One budget of a rate limit: at most `max` requests reach the wire in any window of
//! `window`, and the queue of callers waiting for a place in it.
//!
//! Places are not reserved ahead: a caller queues (first come, first served), and once at the
//! head waits until the budget has room, then counts its requests as started at that instant,
//! which is the instant they are sent. A caller that gives up (its future dropped) leaves the
//! queue or the head without having counted anything, so nobody behind it waits for a place
//! it never used.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{Mutex as Queue, MutexGuard as Head};
use tokio::time::Instant;

/// How far ahead "never" is: about 30 years, as tokio's own far future.
const FAR: Duration = Duration::from_secs(86_400 * 365 * 30);

/// `at + wait`, saturating: a wait too long for the clock (`Duration::MAX`, a `Retry-After` of
/// 1e19 s) is a wait of about 30 years, never a panic.
pub(super) fn later(at: Instant, wait: Duration) -> Instant {
    at.checked_add(wait.min(FAR)).or_else(|| at.checked_add(FAR / 1_000)).unwrap_or(at)
}

/// One window's budget.
#[derive(Debug)]
pub(super) struct Budget {
    /// At most this many starts in any window.
    pub(super) max: u32,
    /// The window the budget is kept over, margin included.
    pub(super) window: Duration,
    /// What it is named in a shared store (a suffix of the Redis key; empty for the whole key).
    #[cfg_attr(not(feature = "redis"), expect(dead_code, reason = "only a shared store names its budgets"))]
    pub(super) name: String,
    queue: Queue<()>,
    /// The start times of the last `max` requests, oldest first (older ones no longer constrain
    /// anything). Kept for a budget of this process only.
    starts: Mutex<VecDeque<Instant>>,
}

impl Budget {
    pub(super) fn new(max: u32, window: Duration, name: String) -> Budget {
        Budget { max, window, name, queue: Queue::new(()), starts: Mutex::new(VecDeque::with_capacity(max.min(4096) as usize)) }
    }

    /// Waits for the head of the queue; the place at the head is held until the guard drops.
    pub(super) async fn head(&self) -> Head<'_, ()> {
        self.queue.lock().await
    }

    /// The earliest instant from `now` at which `n` more starts (at most `max`) fit: the window
    /// ending then holds at most `max` starts.
    pub(super) fn free_at(&self, n: u32, now: Instant) -> Instant {
        let n = n.clamp(1, self.max);
        let starts = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
        // With `n` more, the (max - n + 1)-th most recent start must have left the window.
        let keep = (self.max - n) as usize;
        if starts.len() > keep { later(starts[starts.len() - keep - 1], self.window).max(now) } else { now }
    }

    /// Counts `n` starts (at most `max`) at `at`.
    pub(super) fn record(&self, n: u32, at: Instant) {
        let mut starts = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
        for _ in 0..n.clamp(1, self.max) {
            starts.push_back(at);
        }
        while starts.len() > self.max as usize {
            starts.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_frees_a_place_when_its_oldest_start_leaves() {
        let now = Instant::now();
        let budget = Budget::new(3, Duration::from_secs(1), String::new());
        assert_eq!(budget.free_at(3, now), now);
        budget.record(3, now);
        assert_eq!(budget.free_at(1, now), now + Duration::from_secs(1));
        budget.record(1, now + Duration::from_millis(1_500));
        // Two more need the second-oldest of the last three to leave; ten count as three.
        assert_eq!(budget.free_at(2, now), now + Duration::from_secs(1));
        assert_eq!(budget.free_at(10, now), now + Duration::from_millis(2_500));
    }

    #[test]
    fn waits_too_long_for_the_clock_saturate() {
        let now = Instant::now();
        assert!(later(now, Duration::MAX) > now + Duration::from_secs(86_400 * 365));
        let budget = Budget::new(1, Duration::MAX, String::new());
        budget.record(1, now);
        assert!(budget.free_at(1, now) > now + Duration::from_secs(86_400 * 365));
    }
}
