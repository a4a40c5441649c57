//! Per-call cost in the shape most users run concurrent calls: 64 calls in flight through
//! `futures::stream::iter(..).buffer_unordered(64)`, all polled from one task (nothing
//! spawned per call), against a loopback HTTP server (hyper, on its own thread and runtime)
//! answering seed 001's JSON. The crate (default settings: adaptive pacing on) against the
//! same PATCH written as plain `reqwest`, sending `Accept: application/json` as the crate
//! does and decoding the answer into the same type. Alternating rounds; medians of calls per
//! second and of the client's CPU time per call (the process's, less the server thread's).
//!
//!     cargo bench --bench in_flight                  # 7 rounds of 10,000 calls each side
//!
//! Environment: `BENCH_CALLS` (10000 per round), `BENCH_ROUNDS` (7), `BENCH_IN_FLIGHT` (64),
//! `BENCH_SIDE` (`crate` or `reqwest`: that side alone, no report, for a profiler),
//! `BENCH_ADAPTIVE=0` (the crate without adaptive pacing), `BENCH_REQWEST` (`timeout`,
//! `headers`, or both: plain reqwest with the crate's per-request timeout, or its other
//! headers).

#[path = "support/rounds.rs"]
mod rounds;
#[path = "../examples/common/seeds.rs"]
mod seeds;
#[path = "support/serve.rs"]
mod serve;

use futures_util::StreamExt;
use seeds::{DeviceConfigurationAssignment, UpdateDeviceConfigurationAssignment, body, pages};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.signature";
const CONFIGURATION: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const ASSIGNMENT: &str = "d59b6342-6342-d59b-4263-9bd542639bd5";

/// A minimal Graph stand-in on its own thread (a current-thread runtime), so that its CPU time
/// can be told from the client's: reads the body, answers seed 001's response.
fn serve_on_its_own_thread() -> (SocketAddr, libc::clockid_t) {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let address = serve::serve(|_, _| serve::seed_answer(pages::S001_RESPONSE)).await;
            let mut clock: libc::clockid_t = 0;
            // SAFETY: writes one clock id for the calling thread through a valid pointer.
            unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
            sender.send((address, clock)).unwrap();
            std::future::pending::<()>().await;
        });
    });
    receiver.recv().unwrap()
}

/// CPU time of the thread whose clock is `clock`.
fn thread_cpu(clock: libc::clockid_t) -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes one `timespec` through a valid pointer.
    unsafe { libc::clock_gettime(clock, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

#[derive(Clone)]
enum Caller {
    Crate(graph_endpoint::Client, Arc<UpdateDeviceConfigurationAssignment>),
    /// Plain reqwest; with `BENCH_REQWEST`, with a 100 s timeout per request as the crate sets,
    /// and the crate's other headers (`User-Agent`, a `client-request-id` made as the crate
    /// makes it), to tell their cost (`BENCH_REQWEST`:
    /// `timeout`, `headers`, or both, comma-separated).
    Reqwest(reqwest::Client, Arc<str>, Arc<DeviceConfigurationAssignment>),
}

/// A v4 UUID as the crate makes one: random bits from a fast generator in the process, not a
/// system call per request.
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
    let mut x = STATE.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let random = u128::from(x) << 64 | u128::from(x ^ (x >> 31));
    uuid::Builder::from_random_bytes(random.to_le_bytes()).into_uuid().hyphenated().to_string()
}

fn reqwest_extra(what: &str) -> bool {
    std::env::var("BENCH_REQWEST").is_ok_and(|v| v.split(',').any(|w| w == what))
}

impl Caller {
    async fn call(&self) {
        match self {
            Caller::Crate(client, endpoint) => {
                let answer = client.send(&**endpoint).await.unwrap();
                assert!(answer.is_some());
            }
            Caller::Reqwest(http, url, assignment) => {
                let mut request = http.patch(&**url).bearer_auth(TOKEN).header("accept", "application/json").json(&**assignment);
                if reqwest_extra("timeout") {
                    request = request.timeout(Duration::from_secs(100));
                }
                if reqwest_extra("headers") {
                    request = request
                        .header("user-agent", concat!("graph-endpoint/", env!("CARGO_PKG_VERSION")))
                        .header("client-request-id", request_id());
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

/// `calls` calls, `in_flight` at a time, through one `buffer_unordered` polled by this task.
async fn run(caller: &Caller, calls: usize, in_flight: usize) {
    let mut done = futures_util::stream::iter(0..calls).map(|_| caller.call()).buffer_unordered(in_flight);
    while done.next().await.is_some() {}
}

fn main() {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (calls, rounds, in_flight) = (env("BENCH_CALLS", 10_000), env("BENCH_ROUNDS", 7), env("BENCH_IN_FLIGHT", 64));
    let (address, server_clock) = serve_on_its_own_thread();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let base = format!("http://{address}");
    let endpoint = UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_id(CONFIGURATION)
        .device_configuration_assignment_id(ASSIGNMENT)
        .assignment(body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
        .build();
    let assignment = Arc::new(endpoint.assignment.clone());
    let adaptive = std::env::var("BENCH_ADAPTIVE").map_or(true, |v| v != "0");
    let ours = Caller::Crate(
        graph_endpoint::Client::builder().base_url(&base).bearer_token(TOKEN).adaptive_pacing(adaptive).build().unwrap(),
        Arc::new(endpoint),
    );
    let url = format!("{base}/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}/assignments/{ASSIGNMENT}");
    let theirs = Caller::Reqwest(graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap(), url.into(), assignment);
    // Warm both connection pools.
    runtime.block_on(run(&ours, 1_000, in_flight));
    runtime.block_on(run(&theirs, 1_000, in_flight));
    // One side alone, for a profiler: `BENCH_SIDE=crate` or `reqwest`.
    if let Ok(side) = std::env::var("BENCH_SIDE") {
        let caller = if side == "crate" { &ours } else { &theirs };
        for _ in 0..rounds {
            runtime.block_on(run(caller, calls, in_flight));
        }
        return;
    }
    let server_cpu = std::cell::RefCell::new(vec![Vec::new(), Vec::new()]);
    let round = |side: usize| {
        let caller = if side == 0 { &ours } else { &theirs };
        let before = thread_cpu(server_clock);
        runtime.block_on(run(caller, calls, in_flight));
        server_cpu.borrow_mut()[side].push((thread_cpu(server_clock) - before) / calls as u32);
    };
    let medians = rounds::alternate(rounds, calls as u64, &mut [&mut || round(0), &mut || round(1)]);
    let median = |mut values: Vec<Duration>| {
        values.sort();
        values[values.len() / 2]
    };
    let server: Vec<Duration> = server_cpu.into_inner().into_iter().map(median).collect();
    let rate = |m: &rounds::Medians| 1.0 / m.wall.as_secs_f64();
    let client_cpu = |m: &rounds::Medians, server: Duration| m.cpu.saturating_sub(server).as_nanos() as f64 / 1000.0;
    println!("{in_flight} in flight through buffer_unordered in one task, {rounds} alternating rounds of {calls} calls:");
    for (name, m, server) in [("graph-endpoint", medians[0], server[0]), ("reqwest + Accept", medians[1], server[1])] {
        println!("  {name:>18}: {:>8.0} calls/s {:>6.1} µs client CPU/call", rate(&m), client_cpu(&m, server));
    }
    println!(
        "  {:>18}: throughput {:.3}x, client CPU {:.3}x",
        "ratio",
        rate(&medians[0]) / rate(&medians[1]),
        client_cpu(&medians[0], server[0]) / client_cpu(&medians[1], server[1]),
    );
}
