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
//! Environment: `BENCH_CALLS` (10000 per round), `BENCH_ROUNDS` (7), `BENCH_IN_FLIGHT` (64).
//! `BENCH_A`, `BENCH_B`: the two sides (`crate` and `reqwest` by default). A plain reqwest
//! side may add what the crate sends besides `Accept`, to tell their cost apart:
//! `reqwest+headers` (`User-Agent`, a `client-request-id` made as the crate makes it; `+ua`
//! or `+id` for one of them), `+timeout` (the crate's 100 s bound on each request), `+room`
//! (a header map with room for the headers the HTTP client adds, as the crate makes its own:
//! see `transport::copy`), e.g. `BENCH_B=reqwest+headers+room+timeout`. `BENCH_SIDE` (a
//! side's name): that side alone, for a profiler, reporting its rate and the CPU time per
//! call of the thread that polls the calls. `BENCH_ADAPTIVE=0`: the crate without adaptive
//! pacing.

#[path = "support/rounds.rs"]
mod rounds;
#[path = "../examples/common/seeds.rs"]
mod seeds;
#[path = "support/serve.rs"]
mod serve;

use futures_util::StreamExt;
use reqwest::header::{HeaderName, HeaderValue, USER_AGENT};
use seeds::{DeviceConfigurationAssignment, UpdateDeviceConfigurationAssignment, body, pages};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

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

/// What a plain reqwest side sends besides `Accept` (see the module's docs).
#[derive(Clone, Copy, Default)]
struct Extras {
    user_agent: bool,
    request_id: bool,
    timeout: bool,
    room: bool,
}

#[derive(Clone)]
enum Caller {
    Crate(graph_endpoint::Client, Arc<UpdateDeviceConfigurationAssignment>),
    Reqwest(reqwest::Client, Arc<str>, Arc<DeviceConfigurationAssignment>, Extras),
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

impl Caller {
    async fn call(&self) {
        match self {
            Caller::Crate(client, endpoint) => {
                let answer = client.send(&**endpoint).await.unwrap();
                assert!(answer.is_some());
            }
            Caller::Reqwest(http, url, assignment, extras) => {
                let mut request = http.patch(&**url).bearer_auth(TOKEN).header("accept", "application/json").json(&**assignment);
                if extras.timeout {
                    request = request.timeout(Duration::from_secs(100));
                }
                if extras.user_agent {
                    request = request.header(USER_AGENT, HeaderValue::from_static(concat!("graph-endpoint/", env!("CARGO_PKG_VERSION"))));
                }
                if extras.request_id {
                    request = request.header(CLIENT_REQUEST_ID, HeaderValue::from_str(&request_id()).unwrap());
                }
                let mut request = request.build().unwrap();
                if extras.room {
                    // As the crate does: a copy of a map made once with room keeps the room
                    // (a map made with room per request would be a large allocation each).
                    static ROOMY: std::sync::LazyLock<reqwest::header::HeaderMap> =
                        std::sync::LazyLock::new(|| reqwest::header::HeaderMap::with_capacity(12));
                    let mut headers = ROOMY.clone();
                    headers.extend(std::mem::take(request.headers_mut()));
                    *request.headers_mut() = headers;
                }
                let response = http.execute(request).await.unwrap();
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

/// This thread's CPU time so far, in user space and in the kernel (the task polling the calls
/// runs on the main thread: `block_on`).
fn main_cpu() -> (Duration, Duration) {
    // SAFETY: `getrusage` writes one `rusage` through a valid pointer.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (time(usage.ru_utime), time(usage.ru_stime))
}

fn main() {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (calls, rounds, in_flight) = (env("BENCH_CALLS", 10_000).max(1), env("BENCH_ROUNDS", 7).max(1), env("BENCH_IN_FLIGHT", 64).max(1));
    let (address, server_clock) = serve_on_its_own_thread();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let base = format!("http://{address}");
    let endpoint = Arc::new(
        UpdateDeviceConfigurationAssignment::builder()
            .device_configuration_id(CONFIGURATION)
            .device_configuration_assignment_id(ASSIGNMENT)
            .assignment(body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
            .build(),
    );
    let assignment = Arc::new(endpoint.assignment.clone());
    let adaptive = std::env::var("BENCH_ADAPTIVE").map_or(true, |v| v != "0");
    let url: Arc<str> = format!("{base}/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}/assignments/{ASSIGNMENT}").into();
    // A side from its name: `crate`, or `reqwest` with `+headers`, `+timeout`, `+room`.
    let side = |name: &str| -> Caller {
        let mut parts = name.split('+');
        match parts.next() {
            Some("crate") => Caller::Crate(
                graph_endpoint::Client::builder().base_url(&base).bearer_token(TOKEN).adaptive_pacing(adaptive).build().unwrap(),
                endpoint.clone(),
            ),
            Some("reqwest") => {
                let mut extras = Extras::default();
                for extra in parts {
                    match extra {
                        "headers" => (extras.user_agent, extras.request_id) = (true, true),
                        "ua" => extras.user_agent = true,
                        "id" => extras.request_id = true,
                        "timeout" => extras.timeout = true,
                        "room" => extras.room = true,
                        other => panic!("unknown reqwest extra {other:?}: headers, ua, id, timeout or room"),
                    }
                }
                let http = graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap();
                Caller::Reqwest(http, url.clone(), assignment.clone(), extras)
            }
            _ => panic!("unknown side {name:?}: crate, or reqwest[+headers|+ua|+id][+timeout][+room]"),
        }
    };
    // One side alone, for a profiler.
    if let Ok(name) = std::env::var("BENCH_SIDE") {
        let caller = side(&name);
        runtime.block_on(run(&caller, 1_000, in_flight));
        let (mut rates, mut user, mut system) = (Vec::new(), Vec::new(), Vec::new());
        let per_call = |d: Duration| d.as_nanos() as f64 / calls as f64 / 1000.0;
        for _ in 0..rounds {
            let (began, (u, s)) = (std::time::Instant::now(), main_cpu());
            runtime.block_on(run(&caller, calls, in_flight));
            rates.push(calls as f64 / began.elapsed().as_secs_f64());
            let (u2, s2) = main_cpu();
            user.push(per_call(u2 - u));
            system.push(per_call(s2 - s));
        }
        let median = |mut values: Vec<f64>| {
            values.sort_by(f64::total_cmp);
            values[values.len() / 2]
        };
        println!(
            "{name}: {:.0} calls/s; the polling task's CPU per call: {:.1} µs user, {:.1} µs system (medians of {rounds} rounds)",
            median(rates),
            median(user),
            median(system)
        );
        return;
    }
    let names = [std::env::var("BENCH_A").unwrap_or("crate".into()), std::env::var("BENCH_B").unwrap_or("reqwest".into())];
    let sides = [side(&names[0]), side(&names[1])];
    // Warm both connection pools.
    for caller in &sides {
        runtime.block_on(run(caller, 1_000, in_flight));
    }
    let server_cpu = std::cell::RefCell::new(vec![Vec::new(), Vec::new()]);
    let round = |side: usize| {
        let before = thread_cpu(server_clock);
        runtime.block_on(run(&sides[side], calls, in_flight));
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
    for (i, name) in names.iter().enumerate() {
        println!("  {name:>30}: {:>8.0} calls/s {:>6.1} µs client CPU/call", rate(&medians[i]), client_cpu(&medians[i], server[i]));
    }
    println!(
        "  {:>30}: throughput {:.3}x, client CPU {:.3}x",
        "ratio",
        rate(&medians[0]) / rate(&medians[1]),
        client_cpu(&medians[0], server[0]) / client_cpu(&medians[1], server[1]),
    );
}
