//! The shared budget against a real `redis-server` (started by the tests on a free loopback
//! port): the script's log alone, and the client's limiter on it as several processes would
//! use it.

#[path = "../../tests/support/redis_server.rs"]
mod redis_server;

use super::budget::Budget;
use super::key::{Key, Load};
use super::limiter::{Limiter, Turn};
use super::rate_limit::RateLimit;
use super::redis::{EXPIRY_MARGIN_MS, RedisLog, TIMEOUT};
use crate::error::{Error, ErrorKind};
use redis_server::{RedisServer, free_port};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn limiter(max: u32, window: Duration, url: &str, key: &str) -> RedisLog {
    log_of(&RateLimit::new(max, window).shared(url, key)).unwrap()
}

fn log_of(limit: &RateLimit) -> Result<RedisLog, Error> {
    RedisLog::new(limit.shared.as_ref().unwrap())
}

/// A budget of `max` per `window` exactly (no margin), named as the whole key.
fn whole(max: u32, window: Duration) -> Vec<(Arc<Budget>, u32)> {
    vec![(Arc::new(Budget::new(max, window, String::new())), 1)]
}

fn of(needs: &[(Arc<Budget>, u32)], n: u32) -> Vec<(Arc<Budget>, u32)> {
    needs.iter().map(|(budget, _)| (budget.clone(), n)).collect()
}

/// What the client's limiter does for one request with a budget of 10 per second.
async fn acquire(log: &RedisLog) -> Result<(), Error> {
    log.take(&whole(10, Duration::from_secs(1))).await.map(drop)
}

/// The client's whole limiter on a shared key.
fn shared_limiter(max: u32, window: Duration, url: &str, key: &str) -> Limiter {
    Limiter::new(&RateLimit::new(max, window).shared(url, key)).unwrap()
}

async fn go(limiter: &Limiter) {
    let key = Key::of(&http::Method::PATCH, "/deviceManagement/managedDevices/{id}");
    let turn = limiter.take(Load::One(key), || true, None).await.unwrap();
    assert!(matches!(turn, Turn::Go { .. }));
}

/// The most starts in any window of `window` that begins at a start.
fn worst_window(starts: &[Instant], window: Duration) -> usize {
    starts.iter().map(|&from| starts.iter().filter(|&&t| t >= from && t < from + window).count()).max().unwrap_or(0)
}

/// Three limiters, as three processes would have, on one key: the starts as seen here
/// hold no more than `max` in any window shorter by the scheduling jitter, and the pace is
/// not slower than the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_limiters_on_one_key_never_exceed_the_limit() {
    let server = RedisServer::start();
    let (max, window) = (20u32, Duration::from_millis(500));
    let limiters: Vec<_> = (0..3).map(|_| Arc::new(shared_limiter(max, window, &server.url(), "graph:three"))).collect();
    let began = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for limiter in &limiters {
        for _ in 0..8 {
            let limiter = limiter.clone();
            tasks.spawn(async move {
                let mut starts = Vec::new();
                for _ in 0..4 {
                    go(&limiter).await;
                    starts.push(Instant::now());
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
    // Starts are seen here, after Redis granted them: a loaded machine spreads them by its
    // scheduling delays, which a fifth of the window covers (Redis itself never holds more
    // than `max`, checked last).
    let jitter = window / 5;
    let worst = worst_window(&starts, window - jitter);
    assert!(worst <= max as usize, "{worst} starts seen within {:?}", window - jitter);
    // 96 starts at 20 per window: four windows after the first burst.
    let needed = window * (starts.len() as u32).div_ceil(max).saturating_sub(1);
    assert!(elapsed >= needed - jitter, "{} starts in {elapsed:?}, faster than {needed:?}", starts.len());
    assert!(elapsed <= needed + window * 4, "{} starts in {elapsed:?}, much slower than {needed:?}", starts.len());
    assert!(server.integer(&["ZCARD", "graph:three"]) <= i64::from(max));
}

/// Places are taken when free, all or none, and never ahead: a full budget answers how
/// long until a place frees, and takes nothing.
#[tokio::test]
async fn places_are_taken_when_free_and_never_ahead() {
    let server = RedisServer::start();
    let log = limiter(3, Duration::from_secs(1), &server.url(), "graph:burst");
    let budget = whole(3, Duration::from_secs(1));
    assert_eq!(log.take(&of(&budget, 3)).await.unwrap(), None);
    for n in [1, 2, 10] {
        let wait = log.take(&of(&budget, n)).await.unwrap().expect("the window is full");
        // The window's end, less the time since the places were taken (a loaded machine's).
        assert!(wait > Duration::from_millis(500) && wait <= Duration::from_secs(1), "{wait:?}");
    }
    assert_eq!(server.integer(&["ZCARD", "graph:burst"]), 3, "nothing taken ahead");
    // Two budgets at once: all or none.
    let pair = vec![
        (Arc::new(Budget::new(5, Duration::from_secs(1), ":a".into())), 1),
        (Arc::new(Budget::new(3, Duration::from_secs(1), ":b".into())), 1),
    ];
    let mut taken = 0;
    while log.take(&pair).await.unwrap().is_none() {
        taken += 1;
    }
    assert_eq!(taken, 3);
    assert_eq!((server.integer(&["ZCARD", "graph:burst:a"]), server.integer(&["ZCARD", "graph:burst:b"])), (3, 3));
}

/// Waiters that give up, and a process that is gone, leave behind only what was sent:
/// another process's next request waits for those alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_that_give_up_do_not_stall_other_processes() {
    let server = RedisServer::start();
    let window = Duration::from_secs(1);
    let gone = Arc::new(shared_limiter(2, window, &server.url(), "graph:gone"));
    go(&gone).await;
    go(&gone).await;
    let sent = Instant::now();
    let mut waiting = Vec::new();
    for _ in 0..40 {
        let gone = gone.clone();
        waiting.push(tokio::spawn(async move { go(&gone).await }));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    for task in waiting {
        task.abort();
    }
    drop(gone);
    let other = shared_limiter(2, window, &server.url(), "graph:gone");
    go(&other).await;
    // It waited for the two places really used, not for the 40 that gave up.
    let elapsed = sent.elapsed();
    // The 40 given-up places, had they been held, would be 20 windows of waiting.
    assert!(elapsed >= window && elapsed < window * 5, "{elapsed:?}");
    assert!(server.integer(&["ZCARD", "graph:gone"]) <= 2);
}

#[tokio::test]
async fn different_keys_do_not_interfere() {
    let server = RedisServer::start();
    let window = Duration::from_secs(10);
    let (a, b) = (limiter(2, window, &server.url(), "graph:a"), limiter(2, window, &server.url(), "graph:b"));
    let budget = whole(2, window);
    assert_eq!(a.take(&of(&budget, 2)).await.unwrap(), None);
    assert_eq!(b.take(&of(&budget, 2)).await.unwrap(), None);
    let (a3, b3) = (a.take(&budget).await.unwrap().unwrap(), b.take(&budget).await.unwrap().unwrap());
    assert!(a3 > Duration::from_secs(9), "{a3:?}");
    assert!(b3 > Duration::from_secs(9), "{b3:?}");
    assert_eq!(server.integer(&["ZCARD", "graph:a"]), 2);
    assert_eq!(server.integer(&["ZCARD", "graph:b"]), 2);
}

/// Entries under the key that no rate limit wrote are an error naming the key, at once,
/// never a wait: a planted start time far in the future (`ZADD key 1e18 x`) would
/// otherwise hold every process of the app for ages.
#[tokio::test]
async fn entries_no_limiter_wrote_are_refused_not_waited_for() {
    let server = RedisServer::start();
    let window = Duration::from_secs(1);
    let budget = whole(1, window);
    let refused = |error: Error, what: &str| {
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        let text = error.to_string();
        assert!(text.contains("graph:planted") && text.contains(what), "{text}");
    };

    // A start time in the future.
    let log = limiter(1, window, &server.url(), "graph:planted");
    server.command(&["ZADD", "graph:planted", "1e18", "x"]);
    refused(log.take(&budget).await.unwrap_err(), "start times in the future");

    // A slot in the future, read once the budget is spent.
    server.command(&["DEL", "graph:planted"]);
    assert_eq!(log.take(&budget).await.unwrap(), None);
    server.command(&["SET", "graph:planted:slot", "1000000000000000000"]);
    refused(log.take(&budget).await.unwrap_err(), "start times in the future");

    // A member that is not a reservation, where it decides the wait.
    server.command(&["DEL", "graph:planted", "graph:planted:slot"]);
    let now_us = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros().to_string();
    server.command(&["ZADD", "graph:planted", &now_us, "x"]);
    refused(log.take(&budget).await.unwrap_err(), "members that are not reservations");

    // The rate limit's own entries still work once the key is cleared.
    server.command(&["DEL", "graph:planted"]);
    assert_eq!(log.take(&budget).await.unwrap(), None);
}

/// A shared place that frees only after the call's `max_total` is an error naming the
/// key, not a sleep.
#[tokio::test]
async fn a_shared_place_past_the_deadline_is_an_error_naming_the_key() {
    let server = RedisServer::start();
    let limiter = shared_limiter(1, Duration::from_secs(600), &server.url(), "graph:later");
    go(&limiter).await;
    let key = Key::of(&http::Method::PATCH, "/deviceManagement/managedDevices/{id}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let error = limiter.take(Load::One(key), || true, Some(deadline)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.to_string().contains("graph:later") && error.to_string().contains("max_total"), "{error}");
    assert_eq!(server.integer(&["ZCARD", "graph:later"]), 1, "nothing taken");
}

#[tokio::test]
async fn keys_expire() {
    let server = RedisServer::start();
    let window = Duration::from_millis(300);
    let log = limiter(5, window, &server.url(), "graph:expiring");
    let budget = whole(5, window);
    assert_eq!(log.take(&of(&budget, 5)).await.unwrap(), None);
    assert!(log.take(&budget).await.unwrap().is_some());
    let ttl = server.integer(&["PTTL", "graph:expiring"]);
    let most = 2 * window.as_millis() as i64 + EXPIRY_MARGIN_MS as i64 + 1;
    assert!(ttl > window.as_millis() as i64 && ttl <= most, "PTTL {ttl} ms, expected up to {most}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.integer(&["DBSIZE"]) > 0 {
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
        // A refused connection ends at once: no wait for a timeout, no hang.
        assert!(began.elapsed() < Duration::from_secs(10), "{:?}", began.elapsed());
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
    assert!(elapsed >= TIMEOUT - Duration::from_millis(100) && elapsed < TIMEOUT + Duration::from_secs(5), "{elapsed:?}");
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
        assert!(elapsed >= TIMEOUT - Duration::from_millis(100) && elapsed < TIMEOUT + Duration::from_secs(5), "{elapsed:?}");
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
    assert!(began.elapsed() < TIMEOUT + Duration::from_secs(5), "{:?}", began.elapsed());
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
