//! What the progress callback sees, and how often it is called: at most every 100 ms on
//! Tokio's clock (so a test with a paused clock sees the pace a real run would), and once
//! more when the job ends; a `tracing` event at the same pace.

use super::ProgressFn;
use std::fmt;
use std::time::Duration;
use tokio::time::Instant;

/// The shortest time between two progress reports (the last one excepted).
pub(crate) const EVERY: Duration = Duration::from_millis(100);

/// Where a job stands, as [`Job::on_progress`](super::Job::on_progress) sees it.
///
/// The item counts partition what is [`done`](Self::done): succeeded, failed, unverified,
/// not sent and skipped.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub(crate) done: usize,
    pub(crate) total: Option<usize>,
    pub(crate) succeeded: usize,
    pub(crate) failed: usize,
    pub(crate) unverified: usize,
    pub(crate) not_sent: usize,
    pub(crate) skipped: usize,
    pub(crate) in_flight: usize,
    pub(crate) throttled: usize,
    pub(crate) requests: usize,
    pub(crate) elapsed: Duration,
    /// Items that went on the wire in this run and finished (not skipped, not refused before).
    pub(crate) sent_done: usize,
    pub(crate) finished: bool,
}

impl Progress {
    /// Items finished, whatever came of them (skipped ones included).
    pub fn done(&self) -> usize {
        self.done
    }

    /// How many items the job has, when its iterator says exactly (`Some` for a `Vec`, a
    /// range, a slice's iterator; `None` for a filter or a reader of lines).
    pub fn total(&self) -> Option<usize> {
        self.total
    }

    /// Items answered with a success.
    pub fn succeeded(&self) -> usize {
        self.succeeded
    }

    /// Items that failed (not unverified, not those never sent).
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// Writes an earlier run sent without learning their outcome: not sent again.
    pub fn unverified(&self) -> usize {
        self.unverified
    }

    /// Items never sent (after a failure in an [in-order](super::Job::in_order) job, or a
    /// `$batch` request that never left).
    pub fn not_sent(&self) -> usize {
        self.not_sent
    }

    /// Items an earlier run applied (per the journal): not sent again.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Items sent and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Answers (and `$batch` items) Graph throttled (`429`, `503`) so far; each was sent again
    /// within the client's retry policy.
    pub fn throttled(&self) -> usize {
        self.throttled
    }

    /// HTTP requests sent so far.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// Time since the job started.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// An estimate of the time left: the items left at the rate observed so far (which the
    /// client's pacing and Graph's throttling set). `None` until an item has been answered,
    /// or when the total is not known; zero once the job has ended.
    pub fn remaining(&self) -> Option<Duration> {
        if self.finished {
            return Some(Duration::ZERO);
        }
        let left = self.total?.saturating_sub(self.done);
        if left == 0 {
            return Some(Duration::ZERO);
        }
        if self.sent_done == 0 || self.elapsed.is_zero() {
            return None;
        }
        let per_item = self.elapsed.as_secs_f64() / self.sent_done as f64;
        Some(Duration::from_secs_f64((per_item * left as f64).min(1e9)))
    }
}

/// Calls the callback, and emits the `tracing` event, no more often than [`EVERY`].
pub(crate) struct Reporter<'a> {
    callback: Option<ProgressFn<'a>>,
    last: Option<Instant>,
    /// A change not yet reported, because the last report was less than [`EVERY`] ago.
    pending: bool,
}

impl fmt::Debug for Reporter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reporter").field("last", &self.last).field("pending", &self.pending).finish_non_exhaustive()
    }
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(callback: Option<ProgressFn<'a>>) -> Reporter<'a> {
        Reporter { callback, last: None, pending: false }
    }

    /// Items finished: reports now if the last report is old enough, else later.
    pub(crate) fn changed(&mut self, progress: &Progress, now: Instant) {
        match self.last {
            Some(last) if now.duration_since(last) < EVERY => self.pending = true,
            _ => self.emit(progress, now),
        }
    }

    /// When a change not yet reported may be, if there is one.
    pub(crate) fn due(&self) -> Option<Instant> {
        match (self.pending, self.last) {
            (true, Some(last)) => Some(last + EVERY),
            _ => None,
        }
    }

    /// Reports the change held back, if its time has come.
    pub(crate) fn catch_up(&mut self, progress: &Progress, now: Instant) {
        if self.due().is_some_and(|due| now >= due) {
            self.emit(progress, now);
        }
    }

    /// The job has ended: the last report, whenever the one before was.
    pub(crate) fn finish(&mut self, progress: &Progress, now: Instant) {
        self.emit(progress, now);
    }

    fn emit(&mut self, progress: &Progress, now: Instant) {
        self.last = Some(now);
        self.pending = false;
        tracing::info!(
            target: "graph_endpoint::job",
            done = progress.done,
            total = progress.total,
            succeeded = progress.succeeded,
            failed = progress.failed,
            unverified = progress.unverified,
            not_sent = progress.not_sent,
            skipped = progress.skipped,
            in_flight = progress.in_flight,
            throttled = progress.throttled,
            requests = progress.requests,
            elapsed_ms = progress.elapsed.as_millis() as u64,
            remaining_ms = progress.remaining().map(|r| r.as_millis() as u64),
            finished = progress.finished,
            "job progress"
        );
        if let Some(callback) = &mut self.callback {
            callback(progress);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test(start_paused = true)]
    async fn reports_at_most_every_100_ms_then_once_at_the_end() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let mut reporter = Reporter::new(Some(Box::new(move |p: &Progress| log.lock().unwrap().push(p.done))));
        let start = Instant::now();
        let mut progress = Progress::default();
        for step in 1..=10usize {
            progress.done = step;
            reporter.changed(&progress, start + Duration::from_millis(step as u64 * 30));
        }
        // Reported at 30, 150 and 270 ms; the change at 300 ms held back until 370 ms.
        assert_eq!(*seen.lock().unwrap(), vec![1, 5, 9]);
        assert_eq!(reporter.due(), Some(start + Duration::from_millis(370)));
        reporter.catch_up(&progress, start + Duration::from_millis(369));
        assert_eq!(seen.lock().unwrap().len(), 3);
        reporter.catch_up(&progress, start + Duration::from_millis(370));
        assert_eq!(reporter.due(), None);
        progress.finished = true;
        reporter.finish(&progress, start + Duration::from_millis(371));
        assert_eq!(*seen.lock().unwrap(), vec![1, 5, 9, 10, 10]);
    }

    #[test]
    fn remaining_follows_the_observed_rate() {
        let progress = Progress { done: 25, total: Some(100), sent_done: 20, elapsed: Duration::from_secs(10), ..Progress::default() };
        // 0.5 s an item sent, 75 left.
        assert_eq!(progress.remaining(), Some(Duration::from_millis(37_500)));
        assert_eq!(Progress { total: None, ..progress.clone() }.remaining(), None);
        assert_eq!(Progress { sent_done: 0, ..progress }.remaining(), None);
    }
}
