//! `graph_endpoint::testing` as a user's own tests use it: the stand-in answers the user's
//! endpoint types, the user's functions run against it, and the test reads back what they sent.

use graph_endpoint::endpoint::{Answer, DecodeError, PathWriter, decode_json};
use graph_endpoint::testing::{Reply, StandIn};
use graph_endpoint::{ApiVersion, Client, Collection, Endpoint, Error, ErrorKind, Method, RetryPolicy, graph_endpoint};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

// The user's endpoints.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Target {
    #[serde(rename = "@odata.type")]
    odata_type: String,
    group_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AssignmentPatch {
    target: Target,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Assignment {
    id: String,
    target: Target,
}

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}", version = "beta", response = Option<Assignment>)]
struct UpdateAssignment {
    device_configuration_id: String,
    device_configuration_assignment_id: String,
    #[graph(body)]
    body: AssignmentPatch,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: String,
}

#[graph_endpoint(GET "/users/{userId}", response = User)]
struct GetUser {
    user_id: String,
    #[graph(query = "$select")]
    select: Vec<String>,
}

#[graph_endpoint(GET "/users('{userId}')", response = User)]
struct GetUserByKey {
    user_id: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Device {
    id: String,
}

#[graph_endpoint(GET "/deviceManagement/managedDevices", version = "beta", response = Collection<Device>)]
struct ListDevices {
    #[graph(query = "$filter")]
    filter: Option<String>,
    #[graph(header = "ConsistencyLevel")]
    consistency_level: Option<String>,
}

#[graph_endpoint(response = User)]
enum GetManager {
    #[graph(GET "/users/{userId}/manager")]
    Of { user_id: String },
    #[graph(GET "/me/manager")]
    Mine,
}

// The user's functions under test.

/// Points an assignment at a group.
async fn retarget(client: &Client, configuration: &str, assignment: &str, group: &str) -> Result<Option<Assignment>, Error> {
    let target = Target { odata_type: "#microsoft.graph.groupAssignmentTarget".into(), group_id: group.into() };
    let update = UpdateAssignment {
        device_configuration_id: configuration.into(),
        device_configuration_assignment_id: assignment.into(),
        body: AssignmentPatch { target },
    };
    client.send(&update).await
}

/// The ids of the Windows devices.
async fn windows_devices(client: &Client) -> Result<Vec<String>, Error> {
    let list = ListDevices { filter: Some("operatingSystem eq 'Windows'".into()), consistency_level: Some("eventual".into()) };
    let devices = client.stream(&list).collect_all().await?;
    Ok(devices.into_iter().map(|device| device.id).collect())
}

/// A user's display name.
async fn display_name(client: &Client, id: &str) -> Result<String, Error> {
    Ok(client.send(&GetUser { user_id: id.into(), select: vec!["displayName".into()] }).await?.display_name)
}

fn group_target(group: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": group})
}

#[tokio::test]
async fn a_user_tests_their_update_function() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().json(200, json!({"id": "c-1_g-1", "target": group_target("g-2")}));

    let updated = retarget(&stand_in.client(), "c-1", "c-1_g-1", "g-2").await.unwrap().unwrap();
    assert_eq!(updated.id, "c-1_g-1");
    assert_eq!(updated.target.group_id, "g-2");

    let calls = stand_in.assert_calls::<UpdateAssignment>(1);
    let call = &calls[0];
    assert_eq!(call.method(), Method::Patch);
    assert_eq!(call.version(), ApiVersion::Beta);
    assert_eq!(call.path(), "/beta/deviceManagement/deviceConfigurations/c-1/assignments/c-1_g-1");
    assert_eq!(call.template(), Some(UpdateAssignment::routes()[0].1));
    assert_eq!(call.path_param("deviceConfigurationId").as_deref(), Some("c-1"));
    assert_eq!(call.path_param("deviceConfigurationAssignmentId").as_deref(), Some("c-1_g-1"));
    assert_eq!(call.path_param("nope"), None);
    assert_eq!(call.header("authorization"), Some("Bearer stand-in-token"));
    assert_eq!(call.header("Content-Type"), Some("application/json"));
    let sent: AssignmentPatch = call.json().unwrap();
    assert_eq!(sent.target, Target { odata_type: "#microsoft.graph.groupAssignmentTarget".into(), group_id: "g-2".into() });
    assert_eq!(serde_json::from_slice::<Value>(call.body()).unwrap(), json!({"target": group_target("g-2")}));

    // 204: the function's `None`.
    stand_in.on::<UpdateAssignment>().no_content();
    assert_eq!(retarget(&stand_in.client(), "c-1", "c-1_g-1", "g-3").await.unwrap(), None);
    let calls = stand_in.assert_calls::<UpdateAssignment>(2);
    assert_eq!(calls[1].json::<AssignmentPatch>().unwrap().target.group_id, "g-3");
    assert_eq!(stand_in.calls::<GetUser>().len(), 0);
}

#[tokio::test]
async fn pages_stream_through_the_client() {
    let stand_in = StandIn::start().await;
    stand_in.on::<ListDevices>().pages(vec![
        vec![json!({"id": "d-1"}), json!({"id": "d-2"})],
        vec![json!({"id": "d-3"})],
        vec![json!({"id": "d-4"}), json!({"id": "d-5"})],
    ]);

    assert_eq!(windows_devices(&stand_in.client()).await.unwrap(), ["d-1", "d-2", "d-3", "d-4", "d-5"]);

    let calls = stand_in.assert_calls::<ListDevices>(3);
    let tokens: Vec<_> = calls.iter().map(|call| call.query("$skiptoken")).collect();
    assert_eq!(tokens, [None, Some("1".into()), Some("2".into())]);
    for call in &calls {
        // The link keeps the first request's query, and the client re-sends its headers.
        assert_eq!(call.query("$filter").as_deref(), Some("operatingSystem eq 'Windows'"), "{call}");
        assert_eq!(call.header("consistencylevel"), Some("eventual"), "{call}");
        assert_eq!(call.path(), "/beta/deviceManagement/managedDevices");
    }

    // The items typed, page by page.
    let mut items = stand_in.client().stream(&ListDevices { filter: None, consistency_level: None });
    let mut seen = Vec::new();
    while let Some(item) = items.next_item().await {
        seen.push(item.unwrap());
    }
    assert_eq!(items.pages(), 3);
    assert_eq!(seen[2], Device { id: "d-3".into() });

    // No pages is one empty page.
    stand_in.on::<ListDevices>().pages(Vec::<Vec<Value>>::new());
    assert!(windows_devices(&stand_in.client()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_graph_error_reaches_the_caller_as_an_error() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().error(404, "Request_ResourceNotFound", "Resource 'nobody' does not exist.");

    let error = display_name(&stand_in.client(), "nobody").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some("Request_ResourceNotFound"));
    assert_eq!(error.message(), "Resource 'nobody' does not exist.");
    let request_id = error.request_id().expect("a request-id");
    assert_eq!(request_id.len(), 36, "{request_id}");
    assert!(error.date().is_some());
    // The stand-in echoes the client's own id, in the body and the header.
    let call = &stand_in.assert_calls::<GetUser>(1)[0];
    assert_eq!(error.client_request_id(), call.header("client-request-id"));
    assert_eq!(call.query("$select").as_deref(), Some("displayName"));

    // A bare status: still an error with that status.
    stand_in.on::<GetUser>().status(403);
    let error = display_name(&stand_in.client(), "u-1").await.unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert!(error.request_id().is_some());
}

#[tokio::test]
async fn throttled_calls_are_retried_until_answered() {
    let stand_in = StandIn::start().await;
    let wait = Duration::from_millis(15);
    stand_in.on::<UpdateAssignment>().throttle(2, wait).json(200, json!({"id": "a-1", "target": group_target("g-1")}));

    let started = Instant::now();
    let updated = retarget(&stand_in.client(), "c-1", "a-1", "g-1").await.unwrap();
    assert_eq!(updated.unwrap().id, "a-1");
    assert!(started.elapsed() >= 2 * wait, "Retry-After was not honoured: {:?}", started.elapsed());
    // Two throttled attempts and the answered one, each with the same body.
    let calls = stand_in.assert_calls::<UpdateAssignment>(3);
    assert!(calls.iter().all(|call| call.json::<AssignmentPatch>().unwrap().target.group_id == "g-1"));

    // Without retries the caller sees Graph's throttling answer.
    stand_in.on::<UpdateAssignment>().throttle(1, Duration::from_millis(2128)).no_content();
    let client = stand_in.client_builder().retry(RetryPolicy::none()).build().unwrap();
    let error = retarget(&client, "c-1", "a-1", "g-1").await.unwrap_err();
    assert!(error.is_throttled());
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.code(), Some("TooManyRequests"));
    assert_eq!(error.inner_code(), Some("429"));
    assert_eq!(error.retry_after(), Some(Duration::from_millis(2128)));
    // The throttling is used up: the next call is answered.
    assert_eq!(retarget(&client, "c-1", "a-1", "g-1").await.unwrap(), None);
}

#[tokio::test]
async fn hostile_ids_are_read_back_as_sent() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUserByKey>().json(200, json!({"id": "u", "displayName": "quoted"}));
    stand_in.on::<GetUser>().json(200, json!({"id": "u", "displayName": "plain"}));
    let client = stand_in.client();
    let hostile = "a/b c'd";

    assert_eq!(client.send(&GetUserByKey { user_id: hostile.into() }).await.unwrap().display_name, "quoted");
    assert_eq!(display_name(&client, hostile).await.unwrap(), "plain");

    let quoted = &stand_in.assert_calls::<GetUserByKey>(1)[0];
    assert_eq!(quoted.path(), "/v1.0/users('a%2Fb%20c%27%27d')");
    assert_eq!(quoted.path_param("userId").as_deref(), Some(hostile));
    let plain = &stand_in.assert_calls::<GetUser>(1)[0];
    assert_eq!(plain.path(), "/v1.0/users/a%2Fb%20c%27d");
    assert_eq!(plain.path_param("userId").as_deref(), Some(hostile));

    for id in ["ünïcødé", "100%", "x?y#z", "O''Brien", "a+b&c=d", "#EXT#@contoso.onmicrosoft.com"] {
        client.send(&GetUserByKey { user_id: id.into() }).await.unwrap();
        client.send(&GetUser { user_id: id.into(), select: vec![] }).await.unwrap();
        assert_eq!(stand_in.calls::<GetUserByKey>().last().unwrap().path_param("userId").as_deref(), Some(id));
        assert_eq!(stand_in.calls::<GetUser>().last().unwrap().path_param("userId").as_deref(), Some(id));
    }
}

#[tokio::test]
async fn query_and_headers_are_read_back_decoded() {
    let stand_in = StandIn::start().await;
    stand_in.on::<ListDevices>().respond_json(json!({"value": []}));
    let filter = "deviceName eq 'A&B #1' and x+y=ü";
    let list = ListDevices { filter: Some(filter.into()), consistency_level: Some("eventual".into()) };
    stand_in.client().request(&list).top(5).select(["id", "deviceName"]).header("Prefer", "odata.maxpagesize=5").send().await.unwrap();

    let call = &stand_in.assert_calls::<ListDevices>(1)[0];
    assert_eq!(call.query("$filter").as_deref(), Some(filter));
    assert_eq!(call.query("$top").as_deref(), Some("5"));
    assert_eq!(call.query("$select").as_deref(), Some("id,deviceName"));
    assert_eq!(call.query("$count"), None);
    assert!(call.query_string().unwrap().contains("$top=5"));
    assert_eq!(call.query_pairs().count(), 3);
    assert_eq!(call.header("ConsistencyLevel"), Some("eventual"));
    assert_eq!(call.header("prefer"), Some("odata.maxpagesize=5"));
    assert_eq!(call.header("x-missing"), None);
    assert_eq!(call.body(), b"");
}

/// A hand-written endpoint without `routes()`: answered by method and template.
struct RenameUser {
    user_id: String,
    name: String,
}

impl Endpoint for RenameUser {
    type Response = Value;
    fn method(&self) -> Method {
        Method::Patch
    }
    fn template(&self) -> &'static str {
        "/users/{userId}"
    }
    fn write_path(&self, path: &mut PathWriter<'_>) -> Result<(), Error> {
        path.literal("/users/");
        path.param("userId", &self.user_id, false, true)
    }
    fn write_body(&self, body: &mut graph_endpoint::endpoint::BodyWriter<'_>) -> Result<(), Error> {
        body.json(&json!({"displayName": self.name}))
    }
    fn decode_response(answer: &Answer<'_>) -> Result<Value, DecodeError> {
        decode_json(answer.body)
    }
}

#[tokio::test]
async fn routes_by_method_and_template() {
    let stand_in = StandIn::start().await;
    stand_in.route(Method::Patch, "/users/{userId}").json(200, json!({"ok": true}));
    stand_in.route(Method::Get, "/users/{userId}").json(200, json!({"id": "u", "displayName": "Adele"}));

    let answer = stand_in.client().send(&RenameUser { user_id: "u-1".into(), name: "Adele V".into() }).await.unwrap();
    assert_eq!(answer, json!({"ok": true}));
    assert_eq!(display_name(&stand_in.client(), "u-1").await.unwrap(), "Adele");

    let calls = stand_in.assert_calls_to(Method::Patch, "/users/{userId}", 1);
    assert_eq!(calls[0].path_param("userId").as_deref(), Some("u-1"));
    assert_eq!(calls[0].json::<Value>().unwrap()["displayName"], "Adele V");
    stand_in.assert_calls_to(Method::Get, "/users/{userId}", 1);
    assert!(stand_in.calls_to(Method::Delete, "/users/{userId}").is_empty());
    // Every request, in order, with the route that answered it.
    let received = stand_in.received();
    assert_eq!(received.iter().map(|call| call.method()).collect::<Vec<_>>(), [Method::Patch, Method::Get]);
    assert!(received.iter().all(|call| call.template() == Some("/users/{userId}")));
}

#[tokio::test]
async fn an_unmatched_request_is_a_404_that_says_what_was_asked() {
    let stand_in = StandIn::start().await;
    stand_in.on::<UpdateAssignment>().no_content();

    let error = display_name(&stand_in.client(), "adele@contoso.com").await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some("StandIn_NoRoute"));
    let message = error.message();
    assert!(message.contains("GET /v1.0/users/adele%40contoso.com?$select=displayName"), "{message}");
    assert!(message.contains("PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments"), "{message}");
    assert!(message.contains("UpdateAssignment"), "{message}");
    // Still a call of the type whose route it is.
    let call = &stand_in.assert_calls::<GetUser>(1)[0];
    assert_eq!(call.path_param("userId").as_deref(), Some("adele@contoso.com"));
    assert_eq!(stand_in.received()[0].template(), None);

    let empty = StandIn::start().await;
    let error = display_name(&empty.client(), "x").await.unwrap_err();
    assert!(error.message().contains("No route is declared"), "{}", error.message());
}

#[tokio::test]
async fn the_latest_route_wins_and_times_hands_back_to_earlier_ones() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().json(200, json!({"id": "u", "displayName": "first"}));
    stand_in.on::<GetUser>().json(200, json!({"id": "u", "displayName": "second"}));
    assert_eq!(display_name(&stand_in.client(), "u").await.unwrap(), "second");

    // Unavailable once, then the earlier answer: the client retries the 503.
    stand_in.on::<GetUser>().times(1).status(503);
    assert_eq!(display_name(&stand_in.client(), "u").await.unwrap(), "second");
    stand_in.assert_calls::<GetUser>(3);

    // A route for one version only.
    stand_in.on::<GetUser>().version(ApiVersion::Beta).json(200, json!({"id": "u", "displayName": "beta"}));
    assert_eq!(display_name(&stand_in.client(), "u").await.unwrap(), "second");
    let beta = stand_in.client_builder().default_version(ApiVersion::Beta).build().unwrap();
    assert_eq!(display_name(&beta, "u").await.unwrap(), "beta");
    assert_eq!(stand_in.calls::<GetUser>().last().unwrap().version(), ApiVersion::Beta);

    stand_in.reset();
    assert!(stand_in.received().is_empty());
    assert_eq!(display_name(&stand_in.client(), "u").await.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn every_route_of_an_enum_type_is_answered() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetManager>().json(200, json!({"id": "m", "displayName": "Manager"}));
    let client = stand_in.client();
    client.send(&GetManager::Of { user_id: "u-1".into() }).await.unwrap();
    client.send(&GetManager::Mine).await.unwrap();

    let calls = stand_in.assert_calls::<GetManager>(2);
    assert_eq!(calls[0].template(), Some("/users/{userId}/manager"));
    assert_eq!(calls[0].path_param("userId").as_deref(), Some("u-1"));
    assert_eq!(calls[1].template(), Some("/me/manager"));
}

#[tokio::test]
async fn answers_made_from_the_call_and_delays() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().delay(Duration::from_millis(50)).respond_with(|call| {
        let id = call.path_param("userId").unwrap_or_default();
        Reply::json(200, json!({"id": id, "displayName": id.to_uppercase()})).header("x-seen", "yes")
    });

    let started = Instant::now();
    let response = stand_in.client().execute(&GetUser { user_id: "adele".into(), select: vec![] }).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert_eq!(response.value().display_name, "ADELE");
    assert_eq!(response.headers()["x-seen"], "yes");
    assert!(response.request_id().is_some());

    let impatient = stand_in.client_builder().timeout(Duration::from_millis(10)).retry(RetryPolicy::none()).build().unwrap();
    let error = display_name(&impatient, "adele").await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn a_failed_count_lists_what_was_received() {
    let stand_in = StandIn::start().await;
    stand_in.on::<GetUser>().json(200, json!({"id": "u", "displayName": "A"}));
    display_name(&stand_in.client(), "u-1").await.unwrap();
    let _ = retarget(&stand_in.client(), "c", "a", "g").await;

    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stand_in.assert_calls::<GetUser>(2))).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("assertion `left == right` failed"), "{message}");
    assert!(message.contains("left: 1\n right: 2"), "{message}");
    assert!(message.contains("GET /v1.0/users/u-1?$select=displayName -> 200"), "{message}");
    assert!(message.contains("PATCH /beta/deviceManagement/deviceConfigurations/c/assignments/a -> 404"), "{message}");

    // A type the stand-in cannot tell the calls of.
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stand_in.calls::<RenameUser>())).unwrap_err();
    assert!(panic.downcast_ref::<String>().unwrap().contains("declares no routes"));
}
