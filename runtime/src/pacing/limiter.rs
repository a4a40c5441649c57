//! A client's rate limiter: its [`RateLimit`]'s budgets, which of them a request needs, and
//! how it takes its places in them at the moment it is sent.
//!
//! A request needs one budget (a plain limit), or for [`RateLimit::intune`] two per workload
//! (its writes, and all its requests). It queues at the head of each budget it needs, in a
//! fixed order (so that two requests never wait for each other), waiting at each until that
//! budget has room; holding every head, it checks that the client's gate is still open and
//! counts its places, then goes. Nothing is counted for a caller that gives up, and with a
//! shared budget, places are taken in Redis only when they are free now (never ahead), so a
//! process that dies leaves behind only the requests it really sent.

use super::budget::Budget;
use super::intune;
use super::key::{Kind, Load};
use super::rate_limit::RateLimit;
use crate::deadline::within;
use crate::error::Error;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// Intune's two budgets of a workload (its writes, all its requests); `None` for a route
/// outside Intune's workloads.
type WorkloadBudgets = Option<Arc<[Arc<Budget>; 2]>>;

/// What a client's limit is made of.
enum Plan {
    /// One budget for every counted request.
    One { budget: Arc<Budget>, writes_only: bool },
    /// Intune's budgets, made for each workload as it is first seen: its writes, its requests.
    PerWorkload { window: Duration, budgets: Mutex<HashMap<&'static str, WorkloadBudgets>> },
}

/// How an attempt's turn with the limiter ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Turn {
    /// Its places are counted: it goes now. `waited`: it did not get them at once.
    Go { waited: bool },
    /// The gate closed while it waited: nothing is counted; it waits for the gate again.
    GateClosed,
}

/// A client's limiter, built from its [`RateLimit`].
pub(super) struct Limiter {
    plan: Plan,
    #[cfg(feature = "redis")]
    shared: Option<super::redis::RedisLog>,
}

impl Limiter {
    pub(super) fn new(limit: &RateLimit) -> Result<Limiter, Error> {
        limit.check()?;
        #[cfg(feature = "redis")]
        let shared = limit.shared.as_ref().map(super::redis::RedisLog::new).transpose()?;
        #[cfg(not(feature = "redis"))]
        if limit.shared.is_some() {
            return Err(Error::config("a shared rate limit needs the crate's `redis` feature"));
        }
        let window = limit.kept_window();
        let plan = if limit.per_workload {
            Plan::PerWorkload { window, budgets: Mutex::default() }
        } else {
            Plan::One { budget: Arc::new(Budget::new(limit.max, window, String::new())), writes_only: limit.writes_only }
        };
        Ok(Limiter {
            plan,
            #[cfg(feature = "redis")]
            shared,
        })
    }

    /// The budgets `load` needs, each with how many of its requests count there, in the order
    /// they are queued for.
    fn needs(&self, load: Load<'_>) -> Vec<(Arc<Budget>, u32)> {
        match &self.plan {
            Plan::One { budget, writes_only } => {
                let n = if *writes_only { load.count(Kind::Write) } else { load.len() };
                if n == 0 { Vec::new() } else { vec![(budget.clone(), n)] }
            }
            Plan::PerWorkload { window, budgets } => {
                let mut needs: Vec<(&'static str, usize, Arc<Budget>, u32)> = Vec::new();
                let mut known = budgets.lock().unwrap_or_else(PoisonError::into_inner);
                for key in load.keys() {
                    let workload = key.workload.as_str();
                    let pair = known.entry(workload).or_insert_with(|| {
                        intune::budgets(workload).map(|b| {
                            Arc::new([
                                Arc::new(Budget::new(b.writes, *window, format!(":{workload}:writes"))),
                                Arc::new(Budget::new(b.requests, *window, format!(":{workload}:requests"))),
                            ])
                        })
                    });
                    let Some(pair) = pair else { continue };
                    let classes: &[usize] = if key.kind == Kind::Write { &[0, 1] } else { &[1] };
                    for &class in classes {
                        match needs.iter_mut().find(|(w, c, _, _)| *w == workload && *c == class) {
                            Some(need) => need.3 += 1,
                            None => needs.push((workload, class, pair[class].clone(), 1)),
                        }
                    }
                }
                // One order for every caller: by workload, its writes before its requests.
                needs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
                needs.into_iter().map(|(_, _, budget, n)| (budget, n)).collect()
            }
        }
    }

    /// The most requests of one `$batch` that may start at one instant.
    pub(super) fn max_burst(&self) -> u32 {
        match &self.plan {
            Plan::One { budget, .. } => budget.max,
            Plan::PerWorkload { .. } => intune::WRITES,
        }
    }

    /// Waits for the places `load` needs, and takes them if the gate (`open`) is still open
    /// then. A caller dropped while it waits has taken nothing. A place free only after
    /// `deadline` (the end of the call's `max_total`) is an error at once, not a wait.
    pub(super) async fn take(&self, load: Load<'_>, open: impl Fn() -> bool, deadline: Option<Instant>) -> Result<Turn, Error> {
        let needs = self.needs(load);
        if needs.is_empty() {
            return Ok(Turn::Go { waited: false });
        }
        let began = Instant::now();
        let mut heads = Vec::with_capacity(needs.len());
        let mut scheduled = began;
        // Whether it slept for a place: then what the caller prepared before (its token) is
        // taken again.
        let mut waited = false;
        for (budget, n) in &needs {
            // Waiting in line is cancel-safe: nothing is counted until every head is held.
            let head = within(deadline, budget.head()).await.ok_or_else(|| past_deadline("the rate limit", Duration::ZERO))?;
            heads.push(head);
            if !self.is_shared() {
                let at = budget.free_at(*n, Instant::now());
                if let Some(deadline) = deadline
                    && at > deadline
                {
                    return Err(past_deadline("the rate limit", at - Instant::now()));
                }
                if at > Instant::now() {
                    scheduled = scheduled.max(at);
                    tokio::time::sleep_until(at).await;
                    waited = true;
                }
            }
        }
        if !open() {
            return Ok(Turn::GateClosed);
        }
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            while let Some(wait) = shared.take(&needs).await? {
                if let Some(deadline) = deadline
                    && Instant::now() + wait > deadline
                {
                    return Err(past_deadline(&format!("shared rate limit {:?}", shared.key()), wait));
                }
                tokio::time::sleep(wait).await;
                waited = true;
                if !open() {
                    return Ok(Turn::GateClosed);
                }
            }
            return Ok(Turn::Go { waited });
        }
        let now = Instant::now();
        let slot = if scheduled > began { scheduled } else { now };
        for (budget, n) in &needs {
            budget.record(*n, slot, now);
        }
        drop(heads);
        Ok(Turn::Go { waited })
    }

    fn is_shared(&self) -> bool {
        #[cfg(feature = "redis")]
        return self.shared.is_some();
        #[cfg(not(feature = "redis"))]
        false
    }
}

/// A place that frees only after the call's `max_total` (`wait` from now; zero: the call
/// ran out waiting in line): nothing was sent.
fn past_deadline(limit: &str, wait: Duration) -> Error {
    if wait.is_zero() {
        return Error::timeout(format!("{limit}: the call's max_total ran out while it waited in line for a place; not sent"));
    }
    Error::timeout(format!(
        "{limit}: the next place frees in {:.3} s, after the call's max_total has run out; not sent",
        wait.as_secs_f64()
    ))
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.plan {
            Plan::One { budget, writes_only } => f
                .debug_struct("Limiter")
                .field("max", &budget.max)
                .field("window", &budget.window)
                .field("writes_only", writes_only)
                .finish(),
            Plan::PerWorkload { window, .. } => f.debug_struct("Limiter").field("per_workload", &"intune").field("window", window).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::key::{Key, Workload};
    use super::*;

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

    fn keys(template: &'static str) -> (Key, Key) {
        let workload = Workload::of(template);
        (Key { kind: Kind::Read, workload }, Key { kind: Kind::Write, workload })
    }

    async fn go(limiter: &Limiter, load: Load<'_>) {
        assert!(matches!(limiter.take(load, || true, None).await.unwrap(), Turn::Go { .. }));
    }

    #[tokio::test(start_paused = true)]
    async fn reads_pass_a_writes_only_limit_and_more_than_the_limit_counts_as_the_limit() {
        let limiter = Limiter::new(&RateLimit::new(1, Duration::from_secs(60)).writes_only()).unwrap();
        let (read, write) = keys("/deviceManagement/managedDevices/{managedDeviceId}");
        let began = Instant::now();
        go(&limiter, Load::One(write)).await;
        go(&limiter, Load::One(read)).await;
        assert_eq!(began.elapsed(), Duration::ZERO);
        go(&limiter, Load::Items(&[read, write, write])).await;
        // One window and its margin (2 %, 1.2 s).
        assert_eq!(began.elapsed(), Duration::from_millis(61_200));
    }

    #[tokio::test(start_paused = true)]
    async fn intune_budgets_are_per_workload_and_reads_have_their_own() {
        let limiter = Limiter::new(&RateLimit::intune().with_window(Duration::from_secs(2))).unwrap();
        let (config_read, config_write) = keys("/deviceManagement/deviceConfigurations/{id}");
        let (_, device_write) = keys("/deviceManagement/managedDevices/{id}");
        let (_, user_write) = keys("/users/{id}");
        let began = Instant::now();
        for _ in 0..100 {
            go(&limiter, Load::One(config_write)).await;
        }
        // Other workloads, reads of the same one, and routes outside Intune are not held back.
        for _ in 0..200 {
            go(&limiter, Load::One(device_write)).await;
        }
        go(&limiter, Load::Items(&[config_read; 20])).await;
        go(&limiter, Load::One(user_write)).await;
        assert_eq!(began.elapsed(), Duration::ZERO);
        go(&limiter, Load::One(config_write)).await;
        assert_eq!(began.elapsed(), Duration::from_millis(2_040));
        go(&limiter, Load::One(device_write)).await;
        assert_eq!(began.elapsed(), Duration::from_millis(2_040));
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_gives_up_takes_nothing() {
        let limiter = Arc::new(Limiter::new(&RateLimit::new(2, Duration::from_secs(10))).unwrap());
        let (_, write) = keys("/users/{id}");
        go(&limiter, Load::Items(&[write, write])).await;
        let mut waiting = Vec::new();
        for _ in 0..40 {
            let limiter = limiter.clone();
            waiting.push(tokio::spawn(async move { limiter.take(Load::One(write), || true, None).await }));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        for task in waiting {
            task.abort();
        }
        let began = Instant::now();
        go(&limiter, Load::One(write)).await;
        // The next caller waits only for the window of the two that were sent.
        assert_eq!(began.elapsed(), Duration::from_millis(9_200));
    }

    #[tokio::test(start_paused = true)]
    async fn a_place_past_the_deadline_is_an_error_at_once_and_takes_nothing() {
        let limiter = Limiter::new(&RateLimit::new(1, Duration::from_secs(60))).unwrap();
        let (_, write) = keys("/users/{id}");
        go(&limiter, Load::One(write)).await;
        let began = Instant::now();
        let error = limiter.take(Load::One(write), || true, Some(began + Duration::from_secs(30))).await.unwrap_err();
        assert_eq!(began.elapsed(), Duration::ZERO);
        assert_eq!(error.kind(), crate::ErrorKind::Timeout);
        assert!(error.message().contains("max_total"), "{error}");
        // Within the deadline, it waits and goes.
        let turn = limiter.take(Load::One(write), || true, Some(began + Duration::from_secs(120))).await.unwrap();
        assert_eq!(turn, Turn::Go { waited: true });
        assert_eq!(began.elapsed(), Duration::from_millis(61_200));
    }

    #[tokio::test(start_paused = true)]
    async fn a_gate_that_closed_meanwhile_takes_nothing() {
        let limiter = Limiter::new(&RateLimit::new(1, Duration::from_secs(1))).unwrap();
        let (_, write) = keys("/users/{id}");
        assert_eq!(limiter.take(Load::One(write), || false, None).await.unwrap(), Turn::GateClosed);
        assert_eq!(limiter.take(Load::One(write), || true, None).await.unwrap(), Turn::Go { waited: false });
    }
}
