//! JSON `$batch` against the crate's own stand-in, which speaks `$batch` as Graph does:
//! items answered by the routes declared for their endpoint types, in a shuffled order,
//! throttled, failed and answered `204` as the routes say, `dependsOn` honoured.

use graph_endpoint::testing::{Reply, StandIn};
use graph_endpoint::{Bytes, Collection, ErrorKind, Method, RateLimit, RetryPolicy, graph_endpoint};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Assignment {
    id: String,
}

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{id}", version = "beta", response = Option<Assignment>)]
struct UpdateAssignment {
    device_configuration_id: String,
    id: String,
    #[graph(body)]
    body: Assignment,
}

#[graph_endpoint(GET "/users/{userId}", response = Value)]
struct GetUser {
    user_id: String,
    #[graph(query = "$select")]
    select: Option<String>,
}

#[graph_endpoint(GET "/deviceManagement/managedDevices", version = "beta", response = Collection<Value>)]
struct ListDevices;

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe")]
struct Wipe {
    managed_device_id: String,
}

#[graph_endpoint(PUT "/me/photo/$value", response = Option<Value>)]
struct UploadPhoto {
    #[graph(body, content_type = "image/jpeg")]
    photo: Bytes,
}

#[graph_endpoint(GET "/me/photo/$value", response = Bytes)]
struct DownloadPhoto;

fn updates(n: usize) -> Vec<UpdateAssignment> {
    (0..n)
        .map(|i| UpdateAssignment { device_configuration_id: "cfg".into(), id: format!("a{i}"), body: Assignment { id: format!("a{i}") } })
        .collect()
}

/// The assignment id of an update call (its body's).
fn assignment(call: &graph_endpoint::testing::Call) -> String {
    call.json::<Assignment>().unwrap().id
}

/// Answers every update with its own assignment.
fn echo_updates(stand_in: &StandIn) {
    stand_in.on::<UpdateAssignment>().respond_with(|call| Reply::json(200, json!({"id": assignment(call)})));
}

/// The items of every `$batch` envelope, in sending order: (batch path, item).
fn items(stand_in: &StandIn) -> Vec<(String, Value)> {
    stand_in
        .batches()
        .iter()
        .flat_map(|b| {
            let body: Value = b.json().unwrap();
            body["requests"].as_array().unwrap().iter().map(|i| (b.path().to_owned(), i.clone())).collect::<Vec<_>>()
        })
        .collect()
}

fn sizes(stand_in: &StandIn) -> Vec<usize> {
    stand_in.batches().iter().map(|b| b.json::<Value>().unwrap()["requests"].as_array().unwrap().len()).collect()
}

/// How many times each assignment has been answered so far (1 for the first time).
fn round_of(rounds: &Mutex<HashMap<String, u32>>, id: &str) -> u32 {
    let mut rounds = rounds.lock().unwrap();
    let n = rounds.entry(id.to_owned()).or_default();
    *n += 1;
    *n
}

#[tokio::test]
async fn many_of_one_type_are_chunked_by_20_with_results_in_input_order() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    let results = stand_in.client().batch(updates(45)).await;
    assert_eq!(results.len(), 45);
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result.as_ref().unwrap().as_ref().unwrap().id, format!("a{i}"));
    }
    let mut chunks = sizes(&stand_in);
    chunks.sort();
    assert_eq!(chunks, [5, 20, 20]);
    let items = items(&stand_in);
    let first = items.iter().map(|(_, i)| i).find(|i| i["body"]["id"] == "a0").unwrap();
    assert_eq!(items[0].0, "/beta/$batch");
    assert_eq!(first["method"], "PATCH");
    assert_eq!(first["url"], "/deviceManagement/deviceConfigurations/cfg/assignments/a0");
    assert_eq!(first["headers"]["Content-Type"], "application/json");
    assert_eq!(first["body"], json!({"id": "a0"}), "JSON bodies are inlined");
    let ids: std::collections::HashSet<String> = items.iter().map(|(_, i)| i["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 45, "unique item ids");
    // Each item is a call of its endpoint type, with its own path parameters.
    let calls = stand_in.assert_calls::<UpdateAssignment>(45);
    assert!(calls.iter().all(|c| c.path_param("deviceConfigurationId").as_deref() == Some("cfg")));
}

#[tokio::test]
async fn a_tuple_of_different_types_gives_typed_results() {
    let stand_in = StandIn::start().await;
    stand_in
        .on::<GetUser>()
        .respond_with(|call| Reply::json(200, json!({"displayName": call.path_param("userId"), "select": call.query("$select")})));
    stand_in.on::<ListDevices>().respond_json(json!({"value": [{"id": "d1"}, {"id": "d2"}]}));
    stand_in.on::<DownloadPhoto>().reply(Reply::bytes(200, "image/jpeg", vec![0xff, 0xd8, 0xff, 0xe0]));
    let get_user = GetUser { user_id: "adele".into(), select: Some("displayName".into()) };
    let (user, devices, photo) = stand_in.client().batch((&get_user, &ListDevices, DownloadPhoto)).await;
    let user = user.unwrap();
    assert_eq!((user["displayName"].as_str(), user["select"].as_str()), (Some("adele"), Some("displayName")));
    assert_eq!(devices.unwrap().value.len(), 2);
    assert_eq!(&photo.unwrap()[..], &[0xff, 0xd8, 0xff, 0xe0], "a base64 body of a non-JSON answer is decoded");
    // Versions go in separate $batch requests.
    let mut paths: Vec<String> = stand_in.batches().iter().map(|b| b.path().to_owned()).collect();
    paths.sort();
    assert_eq!(paths, ["/beta/$batch", "/v1.0/$batch"]);
}

#[tokio::test]
async fn throttled_items_are_resent_after_the_largest_retry_after_and_nothing_else_is() {
    let stand_in = StandIn::start().await;
    let rounds = Arc::new(Mutex::new(HashMap::new()));
    stand_in.on::<UpdateAssignment>().respond_with(move |call| {
        let id = assignment(call);
        let n: usize = id[1..].parse().unwrap();
        match (n % 5, round_of(&rounds, &id)) {
            (0, 1) => Reply::throttled(Duration::from_millis(50)),
            (1, 1) => Reply::status(503).header("Retry-After", "0.15"),
            (2, _) => Reply::error(404, "ResourceNotFound", "gone").header("request-id", &format!("item-{n}")),
            (3, _) => Reply::no_content(),
            _ => Reply::json(200, json!({"id": id})),
        }
    });
    let started = Instant::now();
    let results = stand_in.client().batch(&updates(20)).await;
    assert!(started.elapsed() >= Duration::from_millis(150), "waited for the largest Retry-After: {:?}", started.elapsed());
    for (i, result) in results.iter().enumerate() {
        match i % 5 {
            2 => {
                let error = result.as_ref().unwrap_err();
                assert_eq!((error.status(), error.code(), error.message()), (Some(404), Some("ResourceNotFound"), "gone"));
                assert!(error.request_id().is_some());
                assert!(error.client_request_id().is_some());
            }
            3 => assert_eq!(result.as_ref().unwrap(), &None, "204 gives None"),
            _ => assert_eq!(result.as_ref().unwrap().as_ref().unwrap().id, format!("a{i}")),
        }
    }
    // Two rounds: all 20, then only the 8 throttled ones.
    assert_eq!(sizes(&stand_in), [20, 8]);
    let second: Value = stand_in.batches()[1].json().unwrap();
    let resent: Vec<&str> = second["requests"].as_array().unwrap().iter().map(|i| i["body"]["id"].as_str().unwrap()).collect();
    assert!(resent.iter().all(|id| matches!(id[1..].parse::<usize>().unwrap() % 5, 0 | 1)), "{resent:?}");
    stand_in.assert_calls::<UpdateAssignment>(28);
}

#[tokio::test]
async fn an_item_asking_for_too_long_a_wait_fails_alone() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().respond_with(|call| match assignment(call).as_str() {
        "a1" => Reply::throttled(Duration::from_secs(3600)),
        id => Reply::json(200, json!({"id": id})),
    });
    let results = stand_in.client().batch(updates(3)).await;
    let error = results[1].as_ref().unwrap_err();
    assert!(error.is_throttled() && error.retry_after() == Some(Duration::from_secs(3600)), "{error}");
    assert!(results[0].is_ok() && results[2].is_ok());
    assert_eq!(stand_in.batches().len(), 1);
}

#[tokio::test]
async fn in_order_chains_items_with_depends_on() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    // The second item is throttled once: the stand-in, as Graph, answers its dependents 424.
    stand_in
        .route(Method::Patch, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/a1")
        .throttle(1, Duration::from_millis(10))
        .json(200, json!({"id": "a1"}));
    let results = stand_in.client().batch(updates(4)).in_order().await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let first: Value = stand_in.batches()[0].json().unwrap();
    let first = &first["requests"];
    assert!(first[0].get("dependsOn").is_none());
    assert_eq!(first[1]["dependsOn"], json!(["1"]));
    assert_eq!(first[3]["dependsOn"], json!(["3"]));
    // The throttled item and its dependents (424) go again, in order.
    let second: Value = stand_in.batches()[1].json().unwrap();
    let second: Vec<&str> = second["requests"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(second, ["2", "3", "4"]);
    // Items Graph did not run are no calls: 4 in the first round less 2, then 3.
    stand_in.assert_calls::<UpdateAssignment>(5);
}

#[tokio::test]
async fn byte_bodies_go_as_base64_with_their_content_type() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UploadPhoto>().no_content();
    let results = stand_in.client().batch(vec![UploadPhoto { photo: Bytes::from_static(&[0xff, 0xd8]) }]).await;
    assert_eq!(results[0].as_ref().unwrap(), &None);
    let item = &items(&stand_in)[0].1;
    assert_eq!(item["headers"]["Content-Type"], "image/jpeg");
    assert_eq!(item["body"], "/9g=");
    // The call as the endpoint's route sees it: the bytes, with their type.
    let call = &stand_in.assert_calls::<UploadPhoto>(1)[0];
    assert_eq!(call.body(), [0xff, 0xd8]);
    assert_eq!(call.header("content-type"), Some("image/jpeg"));
}

#[tokio::test]
async fn a_failed_batch_request_fails_its_own_items() {
    let stand_in = StandIn::start().await;
    stand_in.route(Method::Post, "/$batch").error(500, "x", "down");
    let results = stand_in.client().batch(vec![Wipe { managed_device_id: "d".into() }]).await;
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(500));
    assert!(error.may_have_been_applied(), "a write in a $batch that failed with 500");
    // Items refused before sending are their own errors; the others still go.
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    let mut items = updates(2);
    items[0].id = String::new();
    let results = stand_in.client().batch(items).await;
    assert_eq!(results[0].as_ref().unwrap_err().kind(), ErrorKind::InvalidRequest);
    assert!(results[1].is_ok());
    stand_in.assert_calls::<UpdateAssignment>(1);
}

#[tokio::test]
async fn batch_items_count_one_each_against_the_rate_limit() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    let client = stand_in.client_builder().rate_limit(RateLimit::new(10, Duration::from_millis(300))).build().unwrap();
    let started = Instant::now();
    let results = client.batch(updates(25)).await;
    assert!(results.iter().all(Result::is_ok));
    // Chunks of at most 10 items (the most that may start at once), 10 per 300 ms.
    assert_eq!(sizes(&stand_in), [10, 10, 5]);
    assert!(started.elapsed() >= Duration::from_millis(600), "{:?}", started.elapsed());
}

/// A throttled item holds back the client's other writes until its `Retry-After`, as a
/// single call's `429` does: the next write reaches the server no sooner than that after the
/// item was answered (the server's own clock; a loaded machine only makes it later).
#[tokio::test]
async fn throttled_items_close_the_clients_gate_as_a_single_call_does() {
    let stand_in = StandIn::start().await;
    let arrivals: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let log = arrivals.clone();
    stand_in.on::<UpdateAssignment>().respond_with(move |call| {
        let id = assignment(call);
        log.lock().unwrap().push((id.clone(), Instant::now()));
        match id.as_str() {
            "a1" => Reply::throttled(Duration::from_secs(1)),
            _ => Reply::json(200, json!({"id": id})),
        }
    });
    // No resends: the batch returns with the throttled item's error, and the gate it closed
    // is all that stands between the next write and the wire.
    let client = stand_in.client_builder().retry(RetryPolicy::none()).build().unwrap();
    let results = client.batch(updates(3)).await;
    assert!(results[1].as_ref().unwrap_err().is_throttled());
    assert!(results[0].is_ok() && results[2].is_ok());
    client.send(&updates(1).remove(0)).await.unwrap();
    let arrivals = arrivals.lock().unwrap();
    let throttled_at = arrivals.iter().find(|(id, _)| id == "a1").unwrap().1;
    let (last_id, arrived) = arrivals.last().unwrap().clone();
    assert_eq!((last_id.as_str(), arrivals.len()), ("a0", 4));
    assert!(arrived - throttled_at >= Duration::from_secs(1), "the next write went {:?} after the throttled item", arrived - throttled_at);
}
