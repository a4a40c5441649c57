//! Throughput under throttling: PATCH calls against a loopback server that admits `LIMIT`
//! requests per fixed window and answers `429` with the exact time to the window's end as
//! `Retry-After` beyond it. Three ways of sending the same calls:
//!
//! - `default`: a client with the default settings (it retries throttled calls);
//! - `paced`: the same client with `RateLimit::new(LIMIT, window)`;
//! - `shared` (`--features redis`): three clients, as three processes would have, splitting
//!   the calls, each with its own calls in flight, pacing together through one
//!   `RateLimit::...shared(url, key)` budget in a `redis-server` started here.
//!
//! Each mode gets a new server. Reports calls lost, 429s received and the total time against
//! the ideal `calls / LIMIT * window`.
//!
//! The server's fixed windows and the client's sliding one are not aligned, and a burst of
//! `LIMIT` requests released at one instant reaches the server over a few milliseconds: with
//! exactly the server's window, a burst that straddles a boundary of the server's windows
//! leaves the next burst too early for the server, and the client is throttled at every
//! boundary from then on. The RateLimit's window is therefore longer than the server's by
//! `THROTTLE_SLACK_MS` (6 ms, as long as that spread on a loaded 2-core machine; it does not
//! scale with the window).
//!
//!     cargo bench --bench throttle                       # default and paced, ~40 s
//!     cargo bench --bench throttle --features redis      # and shared, ~60 s
//!
//! Environment: `THROTTLE_CALLS` (10000), `THROTTLE_LIMIT` (100), `THROTTLE_WINDOW_MS` (200:
//! a 2 s window run 10 times faster; every time scales with it, so 2000 runs the 2 s window
//! as is, in ~200 s a mode), `THROTTLE_IN_FLIGHT` (100 per client), `THROTTLE_MODES`
//! (`default,paced,shared`), `THROTTLE_SLACK_MS` (6), `THROTTLE_PHASE` (where in the server's
//! window the first call starts, as a fraction of it; unset: at once, just after the server's
//! first window opened).
//!
//! Not a test: it measures, it does not assert.

#[cfg(feature = "redis")]
#[path = "../runtime/tests/support/redis_server.rs"]
mod redis_server;

use graph_endpoint::{Client, RateLimit, graph_endpoint};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

#[graph_endpoint(
    PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
    response = Option<Value>,
)]
struct UpdateAssignment {
    device_configuration_id: String,
    device_configuration_assignment_id: String,
    #[graph(body)]
    body: Value,
}

/// A fixed-window limiter: `limit` requests per `window`, then 429 until the window ends.
struct Throttle {
    limit: u64,
    window: Duration,
    opened: Instant,
    state: Mutex<State>,
}

struct State {
    window_start: Instant,
    in_window: u64,
    accepted: u64,
    throttled: u64,
}

impl Throttle {
    fn new(limit: u64, window: Duration) -> Throttle {
        let opened = Instant::now();
        let state = State { window_start: opened, in_window: 0, accepted: 0, throttled: 0 };
        Throttle { limit, window, opened, state: Mutex::new(state) }
    }
}

impl Respond for Throttle {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let now = Instant::now();
        while now >= state.window_start + self.window {
            state.window_start += self.window;
            state.in_window = 0;
        }
        if state.in_window < self.limit {
            state.in_window += 1;
            state.accepted += 1;
            return ResponseTemplate::new(204);
        }
        state.throttled += 1;
        // Whole milliseconds, rounded up: never invite the client back early.
        let remaining = (state.window_start + self.window - now).as_micros().div_ceil(1000);
        ResponseTemplate::new(429)
            .insert_header("Retry-After", format!("{}.{:03}", remaining / 1000, remaining % 1000).as_str())
            .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "Too many requests", "innerError": {"code": "429"}}}))
    }
}

struct SharedThrottle(Arc<Throttle>);

impl Respond for SharedThrottle {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request)
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Settings {
    calls: u64,
    limit: u64,
    window: Duration,
    in_flight: usize,
    phase: Option<f64>,
    slack: Duration,
}

impl Settings {
    /// The server's limit, with the configured slack on its window.
    fn rate_limit(&self) -> RateLimit {
        RateLimit::new(self.limit as u32, self.window + self.slack)
    }
}

struct Outcome {
    lost: u64,
    accepted: u64,
    throttled: u64,
    elapsed: f64,
}

/// Sends `settings.calls` PATCH calls, split evenly over `clients`, each client with its own
/// `in_flight` calls at once, to a new throttling server.
async fn run(settings: &Settings, throttle: &Throttle, clients: Vec<Client>) -> Outcome {
    if let Some(phase) = settings.phase {
        // Start the first call at `phase` of one of the server's windows.
        let window = settings.window.as_secs_f64();
        let since = throttle.opened.elapsed().as_secs_f64();
        let start = ((since - phase * window) / window).floor() * window + window + phase * window;
        tokio::time::sleep(Duration::from_secs_f64(start - since)).await;
    }
    let started = Instant::now();
    let count = clients.len() as u64;
    let mut tasks = tokio::task::JoinSet::new();
    for (c, client) in clients.into_iter().enumerate() {
        let calls = settings.calls / count + u64::from((c as u64) < settings.calls % count);
        let in_flight = settings.in_flight;
        tasks.spawn(async move {
            // At most `in_flight` calls at once, each holding its place while it waits.
            let places = Arc::new(tokio::sync::Semaphore::new(in_flight));
            let mut calls_of_client = tokio::task::JoinSet::new();
            for i in 0..calls {
                let permit = places.clone().acquire_owned().await.unwrap();
                let client = client.clone();
                calls_of_client.spawn(async move {
                    let update = UpdateAssignment {
                        device_configuration_id: format!("config-{}", i % 97),
                        device_configuration_assignment_id: format!("assignment-{c}-{i}"),
                        body: json!({"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}),
                    };
                    let result = client.send(&update).await;
                    drop(permit);
                    result
                });
            }
            let mut lost = 0u64;
            while let Some(result) = calls_of_client.join_next().await {
                match result {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => {
                        if lost == 0 {
                            eprintln!("first lost call: {error}");
                        }
                        lost += 1;
                    }
                    Err(_) => lost += 1,
                }
            }
            lost
        });
    }
    let mut lost = 0;
    while let Some(result) = tasks.join_next().await {
        lost += result.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let state = throttle.state.lock().unwrap();
    Outcome { lost, accepted: state.accepted, throttled: state.throttled, elapsed }
}

async fn server(settings: &Settings) -> (MockServer, Arc<Throttle>) {
    let server = MockServer::builder().disable_request_recording().start().await;
    let throttle = Arc::new(Throttle::new(settings.limit, settings.window));
    Mock::given(any()).respond_with(SharedThrottle(throttle.clone())).mount(&server).await;
    (server, throttle)
}

fn report(label: &str, settings: &Settings, outcome: &Outcome) {
    let ideal = settings.calls as f64 / settings.limit as f64 * settings.window.as_secs_f64();
    println!(
        "| {label} | {} | {} ({:.2} %) | {:.2} s | {ideal:.2} s | {:.3}× |",
        outcome.lost,
        outcome.throttled,
        outcome.throttled as f64 / settings.calls as f64 * 100.0,
        outcome.elapsed,
        outcome.elapsed / ideal
    );
    if outcome.accepted != settings.calls {
        println!("  (the server accepted {} requests for {} calls)", outcome.accepted, settings.calls);
    }
}

#[tokio::main]
async fn main() {
    let phase = std::env::var("THROTTLE_PHASE").ok().and_then(|v| v.parse::<f64>().ok());
    let settings = Settings {
        calls: env("THROTTLE_CALLS", 10_000),
        limit: env("THROTTLE_LIMIT", 100),
        window: Duration::from_millis(env("THROTTLE_WINDOW_MS", 200)),
        in_flight: env("THROTTLE_IN_FLIGHT", 100) as usize,
        phase,
        slack: Duration::from_millis(env("THROTTLE_SLACK_MS", 6)),
    };
    let modes = std::env::var("THROTTLE_MODES").unwrap_or_else(|_| "default,paced,shared".into());
    println!(
        "{} calls, server limit {} per {} ms (fixed windows), {} in flight per client, RateLimit window +{} ms, first call {}",
        settings.calls,
        settings.limit,
        settings.window.as_millis(),
        settings.in_flight,
        settings.slack.as_millis(),
        phase.map_or("once the server is up".to_owned(), |p| format!("at {p} of a server window"))
    );
    println!("| mode | calls lost | 429s received | total time | ideal | time / ideal |");
    println!("|---|---|---|---|---|---|");
    for mode in modes.split(',').map(str::trim) {
        let (server, throttle) = server(&settings).await;
        let builder = || Client::builder().base_url(server.uri()).bearer_token("benchmark");
        match mode {
            "default" => {
                let outcome = run(&settings, &throttle, vec![builder().build().unwrap()]).await;
                report("default settings", &settings, &outcome);
            }
            "paced" => {
                let client = builder().rate_limit(settings.rate_limit()).build().unwrap();
                let outcome = run(&settings, &throttle, vec![client]).await;
                report(&format!("`RateLimit::new({}, {:?})`", settings.limit, settings.rate_limit().window()), &settings, &outcome);
            }
            "shared" => shared(&settings, &throttle, builder).await,
            other => panic!("unknown mode {other:?}: default, paced or shared"),
        }
    }
}

#[cfg(feature = "redis")]
async fn shared(settings: &Settings, throttle: &Throttle, builder: impl Fn() -> graph_endpoint::ClientBuilder) {
    let redis = redis_server::RedisServer::start();
    let limit = settings.rate_limit().shared(redis.url(), "graph-endpoint:bench:throttle");
    let clients = (0..3).map(|_| builder().rate_limit(limit.clone()).build().unwrap()).collect();
    let outcome = run(settings, throttle, clients).await;
    report(&format!("3 clients, `RateLimit::new({}, {:?}).shared(..)`", settings.limit, limit.window()), settings, &outcome);
}

#[cfg(not(feature = "redis"))]
async fn shared(_: &Settings, _: &Throttle, _: impl Fn() -> graph_endpoint::ClientBuilder) {
    println!("| 3 clients sharing a Redis budget | (needs `--features redis`) | | | | |");
}
