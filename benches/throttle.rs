//! Throughput under throttling: PATCH calls against a loopback server that allows `LIMIT`
//! requests per window and answers `429` with an exact `Retry-After` beyond it (Intune's
//! write limit, scaled in time). Reports calls lost, 429s received and the total time
//! against the ideal `calls / LIMIT * window`.
//!
//!     cargo bench --bench throttle
//!     THROTTLE_CALLS=10000 THROTTLE_LIMIT=100 THROTTLE_WINDOW_MS=2000 cargo bench --bench throttle   # Intune's real pace: 200 s
//!
//! Not a test: it measures, it does not assert.

use graph_endpoint::{Client, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
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
    state: Mutex<(Instant, u64)>,
    accepted: AtomicU64,
    throttled: AtomicU64,
}

impl Respond for Throttle {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let now = Instant::now();
        while now >= state.0 + self.window {
            *state = (state.0 + self.window, 0);
        }
        if state.1 < self.limit {
            state.1 += 1;
            self.accepted.fetch_add(1, Ordering::Relaxed);
            return ResponseTemplate::new(204);
        }
        self.throttled.fetch_add(1, Ordering::Relaxed);
        // Whole milliseconds, rounded up: never invite the client back early.
        let remaining = (state.0 + self.window - now).as_micros().div_ceil(1000);
        ResponseTemplate::new(429)
            .insert_header("Retry-After", format!("{}.{:03}", remaining / 1000, remaining % 1000).as_str())
            .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "Too many requests", "innerError": {"code": "429"}}}))
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let calls = env("THROTTLE_CALLS", 10_000);
    let limit = env("THROTTLE_LIMIT", 100);
    let window = Duration::from_millis(env("THROTTLE_WINDOW_MS", 200));
    let in_flight = env("THROTTLE_IN_FLIGHT", limit) as usize;

    let server = MockServer::builder().disable_request_recording().start().await;
    let throttle = Arc::new(Throttle {
        limit,
        window,
        state: Mutex::new((Instant::now(), 0)),
        accepted: AtomicU64::new(0),
        throttled: AtomicU64::new(0),
    });
    Mock::given(any()).respond_with(SharedThrottle(throttle.clone())).mount(&server).await;

    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("benchmark")
        .retry(RetryPolicy::default().max_retries(20).max_total(Duration::from_secs(600)))
        .build()
        .unwrap();
    // At most `in_flight` calls at once, each holding its place while it waits to retry:
    // with no more callers than the window admits, nobody is throttled twice in a row.
    let places = Arc::new(tokio::sync::Semaphore::new(in_flight));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..calls {
        let permit = places.clone().acquire_owned().await.unwrap();
        let client = client.clone();
        tasks.spawn(async move {
            let update = UpdateAssignment {
                device_configuration_id: format!("config-{}", i % 97),
                device_configuration_assignment_id: format!("assignment-{i}"),
                body: json!({"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}),
            };
            let result = client.send(&update).await;
            drop(permit);
            result
        });
    }
    let mut lost = 0u64;
    while let Some(result) = tasks.join_next().await {
        if !matches!(result, Ok(Ok(_))) {
            lost += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ideal = calls as f64 / limit as f64 * window.as_secs_f64();
    println!("calls {calls}, limit {limit} per {} ms, {in_flight} in flight", window.as_millis());
    println!("calls lost:     {lost}");
    println!("accepted:       {}", throttle.accepted.load(Ordering::Relaxed));
    println!("429s received:  {}", throttle.throttled.load(Ordering::Relaxed));
    println!("total time:     {elapsed:.2} s");
    println!("ideal time:     {ideal:.2} s");
    println!("over ideal:     {:+.1} %", (elapsed / ideal - 1.0) * 100.0);
}

struct SharedThrottle(Arc<Throttle>);

impl Respond for SharedThrottle {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request)
    }
}
