//! JSON `$batch` against a loopback stand-in that answers items out of order, throttles some
//! with their own `Retry-After`, and answers 404 and 204 items.

use graph_endpoint::{Bytes, Client, Collection, ErrorKind, RateLimit, RetryPolicy, graph_endpoint};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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

/// Decides one item's answer: `(round of this item, request item) -> (status, headers, body)`.
type Answerer = dyn Fn(u32, &Value) -> (u16, Value, Option<Value>) + Send + Sync;

/// A `$batch` endpoint: records every batch request, answers its items in reverse order.
#[derive(Clone)]
struct Stand {
    batches: Arc<Mutex<Vec<(String, Value)>>>,
    rounds: Arc<Mutex<HashMap<String, u32>>>,
    answer: Arc<Answerer>,
}

impl Stand {
    fn new(answer: impl Fn(u32, &Value) -> (u16, Value, Option<Value>) + Send + Sync + 'static) -> Stand {
        Stand { batches: Arc::default(), rounds: Arc::default(), answer: Arc::new(answer) }
    }

    async fn serve(&self) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path("/v1.0/$batch")).respond_with(self.clone()).mount(&server).await;
        Mock::given(method("POST")).and(path("/beta/$batch")).respond_with(self.clone()).mount(&server).await;
        server
    }

    fn batches(&self) -> Vec<(String, Value)> {
        self.batches.lock().unwrap().clone()
    }

    /// Every item sent, in sending order: (batch path, item).
    fn items(&self) -> Vec<(String, Value)> {
        self.batches()
            .into_iter()
            .flat_map(|(path, b)| b["requests"].as_array().unwrap().iter().map(move |i| (path.clone(), i.clone())).collect::<Vec<_>>())
            .collect()
    }
}

impl Respond for Stand {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        self.batches.lock().unwrap().push((request.url.path().to_owned(), body.clone()));
        let mut responses = Vec::new();
        for item in body["requests"].as_array().unwrap().iter().rev() {
            let key = format!("{} {}", item["method"], item["url"]);
            let round = {
                let mut rounds = self.rounds.lock().unwrap();
                let n = rounds.entry(key).or_default();
                *n += 1;
                *n
            };
            let (status, headers, body) = (self.answer)(round, item);
            let mut response = json!({"id": item["id"], "status": status, "headers": headers});
            if let Some(body) = body {
                response["body"] = body;
            }
            responses.push(response);
        }
        ResponseTemplate::new(200).insert_header("request-id", "batch-request").set_body_json(json!({"responses": responses}))
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn ok_json(body: Value) -> (u16, Value, Option<Value>) {
    (200, json!({"content-type": "application/json"}), Some(body))
}

fn updates(n: usize) -> Vec<UpdateAssignment> {
    (0..n)
        .map(|i| UpdateAssignment { device_configuration_id: "cfg".into(), id: format!("a{i}"), body: Assignment { id: format!("a{i}") } })
        .collect()
}

#[tokio::test]
async fn many_of_one_type_are_chunked_by_20_with_results_in_input_order() {
    let stand = Stand::new(|_, item| ok_json(json!({"id": item["body"]["id"]})));
    let server = stand.serve().await;
    let results = client(&server).batch(updates(45)).await;
    assert_eq!(results.len(), 45);
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result.as_ref().unwrap().as_ref().unwrap().id, format!("a{i}"));
    }
    let batches = stand.batches();
    let sizes: Vec<usize> = batches.iter().map(|(_, b)| b["requests"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [20, 20, 5]);
    let first = &batches[0].1["requests"][0];
    assert_eq!(batches[0].0, "/beta/$batch");
    assert_eq!(first["method"], "PATCH");
    assert_eq!(first["url"], "/deviceManagement/deviceConfigurations/cfg/assignments/a0");
    assert_eq!(first["headers"]["Content-Type"], "application/json");
    assert_eq!(first["body"], json!({"id": "a0"}), "JSON bodies are inlined");
    let ids: std::collections::HashSet<String> = stand.items().iter().map(|(_, i)| i["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 45, "unique item ids");
}

#[tokio::test]
async fn a_tuple_of_different_types_gives_typed_results() {
    let stand = Stand::new(|_, item| match item["url"].as_str().unwrap() {
        "/users/adele?$select=displayName" => ok_json(json!({"displayName": "Adele"})),
        "/deviceManagement/managedDevices" => ok_json(json!({"value": [{"id": "d1"}, {"id": "d2"}]})),
        "/me/photo/$value" => (200, json!({"content-type": "image/jpeg"}), Some(json!("/9j/4A=="))),
        other => panic!("unexpected {other}"),
    });
    let server = stand.serve().await;
    let get_user = GetUser { user_id: "adele".into(), select: Some("displayName".into()) };
    let (user, devices, photo) = client(&server).batch((&get_user, &ListDevices, DownloadPhoto)).await;
    assert_eq!(user.unwrap()["displayName"], "Adele");
    assert_eq!(devices.unwrap().value.len(), 2);
    assert_eq!(&photo.unwrap()[..], &[0xff, 0xd8, 0xff, 0xe0], "a base64 body of a non-JSON answer is decoded");
    // Versions go in separate $batch requests.
    let mut paths: Vec<String> = stand.batches().into_iter().map(|(p, _)| p).collect();
    paths.sort();
    assert_eq!(paths, ["/beta/$batch", "/v1.0/$batch"]);
}

#[tokio::test]
async fn throttled_items_are_resent_after_the_largest_retry_after_and_nothing_else_is() {
    let stand = Stand::new(|round, item| {
        let n: usize = item["body"]["id"].as_str().unwrap()[1..].parse().unwrap();
        match (n % 5, round) {
            (0, 1) => (429, json!({"Retry-After": "0.05"}), Some(json!({"error": {"code": "TooManyRequests", "message": "slow down"}}))),
            (1, 1) => (503, json!({"Retry-After": "0.15"}), None),
            (2, _) => (
                404,
                json!({"content-type": "application/json", "request-id": format!("item-{n}")}),
                Some(json!({"error": {"code": "ResourceNotFound", "message": "gone"}})),
            ),
            (3, _) => (204, json!({}), None),
            _ => ok_json(json!({"id": item["body"]["id"]})),
        }
    });
    let server = stand.serve().await;
    let started = Instant::now();
    let results = client(&server).batch(&updates(20)).await;
    assert!(started.elapsed() >= Duration::from_millis(150), "waited for the largest Retry-After: {:?}", started.elapsed());
    for (i, result) in results.iter().enumerate() {
        match i % 5 {
            2 => {
                let error = result.as_ref().unwrap_err();
                assert_eq!((error.status(), error.code(), error.message()), (Some(404), Some("ResourceNotFound"), "gone"));
                assert_eq!(error.request_id(), Some(format!("item-{i}").as_str()));
                assert!(error.client_request_id().is_some());
            }
            3 => assert_eq!(result.as_ref().unwrap(), &None, "204 gives None"),
            _ => assert_eq!(result.as_ref().unwrap().as_ref().unwrap().id, format!("a{i}")),
        }
    }
    // Two rounds: all 20, then only the 8 throttled ones.
    let sizes: Vec<usize> = stand.batches().iter().map(|(_, b)| b["requests"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [20, 8]);
    let resent: Vec<String> =
        stand.batches()[1].1["requests"].as_array().unwrap().iter().map(|i| i["body"]["id"].as_str().unwrap().to_owned()).collect();
    assert!(resent.iter().all(|id| matches!(id[1..].parse::<usize>().unwrap() % 5, 0 | 1)), "{resent:?}");
}

#[tokio::test]
async fn an_item_asking_for_too_long_a_wait_fails_alone() {
    let stand = Stand::new(|_, item| match item["body"]["id"].as_str().unwrap() {
        "a1" => (429, json!({"Retry-After": "3600"}), None),
        id => ok_json(json!({"id": id})),
    });
    let server = stand.serve().await;
    let results = client(&server).batch(updates(3)).await;
    let error = results[1].as_ref().unwrap_err();
    assert!(error.is_throttled() && error.retry_after() == Some(Duration::from_secs(3600)), "{error}");
    assert!(results[0].is_ok() && results[2].is_ok());
    assert_eq!(stand.batches().len(), 1);
}

#[tokio::test]
async fn in_order_chains_items_with_depends_on() {
    let stand = Stand::new(|round, item| match (item["body"]["id"].as_str().unwrap(), round) {
        ("a1", 1) => (429, json!({"Retry-After": "0.01"}), None),
        (_, 1) if item["dependsOn"] == json!(["2"]) || item["dependsOn"] == json!(["3"]) => (424, json!({}), None),
        (id, _) => ok_json(json!({"id": id})),
    });
    let server = stand.serve().await;
    let results = client(&server).batch(updates(4)).in_order().await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let first = &stand.batches()[0].1["requests"];
    assert!(first[0].get("dependsOn").is_none());
    assert_eq!(first[1]["dependsOn"], json!(["1"]));
    assert_eq!(first[3]["dependsOn"], json!(["3"]));
    // The throttled item and its dependents (424) go again, in order.
    let second: Vec<String> =
        stand.batches()[1].1["requests"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(second, ["2", "3", "4"]);
}

#[tokio::test]
async fn byte_bodies_go_as_base64_with_their_content_type() {
    let stand = Stand::new(|_, _| (204, json!({}), None));
    let server = stand.serve().await;
    let results = client(&server).batch(vec![UploadPhoto { photo: Bytes::from_static(&[0xff, 0xd8]) }]).await;
    assert_eq!(results[0].as_ref().unwrap(), &None);
    let item = &stand.items()[0].1;
    assert_eq!(item["headers"]["Content-Type"], "image/jpeg");
    assert_eq!(item["body"], "/9g=");
}

#[tokio::test]
async fn a_failed_batch_request_fails_its_own_items() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": {"code": "x", "message": "down"}})))
        .mount(&server)
        .await;
    let results = client(&server).batch(vec![Wipe { managed_device_id: "d".into() }]).await;
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(500));
    assert!(error.may_have_been_applied(), "a write in a $batch that failed with 500");
    // Items refused before sending are their own errors; the others still go.
    let stand = Stand::new(|_, item| ok_json(json!({"id": item["body"]["id"]})));
    let server = stand.serve().await;
    let mut items = updates(2);
    items[0].id = String::new();
    let results = client(&server).batch(items).await;
    assert_eq!(results[0].as_ref().unwrap_err().kind(), ErrorKind::InvalidRequest);
    assert!(results[1].is_ok());
    assert_eq!(stand.items().len(), 1);
}

#[tokio::test]
async fn batch_items_count_one_each_against_the_rate_limit() {
    let stand = Stand::new(|_, item| ok_json(json!({"id": item["body"]["id"]})));
    let server = stand.serve().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .rate_limit(RateLimit::new(10, Duration::from_millis(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let results = client.batch(updates(25)).await;
    assert!(results.iter().all(Result::is_ok));
    // Chunks of at most 10 items (the most that may start at once), 10 per 300 ms.
    let sizes: Vec<usize> = stand.batches().iter().map(|(_, b)| b["requests"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [10, 10, 5]);
    assert!(started.elapsed() >= Duration::from_millis(600), "{:?}", started.elapsed());
}

/// A throttled item holds back the client's other writes until its `Retry-After`, as a
/// single call's `429` does: the next write reaches the server no sooner than that after the
/// item was answered (the server's own clock; a loaded machine only makes it later).
#[tokio::test]
async fn throttled_items_close_the_clients_gate_as_a_single_call_does() {
    let throttled_at = Arc::new(Mutex::new(None::<Instant>));
    let stand = {
        let throttled_at = throttled_at.clone();
        Stand::new(move |_, item| match item["body"]["id"].as_str().unwrap() {
            "a1" => {
                throttled_at.lock().unwrap().get_or_insert_with(Instant::now);
                (429, json!({"Retry-After": "1"}), Some(json!({"error": {"code": "TooManyRequests", "message": "slow down"}})))
            }
            id => ok_json(json!({"id": id})),
        })
    };
    let server = stand.serve().await;
    let arrived = Arc::new(Mutex::new(None::<Instant>));
    let recorder = arrived.clone();
    Mock::given(method("PATCH"))
        .respond_with(move |_: &Request| {
            recorder.lock().unwrap().get_or_insert_with(Instant::now);
            ResponseTemplate::new(204)
        })
        .mount(&server)
        .await;
    // No resends: the batch returns with the throttled item's error, and the gate it closed
    // is all that stands between the next write and the wire.
    let client = Client::builder().base_url(server.uri()).bearer_token("t").retry(RetryPolicy::none()).build().unwrap();
    let results = client.batch(updates(3)).await;
    assert!(results[1].as_ref().unwrap_err().is_throttled());
    assert!(results[0].is_ok() && results[2].is_ok());
    client.send(&updates(1).remove(0)).await.unwrap();
    let (throttled_at, arrived) = (throttled_at.lock().unwrap().unwrap(), arrived.lock().unwrap().unwrap());
    assert!(arrived - throttled_at >= Duration::from_secs(1), "the next write went {:?} after the throttled item", arrived - throttled_at);
}
