//! One budget of a rate limit: at most `max` requests reach the wire in any window of
//! `window`, and the queue of callers waiting for a place in it.
//!
//! Places are not reserved ahead: a caller queues (first come, first served), and once at the
//! head waits until the budget has room, then counts its requests as started at that instant,
//! which is the instant they are sent. A caller that gives up (its future dropped) leaves the
//! queue or the head without having counted anything, so nobody behind it waits for a place
//! it never used.
//!
//! A budget with room lets a burst go at once (up to `max`); a spent one spreads its starts,
//! one every `window / max`. Bursts released a window apart reach the server spread over a
//! few milliseconds, differently each time, and the first arrivals of one burst meet the last
//! of the previous one in a sliding window, which throttles them (and, counting them, pushes
//! the next ones further); requests sent one at a time, a window after their predecessors,
//! arrive as they were sent. So the first window of a long job goes out at once, and every
//! later one is spread evenly, which costs nothing in pace.

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

    /// The earliest instant from `now` at which `n` more starts (at most `max`) fit: the
    /// window ending then holds at most `max` starts, and, while the budget is spent (`max`
    /// starts in the last two windows), the start is at least `n / max` of a window after the
    /// previous one.
    pub(super) fn free_at(&self, n: u32, now: Instant) -> Instant {
        let n = n.clamp(1, self.max);
        let starts = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
        let mut at = now;
        // With `n` more, the (max - n + 1)-th most recent start must have left the window.
        let keep = (self.max - n) as usize;
        if starts.len() > keep {
            at = at.max(later(starts[starts.len() - keep - 1], self.window));
        }
        if starts.len() == self.max as usize
            && let (Some(&oldest), Some(&last)) = (starts.front(), starts.back())
            && later(oldest, self.window.saturating_mul(2)) > now
        {
            at = at.max(later(last, self.spacing(n)));
        }
        at
    }

    /// The spread of `n` starts in a spent budget: `n / max` of the window.
    pub(super) fn spacing(&self, n: u32) -> Duration {
        self.window.checked_div(self.max).unwrap_or(self.window).saturating_mul(n)
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
        let later_on = now + Duration::from_millis(1_500);
        budget.record(1, later_on);
        // Spent within two windows: the next start comes a third of a window after the last.
        assert_eq!(budget.free_at(1, later_on), later_on + Duration::from_nanos(333_333_333));
        // Two windows after the burst, it is no longer spent: no spread.
        assert_eq!(budget.free_at(1, now + Duration::from_secs(2)), now + Duration::from_secs(2));
        // Two more need the second-oldest of the last three to leave; ten count as three.
        budget.record(2, later_on);
        assert_eq!(budget.free_at(2, later_on), later_on + Duration::from_secs(1));
        assert_eq!(budget.free_at(10, later_on), later_on + Duration::from_secs(1));
    }

    #[test]
    fn a_long_job_bursts_its_first_window_and_spreads_the_next_ones() {
        let now = Instant::now();
        let window = Duration::from_secs(1);
        let budget = Budget::new(4, window, String::new());
        let mut starts = Vec::new();
        for _ in 0..12 {
            let at = budget.free_at(1, now);
            budget.record(1, at);
            starts.push(at - now);
        }
        let ms = |n: u64| Duration::from_millis(n);
        assert_eq!(starts, [0, 0, 0, 0, 1_000, 1_250, 1_500, 1_750, 2_000, 2_250, 2_500, 2_750].map(ms));
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
