//! Loopback throughput: PATCH calls of the seed 001 operation against a minimal local HTTP
//! server (hyper on 127.0.0.1, answering the seed page's response), sequential and with 64
//! in flight, through the crate and through the same call written as plain `reqwest`
//! (`format!` URL, `bearer_auth`, `.json()`, no other headers) and as plain `reqwest` sending
//! the headers the crate must send besides (`Accept`, `User-Agent`, `client-request-id`), which
//! tells the crate's own cost from the cost of those headers. Alternating rounds; medians
//! of calls per second and of process CPU time per call (client and server together). Then
//! the peak memory (VmHWM) of a sequential run through the crate.
//!
//!     cargo bench --bench throughput                       # 20,000 calls per round
//!     BENCH_CALLS=100000 BENCH_MODE=memory cargo bench --bench throughput
//!
//! BENCH_MODE: `all` (default) or `memory` (only the crate's sequential run, then VmHWM).
//! BENCH_ROUNDS: rounds per side (default 7).

#[path = "support/counting.rs"]
mod counting;
#[path = "support/rounds.rs"]
mod rounds;
#[path = "../examples/common/seeds.rs"]
mod seeds;
#[path = "support/serve.rs"]
mod serve;

use http_body_util::Full;
use hyper::body::Bytes;
use seeds::{DeviceConfigurationAssignment, UpdateDeviceConfigurationAssignment, body, pages};
use std::time::Instant;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.signature";
const CONFIGURATION: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const ASSIGNMENT: &str = "d59b6342-6342-d59b-4263-9bd542639bd5";

/// Seed 001's response, whatever was sent.
fn answer(_: &str, _: Bytes) -> hyper::Response<Full<Bytes>> {
    serve::seed_answer(pages::S001_RESPONSE)
}

#[derive(Clone)]
enum Caller {
    Crate(graph_endpoint::Client, std::sync::Arc<UpdateDeviceConfigurationAssignment>),
    /// Plain reqwest; `true`: with the crate's extra headers.
    Reqwest(reqwest::Client, String, std::sync::Arc<DeviceConfigurationAssignment>, bool),
}

impl Caller {
    async fn call(&self) {
        match self {
            Caller::Crate(client, endpoint) => {
                let answer = client.send(&**endpoint).await.unwrap();
                assert!(answer.is_some());
            }
            Caller::Reqwest(http, base, assignment, extra_headers) => {
                let url = format!("{base}/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}/assignments/{ASSIGNMENT}");
                let mut request = http.patch(url).bearer_auth(TOKEN).json(&**assignment);
                if *extra_headers {
                    request = request
                        .header("accept", "application/json")
                        .header("user-agent", concat!("graph-endpoint/", env!("CARGO_PKG_VERSION")))
                        .header("client-request-id", uuid::Uuid::new_v4().to_string());
                }
                let response = request.send().await.unwrap();
                assert!(response.status().is_success());
                let bytes = response.bytes().await.unwrap();
                let answer: Option<DeviceConfigurationAssignment> = serde_json::from_slice(&bytes).unwrap();
                assert!(answer.is_some());
            }
        }
    }
}

/// Calls per second for `calls` calls, `in_flight` at a time.
async fn run(caller: &Caller, calls: usize, in_flight: usize) -> f64 {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..in_flight {
        let caller = caller.clone();
        let share = calls / in_flight + usize::from(worker < calls % in_flight);
        tasks.spawn(async move {
            for _ in 0..share {
                caller.call().await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    calls as f64 / started.elapsed().as_secs_f64()
}

/// Peak resident memory of this process (VmHWM), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()))
        })
        .flatten()
        .unwrap_or(0)
}

fn main() {
    let calls: usize = std::env::var("BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let mode = std::env::var("BENCH_MODE").unwrap_or_else(|_| "all".into());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let address = serve::serve(answer).await;
        let base = format!("http://{address}");
        let endpoint = UpdateDeviceConfigurationAssignment::builder()
            .device_configuration_id(CONFIGURATION)
            .device_configuration_assignment_id(ASSIGNMENT)
            .assignment(body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
            .build();
        let assignment = std::sync::Arc::new(endpoint.assignment.clone());
        let ours = Caller::Crate(
            graph_endpoint::Client::builder().base_url(&base).bearer_token(TOKEN).build().unwrap(),
            std::sync::Arc::new(endpoint),
        );
        // The plain call a user would write (on the crate's reqwest builder: this build's reqwest
        // has TLS without a provider of its own).
        let http = graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap();
        let theirs = Caller::Reqwest(http.clone(), base.clone(), assignment.clone(), false);
        let theirs_with_headers = Caller::Reqwest(http, base, assignment, true);

        if mode == "memory" {
            let rate = run(&ours, calls, 1).await;
            println!("memory: {calls} sequential calls through the crate at {rate:.0}/s, peak RSS {} KiB", peak_rss_kib());
            return;
        }
        // Warm both connection pools, then alternate: the best of `BENCH_ROUNDS` rounds each
        // (two cores serve and call at once, so single rounds vary by several percent).
        run(&ours, 500, 64).await;
        run(&theirs, 500, 64).await;
        run(&theirs_with_headers, 500, 64).await;
        for (label, caller) in [("graph-endpoint", &ours), ("reqwest", &theirs), ("reqwest + headers", &theirs_with_headers)] {
            let before = counting::allocations();
            run(caller, 2000, 1).await;
            let per_call = (counting::allocations() - before) as f64 / 2000.0;
            println!("{label:>15}: {per_call:.1} allocations per call (client and server)");
        }
        let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
        for (label, in_flight) in [("sequential", 1), ("64 in flight", 64)] {
            let handle = tokio::runtime::Handle::current();
            let medians = tokio::task::block_in_place(|| {
                let mut crate_round = || {
                    handle.block_on(run(&ours, calls, in_flight));
                };
                let mut reqwest_round = || {
                    handle.block_on(run(&theirs, calls, in_flight));
                };
                let mut headers_round = || {
                    handle.block_on(run(&theirs_with_headers, calls, in_flight));
                };
                rounds::alternate(rounds, calls as u64, &mut [&mut crate_round, &mut reqwest_round, &mut headers_round])
            });
            let rate = |m: &rounds::Medians| 1.0 / m.wall.as_secs_f64();
            let cpu = |m: &rounds::Medians| m.cpu.as_nanos() as f64 / 1000.0;
            let (ours_m, plain, headers) = (medians[0], medians[1], medians[2]);
            println!("{label}:");
            for (name, m) in [("graph-endpoint", ours_m), ("reqwest", plain), ("reqwest + headers", headers)] {
                println!("  {name:>18}: {:>8.0} calls/s {:>6.1} µs CPU/call", rate(&m), cpu(&m));
            }
            println!(
                "  {:>18}: throughput {:.3}x, CPU {:.3}x (against reqwest + headers: {:.3}x, {:.3}x)",
                "ratio",
                rate(&ours_m) / rate(&plain),
                cpu(&ours_m) / cpu(&plain),
                rate(&ours_m) / rate(&headers),
                cpu(&ours_m) / cpu(&headers),
            );
        }
        println!("peak RSS of the whole run: {} KiB", peak_rss_kib());
    });
}
