//! Bulk writes at the throttle limit: nothing lost with default settings, and a `RateLimit`
//! that lets at most N start in any window (reads not held behind a writes-only budget).
//! The throttle's window is scaled down (100 per 200 ms) to keep the tests short.

use graph_endpoint::auth::{AccessToken, BoxFuture, TokenProvider};
use graph_endpoint::{Client, ErrorKind, RateLimit, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[graph_endpoint(PATCH "/deviceManagement/managedDevices/{managedDeviceId}", response = Option<Value>)]
struct UpdateDevice {
    managed_device_id: String,
    #[graph(body)]
    body: Value,
}

#[graph_endpoint(GET "/deviceManagement/managedDevices/{managedDeviceId}", response = Value)]
struct GetDevice {
    managed_device_id: String,
}

/// A fixed-window throttle, as Intune's: `limit` requests per window, then `429` with the
/// exact `Retry-After` until the window ends. Records when each request arrived.
#[derive(Clone)]
struct Throttle {
    limit: usize,
    window: Duration,
    state: Arc<Mutex<(Instant, usize)>>,
    arrivals: Arc<Mutex<Vec<(Instant, bool)>>>,
}

impl Throttle {
    fn new(limit: usize, window: Duration) -> Throttle {
        Throttle { limit, window, state: Arc::new(Mutex::new((Instant::now(), 0))), arrivals: Arc::default() }
    }

    fn throttled(&self) -> usize {
        self.arrivals.lock().unwrap().iter().filter(|(_, accepted)| !accepted).count()
    }
}

impl Respond for Throttle {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap();
        while now >= state.0 + self.window {
            *state = (state.0 + self.window, 0);
        }
        let accepted = state.1 < self.limit;
        self.arrivals.lock().unwrap().push((now, accepted));
        if accepted {
            state.1 += 1;
            let body = if request.method.as_str() == "GET" { json!({"id": "d"}) } else { json!({"id": "d", "updated": true}) };
            return ResponseTemplate::new(200).set_body_json(body);
        }
        let retry_after = (state.0 + self.window - now).as_secs_f64();
        ResponseTemplate::new(429)
            .insert_header("Retry-After", format!("{retry_after:.3}").as_str())
            .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "Too many requests", "innerError": {"code": "429"}}}))
    }
}

async fn serve(throttle: &Throttle) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path_regex("^/v1.0/deviceManagement/managedDevices/")).respond_with(throttle.clone()).mount(&server).await;
    server
}

fn update(i: usize) -> UpdateDevice {
    UpdateDevice { managed_device_id: format!("device-{i}"), body: json!({"notes": format!("batch {i}")}) }
}

async fn run_all(client: &Client, n: usize) -> usize {
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..n {
        let client = client.clone();
        calls.spawn(async move { client.send(&update(i)).await });
    }
    let mut lost = 0;
    while let Some(result) = calls.join_next().await {
        lost += usize::from(result.unwrap().is_err());
    }
    lost
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_writes_at_the_limit_lose_nothing_by_default() {
    let throttle = Throttle::new(100, Duration::from_millis(200));
    let server = serve(&throttle).await;
    let client = Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    let lost = run_all(&client, 500).await;
    assert_eq!(lost, 0, "lost writes ({} 429s)", throttle.throttled());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_starts_at_most_n_in_any_window() {
    let throttle = Throttle::new(1000, Duration::from_secs(60));
    let server = serve(&throttle).await;
    let window = Duration::from_secs(1);
    let client = Client::builder().base_url(server.uri()).bearer_token("t").rate_limit(RateLimit::new(20, window)).build().unwrap();
    let started = Instant::now();
    assert_eq!(run_all(&client, 70).await, 0);
    let arrivals: Vec<Instant> = throttle.arrivals.lock().unwrap().iter().map(|(t, _)| *t).collect();
    assert_eq!(arrivals.len(), 70);
    // The limiter lets a request start; the server sees it a moment later, and on a loaded
    // machine that moment varies. A window of the limiter's length, shortened by a quarter for
    // that spread, must never hold more than 20 arrivals (the limiter's exact counting is
    // tested on a paused clock in pacing::limiter).
    let strict = window - window / 4;
    let worst = arrivals.iter().map(|&from| arrivals.iter().filter(|&&t| t >= from && t < from + strict).count()).max().unwrap();
    assert!(worst <= 20, "{worst} requests in one window");
    // 70 at 20 per window: the last start is at least three windows after the first.
    assert!(started.elapsed() >= window * 3, "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_not_held_behind_a_writes_only_budget() {
    let throttle = Throttle::new(1000, Duration::from_secs(60));
    let server = serve(&throttle).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .rate_limit(RateLimit::new(1, Duration::from_secs(30)).writes_only())
        .build()
        .unwrap();
    // One write takes the whole budget for 30 s...
    client.send(&update(0)).await.unwrap();
    // ...and reads still go at once.
    let started = Instant::now();
    for i in 0..20 {
        client.send(&GetDevice { managed_device_id: format!("device-{i}") }).await.unwrap();
    }
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(RateLimit::intune_writes().max(), 100);
    assert_eq!(RateLimit::intune_writes().window(), Duration::from_secs(20));
    assert!(RateLimit::intune_writes().is_writes_only());
}

#[tokio::test]
async fn a_zero_rate_limit_is_a_configuration_error() {
    let error = Client::builder().rate_limit(RateLimit::new(0, Duration::from_secs(1))).build().unwrap_err();
    assert_eq!(error.kind(), graph_endpoint::ErrorKind::Config);
}

/// The most arrivals in any span shorter than `window` that begins at an arrival.
fn worst_window(arrivals: &[Instant], window: Duration) -> usize {
    arrivals.iter().map(|&from| arrivals.iter().filter(|&&t| t >= from && t < from + window).count()).max().unwrap_or(0)
}

/// A token source whose first token takes `slow` to come (every caller waits for it), and
/// the next ones come at once.
struct SlowFirstToken(tokio::sync::OnceCell<()>, Duration);

impl TokenProvider for SlowFirstToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, graph_endpoint::Error>> {
        Box::pin(async move {
            self.0.get_or_init(|| tokio::time::sleep(self.1)).await;
            Ok(AccessToken::new("t"))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_token_does_not_push_two_windows_into_one() {
    let throttle = Throttle::new(1000, Duration::from_secs(60));
    let server = serve(&throttle).await;
    let window = Duration::from_millis(300);
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(SlowFirstToken(tokio::sync::OnceCell::new(), Duration::from_millis(700)))
        .rate_limit(RateLimit::new(5, window))
        .build()
        .unwrap();
    assert_eq!(run_all(&client, 15).await, 0);
    let arrivals: Vec<Instant> = throttle.arrivals.lock().unwrap().iter().map(|(t, _)| *t).collect();
    // Places were taken when the requests were sent, after the token: never more than one
    // window's worth within a window (less the moment from the limiter to the server).
    let worst = worst_window(&arrivals, window - Duration::from_millis(20));
    assert!(worst <= 5, "{worst} requests within one window");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_that_gave_up_do_not_delay_the_next_call() {
    let throttle = Throttle::new(1000, Duration::from_secs(60));
    let server = serve(&throttle).await;
    let window = Duration::from_secs(1);
    let client = Client::builder().base_url(server.uri()).bearer_token("t").rate_limit(RateLimit::new(2, window)).build().unwrap();
    client.send(&update(0)).await.unwrap();
    client.send(&update(1)).await.unwrap();
    let sent = Instant::now();
    // 40 callers queue for 20 windows' worth of places, and give up.
    let waiting: Vec<_> = (0..40)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&update(2 + i)).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    waiting.iter().for_each(|task| task.abort());
    client.send(&update(99)).await.unwrap();
    let elapsed = sent.elapsed();
    assert!(elapsed < window + Duration::from_millis(500), "the next call waited {elapsed:?}");
    assert_eq!(throttle.arrivals.lock().unwrap().len(), 3, "nothing sent for the callers that gave up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durations_too_long_for_the_clock_do_not_panic() {
    let throttle = Throttle::new(1000, Duration::from_secs(60));
    let server = serve(&throttle).await;
    let forever = Client::builder().base_url(server.uri()).bearer_token("t").rate_limit(RateLimit::new(1, Duration::MAX)).build().unwrap();
    forever.send(&update(0)).await.unwrap();
    // The next place frees in about 30 years: past the call's max_total, so an error at once
    // (bounded here so that a wait fails the test instead of hanging it).
    let error = tokio::time::timeout(Duration::from_secs(60), forever.send(&update(1))).await.expect("no wait").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");

    // Graph asks to wait 1e19 s, and the policy would allow any single wait.
    let huge = MockServer::start().await;
    Mock::given(path_regex("^/v1.0/deviceManagement/managedDevices/"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "10000000000000000000"))
        .mount(&huge)
        .await;
    let client =
        Client::builder().base_url(huge.uri()).bearer_token("t").retry(RetryPolicy::default().max_delay(Duration::MAX)).build().unwrap();
    let error = client.send(&update(0)).await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    // The gate is closed for writes, far ahead, without a panic: the next write fails at once,
    // as it could not be sent within its max_total.
    let error = tokio::time::timeout(Duration::from_secs(60), client.send(&update(1))).await.expect("no wait").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.to_string().contains("holds back its writes"), "{error}");
}

/// A job as a user runs it: `calls` writes to device configurations, `in_flight` at once, each
/// held until it ends. Returns how many were lost.
async fn job(client: &Client, calls: usize, in_flight: usize) -> usize {
    #[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}", version = "beta", response = Option<Value>)]
    struct UpdateConfiguration {
        device_configuration_id: String,
        #[graph(body)]
        body: Value,
    }
    let places = Arc::new(tokio::sync::Semaphore::new(in_flight));
    let mut running = tokio::task::JoinSet::new();
    for i in 0..calls {
        let place = places.clone().acquire_owned().await.unwrap();
        let client = client.clone();
        running.spawn(async move {
            let update = UpdateConfiguration { device_configuration_id: format!("c-{i}"), body: json!({"description": "paced"}) };
            let result = client.send(&update).await;
            drop(place);
            result
        });
    }
    let mut lost = 0;
    while let Some(result) = running.join_next().await {
        lost += usize::from(!matches!(result, Ok(Ok(_))));
    }
    lost
}

/// The stand-in's throttle (a budget of writes per window, fixed or sliding, throttled
/// requests counted as Graph counts them), and a route that admits the writes.
async fn throttled_stand_in(throttle: graph_endpoint::testing::Throttle) -> graph_endpoint::testing::StandIn {
    let stand_in = graph_endpoint::testing::StandIn::start().await;
    stand_in.route(graph_endpoint::Method::Patch, "/deviceManagement/deviceConfigurations/{id}").no_content();
    stand_in.throttle(throttle);
    stand_in
}

const WRITES: u32 = 50;
const WINDOW: Duration = Duration::from_secs(1);

fn writes_budget() -> graph_endpoint::testing::Throttle {
    graph_endpoint::testing::Throttle::new(WRITES, WINDOW).writes_only()
}

/// With default settings, a job of 6 windows' worth of writes at 50 in flight: nothing lost,
/// and after the first throttled burst (at most one in-flight set), few 429s: the client
/// learned the rate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defaults_lose_nothing_and_draw_few_429s_against_fixed_and_sliding_windows() {
    for throttle in [writes_budget(), writes_budget().sliding()] {
        let stand_in = throttled_stand_in(throttle.clone()).await;
        let lost = job(&stand_in.client(), 300, 50).await;
        let throttled = stand_in.throttled();
        assert_eq!(lost, 0, "{throttle:?}: {throttled} 429s");
        assert!(throttled <= 50 + 15, "{throttle:?}: {throttled} 429s for 300 writes");
    }
}

/// The limit a user is told to set, exactly the server's numbers (and Intune's table, run
/// faster), is not throttled by a fixed or a sliding window that counts throttled requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exact_limits_are_not_throttled_by_fixed_or_sliding_windows() {
    let limits = [
        (writes_budget(), RateLimit::new(WRITES, WINDOW)),
        (writes_budget().sliding(), RateLimit::new(WRITES, WINDOW)),
        (graph_endpoint::testing::Throttle::intune().with_window(WINDOW / 2).sliding(), RateLimit::intune().with_window(WINDOW / 2)),
    ];
    for (throttle, limit) in limits {
        let stand_in = throttled_stand_in(throttle.clone()).await;
        let client = stand_in.client_builder().rate_limit(limit.clone()).build().unwrap();
        let lost = job(&client, 300, 50).await;
        let throttled = stand_in.throttled();
        assert_eq!(lost, 0, "{limit:?} against {throttle:?}");
        // A loaded machine may delay a request past the margin now and then.
        assert!(throttled <= 3, "{limit:?} against {throttle:?}: {throttled} 429s for 300 writes");
    }
}
