//! The stand-in's `$batch`, seen from the wire: envelopes posted as any client (or a user's
//! own code) would post them, answered as Graph answers them.

use graph_endpoint::graph_endpoint;
use graph_endpoint::testing::{Reply, StandIn};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[graph_endpoint(GET "/users/{userId}", response = Value)]
struct GetUser {
    user_id: String,
}

/// Posts `envelope` to the stand-in's `$batch` under `v1.0`: (status, answer).
async fn post(stand_in: &StandIn, envelope: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/v1.0/$batch", stand_in.uri()))
        .header("authorization", "Bearer t")
        .header("client-request-id", "envelope-1")
        .json(envelope)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn get(id: &str, url: &str) -> Value {
    json!({"id": id, "method": "GET", "url": url})
}

/// The answers by id.
fn by_id(answer: &Value) -> std::collections::HashMap<String, Value> {
    answer["responses"].as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap().to_owned(), r.clone())).collect()
}

#[tokio::test]
async fn envelopes_that_break_graphs_rules_are_refused_whole_with_graphs_400() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().respond_json(json!({}));
    let many: Vec<Value> = (1..=21).map(|i| get(&i.to_string(), "/users/u")).collect();
    let cases = [
        json!({"requests": many}),
        json!({"requests": [get("a", "/users/u"), get("A", "/users/v")]}),
        json!({"requests": [get("1", "https://graph.microsoft.com/v1.0/users/u")]}),
        json!({"requests": [{"id": "1", "method": "PATCH", "url": "/users/u", "body": {"x": 1}}]}),
        json!({"requests": [{"id": "1", "method": "POST", "url": "/users/u/revokeSignInSessions"}]}),
        json!({"requests": [{"id": "1", "method": "GET", "url": "/users/u", "dependsOn": ["2"]}]}),
        json!({"batch": []}),
    ];
    for envelope in &cases {
        let (status, answer) = post(&stand_in, envelope).await;
        assert_eq!(status, 400, "{envelope}");
        assert_eq!(answer["error"]["code"], "BadRequest", "{answer}");
    }
    assert!(stand_in.received().is_empty(), "no item of a refused envelope runs");
    assert_eq!(stand_in.batches().len(), cases.len(), "every envelope is readable");
}

#[tokio::test]
async fn items_are_answered_by_their_routes_as_single_calls_are() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().respond_with(|call| Reply::json(200, json!({"id": call.path_param("userId")})));
    stand_in.on::<GetUser>().times(1).error(404, "Request_ResourceNotFound", "no such user");
    stand_in.route(graph_endpoint::Method::Get, "/users/slow").delay(Duration::from_millis(150)).respond_json(json!({"id": "slow"}));
    stand_in.route(graph_endpoint::Method::Get, "/users/busy").throttle(1, Duration::from_millis(2500)).respond_json(json!({}));
    let envelope = json!({"requests": [
        get("1", "/users/first"),
        get("2", "/users/second?$select=id"),
        get("3", "/users/slow"),
        get("4", "/users/busy"),
        get("5", "/groups/g"),
    ]});
    let started = Instant::now();
    let (status, answer) = post(&stand_in, &envelope).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150), "the envelope waits for its slowest item");
    let answers = by_id(&answer);
    // The first item to arrive takes the `times(1)` route.
    let statuses: Vec<u64> = ["1", "2", "3", "4", "5"].iter().map(|id| answers[*id]["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 404).count(), 2, "{answer}");
    assert_eq!(answers["3"]["body"], json!({"id": "slow"}));
    assert_eq!(answers["4"]["status"], 429);
    assert_eq!(answers["4"]["headers"]["retry-after"], "2.5");
    assert_eq!(answers["5"]["body"]["error"]["code"], "StandIn_NoRoute");
    assert_eq!(answers["2"]["headers"]["Content-Type"], "application/json");
    // Items are calls of their endpoint type, with the envelope's credentials and ids.
    let calls = stand_in.assert_calls::<GetUser>(4);
    assert!(calls.iter().all(|c| c.header("authorization") == Some("Bearer t") && c.header("client-request-id") == Some("envelope-1")));
    assert!(calls.iter().any(|c| c.path() == "/v1.0/users/second" && c.query("$select").as_deref() == Some("id")));
}

#[tokio::test]
async fn answers_come_in_an_order_shuffled_by_the_seed() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().respond_json(json!({}));
    let envelope = json!({"requests": (1..=20).map(|i| get(&i.to_string(), &format!("/users/u{i}"))).collect::<Vec<_>>()});
    let order =
        |answer: &Value| answer["responses"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let in_order: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    let mut orders = Vec::new();
    for seed in [7, 7, 8] {
        stand_in.reset();
        stand_in.on::<GetUser>().respond_json(json!({}));
        stand_in.shuffle_seed(seed);
        orders.push(order(&post(&stand_in, &envelope).await.1));
    }
    assert_ne!(orders[0], in_order, "shuffled");
    assert_eq!(orders[0], orders[1], "the same seed, the same order");
    assert_ne!(orders[0], orders[2], "another seed, another order");
    let mut sorted = orders[2].clone();
    sorted.sort_by_key(|id| id.parse::<u32>().unwrap());
    assert_eq!(sorted, in_order, "every item answered once");
}

#[tokio::test]
async fn an_item_whose_dependency_failed_is_not_run_and_is_answered_424() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().respond_json(json!({}));
    stand_in.route(graph_endpoint::Method::Get, "/users/gone").error(404, "Request_ResourceNotFound", "gone");
    let envelope = json!({"requests": [
        {"id": "c", "method": "GET", "url": "/users/c", "dependsOn": ["B"]},
        {"id": "b", "method": "GET", "url": "/users/b", "dependsOn": ["a"]},
        {"id": "a", "method": "GET", "url": "/users/gone"},
        {"id": "d", "method": "GET", "url": "/users/d"},
    ]});
    let (status, answer) = post(&stand_in, &envelope).await;
    assert_eq!(status, 200);
    let answers = by_id(&answer);
    assert_eq!(answers["a"]["status"], 404);
    assert_eq!(answers["b"]["status"], 424);
    assert_eq!(answers["c"]["status"], 424);
    assert_eq!(answers["d"]["status"], 200);
    // Only what ran is a call: the failed item and the independent one.
    let paths: Vec<String> = stand_in.received().iter().map(|c| c.path().to_owned()).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths.contains(&"/v1.0/users/gone".to_owned()) && paths.contains(&"/v1.0/users/d".to_owned()));
}
