//! The budget of one process: the start times of the last N requests, as reservations.

use super::budget::{Budget, Turn};
use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// Reserved start times, oldest first, never more than `max` of them (older ones no longer
/// constrain anything).
pub(super) struct Log {
    max: u32,
    window: Duration,
    starts: Mutex<VecDeque<Instant>>,
}

impl Log {
    pub(super) fn new(max: u32, window: Duration) -> Self {
        Log { max, window, starts: Mutex::new(VecDeque::with_capacity(max.min(4096) as usize)) }
    }

    /// Reserves `n` starts at the earliest instant `t` such that the window ending at `t`
    /// holds at most `max` starts.
    fn reserve(&self, n: u32, now: Instant) -> Instant {
        let n = n.min(self.max);
        let mut starts = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
        let mut at = starts.back().copied().map_or(now, |last| last.max(now));
        // `n` more starts at `at` leave at most `max` in (at - window, at]: the
        // (max - n + 1)-th most recent start must be at least a window before.
        let keep = (self.max - n) as usize;
        if starts.len() > keep {
            let bound = starts[starts.len() - keep - 1] + self.window;
            at = at.max(bound);
        }
        for _ in 0..n {
            starts.push_back(at);
        }
        while starts.len() > self.max as usize {
            starts.pop_front();
        }
        at
    }
}

impl Budget for Log {
    fn take(&self, n: u32) -> Turn<'_> {
        Turn::At(self.reserve(n, Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many of `starts` fall in each window of `window` that begins at a start.
    fn worst_window(starts: &[Instant], window: Duration) -> usize {
        starts.iter().map(|&from| starts.iter().filter(|&&t| t >= from && t < from + window).count()).max().unwrap_or(0)
    }

    #[test]
    fn never_more_than_max_in_any_window() {
        let now = Instant::now();
        let window = Duration::from_secs(2);
        for (max, sizes) in [(100u32, vec![1u32; 1000]), (10, vec![3, 1, 4, 1, 5, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2]), (20, vec![20; 30])] {
            let log = Log::new(max, window);
            let mut starts = Vec::new();
            for (i, n) in sizes.iter().enumerate() {
                // Callers arrive over time, some at once.
                let arrival = now + Duration::from_millis(7 * (i as u64 / 3));
                let at = log.reserve(*n, arrival);
                assert!(at >= arrival);
                starts.extend(std::iter::repeat_n(at, (*n).min(max) as usize));
            }
            assert!(worst_window(&starts, window) <= max as usize, "max {max}");
            // And the pace is not slower than it must be: a full window's worth starts at once.
            let first_window = starts.iter().filter(|&&t| t < now + window).count();
            assert!(first_window >= (max as usize).min(starts.len()) - sizes[0] as usize, "max {max}: {first_window}");
        }
    }

    /// Callers that arrive together start in full windows, one window apart, in the order they
    /// asked, on tokio's clock (paused: the times are exact).
    #[tokio::test(start_paused = true)]
    async fn callers_start_in_full_windows_in_order() {
        let log = std::sync::Arc::new(Log::new(3, Duration::from_secs(1)));
        let began = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..10u64 {
            let log = log.clone();
            tasks.push(tokio::spawn(async move {
                log.take(1).wait().await.unwrap();
                (i, Instant::now() - began)
            }));
            // Each caller asks before the next one.
            tokio::task::yield_now().await;
        }
        for task in tasks {
            let (i, started) = task.await.unwrap();
            assert_eq!(started, Duration::from_secs(i / 3), "caller {i}");
        }
        // A caller after a quiet spell starts at once.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let now = Instant::now();
        log.take(3).wait().await.unwrap();
        assert_eq!(Instant::now(), now);
    }

    #[test]
    fn a_full_burst_waits_exactly_one_window() {
        let now = Instant::now();
        let log = Log::new(3, Duration::from_secs(1));
        assert_eq!(log.reserve(3, now), now);
        assert_eq!(log.reserve(1, now), now + Duration::from_secs(1));
        assert_eq!(log.reserve(2, now), now + Duration::from_secs(1));
        assert_eq!(log.reserve(1, now), now + Duration::from_secs(2));
    }
}
