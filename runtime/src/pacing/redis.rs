//! The budget of several processes: the same sliding log of start times as [`local`], kept in
//! a Redis sorted set and updated by one atomic script that reads Redis's own clock, so that
//! processes on different machines agree on what "now" is.
//!
//! [`local`]: super::local

use super::budget::{Budget, Turn};
use super::rate_limit::{RateLimit, Shared};
use crate::error::Error;
use ::redis::aio::MultiplexedConnection;
use ::redis::{AsyncConnectionConfig, Client, ErrorKind as RedisErrorKind, RedisError, Script};
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared as SharedFuture};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Duration;

/// The longest wait for a connection to Redis, and for the answer to one reservation: a Redis
/// that is down or unreachable fails the call instead of holding it.
pub(super) const TIMEOUT: Duration = Duration::from_secs(2);

/// How long a key outlives the last start time it holds, past the window (Redis's clock runs
/// both, so this only covers rounding).
const EXPIRY_MARGIN_MS: u64 = 1_000;

/// Reserves `ARGV[3]` start times under `KEYS[1]`, at the earliest instant `at` (Redis's clock,
/// microseconds) such that the window ending at `at` holds at most `ARGV[1]` starts, and
/// returns `{at - now, at}`.
///
/// The sorted set holds the reserved start times as scores, one member per start, never more
/// than `max` of them. Reservations are made in the order the scripts run, so `at` is never
/// earlier than the latest reservation; with `n` more at `at`, the `(max - n + 1)`-th latest
/// start must be at least a window before `at`. Starts a window or more before now constrain
/// nothing and are dropped, and the key expires a little after its latest start leaves the
/// window.
const RESERVE: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local key = KEYS[1]
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local member = ARGV[4]
local margin = tonumber(ARGV[5])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
redis.call('ZREMRANGEBYRANK', key, 0, -(max + 1))
local at = now
local latest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
if latest[2] then at = math.max(at, tonumber(latest[2])) end
local keep = max - n
if redis.call('ZCARD', key) > keep then
  local bound = redis.call('ZRANGE', key, -(keep + 1), -(keep + 1), 'WITHSCORES')
  at = math.max(at, tonumber(bound[2]) + window)
end
local args = {}
for i = 1, n do
  args[#args + 1] = at
  args[#args + 1] = member .. ':' .. i
  if #args >= 1000 or i == n then
    redis.call('ZADD', key, unpack(args))
    args = {}
  end
end
redis.call('ZREMRANGEBYRANK', key, 0, -(max + 1))
redis.call('PEXPIRE', key, math.ceil((at - now + window) / 1000) + margin)
return {at - now, at}
";

/// The script, its SHA-1 computed once: `EVALSHA`, and `EVAL` once per server that does not
/// know it yet.
static SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(RESERVE));

type Connecting = SharedFuture<BoxFuture<'static, Result<MultiplexedConnection, Error>>>;

/// The connection in use, or being made: one attempt shared by every caller that needs it, its
/// failure too. `generation` tells a stale failure from the current connection.
#[derive(Default)]
struct Slot {
    generation: u64,
    connection: Option<Connecting>,
}

/// A reservation made in Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Reservation {
    /// How long to wait before starting.
    pub(super) wait: Duration,
    /// The reserved start time, in microseconds of Redis's clock.
    pub(super) at_us: u64,
}

pub(super) struct RedisLog {
    client: Client,
    /// The Redis address without credentials, for messages.
    address: String,
    key: String,
    max: u32,
    window_us: u64,
    /// Makes this limiter's members unique among every process's.
    member: String,
    reservations: AtomicU64,
    slot: Arc<Mutex<Slot>>,
}

impl RedisLog {
    /// Parses the URL; connects on first use.
    pub(super) fn new(limit: &RateLimit, shared: &Shared) -> Result<RedisLog, Error> {
        if shared.key.is_empty() {
            return Err(Error::config("a shared rate limit needs a non-empty Redis key"));
        }
        let client = Client::open(shared.url.as_str())
            .map_err(|e| Error::config(format!("shared rate limit {:?}: the Redis URL is not valid ({})", shared.key, e)))?;
        let address = client.get_connection_info().addr().to_string();
        Ok(RedisLog {
            client,
            address,
            key: shared.key.clone(),
            max: limit.max,
            window_us: u64::try_from(limit.window.as_micros()).unwrap_or(u64::MAX).max(1),
            member: format!("{:016x}", fastrand::u64(..)),
            reservations: AtomicU64::new(0),
            slot: Arc::default(),
        })
    }

    /// Reserves `n` starts (at most `max`) in Redis, and says when they may begin.
    pub(super) async fn reserve(&self, n: u32) -> Result<Reservation, Error> {
        let n = n.clamp(1, self.max);
        let (generation, connecting) = self.connection();
        let mut connection = connecting.await?;
        let number = self.reservations.fetch_add(1, Ordering::Relaxed);
        let mut invocation = SCRIPT.key(&self.key);
        invocation.arg(self.max).arg(self.window_us).arg(n).arg(format!("{}.{number}", self.member)).arg(EXPIRY_MARGIN_MS);
        let answer: Result<(i64, i64), RedisError> = match tokio::time::timeout(TIMEOUT, invocation.invoke_async(&mut connection)).await {
            Ok(answer) => answer,
            Err(_) => {
                // A connection that stopped answering is not used again: the next call connects
                // afresh (and fails within the same bound if Redis is still away).
                self.forget(generation);
                return Err(Error::transport(
                    format!("shared rate limit {:?}: Redis at {} did not answer within {} s", self.key, self.address, TIMEOUT.as_secs()),
                    Elapsed,
                ));
            }
        };
        match answer {
            Ok((wait, at)) => {
                Ok(Reservation { wait: Duration::from_micros(u64::try_from(wait).unwrap_or(0)), at_us: u64::try_from(at).unwrap_or(0) })
            }
            Err(e) if e.is_timeout() => {
                self.forget(generation);
                Err(Error::transport(
                    format!("shared rate limit {:?}: Redis at {} did not answer within {} s", self.key, self.address, TIMEOUT.as_secs()),
                    e,
                ))
            }
            Err(e) => {
                let lost = e.is_io_error() || e.is_connection_dropped() || e.is_unrecoverable_error();
                if lost {
                    self.forget(generation);
                    Err(Error::transport(format!("shared rate limit {:?}: Redis at {}: {}", self.key, self.address, e), e))
                } else {
                    Err(Error::config(format!("shared rate limit {:?}: Redis refused the reservation: {}", self.key, e)).with_source(e))
                }
            }
        }
    }

    /// The current connection, or the attempt to make one (started here if there is none).
    fn connection(&self) -> (u64, Connecting) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(connecting) = &slot.connection {
            return (slot.generation, connecting.clone());
        }
        slot.generation += 1;
        let generation = slot.generation;
        let (client, address, key, shared_slot) = (self.client.clone(), self.address.clone(), self.key.clone(), self.slot.clone());
        let connecting: BoxFuture<'static, Result<MultiplexedConnection, Error>> = Box::pin(async move {
            let config = AsyncConnectionConfig::new().set_connection_timeout(Some(TIMEOUT)).set_response_timeout(Some(TIMEOUT));
            let result = match tokio::time::timeout(TIMEOUT, client.get_multiplexed_async_connection_with_config(&config)).await {
                Ok(Ok(connection)) => Ok(connection),
                Ok(Err(e)) => Err(connect_error(&key, &address, e)),
                Err(_) => Err(Error::transport(
                    format!("shared rate limit {key:?}: no connection to Redis at {address} within {} s", TIMEOUT.as_secs()),
                    Elapsed,
                )),
            };
            if result.is_err() {
                // The callers waiting on this attempt share its failure; the next one tries again.
                let mut slot = shared_slot.lock().unwrap_or_else(PoisonError::into_inner);
                if slot.generation == generation {
                    slot.connection = None;
                }
            }
            result
        });
        let connecting = connecting.shared();
        slot.connection = Some(connecting.clone());
        (generation, connecting)
    }

    /// Drops the connection of `generation`, if it is still the current one.
    fn forget(&self, generation: u64) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.generation == generation {
            slot.connection = None;
        }
    }
}

impl std::fmt::Debug for RedisLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The address without credentials: the URL may carry a password.
        f.debug_struct("RedisLog").field("key", &self.key).field("address", &self.address).field("max", &self.max).finish()
    }
}

impl Budget for RedisLog {
    fn take(&self, n: u32) -> Turn<'_> {
        Turn::Later(Box::pin(async move { self.reserve(n).await.map(|reservation| reservation.wait) }))
    }
}

/// A failed connection: wrong credentials and refused commands are the configuration's fault,
/// the rest is the network's.
fn connect_error(key: &str, address: &str, e: RedisError) -> Error {
    match e.kind() {
        RedisErrorKind::AuthenticationFailed => {
            Error::config(format!("shared rate limit {key:?}: Redis at {address} refused the credentials: {}", e)).with_source(e)
        }
        RedisErrorKind::InvalidClientConfig | RedisErrorKind::Server(_) | RedisErrorKind::Extension => {
            Error::config(format!("shared rate limit {key:?}: Redis at {address} refused the connection: {}", e)).with_source(e)
        }
        _ => Error::transport(format!("shared rate limit {key:?}: cannot connect to Redis at {address}: {}", e), e),
    }
}

/// The cause of a bounded wait that ran out.
#[derive(Debug)]
struct Elapsed;

impl std::fmt::Display for Elapsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no answer within {} s", TIMEOUT.as_secs())
    }
}

impl std::error::Error for Elapsed {}

#[cfg(test)]
#[path = "../../tests/support/redis_server.rs"]
mod redis_server;

#[cfg(test)]
mod tests {
    use super::redis_server::{RedisServer, free_port};
    use super::*;
    use crate::error::ErrorKind;
    use std::time::Instant;

    fn budget(max: u32, window: Duration, url: &str, key: &str) -> RedisLog {
        let limit = RateLimit::new(max, window).shared(url, key);
        RedisLog::new(&limit, limit.shared.as_ref().unwrap()).unwrap()
    }

    fn limiter(max: u32, window: Duration, url: &str, key: &str) -> RedisLog {
        log_of(&RateLimit::new(max, window).shared(url, key)).unwrap()
    }

    fn log_of(limit: &RateLimit) -> Result<RedisLog, Error> {
        RedisLog::new(limit, limit.shared.as_ref().unwrap())
    }

    /// What the client's limiter does for one request: takes a place, waits for its turn.
    async fn acquire(log: &RedisLog) -> Result<(), Error> {
        log.take(1).wait().await
    }

    /// The most starts (weighted) in any window of `window` that begins at a start.
    fn worst_window<T: Copy + Ord + std::ops::Add<D, Output = T>, D: Copy>(starts: &[(T, u32)], window: D) -> u32 {
        starts
            .iter()
            .map(|&(from, _)| starts.iter().filter(|&&(t, _)| t >= from && t < from + window).map(|&(_, n)| n).sum())
            .max()
            .unwrap_or(0)
    }

    /// Three limiters, as three processes would have, on one key: the reserved start times
    /// (Redis's clock) never hold more than `max` in any window, exactly; the starts as seen
    /// here hold no more than `max` in any window shorter by the scheduling jitter; and the
    /// pace is not slower than the limit.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn three_limiters_on_one_key_never_exceed_the_limit() {
        let server = RedisServer::start();
        let (max, window) = (20u32, Duration::from_millis(500));
        let budgets: Vec<Arc<RedisLog>> = (0..3).map(|_| Arc::new(budget(max, window, &server.url(), "graph:three"))).collect();
        let began = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for (b, budget) in budgets.iter().enumerate() {
            for task in 0..8 {
                let budget = budget.clone();
                tasks.spawn(async move {
                    let mut starts = Vec::new();
                    for round in 0..4 {
                        // Mostly single requests, some $batch-like groups.
                        let n = if (b + task + round) % 5 == 0 { 3 } else { 1 };
                        let reservation = budget.reserve(n).await.unwrap();
                        tokio::time::sleep(reservation.wait).await;
                        starts.push((reservation.at_us, Instant::now(), n));
                    }
                    starts
                });
            }
        }
        let mut starts = Vec::new();
        while let Some(done) = tasks.join_next().await {
            starts.extend(done.unwrap());
        }
        let elapsed = began.elapsed();
        let total: u32 = starts.iter().map(|&(_, _, n)| n).sum();
        let reserved: Vec<(u64, u32)> = starts.iter().map(|&(at, _, n)| (at, n)).collect();
        assert_eq!(
            worst_window(&reserved, window.as_micros() as u64),
            max,
            "reserved starts: at most {max} in any window, and full windows"
        );
        let jitter = Duration::from_millis(50);
        let seen: Vec<(Instant, u32)> = starts.iter().map(|&(_, at, n)| (at, n)).collect();
        let worst = worst_window(&seen, window - jitter);
        assert!(worst <= max, "{worst} starts seen within {:?}", window - jitter);
        // `total` starts need `ceil(total / max) - 1` windows after the first burst.
        let needed = window * (total.div_ceil(max) - 1);
        assert!(elapsed >= needed - jitter, "{total} starts in {elapsed:?}, faster than {needed:?}");
        assert!(elapsed <= needed + Duration::from_millis(600), "{total} starts in {elapsed:?}, much slower than {needed:?}");
    }

    /// The same rule as the local log, exactly: a full burst, then one window's wait.
    #[tokio::test]
    async fn a_full_burst_waits_exactly_one_window() {
        let server = RedisServer::start();
        let budget = budget(3, Duration::from_secs(1), &server.url(), "graph:burst");
        let first = budget.reserve(3).await.unwrap();
        assert_eq!(first.wait, Duration::ZERO);
        let at = |r: Reservation| r.at_us - first.at_us;
        assert_eq!(at(budget.reserve(1).await.unwrap()), 1_000_000);
        assert_eq!(at(budget.reserve(2).await.unwrap()), 1_000_000);
        let fourth = budget.reserve(1).await.unwrap();
        assert_eq!(at(fourth), 2_000_000);
        assert!(fourth.wait > Duration::from_millis(1_900) && fourth.wait <= Duration::from_secs(2), "{:?}", fourth.wait);
        // More than `max` at once counts as `max`; the set never holds more than `max`.
        assert_eq!(at(budget.reserve(10).await.unwrap()), 3_000_000);
        assert_eq!(server.integer(&["ZCARD", "graph:burst"]), 3);
    }

    #[tokio::test]
    async fn different_keys_do_not_interfere() {
        let server = RedisServer::start();
        let window = Duration::from_secs(10);
        let (a, b) = (budget(2, window, &server.url(), "graph:a"), budget(2, window, &server.url(), "graph:b"));
        assert_eq!(a.reserve(2).await.unwrap().wait, Duration::ZERO);
        assert_eq!(b.reserve(2).await.unwrap().wait, Duration::ZERO);
        let (a3, b3) = (a.reserve(1).await.unwrap(), b.reserve(1).await.unwrap());
        assert!(a3.wait > Duration::from_secs(9), "{:?}", a3.wait);
        assert!(b3.wait > Duration::from_secs(9), "{:?}", b3.wait);
        assert_eq!(server.integer(&["ZCARD", "graph:a"]), 2);
        assert_eq!(server.integer(&["ZCARD", "graph:b"]), 2);
    }

    #[tokio::test]
    async fn keys_expire() {
        let server = RedisServer::start();
        let window = Duration::from_millis(300);
        let budget = budget(5, window, &server.url(), "graph:expiring");
        budget.reserve(5).await.unwrap();
        let queued = budget.reserve(1).await.unwrap();
        let ttl = server.integer(&["PTTL", "graph:expiring"]);
        let most = (queued.wait + window).as_millis() as i64 + EXPIRY_MARGIN_MS as i64 + 1;
        assert!(ttl > window.as_millis() as i64 && ttl <= most, "PTTL {ttl} ms, expected up to {most}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.integer(&["EXISTS", "graph:expiring"]) == 1 {
            assert!(Instant::now() < deadline, "the key is still there");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(server.integer(&["DBSIZE"]), 0, "nothing left behind");
    }

    fn assert_clear(error: &Error, kind: ErrorKind, key: &str, secret: &str) {
        assert_eq!(error.kind(), kind, "{error}");
        let mut texts = vec![error.to_string(), format!("{error:?}")];
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            texts.extend([cause.to_string(), format!("{cause:?}")]);
            source = cause.source();
        }
        assert!(texts[0].contains(key), "the message names the key: {}", texts[0]);
        for text in texts {
            assert!(!text.contains(secret), "the password is shown: {text}");
        }
    }

    #[tokio::test]
    async fn a_dead_redis_fails_fast_and_clearly() {
        let url = format!("redis://:hunter2-secret@127.0.0.1:{}/", free_port());
        let limiter = limiter(10, Duration::from_secs(1), &url, "graph:dead");
        for _ in 0..2 {
            let began = Instant::now();
            let error = acquire(&limiter).await.unwrap_err();
            assert!(began.elapsed() < Duration::from_secs(1), "{:?}", began.elapsed());
            assert_clear(&error, ErrorKind::Transport, "graph:dead", "hunter2");
            assert!(error.message().contains("cannot connect to Redis at 127.0.0.1:"), "{error}");
        }
    }

    /// A server that accepts connections and never answers: every caller fails within the
    /// bound, together, not one after another.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_silent_redis_fails_within_the_bound() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let holder = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        let limiter = Arc::new(limiter(10, Duration::from_secs(1), &format!("redis://:hunter2-secret@127.0.0.1:{port}"), "graph:silent"));
        let began = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let limiter = limiter.clone();
            tasks.spawn(async move { acquire(&limiter).await });
        }
        while let Some(result) = tasks.join_next().await {
            assert_clear(&result.unwrap().unwrap_err(), ErrorKind::Transport, "graph:silent", "hunter2");
        }
        let elapsed = began.elapsed();
        assert!(elapsed >= TIMEOUT - Duration::from_millis(100) && elapsed < TIMEOUT + Duration::from_secs(1), "{elapsed:?}");
        holder.abort();
    }

    /// A server that stops answering after the connection is made: the reservation fails
    /// within the bound, and so does the next one, on a new connection.
    #[tokio::test]
    async fn a_redis_that_stops_answering_fails_within_the_bound() {
        let server = RedisServer::start();
        let limiter = limiter(10, Duration::from_secs(1), &server.url(), "graph:paused");
        acquire(&limiter).await.unwrap();
        server.pause();
        for expected in ["did not answer within 2 s", "cannot connect to Redis"] {
            let began = Instant::now();
            let error = acquire(&limiter).await.unwrap_err();
            let elapsed = began.elapsed();
            assert!(elapsed >= TIMEOUT - Duration::from_millis(100) && elapsed < TIMEOUT + Duration::from_secs(1), "{elapsed:?}");
            assert_clear(&error, ErrorKind::Transport, "graph:paused", "hunter2");
            assert!(error.message().contains(expected), "{error}");
        }
        server.resume();
        acquire(&limiter).await.unwrap();
    }

    #[tokio::test]
    async fn credentials_are_used_and_never_shown() {
        let server = RedisServer::with_password("right-hunter2");
        let good = limiter(10, Duration::from_secs(1), &server.url(), "graph:auth");
        acquire(&good).await.unwrap();
        assert_eq!(server.integer(&["ZCARD", "graph:auth"]), 1);

        let wrong =
            RateLimit::new(10, Duration::from_secs(1)).shared(format!("redis://:wrong-hunter2@127.0.0.1:{}/", server.port()), "graph:auth");
        assert!(!format!("{wrong:?}").contains("hunter2"), "{wrong:?}");
        let limiter = log_of(&wrong).unwrap();
        assert!(!format!("{limiter:?}").contains("hunter2"), "{limiter:?}");
        let error = acquire(&limiter).await.unwrap_err();
        assert_clear(&error, ErrorKind::Config, "graph:auth", "hunter2");
    }

    #[tokio::test]
    async fn a_key_of_another_type_is_a_config_error() {
        let server = RedisServer::start();
        assert_eq!(server.command(&["SET", "graph:taken", "something else"]), "+OK");
        let error = acquire(&limiter(10, Duration::from_secs(1), &server.url(), "graph:taken")).await.unwrap_err();
        assert_clear(&error, ErrorKind::Config, "graph:taken", "hunter2");
        assert!(error.message().contains("WRONGTYPE"), "{error}");
    }

    /// A Redis that goes away fails the calls; once it is back, the next call reconnects.
    #[tokio::test]
    async fn a_redis_that_comes_back_is_used_again() {
        let server = RedisServer::start();
        let port = server.port();
        let limiter = limiter(100, Duration::from_secs(1), &server.url(), "graph:back");
        acquire(&limiter).await.unwrap();
        drop(server);
        let began = Instant::now();
        let error = acquire(&limiter).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
        assert!(began.elapsed() < TIMEOUT + Duration::from_millis(500), "{:?}", began.elapsed());
        let server = RedisServer::on_port(port);
        // The call that notices the old connection is gone may fail too; the one after connects.
        let mut outcomes = Vec::new();
        for _ in 0..2 {
            outcomes.push(acquire(&limiter).await);
            if outcomes.last().unwrap().is_ok() {
                break;
            }
        }
        assert!(outcomes.last().unwrap().is_ok(), "{outcomes:?}");
        assert_eq!(server.integer(&["ZCARD", "graph:back"]), 1);
    }

    #[test]
    fn an_invalid_url_or_key_fails_when_the_client_is_built() {
        for url in ["not a url", "http://127.0.0.1:6379", "redis://:hunter2@/"] {
            let error = log_of(&RateLimit::new(1, Duration::from_secs(1)).shared(url, "graph:url")).unwrap_err();
            assert_clear(&error, ErrorKind::Config, "graph:url", "hunter2");
        }
        let error = log_of(&RateLimit::new(1, Duration::from_secs(1)).shared("redis://127.0.0.1", "")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config);
        assert!(log_of(&RateLimit::new(1, Duration::from_secs(1)).shared("rediss://cache.example.net:6380", "k")).is_ok());
    }
}
