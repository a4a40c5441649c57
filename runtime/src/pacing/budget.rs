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
    starts: Mutex<Log>,
}

/// A budget's record.
#[derive(Debug, Default)]
struct Log {
    /// The actual start times, oldest first.
    starts: VecDeque<Instant>,
    /// The slot the latest start was given (at or before its actual start): spread starts are
    /// spaced from slots, not from actual starts, so that a timer waking late does not push
    /// every later start further.
    slot: Option<Instant>,
}

impl Budget {
    pub(super) fn new(max: u32, window: Duration, name: String) -> Budget {
        let log = Log { starts: VecDeque::with_capacity(max.min(4096) as usize), slot: None };
        Budget { max, window, name, queue: Queue::new(()), starts: Mutex::new(log) }
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
        let log = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
        let starts = &log.starts;
        let mut at = now;
        // With `n` more, the (max - n + 1)-th most recent start must have left the window.
        let keep = (self.max - n) as usize;
        if starts.len() > keep {
            at = at.max(later(starts[starts.len() - keep - 1], self.window));
        }
        if starts.len() == self.max as usize
            && let (Some(&oldest), Some(last)) = (starts.front(), log.slot)
            && later(oldest, self.window.saturating_mul(2)) > now
        {
            at = at.max(later(last, self.spacing(n)));
        }
        at
    }

    /// How far behind its slots a spread start may catch up: eight spacings (a timer that
    /// woke late, a busy machine), never a whole burst.
    fn catch_up(&self) -> Duration {
        self.spacing(8)
    }

    /// The spread of `n` starts in a spent budget: `n / max` of the window.
    pub(super) fn spacing(&self, n: u32) -> Duration {
        self.window.checked_div(self.max).unwrap_or(self.window).saturating_mul(n)
    }

    /// Counts `n` starts (at most `max`) at `now`, given the slot `slot` (the instant they
    /// waited for, or `now`).
    pub(super) fn record(&self, n: u32, slot: Instant, now: Instant) {
        let mut log = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
        for _ in 0..n.clamp(1, self.max) {
            log.starts.push_back(now);
        }
        while log.starts.len() > self.max as usize {
            log.starts.pop_front();
        }
        let behind = now.checked_sub(self.catch_up()).unwrap_or(now);
        log.slot = Some(slot.min(now).max(behind));
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
        budget.record(3, now, now);
        assert_eq!(budget.free_at(1, now), now + Duration::from_secs(1));
        let later_on = now + Duration::from_millis(1_500);
        budget.record(1, later_on, later_on);
        // Spent within two windows: the next start comes a third of a window after the last.
        assert_eq!(budget.free_at(1, later_on), later_on + Duration::from_nanos(333_333_333));
        // Two windows after the burst, it is no longer spent: no spread.
        assert_eq!(budget.free_at(1, now + Duration::from_secs(2)), now + Duration::from_secs(2));
        // Two more need the second-oldest of the last three to leave; ten count as three.
        budget.record(2, later_on, later_on);
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
            budget.record(1, at, at);
            starts.push(at - now);
        }
        let ms = |n: u64| Duration::from_millis(n);
        assert_eq!(starts, [0, 0, 0, 0, 1_000, 1_250, 1_500, 1_750, 2_000, 2_250, 2_500, 2_750].map(ms));
        // A start that woke 100 ms late: the next keeps its slot, 250 ms after the last slot.
        let slot = budget.free_at(1, now);
        budget.record(1, slot, slot + ms(100));
        assert_eq!(budget.free_at(1, now) - now, ms(3_250));
    }

    #[test]
    fn waits_too_long_for_the_clock_saturate() {
        let now = Instant::now();
        assert!(later(now, Duration::MAX) > now + Duration::from_secs(86_400 * 365));
        let budget = Budget::new(1, Duration::MAX, String::new());
        budget.record(1, now, now);
        assert!(budget.free_at(1, now) > now + Duration::from_secs(86_400 * 365));
    }
}
