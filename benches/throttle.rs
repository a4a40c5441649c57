//! Throughput under throttling: PATCH calls against a loopback stand-in that throttles as
//! Graph does (`StandIn::throttle`: `LIMIT` writes per window for the route family, `429` with
//! the time until the budget frees as `Retry-After`, in fractional seconds, or whole ones
//! with `THROTTLE_WHOLE_SECONDS=1`), on two servers:
//!
//! - `fixed`: fixed windows, one after another;
//! - `sliding`: a sliding window that counts throttled requests against the budget, as Graph
//!   counts every request (an early arrival is throttled, counted, and pushes the next ones).
//!
//! And four ways of sending the same calls, each on a new stand-in:
//!
//! - `default`: a client with the default settings (adaptive pacing on);
//! - `intune`: `RateLimit::intune()`, its 20 s windows scaled to the server's window;
//! - `exact`: `RateLimit::new(LIMIT, window)`, exactly the server's numbers;
//! - `shared` (`--features redis`): three clients, as three processes would have, splitting
//!   the calls, each with its own calls in flight, pacing together through one
//!   `RateLimit::new(LIMIT, window).shared(url, key)` budget in a `redis-server` started here.
//!
//! Reports calls lost, 429s received (each a request the server counted) and the total time
//! against the ideal `calls / LIMIT * window`.
//!
//!     cargo bench --bench throttle                       # ~15 min with the defaults below
//!     cargo bench --bench throttle --features redis      # and shared
//!
//! Environment: `THROTTLE_CALLS` (10000), `THROTTLE_LIMIT` (100), `THROTTLE_WINDOW_MS` (1000:
//! Intune's 20 s window run 20 times faster), `THROTTLE_IN_FLIGHT` (100 per client),
//! `THROTTLE_MODES` (`default,intune,exact,shared`), `THROTTLE_SERVERS` (`fixed,sliding`),
//! `THROTTLE_WHOLE_SECONDS` (unset).
//!
//! Not a test: it measures, it does not assert.

#[cfg(feature = "redis")]
#[path = "../runtime/tests/support/redis_server.rs"]
mod redis_server;

use graph_endpoint::testing::{StandIn, Throttle};
use graph_endpoint::{Client, Method, RateLimit, graph_endpoint};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Settings {
    calls: u64,
    limit: u32,
    window: Duration,
    in_flight: usize,
    whole_seconds: bool,
}

struct Outcome {
    lost: u64,
    throttled: usize,
    elapsed: f64,
}

/// Sends `settings.calls` PATCH calls, split evenly over `clients`, each client with its own
/// `in_flight` calls at once.
async fn run(settings: &Settings, stand_in: &StandIn, clients: Vec<Client>) -> Outcome {
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
    Outcome { lost, throttled: stand_in.throttled(), elapsed: started.elapsed().as_secs_f64() }
}

async fn stand_in(settings: &Settings, sliding: bool) -> StandIn {
    let stand_in = StandIn::start().await;
    stand_in.route(Method::Patch, "/deviceManagement/deviceConfigurations/{id}/assignments/{assignmentId}").no_content();
    let mut throttle = Throttle::new(settings.limit, settings.window).writes_only();
    if sliding {
        throttle = throttle.sliding();
    }
    if settings.whole_seconds {
        throttle = throttle.whole_seconds();
    }
    stand_in.throttle(throttle);
    stand_in
}

fn report(server: &str, label: &str, settings: &Settings, outcome: &Outcome) {
    let ideal = settings.calls as f64 / f64::from(settings.limit) * settings.window.as_secs_f64();
    println!(
        "| {server} | {label} | {} | {} ({:.2} %) | {:.1} s | {ideal:.1} s | {:.3}× |",
        outcome.lost,
        outcome.throttled,
        outcome.throttled as f64 / settings.calls as f64 * 100.0,
        outcome.elapsed,
        outcome.elapsed / ideal
    );
}

#[tokio::main]
async fn main() {
    let settings = Settings {
        calls: env("THROTTLE_CALLS", 10_000),
        limit: env("THROTTLE_LIMIT", 100) as u32,
        window: Duration::from_millis(env("THROTTLE_WINDOW_MS", 1_000)),
        in_flight: env("THROTTLE_IN_FLIGHT", 100) as usize,
        whole_seconds: std::env::var_os("THROTTLE_WHOLE_SECONDS").is_some(),
    };
    let modes = std::env::var("THROTTLE_MODES").unwrap_or_else(|_| "default,intune,exact,shared".into());
    let servers = std::env::var("THROTTLE_SERVERS").unwrap_or_else(|_| "fixed,sliding".into());
    println!(
        "{} writes, server budget {} writes per {} ms for the route family, throttled requests counted, Retry-After in {} seconds, {} in flight per client",
        settings.calls,
        settings.limit,
        settings.window.as_millis(),
        if settings.whole_seconds { "whole" } else { "fractional" },
        settings.in_flight,
    );
    println!("| server | client | calls lost | 429s | total time | ideal | time / ideal |");
    println!("|---|---|---|---|---|---|---|");
    for server in servers.split(',').map(str::trim) {
        let sliding = match server {
            "fixed" => false,
            "sliding" => true,
            other => panic!("unknown server {other:?}: fixed or sliding"),
        };
        for mode in modes.split(',').map(str::trim) {
            let stand_in = stand_in(&settings, sliding).await;
            let builder = || Client::builder().base_url(stand_in.uri()).bearer_token("benchmark");
            match mode {
                "default" => {
                    let outcome = run(&settings, &stand_in, vec![builder().build().unwrap()]).await;
                    report(server, "default settings", &settings, &outcome);
                }
                "intune" => {
                    // Intune's 100 writes per 20 s for device configurations, 20 s scaled to the window.
                    let limit = RateLimit::intune().with_window(settings.window * 100 / settings.limit);
                    let client = builder().rate_limit(limit.clone()).build().unwrap();
                    let outcome = run(&settings, &stand_in, vec![client]).await;
                    report(server, &format!("`RateLimit::intune()` scaled to {:?}", limit.window()), &settings, &outcome);
                }
                "exact" => {
                    let client = builder().rate_limit(RateLimit::new(settings.limit, settings.window)).build().unwrap();
                    let outcome = run(&settings, &stand_in, vec![client]).await;
                    report(server, &format!("`RateLimit::new({}, {:?})`", settings.limit, settings.window), &settings, &outcome);
                }
                "shared" => shared(server, &settings, &stand_in, builder).await,
                other => panic!("unknown mode {other:?}: default, intune, exact or shared"),
            }
        }
    }
}

#[cfg(feature = "redis")]
async fn shared(server: &str, settings: &Settings, stand_in: &StandIn, builder: impl Fn() -> graph_endpoint::ClientBuilder) {
    let redis = redis_server::RedisServer::start();
    let limit = RateLimit::new(settings.limit, settings.window).shared(redis.url(), "graph-endpoint:bench:throttle");
    let clients = (0..3).map(|_| builder().rate_limit(limit.clone()).build().unwrap()).collect();
    let outcome = run(settings, stand_in, clients).await;
    report(server, &format!("3 clients, `RateLimit::new({}, {:?}).shared(..)`", settings.limit, limit.window()), settings, &outcome);
}

#[cfg(not(feature = "redis"))]
async fn shared(server: &str, _: &Settings, _: &StandIn, _: impl Fn() -> graph_endpoint::ClientBuilder) {
    println!("| {server} | 3 clients sharing a Redis budget | (needs `--features redis`) | | | | |");
}
