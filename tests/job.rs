//! Bulk jobs against the stand-in: results as they finish, reports, progress, dry runs, lazy
//! input, and a journal that resumes a job, refuses a second job and another endpoint's items.

use futures_util::StreamExt;
use graph_endpoint::job::{JobItem, Progress};
use graph_endpoint::testing::{Reply, StandIn};
use graph_endpoint::{ErrorKind, Method, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

fn updates(n: usize) -> impl Iterator<Item = UpdateAssignment> {
    (0..n).map(|i| UpdateAssignment {
        device_configuration_id: "config-1".into(),
        device_configuration_assignment_id: format!("a-{i}"),
        body: json!({"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}),
    })
}

fn wipes(n: usize) -> impl Iterator<Item = Wipe> {
    (0..n).map(|i| Wipe { managed_device_id: format!("d-{i}") })
}

fn assignment_key(u: &UpdateAssignment) -> String {
    u.device_configuration_assignment_id.clone()
}

/// A journal path in a fresh folder under the system's temporary folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("graph-endpoint-job-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The stand-in answers 404 for assignment ids ending in 3, 204 for the others.
fn answer_most(stand_in: &StandIn) {
    stand_in.on::<UpdateAssignment>().respond_with(|call| {
        if call.path_param("deviceConfigurationAssignmentId").is_some_and(|id| id.ends_with('3')) {
            Reply::error(404, "ResourceNotFound", "No such assignment.")
        } else {
            Reply::no_content()
        }
    });
}

#[tokio::test]
async fn the_stream_yields_every_item_once_with_its_index_and_key() {
    let stand_in = StandIn::start().await;
    answer_most(&stand_in);
    let client = stand_in.client();
    let mut items: Vec<JobItem<UpdateAssignment>> =
        client.job(updates(45)).key(assignment_key).stream().map(|item| item.unwrap()).collect().await;
    items.sort_by_key(|item| item.index);
    assert_eq!(items.len(), 45);
    // In $batch requests of 20.
    assert_eq!(stand_in.batches().len(), 3);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item.index, i);
        assert_eq!(item.key.as_deref(), Some(format!("a-{i}").as_str()));
        if i % 10 == 3 {
            let error = item.result.as_ref().unwrap_err();
            assert_eq!((error.status(), error.code()), (Some(404), Some("ResourceNotFound")));
        } else {
            assert!(item.result.is_ok(), "{:?}", item.result);
        }
    }
    assert_eq!(stand_in.calls::<UpdateAssignment>().len(), 45);
}

async fn report_of(singles: bool) {
    let stand_in = StandIn::start().await;
    answer_most(&stand_in);
    let client = stand_in.client();
    let job = client.job(updates(40)).key(assignment_key);
    let report = if singles { job.singles().run().await.unwrap() } else { job.run().await.unwrap() };
    assert_eq!((report.succeeded(), report.failed(), report.unverified(), report.not_sent(), report.skipped()), (36, 4, 0, 0, 0));
    assert_eq!(report.requests(), if singles { 40 } else { 2 });
    assert_eq!(report.throttled(), 0);
    assert_eq!(report.by_code().get("ResourceNotFound"), Some(&4));
    assert_eq!(report.by_code().len(), 1);

    let scratch = Scratch::new(if singles { "report-singles" } else { "report-batch" });
    let path = scratch.path("report.jsonl");
    report.write_json_lines(&path).unwrap();
    let lines: Vec<Value> = std::fs::read_to_string(&path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 40);
    let mut indexes: Vec<u64> = lines.iter().map(|l| l["index"].as_u64().unwrap()).collect();
    indexes.sort_unstable();
    assert_eq!(indexes, (0..40).collect::<Vec<u64>>());
    let failed: Vec<&Value> = lines.iter().filter(|l| l["outcome"] == "failed").collect();
    assert_eq!(failed.len(), 4);
    for line in failed {
        assert_eq!(line["status"], 404);
        assert_eq!(line["code"], "ResourceNotFound");
        assert!(line["key"].as_str().unwrap().ends_with('3'));
        assert!(line["request-id"].is_string() && line["client-request-id"].is_string(), "{line}");
    }
    let succeeded = lines.iter().find(|l| l["outcome"] == "succeeded").unwrap();
    assert_eq!(succeeded["status"], 204);
    assert!(succeeded["code"].is_null() && succeeded["message"].is_null());
}

#[tokio::test]
async fn the_report_counts_every_item_and_writes_one_line_each() {
    report_of(false).await;
}

#[tokio::test]
async fn the_report_of_single_calls_too() {
    report_of(true).await;
}

#[tokio::test]
async fn throttled_answers_are_counted_and_sent_again() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().throttle(3, Duration::from_millis(10)).no_content();
    let report = stand_in.client().job(updates(5)).singles().in_order().run().await.unwrap();
    assert_eq!(report.succeeded(), 5);
    assert_eq!(report.throttled(), 3);
    assert_eq!(report.requests(), 8);

    // In $batch: the three throttled items go again in a follow-up request.
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().throttle(3, Duration::from_millis(10)).no_content();
    let report = stand_in.client().job(updates(5)).run().await.unwrap();
    assert_eq!((report.succeeded(), report.throttled(), report.requests()), (5, 3, 2));
}

#[tokio::test]
async fn in_order_nothing_is_sent_after_an_item_fails() {
    let stand_in = StandIn::start().await;
    answer_most(&stand_in);
    let report = stand_in.client().job(updates(30)).key(assignment_key).singles().in_order().run().await.unwrap();
    // a-0, a-1, a-2 applied; a-3 refused; a-4 .. a-29 never sent.
    assert_eq!((report.succeeded(), report.failed(), report.not_sent()), (3, 1, 26));
    assert_eq!(report.by_code().get("NotSent"), Some(&26));
    assert_eq!(stand_in.calls::<UpdateAssignment>().len(), 4);

    // In $batch: Graph answers the items after a-3 in its request 424; no later request leaves.
    let stand_in = StandIn::start().await;
    answer_most(&stand_in);
    let report = stand_in.client().job(updates(30)).key(assignment_key).in_order().run().await.unwrap();
    assert_eq!((report.succeeded(), report.failed(), report.not_sent()), (3, 17, 10), "{report:?}");
    assert_eq!(report.requests(), 1);
}

#[tokio::test]
async fn input_is_taken_only_as_chunks_leave() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().no_content();
    let taken = Arc::new(AtomicUsize::new(0));
    let counter = taken.clone();
    let input = updates(100_000).inspect(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let client = stand_in.client();
    let mut stream = client.job(input).stream();
    let first = stream.next().await.unwrap().unwrap();
    assert!(first.result.is_ok());
    // At most 4 chunks of 20 in flight, and 40 finished items waiting to be taken.
    let so_far = taken.load(Ordering::Relaxed);
    assert!(so_far <= 4 * 20 + 2 * 20, "{so_far} items taken for one result");
    let mut seen = 1;
    while let Some(item) = stream.next().await {
        item.unwrap();
        seen += 1;
        if seen == 500 {
            break;
        }
    }
    let so_far = taken.load(Ordering::Relaxed);
    assert!(so_far <= 500 + 4 * 20 + 2 * 20, "{so_far} items taken for 500 results");
}

#[tokio::test]
async fn progress_is_reported_at_most_every_100_ms_and_once_at_the_end() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().delay(Duration::from_millis(15)).no_content();
    let seen: Arc<Mutex<Vec<(tokio::time::Instant, Progress)>>> = Arc::default();
    let log = seen.clone();
    let report = stand_in
        .client()
        .job(updates(60))
        .singles()
        .in_order()
        .on_progress(move |p| log.lock().unwrap().push((tokio::time::Instant::now(), p.clone())))
        .run()
        .await
        .unwrap();
    assert_eq!(report.succeeded(), 60);
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 2, "a report on the way and one at the end");
    // Every report but the last comes at least 100 ms after the one before it.
    for pair in seen[..seen.len() - 1].windows(2) {
        assert!(pair[1].0 - pair[0].0 >= Duration::from_millis(100), "{:?}", pair[1].0 - pair[0].0);
    }
    for (_, p) in seen.iter() {
        assert_eq!(p.total(), Some(60));
        assert_eq!(p.done(), p.succeeded() + p.failed() + p.unverified() + p.not_sent() + p.skipped());
        assert!(p.in_flight() <= 20);
    }
    let (_, last) = seen.last().unwrap();
    assert_eq!((last.done(), last.succeeded(), last.in_flight(), last.requests()), (60, 60, 0, 60));
    assert_eq!(last.remaining(), Some(Duration::ZERO));
    let counts: Vec<usize> = seen.iter().map(|(_, p)| p.done()).collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
}

#[tokio::test]
async fn a_dry_run_gives_each_request_and_sends_nothing() {
    let stand_in = StandIn::start().await;
    let client = stand_in.client();
    let mut input: Vec<UpdateAssignment> = updates(3).collect();
    input[1].device_configuration_assignment_id = "a/1".into();
    // An empty path value cannot be sent: left out.
    input.push(UpdateAssignment {
        device_configuration_id: String::new(),
        device_configuration_assignment_id: "x".into(),
        body: json!({}),
    });
    let requests: Vec<graph_endpoint::http::Request<graph_endpoint::Bytes>> = client.job(input).dry_run().collect();
    assert_eq!(requests.len(), 3);
    let base = stand_in.uri();
    assert_eq!(requests[1].uri().to_string(), format!("{base}/beta/deviceManagement/deviceConfigurations/config-1/assignments/a%2F1"));
    for request in &requests {
        assert_eq!(request.method(), graph_endpoint::http::Method::PATCH);
        assert!(request.headers().get("authorization").is_none());
        assert_eq!(request.headers()["content-type"], "application/json");
        let body: Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(body["target"]["@odata.type"], "#microsoft.graph.allDevicesAssignmentTarget");
    }
    assert!(stand_in.received().is_empty());
}

#[tokio::test]
async fn a_journaled_job_run_again_skips_what_was_applied_and_sends_what_failed() {
    let stand_in = StandIn::start().await;
    answer_most(&stand_in);
    let scratch = Scratch::new("resume");
    let journal = scratch.path("assignments.sqlite");
    let client = stand_in.client();
    let first = client.job(updates(25)).key(assignment_key).journal(&journal).run().await.unwrap();
    assert_eq!((first.succeeded(), first.failed()), (22, 3));

    stand_in.reset();
    stand_in.on::<UpdateAssignment>().no_content();
    let mut again: Vec<JobItem<UpdateAssignment>> =
        client.job(updates(25)).key(assignment_key).journal(&journal).singles().stream().map(|item| item.unwrap()).collect().await;
    again.sort_by_key(|item| item.index);
    // Only the three that failed are sent and yielded.
    assert_eq!(again.iter().map(|item| item.index).collect::<Vec<_>>(), vec![3, 13, 23]);
    assert_eq!(stand_in.calls::<UpdateAssignment>().len(), 3);

    let third = client.job(updates(25)).key(assignment_key).journal(&journal).run().await.unwrap();
    assert_eq!((third.skipped(), third.succeeded(), third.requests()), (25, 0, 0));
    let lines = scratch.path("third.jsonl");
    third.write_json_lines(&lines).unwrap();
    let text = std::fs::read_to_string(&lines).unwrap();
    assert_eq!(text.lines().filter(|l| l.contains(r#""outcome":"skipped""#)).count(), 25);
}

#[tokio::test]
async fn a_post_with_an_unknown_outcome_is_reported_unverified_and_never_sent_again() {
    let stand_in = StandIn::start().await;
    // A 502: Graph may have acted on it.
    stand_in.on::<Wipe>().respond_with(|call| {
        if call.path_param("managedDeviceId").as_deref() == Some("d-2") { Reply::error(502, "BadGateway", "") } else { Reply::no_content() }
    });
    let scratch = Scratch::new("unverified");
    let journal = scratch.path("wipes.sqlite");
    let client = stand_in.client_builder().retry(RetryPolicy::none()).build().unwrap();
    let key = |w: &Wipe| w.managed_device_id.clone();
    let first = client.job(wipes(5)).key(key).journal(&journal).singles().run().await.unwrap();
    assert_eq!((first.succeeded(), first.failed()), (4, 1));
    assert_eq!(stand_in.calls::<Wipe>().len(), 5);

    stand_in.reset();
    stand_in.on::<Wipe>().no_content();
    let items: Vec<JobItem<Wipe>> = client.job(wipes(5)).key(key).journal(&journal).singles().stream().map(|i| i.unwrap()).collect().await;
    assert_eq!(items.len(), 1);
    let error = items[0].result.as_ref().unwrap_err();
    assert_eq!((items[0].index, error.kind()), (2, ErrorKind::Unverified));
    assert!(error.may_have_been_applied());
    assert!(error.request_id().is_some(), "the earlier answer's request-id, to look it up");
    assert!(stand_in.received().is_empty(), "nothing sent again");

    // And the next run says the same.
    let third = client.job(wipes(5)).key(key).journal(&journal).singles().run().await.unwrap();
    assert_eq!((third.unverified(), third.skipped(), third.requests()), (1, 4, 0));
    assert_eq!(third.by_code().get("BadGateway"), Some(&1));
}

#[tokio::test]
async fn a_journal_held_by_a_running_job_is_refused_at_once() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().delay(Duration::from_millis(300)).no_content();
    let scratch = Scratch::new("held");
    let journal = scratch.path("held.sqlite");
    let client = stand_in.client();
    let mut running = client.job(updates(3)).key(assignment_key).journal(&journal).singles().stream();
    // Started: its journal open, its requests waiting on the stand-in.
    let first = futures_util::poll!(running.next());
    assert!(first.is_pending());

    let error = client.job(updates(3)).key(assignment_key).journal(&journal).singles().run().await.unwrap_err();
    assert!(error.to_string().contains("held by another running job"), "{error}");
    let mut second = client.job(updates(3)).key(assignment_key).journal(&journal).singles().stream();
    assert!(second.next().await.unwrap().is_err());
    assert!(second.next().await.is_none(), "the error is the stream's last item");

    let done: Vec<_> = running.collect().await;
    assert_eq!(done.len(), 3);
    assert!(done.iter().all(|item| item.as_ref().is_ok_and(|item| item.result.is_ok())));
    assert_eq!(stand_in.calls::<UpdateAssignment>().len(), 3);
    // Free once the job has ended.
    let report = client.job(updates(3)).key(assignment_key).journal(&journal).singles().run().await.unwrap();
    assert_eq!(report.skipped(), 3);
}

#[tokio::test]
async fn a_journal_of_another_endpoint_is_refused_and_a_journal_needs_a_key() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().no_content();
    stand_in.on::<Wipe>().no_content();
    let scratch = Scratch::new("other");
    let journal = scratch.path("one.sqlite");
    let client = stand_in.client();
    client.job(updates(2)).key(assignment_key).journal(&journal).singles().run().await.unwrap();
    let error = client.job(wipes(2)).key(|w: &Wipe| w.managed_device_id.clone()).journal(&journal).singles().run().await.unwrap_err();
    assert!(error.to_string().contains("another job's items"), "{error}");
    assert_eq!(stand_in.calls::<Wipe>().len(), 0);

    let error = client.job(wipes(2)).journal(scratch.path("two.sqlite")).run().await.unwrap_err();
    assert!(error.to_string().contains("needs a key"), "{error}");
    assert!(stand_in.calls_to(Method::Post, "/deviceManagement/managedDevices/{managedDeviceId}/wipe").is_empty());
}

#[tokio::test]
async fn a_key_given_twice_is_an_error_of_the_second_item() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().no_content();
    let scratch = Scratch::new("twice");
    let input = updates(3).chain(updates(1));
    let report = stand_in.client().job(input).key(assignment_key).journal(scratch.path("j.sqlite")).singles().run().await.unwrap();
    assert_eq!((report.succeeded(), report.failed()), (3, 1));
    assert_eq!(report.by_code().get("InvalidRequest"), Some(&1));
    assert_eq!(stand_in.calls::<UpdateAssignment>().len(), 3);
}
