//! Bulk jobs: what a journal costs per item, how close a paced job comes to the ideal time,
//! and the peak memory of a job of 10,000 and of 100,000 items.
//!
//!     cargo bench --bench job                    # all three
//!     BENCH_MODE=journal cargo bench --bench job # or `paced`, `memory`
//!
//! - **journal**: jobs of `BENCH_ITEMS` (default 20,000) PATCHes, and of as many POSTs, in
//!   `$batch` requests against a minimal local server (hyper on 127.0.0.1, answering single
//!   calls and `$batch` alike), with a fresh journal and without one, in alternating rounds
//!   (`BENCH_ROUNDS`, default 5); the difference of the medians per item is the journal's cost
//!   (a chunk's items looked up, one transaction before it leaves, synced for POSTs, one after).
//! - **paced**: 2,000 items under `RateLimit::new(200, 1 s)`: the job's time against the ideal,
//!   the moment the last window opens, `(ceil(2000 / 200) - 1) × 1 s` = 9 s (3 rounds).
//! - **memory**: the job runs in a child process (this benchmark run again), the server in
//!   this one; the child reports its peak resident memory (VmHWM) after a job of 10,000 and of
//!   100,000 items, in alternating rounds (3 each).

#[path = "support/rounds.rs"]
mod rounds;
#[path = "support/serve.rs"]
mod serve;

use graph_endpoint::{Client, RateLimit, graph_endpoint};
use http_body_util::Full;
use hyper::body::Bytes;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}", version = "beta")]
struct UpdateAssignment {
    device_configuration_id: String,
    device_configuration_assignment_id: String,
    #[graph(body)]
    body: Value,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe")]
struct Wipe {
    managed_device_id: String,
}

fn wipes(n: usize) -> impl Iterator<Item = Wipe> {
    (0..n).map(|i| Wipe { managed_device_id: format!("device-{i:06}") })
}

fn updates(n: usize) -> impl Iterator<Item = UpdateAssignment> {
    (0..n).map(|i| UpdateAssignment {
        device_configuration_id: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0".into(),
        device_configuration_assignment_id: format!("assignment-{i:06}"),
        body: json!({"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}),
    })
}

fn key(update: &UpdateAssignment) -> String {
    update.device_configuration_assignment_id.clone()
}

/// Answers every single call `204` and every `$batch` item `204`.
fn answer(path: &str, body: Bytes) -> hyper::Response<Full<Bytes>> {
    let response = if path.ends_with("/$batch") {
        let batch: Value = serde_json::from_slice(&body).unwrap();
        let responses: Vec<Value> =
            batch["requests"].as_array().unwrap().iter().map(|item| json!({"id": item["id"], "status": 204})).collect();
        hyper::Response::builder()
            .header("content-type", "application/json")
            .header("request-id", "bench")
            .body(Full::new(Bytes::from(serde_json::to_vec(&json!({"responses": responses})).unwrap())))
    } else {
        hyper::Response::builder().status(204).header("request-id", "bench").body(Full::new(Bytes::new()))
    };
    response.unwrap()
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Peak resident memory of this process (VmHWM), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:").and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())).unwrap_or(0)
}

fn main() {
    // The child of the memory measurement: one job, then its peak memory on stdout.
    if let (Ok(url), Ok(items)) = (std::env::var("BENCH_JOB_URL"), std::env::var("BENCH_JOB_ITEMS")) {
        let items: usize = items.parse().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let report = runtime.block_on(async {
            let client = Client::builder().base_url(url).bearer_token("t").build().unwrap();
            client.job(updates(items)).key(key).run().await.unwrap()
        });
        assert_eq!(report.succeeded(), items);
        println!("{}", peak_rss_kib());
        return;
    }
    let mode = std::env::var("BENCH_MODE").unwrap_or_else(|_| "all".into());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let address = runtime.block_on(serve::serve(answer));
    let url = format!("http://{address}");
    if mode == "all" || mode == "journal" {
        journal(&runtime, &url);
    }
    if mode == "all" || mode == "paced" {
        paced(&runtime, &url);
    }
    if mode == "all" || mode == "memory" {
        memory(&url);
    }
}

fn journal(runtime: &tokio::runtime::Runtime, url: &str) {
    let items = env("BENCH_ITEMS", 20_000);
    let rounds = env("BENCH_ROUNDS", 5);
    let client = Client::builder().base_url(url).bearer_token("t").build().unwrap();
    let dir = std::env::temp_dir().join(format!("graph-endpoint-bench-job-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("journal.sqlite");
    let fresh = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    let mut patches = || {
        let report = runtime.block_on(client.job(updates(items)).key(key).run()).unwrap();
        assert_eq!(report.succeeded(), items);
    };
    let mut patches_journaled = || {
        fresh();
        let report = runtime.block_on(client.job(updates(items)).key(key).journal(&path).run()).unwrap();
        assert_eq!(report.succeeded(), items);
    };
    let wipe_key = |w: &Wipe| w.managed_device_id.clone();
    let mut posts = || {
        let report = runtime.block_on(client.job(wipes(items)).key(wipe_key).run()).unwrap();
        assert_eq!(report.succeeded(), items);
    };
    let mut posts_journaled = || {
        fresh();
        let report = runtime.block_on(client.job(wipes(items)).key(wipe_key).journal(&path).run()).unwrap();
        assert_eq!(report.succeeded(), items);
    };
    let medians = rounds::alternate(rounds, items as u64, &mut [&mut patches, &mut patches_journaled, &mut posts, &mut posts_journaled]);
    let _ = std::fs::remove_dir_all(&dir);
    println!("journal: jobs of {items} items in $batch requests, median of {rounds} alternating rounds, per item:");
    for (label, plain, journaled) in [("PATCH", medians[0], medians[1]), ("POST", medians[2], medians[3])] {
        let wall = journaled.wall.as_secs_f64() - plain.wall.as_secs_f64();
        let cpu = journaled.cpu.as_secs_f64() - plain.cpu.as_secs_f64();
        println!(
            "  {label:>5}: without {:>6.1} µs ({:>5.1} µs CPU), with {:>6.1} µs ({:>5.1} µs CPU): the journal's cost {:>6.1} µs, {:>5.1} µs CPU (goal ≤ 50 µs)",
            plain.wall.as_secs_f64() * 1e6,
            plain.cpu.as_secs_f64() * 1e6,
            journaled.wall.as_secs_f64() * 1e6,
            journaled.cpu.as_secs_f64() * 1e6,
            wall * 1e6,
            cpu * 1e6
        );
    }
}

fn paced(runtime: &tokio::runtime::Runtime, url: &str) {
    let (items, per_window, window) = (2_000usize, 200u32, Duration::from_secs(1));
    let ideal = window * (items.div_ceil(per_window as usize) as u32 - 1);
    let client = Client::builder().base_url(url).bearer_token("t").rate_limit(RateLimit::new(per_window, window)).build().unwrap();
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let report = runtime.block_on(client.job(updates(items)).run()).unwrap();
        assert_eq!(report.succeeded(), items);
        times.push(started.elapsed());
        // The next round starts with an empty window.
        std::thread::sleep(window);
    }
    times.sort();
    let median = times[1];
    println!(
        "paced: {items} items at {per_window} per {} s: median {:.3} s (rounds {:?}), ideal {:.3} s, ratio {:.3} (goal ≤ 1.05)",
        window.as_secs(),
        median.as_secs_f64(),
        times.iter().map(|t| format!("{:.3}", t.as_secs_f64())).collect::<Vec<_>>(),
        ideal.as_secs_f64(),
        median.as_secs_f64() / ideal.as_secs_f64()
    );
}

fn memory(url: &str) {
    let exe = std::env::current_exe().unwrap();
    let run = |items: usize| -> u64 {
        let out = std::process::Command::new(&exe).env("BENCH_JOB_URL", url).env("BENCH_JOB_ITEMS", items.to_string()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().lines().last().unwrap().parse().unwrap()
    };
    let (mut small, mut large) = (Vec::new(), Vec::new());
    for round in 0..3 {
        if round % 2 == 0 {
            small.push(run(10_000));
            large.push(run(100_000));
        } else {
            large.push(run(100_000));
            small.push(run(10_000));
        }
    }
    small.sort_unstable();
    large.sort_unstable();
    let (small, large) = (small[1], large[1]);
    println!(
        "memory: peak RSS of a job (median of 3, alternating): 10,000 items {:.1} MiB, 100,000 items {:.1} MiB, ratio {:.3} (goal ≤ 1.10)",
        small as f64 / 1024.0,
        large as f64 / 1024.0,
        large as f64 / small as f64
    );
}
