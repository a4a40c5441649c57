//! What each item of a batch gets when something fails: its own answer, its request's error,
//! or `NotSent`; never an outer error that drops the others, never "may have been applied"
//! for an item that cannot have been. One test per failure, named for what it guards.

#[path = "support/fault_server.rs"]
mod fault_server;

use fault_server::{Fault, FaultServer};
use graph_endpoint::auth::{AccessToken, BoxFuture, TokenProvider};
use graph_endpoint::testing::{Call, Reply, StandIn};
use graph_endpoint::{Client, ErrorKind, Method, RetryPolicy, graph_endpoint};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;

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

#[graph_endpoint(GET "/deviceManagement/managedDevices/{managedDeviceId}", version = "beta", response = Value)]
struct GetDevice {
    managed_device_id: String,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice", version = "beta")]
struct SyncDevice {
    managed_device_id: String,
}

// A byte body in a $batch item; the route is made up for the test, hence `unlisted`.
#[graph_endpoint(PUT "/deviceAppManagement/mobileApps/{mobileAppId}/logo", unlisted, version = "beta")]
struct UploadLogo {
    mobile_app_id: String,
    #[graph(body, content_type = "image/png")]
    logo: graph_endpoint::Bytes,
}

fn updates(n: usize) -> Vec<UpdateAssignment> {
    (0..n)
        .map(|i| UpdateAssignment { device_configuration_id: "cfg".into(), id: format!("a{i}"), body: Assignment { id: format!("a{i}") } })
        .collect()
}

fn devices(n: usize) -> Vec<GetDevice> {
    (0..n).map(|i| GetDevice { managed_device_id: format!("d{i}") }).collect()
}

fn assignment(call: &Call) -> String {
    call.json::<Assignment>().unwrap().id
}

fn echo_updates(stand_in: &StandIn) {
    stand_in.on::<UpdateAssignment>().respond_with(|call| Reply::json(200, json!({"id": assignment(call)})));
}

/// A client of the fault server: fast backoff, so that resent requests do not wait.
fn fault_client(server: &FaultServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer_token("t")
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// `{"responses": [...]}` for items `1..=n` of a chunk: `answer(id)` gives (status, headers).
fn responses(n: usize, answer: impl Fn(usize) -> (u16, Value)) -> Value {
    let items: Vec<Value> = (1..=n)
        .map(|id| {
            let (status, headers) = answer(id);
            json!({"id": id.to_string(), "status": status, "headers": headers, "body": {"id": format!("a{}", id - 1)}})
        })
        .collect();
    json!({"responses": items})
}

#[tokio::test]
async fn a_500_on_one_batch_request_fails_its_own_items_and_the_other_requests_go_on() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    stand_in.route(Method::Post, "/$batch").times(1).error(500, "InternalServerError", "down");
    let results = stand_in.client().batch(updates(60)).await;
    assert_eq!(results.len(), 60);
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(failed.len(), 20, "one request's items, no more: {results:?}");
    for error in &failed {
        assert_eq!((error.kind(), error.status(), error.code()), (ErrorKind::Api, Some(500), Some("InternalServerError")));
        assert!(error.may_have_been_applied(), "a write in a request answered 500: {error}");
        assert!(error.request_id().is_some());
    }
    let ids: HashSet<_> = failed.iter().map(|e| e.client_request_id().unwrap()).collect();
    assert_eq!(ids.len(), 1, "every item carries that request's ids");
    // The other two requests were answered, and applied.
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 40);
    stand_in.assert_calls::<UpdateAssignment>(40);
    assert_eq!(stand_in.batches().len(), 3);
}

#[tokio::test]
async fn a_batch_of_gets_answered_5xx_has_not_been_applied() {
    let stand_in = StandIn::start().await;
    stand_in.route(Method::Post, "/$batch").error(502, "BadGateway", "down");
    let mixed = stand_in.client().batch((GetDevice { managed_device_id: "d".into() }, updates(1).remove(0))).await;
    let (get, patch) = (mixed.0.unwrap_err(), mixed.1.unwrap_err());
    assert_eq!((get.status(), patch.status()), (Some(502), Some(502)));
    assert!(!get.may_have_been_applied(), "a GET applies nothing: {get}");
    assert!(patch.may_have_been_applied(), "the PATCH may have reached Graph: {patch}");
    for result in stand_in.client().batch(devices(3)).await {
        let error = result.unwrap_err();
        assert_eq!(error.status(), Some(502));
        assert!(!error.may_have_been_applied(), "{error}");
    }
}

#[tokio::test]
async fn a_reset_batch_request_fails_its_items_by_what_each_may_have_done() {
    let server = FaultServer::always(Fault::CloseAfterRead).await;
    let (sync, get) =
        fault_client(&server).batch((SyncDevice { managed_device_id: "d".into() }, GetDevice { managed_device_id: "d".into() })).await;
    let (sync, get) = (sync.unwrap_err(), get.unwrap_err());
    assert_eq!((sync.kind(), get.kind()), (ErrorKind::Transport, ErrorKind::Transport));
    assert!(sync.may_have_been_applied(), "the POST may have been read before the reset: {sync}");
    assert!(!get.may_have_been_applied(), "{get}");
    assert_eq!(server.count(), 1, "a $batch holding a POST is never resent after a reset");
}

#[tokio::test]
async fn items_answered_before_a_failed_follow_up_keep_their_answers() {
    // Round one: item 2 throttled, the others answered; the follow-up for item 2 gets 500,
    // then a reset for the next test's client.
    let first =
        responses(3, |id| if id == 2 { (429, json!({"Retry-After": "0"})) } else { (200, json!({"content-type": "application/json"})) });
    for then in [Fault::json(500, json!({"error": {"code": "x", "message": "down"}})), Fault::CloseAfterRead] {
        let server = FaultServer::start(vec![Fault::json(200, first.clone())], then).await;
        let results = fault_client(&server).batch(updates(3)).await;
        assert_eq!(results[0].as_ref().unwrap().as_ref().unwrap().id, "a0");
        assert_eq!(results[2].as_ref().unwrap().as_ref().unwrap().id, "a2");
        let error = results[1].as_ref().unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Api | ErrorKind::Transport), "{error}");
        assert!(error.may_have_been_applied(), "the follow-up may have reached Graph: {error}");
        let follow_up = &server.requests()[1];
        let sent: Value = serde_json::from_slice(&follow_up.body).unwrap();
        assert_eq!(sent["requests"].as_array().unwrap().len(), 1, "only the throttled item goes again");
    }
}

#[tokio::test]
async fn a_non_json_200_answer_fails_its_own_items() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    stand_in.route(Method::Post, "/$batch").times(1).reply(Reply::bytes(200, "text/html", "<html>maintenance</html>"));
    let results = stand_in.client().batch(updates(40)).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(failed.len(), 20);
    for error in failed {
        assert_eq!((error.kind(), error.status()), (ErrorKind::Decode, Some(200)));
        assert!(error.may_have_been_applied(), "Graph answered 200: the writes may have been applied: {error}");
        assert!(!error.to_string().contains("maintenance"), "no response values quoted: {error}");
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 20);
}

#[tokio::test]
async fn an_answer_over_the_size_bound_fails_its_own_items_by_method() {
    let stand_in = StandIn::start().await;
    let notes = "n".repeat(4096);
    stand_in.on::<GetDevice>().respond_json(json!({"notes": notes}));
    stand_in.on::<UpdateAssignment>().no_content();
    let client = stand_in.client_builder().max_response_bytes(2048).build().unwrap();
    let (get, patch) = client.batch((devices(1).remove(0), updates(1).remove(0))).await;
    let (get, patch) = (get.unwrap_err(), patch.unwrap_err());
    assert_eq!((get.kind(), patch.kind()), (ErrorKind::Limit, ErrorKind::Limit));
    assert_eq!((get.status(), patch.status()), (Some(200), Some(200)));
    assert!(!get.may_have_been_applied(), "{get}");
    assert!(patch.may_have_been_applied(), "Graph answered: the write may have been applied: {patch}");
    assert_eq!(stand_in.batches().len(), 1, "an answer over the bound is never resent");
}

struct NoToken;

impl TokenProvider for NoToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, graph_endpoint::Error>> {
        Box::pin(async { Err(graph_endpoint::Error::auth("the secret has expired")) })
    }
}

#[tokio::test]
async fn a_token_error_fails_the_items_and_none_may_have_been_applied() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    let client = stand_in.client_builder().token_provider(NoToken).build().unwrap();
    let results = client.batch(updates(30)).await;
    assert_eq!(results.len(), 30);
    for result in results {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth);
        assert!(!error.may_have_been_applied(), "nothing left the client: {error}");
    }
    assert!(stand_in.batches().is_empty());
}

#[tokio::test]
async fn an_item_missing_from_the_answer_is_its_own_error_without_an_invented_status() {
    let stand_in = StandIn::start().await;
    // The answer holds the first item only.
    stand_in.route(Method::Post, "/$batch").respond_with(|call| {
        let first = &call.json::<Value>().unwrap()["requests"][0];
        Reply::json(200, json!({"responses": [{"id": first["id"], "status": 204}]}))
    });
    let (first, patch, get) = stand_in.client().batch((updates(1).remove(0), updates(2).remove(1), devices(1).remove(0))).await;
    assert_eq!(first.unwrap(), None);
    for (error, write) in [(patch.unwrap_err(), true), (get.unwrap_err(), false)] {
        assert_eq!((error.kind(), error.status()), (ErrorKind::Decode, None), "{error}");
        assert!(error.message().contains("no response for this item"), "{error}");
        assert_eq!(error.may_have_been_applied(), write, "{error}");
        assert!(error.client_request_id().is_some());
    }
}

#[tokio::test]
async fn in_order_stops_at_the_first_failed_item_across_requests() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    stand_in.route(Method::Patch, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/a2").error(
        404,
        "ResourceNotFound",
        "gone",
    );
    let results = stand_in.client().batch(updates(25)).in_order().await;
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(results[2].as_ref().unwrap_err().status(), Some(404));
    for (i, result) in results.iter().enumerate().skip(3) {
        let error = result.as_ref().unwrap_err();
        assert!(!error.may_have_been_applied(), "{i}: {error}");
        if i < 20 {
            // In the failed item's own request: Graph did not run it.
            assert_eq!(error.status(), Some(424), "{i}: {error}");
            assert!(error.retry_note().unwrap().contains("index 2"), "{i}: {error}");
        } else {
            // In the next request, which is never sent.
            assert_eq!(error.kind(), ErrorKind::NotSent, "{i}: {error}");
            assert!(error.message().contains("index 2") && error.message().contains("\"3\""), "{i}: {error}");
        }
    }
    assert_eq!(stand_in.batches().len(), 1, "nothing after the failed item is sent");
    stand_in.assert_calls::<UpdateAssignment>(3);
}

#[tokio::test]
async fn in_order_sends_nothing_after_an_item_refused_before_sending() {
    let stand_in = StandIn::start().await;
    echo_updates(&stand_in);
    let mut items = updates(5);
    items[2].id = String::new();
    let results = stand_in.client().batch(items).in_order().await;
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(results[2].as_ref().unwrap_err().kind(), ErrorKind::InvalidRequest);
    for result in &results[3..] {
        let error = result.as_ref().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotSent);
        assert!(error.message().contains("index 2"), "{error}");
    }
    stand_in.assert_calls::<UpdateAssignment>(2);
}

#[tokio::test]
async fn every_item_with_a_body_carries_its_content_type_first_round_and_resends() {
    let stand_in = StandIn::start().await;
    for (method, template) in [
        (Method::Patch, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{id}"),
        (Method::Post, "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice"),
        (Method::Put, "/deviceAppManagement/mobileApps/{mobileAppId}/logo"),
    ] {
        stand_in.route(method, template).throttle(1, Duration::from_millis(1)).no_content();
    }
    let logo = UploadLogo { mobile_app_id: "app".into(), logo: graph_endpoint::Bytes::from_static(b"\x89PNG") };
    let (update, sync, upload) = stand_in.client().batch((updates(1).remove(0), SyncDevice { managed_device_id: "d".into() }, logo)).await;
    assert!(update.is_ok() && sync.is_ok() && upload.is_ok(), "the stand-in refuses a body without Content-Type, as Graph does");
    let batches = stand_in.batches();
    assert_eq!(batches.len(), 2, "one resend round");
    for batch in batches {
        for item in batch.json::<Value>().unwrap()["requests"].as_array().unwrap() {
            let content_type = item["headers"]["Content-Type"].as_str();
            assert!(item.get("body").is_some(), "{item}");
            let expected = if item["method"] == "PUT" { "image/png" } else { "application/json" };
            assert_eq!(content_type, Some(expected), "{item}");
        }
    }
}

#[tokio::test]
async fn an_out_of_range_retry_after_fails_its_item_alone_without_panicking() {
    let huge = ["1e30", "inf", "1e19"];
    for policy in [RetryPolicy::default(), RetryPolicy::default().max_delay(Duration::MAX).max_total(Duration::MAX)] {
        let stand_in = StandIn::start().await;
        stand_in.on::<UpdateAssignment>().respond_with(move |call| match assignment(call).as_str() {
            "a1" => Reply::status(429).header("Retry-After", huge[0]),
            "a2" => Reply::status(429).header("Retry-After", huge[1]),
            "a3" => Reply::status(503).header("Retry-After", huge[2]),
            id => Reply::json(200, json!({"id": id})),
        });
        let client = stand_in.client_builder().retry(policy.base_delay(Duration::from_millis(1))).build().unwrap();
        let results = client.batch(updates(5)).await;
        assert!(results[0].is_ok() && results[4].is_ok(), "{results:?}");
        for error in results[1..4].iter().map(|r| r.as_ref().unwrap_err()) {
            assert!(matches!(error.status(), Some(429 | 503)), "{error}");
            assert!(error.retry_note().unwrap().contains("more than max_delay"), "{error}");
            assert!(!error.may_have_been_applied());
        }
        assert_eq!(stand_in.batches().len(), 1, "nothing resent");
        // The client's gate did not close for those: the next write goes at once.
        stand_in.reset();
        echo_updates(&stand_in);
        assert!(client.send(&updates(1).remove(0)).await.is_ok());
    }
}

#[tokio::test]
async fn a_single_call_answered_an_out_of_range_retry_after_is_not_resent() {
    for huge in ["1e30", "inf", "1e19"] {
        let stand_in = StandIn::start().await;
        stand_in.on::<UpdateAssignment>().reply(Reply::status(429).header("Retry-After", huge));
        let error = stand_in.client().send(&updates(1).remove(0)).await.unwrap_err();
        assert!(error.is_throttled(), "{error}");
        assert!(error.retry_note().unwrap().contains("more than max_delay"), "{huge}: {error}");
        stand_in.assert_calls::<UpdateAssignment>(1);
    }
}

#[tokio::test]
async fn follow_up_rounds_end_within_max_total() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().reply(Reply::throttled(Duration::from_millis(40)));
    let policy = RetryPolicy::default().max_total(Duration::from_millis(200)).max_throttled_retries(1000);
    let client = stand_in.client_builder().retry(policy).build().unwrap();
    let results = client.batch(updates(2)).await;
    for result in results {
        let error = result.unwrap_err();
        assert!(error.is_throttled());
        assert!(error.retry_note().unwrap().contains("max_total"), "{error}");
    }
    // At most one round per 40 ms of the 200 ms, and the first.
    let rounds = stand_in.batches().len();
    assert!((2..=6).contains(&rounds), "{rounds} rounds");
}
