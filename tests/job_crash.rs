//! A journaled job killed with SIGKILL at seeded points, then run to its end: no POST is ever
//! admitted twice, every item is accounted for, and nothing was admitted that the final
//! report does not show.
//!
//! The job runs in a child process (this test binary run again, with `JOB_CRASH_CHILD` set,
//! selecting `child_runs_the_job`), in `$batch` requests and in single calls in turn; the
//! stand-in lives in the parent and records every request (and `$batch` item) it admits. When the admissions reach a kill point, the stand-in itself kills the child,
//! before answering: the request was admitted, the child never learns the outcome, and other
//! requests of the child are on the wire or waiting to leave.
#![cfg(unix)]

use graph_endpoint::testing::{Reply, StandIn};
use graph_endpoint::{Client, Method, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ITEMS: usize = 2_000;
/// The kill points are drawn from this seed (`JOB_CRASH_SEED` overrides it).
const SEED: u64 = 0x5eed_2026_1207;

/// Device configurations renamed (PATCH, idempotent) and devices wiped (POST, not idempotent):
/// one endpoint type, so one job and one journal.
#[graph_endpoint(version = "beta")]
enum Change {
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}")]
    Rename {
        device_configuration_id: String,
        #[graph(body)]
        body: Value,
    },
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe")]
    Wipe {
        managed_device_id: String,
        #[graph(body)]
        options: Value,
    },
}

/// Every third item a wipe, the others renames.
fn changes() -> impl Iterator<Item = Change> {
    (0..ITEMS).map(|i| match i % 3 {
        0 => Change::Wipe { managed_device_id: format!("d-{i}"), options: json!({"keepEnrollmentData": true}) },
        _ => Change::Rename { device_configuration_id: format!("c-{i}"), body: json!({"displayName": format!("policy {i}")}) },
    })
}

fn key(change: &Change) -> String {
    match change {
        Change::Rename { device_configuration_id, .. } => format!("rename/{device_configuration_id}"),
        Change::Wipe { managed_device_id, .. } => format!("wipe/{managed_device_id}"),
    }
}

/// The killed runs send with one token, the final run with another, so that the stand-in
/// tells their admissions apart whenever a killed child's last requests arrive.
const KILLED_RUN: &str = "killed-run";
const FINAL_RUN: &str = "final-run";

fn client(base_url: &str, token: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token(token)
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// The child's role: run the job (in `$batch` requests, or single calls with
/// `JOB_CRASH_SINGLES`); the parent kills it on the way.
#[test]
fn child_runs_the_job() {
    let (Ok(base_url), Ok(journal)) = (std::env::var("JOB_CRASH_CHILD"), std::env::var("JOB_CRASH_JOURNAL")) else {
        return; // Not the child: nothing to do.
    };
    let singles = std::env::var_os("JOB_CRASH_SINGLES").is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let client = client(&base_url, KILLED_RUN);
        let job = client.job(changes()).key(key).journal(&journal);
        if singles { job.singles().run().await } else { job.run().await }.unwrap();
    });
}

/// What the stand-in admitted, and when to kill the child.
#[derive(Default)]
struct Admissions {
    /// Admissions per item key, by the killed runs and by the final run.
    killed_runs: HashMap<String, usize>,
    final_run: HashMap<String, usize>,
    count: usize,
    kill_at: Option<usize>,
    child: Option<i32>,
    /// The kill point was reached before the child's pid was known.
    kill_pending: bool,
}

fn kill(pid: i32) {
    // SAFETY: kill(2) on a child of this process that has not been waited for.
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

/// Kill points, after this many admissions in all: increasing, each round leaving items to
/// send after it.
fn kill_points(seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut next = move |below: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) % below) as usize
    };
    let mut at = 0;
    (0..4)
        .map(|_| {
            at += 40 + next(360);
            at
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_killed_at_seeded_points_then_run_to_its_end_never_sends_a_post_twice() {
    let seed = std::env::var("JOB_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(SEED);
    let points = kill_points(seed);
    eprintln!("seed {seed:#x}: killing the child after {points:?} admissions");

    let stand_in = StandIn::start().await;
    let admissions = Arc::new(Mutex::new(Admissions::default()));
    let seen = admissions.clone();
    stand_in.on::<Change>().respond_with(move |call| {
        let key = match call.method() {
            Method::Post => format!("wipe/{}", call.path_param("managedDeviceId").unwrap_or_default()),
            _ => format!("rename/{}", call.path_param("deviceConfigurationId").unwrap_or_default()),
        };
        let mut seen = seen.lock().unwrap();
        let by_final_run = call.header("authorization") == Some(&format!("Bearer {FINAL_RUN}"));
        let runs = if by_final_run { &mut seen.final_run } else { &mut seen.killed_runs };
        *runs.entry(key).or_default() += 1;
        seen.count += 1;
        if seen.kill_at == Some(seen.count) {
            match seen.child {
                Some(pid) => kill(pid),
                None => seen.kill_pending = true,
            }
        }
        Reply::no_content()
    });

    let dir = std::env::temp_dir().join(format!("graph-endpoint-job-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal: PathBuf = dir.join("changes.sqlite");
    let base_url = stand_in.uri();

    let mut killed = 0;
    for (round, point) in points.into_iter().enumerate() {
        admissions.lock().unwrap().kill_at = Some(point);
        // Rounds in $batch requests and in single calls, alternately.
        let singles = round % 2 == 1;
        let journal = journal.clone();
        let base_url = base_url.clone();
        let admissions = admissions.clone();
        let status = tokio::task::spawn_blocking(move || {
            let exe = std::env::current_exe().unwrap();
            let mut command = Command::new(exe);
            command.args(["--exact", "child_runs_the_job", "--nocapture", "--test-threads=1"]);
            command.env("JOB_CRASH_CHILD", &base_url).env("JOB_CRASH_JOURNAL", &journal);
            if singles {
                command.env("JOB_CRASH_SINGLES", "1");
            }
            let mut child = command.spawn().unwrap();
            {
                let mut seen = admissions.lock().unwrap();
                seen.child = Some(child.id() as i32);
                if seen.kill_pending {
                    kill(child.id() as i32);
                }
            }
            let status = child.wait().unwrap();
            let mut seen = admissions.lock().unwrap();
            seen.child = None;
            seen.kill_pending = false;
            status
        })
        .await
        .unwrap();
        assert_eq!(status.signal(), Some(libc::SIGKILL), "the child was killed at {point} admissions: {status:?}");
        killed += 1;
    }
    assert_eq!(killed, 4);

    // The job, run to its end here.
    admissions.lock().unwrap().kill_at = None;
    let report = client(&base_url, FINAL_RUN).job(changes()).key(key).journal(&journal).run().await.unwrap();
    let lines_path = dir.join("report.jsonl");
    report.write_json_lines(&lines_path).unwrap();
    let lines: Vec<Value> = std::fs::read_to_string(&lines_path).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let _ = std::fs::remove_dir_all(&dir);

    let (before_all, this_run) = {
        let seen = admissions.lock().unwrap();
        (seen.killed_runs.clone(), seen.final_run.clone())
    };
    eprintln!(
        "final run: {} applied, {} skipped (applied by a killed run), {} unverified, in {} requests",
        report.succeeded(),
        report.skipped(),
        report.unverified(),
        report.requests()
    );
    // Every item accounted for, once.
    assert_eq!(lines.len(), ITEMS);
    assert_eq!(report.succeeded() + report.skipped() + report.unverified(), ITEMS, "{report:?}");
    assert_eq!((report.failed(), report.not_sent()), (0, 0), "{report:?}");
    let mut outcomes: HashMap<String, String> = HashMap::new();
    for line in &lines {
        let key = line["key"].as_str().unwrap().to_owned();
        assert!(outcomes.insert(key, line["outcome"].as_str().unwrap().to_owned()).is_none(), "one line per item");
    }
    assert_eq!(outcomes.len(), ITEMS);

    for (key, outcome) in &outcomes {
        let before = before_all.get(key).copied().unwrap_or(0);
        let now = this_run.get(key).copied().unwrap_or(0);
        let times = before + now;
        if key.starts_with("wipe/") {
            // A POST: admitted at most once, whatever the kills.
            assert!(times <= 1, "{key} admitted {times} times");
            match outcome.as_str() {
                // Applied in this run: never admitted before it.
                "succeeded" => assert_eq!((before, now), (0, 1), "{key}"),
                // Applied by a killed run, which recorded it.
                "skipped" => assert_eq!((before, now), (1, 0), "{key}"),
                // Sent (or about to be) by a killed run: not sent again.
                "unverified" => assert_eq!(now, 0, "{key} was sent again"),
                other => panic!("{key}: {other}"),
            }
        } else {
            // A PATCH: never unverified; resent when a run was killed before its answer.
            match outcome.as_str() {
                "succeeded" => assert_eq!(now, 1, "{key}"),
                "skipped" => assert!(before >= 1 && now == 0, "{key}"),
                other => panic!("{key}: {other}"),
            }
        }
    }
    // Nothing admitted that the report does not show: every admitted key has its line, and
    // this run admitted exactly the items it reports as succeeded.
    assert!(before_all.keys().chain(this_run.keys()).all(|key| outcomes.contains_key(key)));
    assert_eq!(this_run.values().sum::<usize>(), report.succeeded());
    assert!(report.unverified() > 0, "the kills left writes in doubt: {report:?}");
}
