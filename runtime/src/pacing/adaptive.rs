//! Adaptive pacing: the rate Graph admits, learned from its `429`/`503` answers, per kind
//! (reads, writes) and workload, and kept under, probing upward again over time.
//!
//! # The algorithm
//!
//! Nothing is paced until Graph throttles. Until then, each key (kind and workload) only counts
//! the answers it gets (an observation period starts at its first answer, and again after a
//! quiet minute).
//!
//! - **First throttle: a rate estimated from admissions.** Graph's budgets are counts per
//!   window, and its `Retry-After` says when the budget frees again. If `a` requests were
//!   admitted since the period began at `t0`, and at `t` Graph asks to wait `r`, then Graph
//!   admits about `a` requests per `t - t0 + r`: for a fixed window that is exactly its
//!   budget over its length (the period began with the window, and `r` reaches its end); for
//!   a sliding one, the same. Answers to requests sent before the throttle that come after
//!   it (until its `Retry-After` has passed) were admitted in the same window: each adds to
//!   the estimate. The key is paced from then on at that rate, less 5 %.
//! - **Pacing: even spacing.** Requests of a paced key start one every `1 / rate`, in the order
//!   they asked (a `$batch` of `n` counts `n`), so that arrivals are spread over the window
//!   instead of released as bursts that a sliding window, or a window that the burst
//!   straddles, would throttle. The key's window, the unit of time of the probing below, is
//!   taken as the longest `Retry-After` it has been given (a burst's first throttle asks to
//!   wait about a whole window), at least 100 ms and at most a minute.
//! - **Probing: multiplicative increase.** The rate grows by 2 % per window while Graph admits
//!   everything, so that a rate learned under a passing load, an underestimate, or a budget
//!   Graph has raised is found again: from 95 % back to 100 % takes about 2.5 windows.
//! - **Decrease: multiplicative.** A later throttle sets the rate to 95 % of the lower of the
//!   current rate and the rate measured since the previous throttle (another process may
//!   share the budget), once per episode: throttled answers to requests already in flight
//!   when the first one came (until its `Retry-After` has passed) do not lower it again.
//!
//! Why this and not plain AIMD on a window of requests: Graph's budgets are rates over long
//! windows (20 s for Intune) with no signal until one is exceeded, and every throttled request
//! counts against the budget, so the first estimate must be close (a window's admissions give
//! it at once, where additive increase from a guess would take many windows of 429s), and the
//! pacing must be smooth (bursts spaced a window apart meet the expiring edge of a sliding
//! window). Measured against a loopback stand-in (benches/throttle.rs): a few throttled
//! requests per probe, no losses; see BENCHMARKS.md.
//!
//! The learned rate is this client's own (its clones share it). It is not kept in Redis with a
//! shared [`RateLimit`](super::RateLimit): the shared budget already keeps the processes
//! together under the limit the user states; a rate learned by one process reflects what
//! Graph admits while the others send, and each process lowers its own rate when it is
//! throttled, so together they settle under Graph's budget without exchanging anything.

use super::budget::later;
use super::key::{Key, Load};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Mutex as Queue;
use tokio::time::Instant;

/// The rate kept: this share of the rate measured, or of the rate that was throttled.
const BACK_OFF: f64 = 0.95;
/// How much the rate grows per window while nothing is throttled.
const GROWTH: f64 = 0.02;
/// The window, when Graph's answers cannot tell it: at least this, at most the longest.
const SHORTEST_WINDOW: Duration = Duration::from_millis(100);
const LONGEST_WINDOW: Duration = Duration::from_secs(60);
/// An observation period older than this starts again: admissions long ago say nothing of
/// Graph's window now.
const PERIOD: Duration = Duration::from_secs(60);
/// The wait assumed for a throttle without `Retry-After`.
const UNSAID: Duration = Duration::from_secs(1);
/// The slowest rate kept (requests per second): one per minute.
const SLOWEST: f64 = 1.0 / 60.0;
/// A rate grown this far above the last one throttled is no longer a constraint.
const FREE_AFTER: f64 = 64.0;

/// What one key has seen and learned.
#[derive(Debug)]
struct State {
    /// The observation period: since when, how many admitted.
    since: Option<Instant>,
    admitted: u32,
    /// The rate learned at the last throttle (requests per second), when paced.
    rate: Option<f64>,
    /// When it was learned, and over what window the rate grows.
    learned_at: Instant,
    window: Duration,
    /// Throttles before this instant belong to the episode already heard.
    quiet_until: Instant,
    /// The span the rate was measured over, while answers to requests sent before the
    /// throttle may still come (until `quiet_until`): each adds to the rate.
    measured_over: Option<Duration>,
    /// The earliest start of the next request.
    next: Instant,
}

impl State {
    /// The rate now: the learned rate, grown since it was learned.
    fn rate_at(&self, now: Instant) -> Option<f64> {
        let rate = self.rate?;
        let windows = now.saturating_duration_since(self.learned_at).as_secs_f64() / self.window.as_secs_f64();
        let grown = rate * (1.0 + GROWTH).powf(windows.min(1_000.0));
        (grown < rate * FREE_AFTER).then_some(grown)
    }
}

/// One key's queue and state.
#[derive(Debug)]
struct Lane {
    queue: Queue<()>,
    state: Mutex<State>,
}

impl Lane {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A client's adaptive pacer.
#[derive(Debug, Default)]
pub(super) struct Adaptive {
    lanes: Mutex<HashMap<Key, Arc<Lane>>>,
    /// Whether any key has been throttled: until then, nothing waits here.
    learned: AtomicBool,
}

impl Adaptive {
    fn lane(&self, key: Key, now: Instant) -> Arc<Lane> {
        let mut lanes = self.lanes.lock().unwrap_or_else(PoisonError::into_inner);
        lanes
            .entry(key)
            .or_insert_with(|| {
                let state = State {
                    since: None,
                    admitted: 0,
                    rate: None,
                    learned_at: now,
                    window: SHORTEST_WINDOW,
                    quiet_until: now,
                    measured_over: None,
                    next: now,
                };
                Arc::new(Lane { queue: Queue::new(()), state: Mutex::new(state) })
            })
            .clone()
    }

    /// Hears that a request of `key` was admitted (answered, not throttled).
    pub(super) fn admitted(&self, key: Key) {
        let now = Instant::now();
        let lane = self.lane(key, now);
        let mut state = lane.state();
        if now < state.quiet_until
            && let (Some(span), Some(rate)) = (state.measured_over, state.rate)
        {
            // The answer to a request sent before the throttle: it was admitted in the
            // window the rate was measured over (its answer was only slower than the 429's).
            state.rate = Some(rate + BACK_OFF / span.as_secs_f64().max(1e-3));
            return;
        }
        match state.since {
            Some(since) if now.saturating_duration_since(since) <= PERIOD => {}
            // A new period: its first admission starts it.
            _ => (state.since, state.admitted) = (Some(now), 0),
        }
        state.admitted = state.admitted.saturating_add(1);
    }

    /// Hears that a request of `key` was throttled, Graph asking to wait `retry_after`.
    pub(super) fn throttled(&self, key: Key, retry_after: Option<Duration>) {
        let now = Instant::now();
        let lane = self.lane(key, now);
        let mut state = lane.state();
        if now < state.quiet_until {
            return;
        }
        let wait = retry_after.unwrap_or(UNSAID);
        let measured = state.since.filter(|_| state.admitted > 0).map(|since| {
            let span = now.saturating_duration_since(since).saturating_add(wait);
            (state.admitted as f64 / span.as_secs_f64().max(1e-3), span)
        });
        let current = state.rate_at(now);
        let rate = match (current, measured) {
            (Some(current), Some((measured, _))) => current.min(measured),
            (Some(current), None) => current,
            (None, Some((measured, _))) => measured,
            // Throttled before anything was admitted: nothing to estimate from yet.
            (None, None) => return,
        };
        // Graph's window is at least the longest wait it asked for (a fixed window's remainder,
        // a burst's whole window), and only that is known of it.
        state.window = state.window.max(wait).clamp(SHORTEST_WINDOW, LONGEST_WINDOW);
        state.measured_over = measured.filter(|&(measured, _)| current.is_none_or(|current| measured <= current)).map(|(_, span)| span);
        let rate = (rate * BACK_OFF).max(SLOWEST);
        tracing::debug!(kind = key.kind.as_str(), workload = key.workload.as_str(), rate, "throttled: pacing at the rate Graph admits");
        state.rate = Some(rate);
        state.learned_at = later(now, wait);
        state.quiet_until = later(now, wait);
        // The next period starts when Graph admits again.
        (state.since, state.admitted) = (None, 0);
        self.learned.store(true, Ordering::Relaxed);
    }

    /// Waits for the turn of `load`'s requests at the learned rates: one key after another in
    /// a fixed order, each starting `n / rate` after the previous start of its key. A caller
    /// dropped while it waits has taken no turn. Returns whether it waited (for another
    /// caller's turn or for its own).
    pub(super) async fn pace(&self, load: Load<'_>) -> bool {
        if !self.learned.load(Ordering::Relaxed) {
            return false;
        }
        let mut waited = false;
        let mut keys: Vec<(Key, u32)> = Vec::new();
        for key in load.keys() {
            match keys.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 += 1,
                None => keys.push((*key, 1)),
            }
        }
        keys.sort_by_key(|(key, _)| (key.workload.as_str(), key.kind.as_str()));
        let lanes: Vec<(Arc<Lane>, u32)> = keys.iter().map(|(key, n)| (self.lane(*key, Instant::now()), *n)).collect();
        let mut heads = Vec::with_capacity(lanes.len());
        for (lane, n) in &lanes {
            let head = match lane.queue.try_lock() {
                Ok(head) => head,
                Err(_) => {
                    waited = true;
                    lane.queue.lock().await
                }
            };
            heads.push(head);
            loop {
                let now = Instant::now();
                let (rate, next) = {
                    let state = lane.state();
                    (state.rate_at(now), state.next)
                };
                let Some(rate) = rate else { break };
                if next <= now {
                    let spacing = Duration::from_secs_f64((f64::from(*n) / rate).min(LONGEST_WINDOW.as_secs_f64()));
                    // Spaced from the turn it waited for, not from when the timer woke it (a
                    // millisecond later at the timer's resolution, more on a busy machine), so
                    // that the pace does not drift below the rate; a key behind its turns
                    // catches up by eight spacings at most, and one that was idle gets no
                    // credit for it.
                    let base = next.max(now.checked_sub(spacing.saturating_mul(8)).unwrap_or(now));
                    lane.state().next = later(base, spacing);
                    break;
                }
                tokio::time::sleep_until(next).await;
                waited = true;
            }
        }
        waited
    }
}

#[cfg(test)]
mod tests {
    use super::super::key::Workload;
    use super::*;

    fn write() -> Key {
        Key::of(&http::Method::PATCH, "/deviceManagement/deviceConfigurations/{id}")
    }

    #[tokio::test(start_paused = true)]
    async fn nothing_waits_until_graph_throttles() {
        let adaptive = Adaptive::default();
        let began = Instant::now();
        for _ in 0..1_000 {
            adaptive.admitted(write());
            adaptive.pace(Load::One(write())).await;
        }
        assert_eq!(began.elapsed(), Duration::ZERO);
    }

    /// 100 admitted at once, then Graph asks to wait 2 s: 100 per 2 s, kept at 95 % of it,
    /// requests spaced evenly; other keys are not paced.
    #[tokio::test(start_paused = true)]
    async fn the_first_throttle_sets_the_rate_from_the_admissions() {
        let adaptive = Adaptive::default();
        for _ in 0..100 {
            adaptive.admitted(write());
        }
        adaptive.throttled(write(), Some(Duration::from_secs(2)));
        // The same episode: no second decrease.
        adaptive.throttled(write(), Some(Duration::from_secs(2)));
        let rate = adaptive.lane(write(), Instant::now()).state().rate.unwrap();
        assert!((rate - 47.5).abs() < 0.01, "{rate}");
        let read = Key { kind: super::super::key::Kind::Read, workload: Workload::of("/deviceManagement/deviceConfigurations") };
        let began = Instant::now();
        adaptive.pace(Load::One(read)).await;
        assert_eq!(began.elapsed(), Duration::ZERO);
        for _ in 0..95 {
            adaptive.pace(Load::One(write())).await;
        }
        // 94 spacings of 1 / 47.5 s.
        let elapsed = began.elapsed().as_secs_f64();
        assert!((elapsed - 94.0 / 47.5).abs() < 0.001, "{elapsed}");
    }

    /// Answers to requests sent before the throttle, slower than the 429, count in the window
    /// the rate was measured over.
    #[tokio::test(start_paused = true)]
    async fn late_answers_of_the_measured_window_add_to_the_rate() {
        let adaptive = Adaptive::default();
        for _ in 0..60 {
            adaptive.admitted(write());
        }
        adaptive.throttled(write(), Some(Duration::from_secs(2)));
        for _ in 0..40 {
            adaptive.admitted(write());
        }
        let rate = adaptive.lane(write(), Instant::now()).state().rate.unwrap();
        assert!((rate - 47.5).abs() < 0.01, "{rate}");
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_grows_until_throttled_again_then_backs_off() {
        let adaptive = Adaptive::default();
        for _ in 0..100 {
            adaptive.admitted(write());
        }
        adaptive.throttled(write(), Some(Duration::from_secs(2)));
        let lane = adaptive.lane(write(), Instant::now());
        tokio::time::sleep(Duration::from_secs(2 + 10)).await;
        let grown = lane.state().rate_at(Instant::now()).unwrap();
        // Five windows of 2 s at 2 % each.
        assert!((grown - 47.5 * 1.02f64.powi(5)).abs() < 0.01, "{grown}");
        for _ in 0..500 {
            adaptive.admitted(write());
        }
        adaptive.throttled(write(), Some(Duration::from_millis(20)));
        let rate = lane.state().rate.unwrap();
        assert!((rate - grown * 0.95).abs() < 0.01, "{rate}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_gives_up_takes_no_turn() {
        let adaptive = Arc::new(Adaptive::default());
        adaptive.admitted(write());
        adaptive.throttled(write(), Some(Duration::from_millis(950)));
        // 0.95 per second: one start every ~1.05 s.
        adaptive.pace(Load::One(write())).await;
        let waiting: Vec<_> = (0..10)
            .map(|_| {
                let adaptive = adaptive.clone();
                tokio::spawn(async move { adaptive.pace(Load::One(write())).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        waiting.iter().for_each(|task| task.abort());
        let began = Instant::now();
        adaptive.pace(Load::One(write())).await;
        assert!(began.elapsed() < Duration::from_secs(1), "{:?}", began.elapsed());
    }
}
