//! The client against a real HTTP server on loopback (wiremock): exact requests for every
//! seed operation, responses, Graph errors, encoding of hostile ids, and configuration rules.

#[path = "../examples/common/seeds.rs"]
mod seeds;

use graph_endpoint::{Client, ErrorKind, graph_endpoint};
use seeds::*;
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "eyJ0eXAiOiJKV1Qi.secret-part.signature";

async fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).bearer_token(TOKEN).build().unwrap()
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn assert_graph_headers(request: &Request, with_body: bool) {
    let h = |name: &str| request.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(h("authorization").as_deref(), Some(&*format!("Bearer {TOKEN}")));
    assert_eq!(h("accept").as_deref(), Some("application/json"));
    assert_eq!(h("user-agent").as_deref(), Some(concat!("graph-endpoint/", env!("CARGO_PKG_VERSION"))));
    let id = h("client-request-id").expect("client-request-id");
    let id = uuid::Uuid::parse_str(&id).expect("client-request-id is a UUID");
    assert_eq!(id.get_version_num(), 4);
    assert_eq!(h("content-type").as_deref(), with_body.then_some("application/json"));
}

/// Mounts a PATCH at `route` expecting exactly `body`, answering `response`.
async fn expect_patch(server: &MockServer, route: &str, body: Value, response: ResponseTemplate) {
    Mock::given(method("PATCH"))
        .and(path(route))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

fn page(status: u16, json: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(json.to_owned(), "application/json")
}

#[tokio::test]
async fn seed_000_update_device_configuration_assignments() {
    let server = MockServer::start().await;
    let route = "/beta/deviceManagement/deviceConfigurations/cfg-1/assignments";
    expect_patch(&server, route, as_sent(pages::S000_REQUEST), page(200, pages::S000_RESPONSE)).await;
    let update = UpdateDeviceConfigurationAssignments { device_configuration_id: "cfg-1".into(), assignment: body(pages::S000_REQUEST) };
    let response = client(&server).await.send(&update).await.unwrap();
    assert_eq!(response, Some(body(pages::S000_RESPONSE)));
    assert_eq!(response.unwrap().id.as_deref(), Some("d731ff83-ff83-d731-83ff-31d783ff31d7"));
    assert_graph_headers(&only_request(&server).await, true);
}

#[tokio::test]
async fn seed_001_update_device_configuration_assignment() {
    let server = MockServer::start().await;
    let route = "/v1.0/deviceManagement/deviceConfigurations/cfg-1/assignments/d59b6342-6342-d59b-4263-9bd542639bd5";
    expect_patch(&server, route, as_sent(pages::S001_REQUEST), page(200, pages::S001_RESPONSE)).await;
    let update = UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_id("cfg-1")
        .device_configuration_assignment_id("d59b6342-6342-d59b-4263-9bd542639bd5")
        .assignment(body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
        .build();
    let response = client(&server).await.send(&update).await.unwrap().expect("a body");
    assert_eq!(
        response.target.kind,
        graph_endpoint::intune::TargetKind::ConfigurationManagerCollection { collection_id: "Collection Id value".into() }
    );
    assert_graph_headers(&only_request(&server).await, true);
}

#[tokio::test]
async fn seed_002_update_enrollment_configuration_assignments() {
    let server = MockServer::start().await;
    let route = "/beta/users/adele.vance%40contoso.com/deviceEnrollmentConfigurations/enr-1/assignments";
    expect_patch(&server, route, as_sent(pages::S002_REQUEST), page(200, pages::S002_RESPONSE)).await;
    let update = UpdateEnrollmentConfigurationAssignments {
        users_id: "adele.vance@contoso.com".into(),
        device_enrollment_configuration_id: "enr-1".into(),
        assignment: body(pages::S002_REQUEST),
    };
    let response = client(&server).await.send(&update).await.unwrap();
    assert_eq!(response, Some(body(pages::S002_RESPONSE)));
    assert_graph_headers(&only_request(&server).await, true);
}

#[tokio::test]
async fn seed_003_all_ten_routes() {
    let server = MockServer::start().await;
    let assignment: DeviceConfigurationAssignment = body(pages::S003_REQUEST);
    let routes = UpdateCertificateAssignment::all_routes("cfg-1", "asg-1", "root-1", &assignment);
    let paths = [
        "/beta/deviceManagement/deviceConfigurations/cfg-1/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/rootCertificate/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/identityCertificate/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/identityCertificate/rootCertificate/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/microsoft.graph.windowsPhone81VpnConfiguration/identityCertificate/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/microsoft.graph.macOSWiredNetworkConfiguration/rootCertificateForServerValidation/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/microsoft.graph.macOSWiredNetworkConfiguration/identityCertificateForClientAuthentication/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/identityCertificateForClientAuthentication/assignments/asg-1",
        "/beta/deviceManagement/deviceConfigurations/cfg-1/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/root-1/assignments/asg-1",
    ];
    for route in paths {
        expect_patch(&server, route, as_sent(pages::S003_REQUEST), page(200, pages::S003_RESPONSE)).await;
    }
    let client = client(&server).await;
    for endpoint in &routes {
        let response = client.send(endpoint).await.unwrap().expect("a body");
        assert_eq!(response.source_id.as_deref(), Some("Source Id value"));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 10);
}

#[tokio::test]
async fn seed_004_update_ios_lob_app_assignments() {
    let server = MockServer::start().await;
    let route = "/beta/deviceAppManagement/iosLobAppProvisioningConfigurations/ios-1/assignments";
    expect_patch(&server, route, as_sent(pages::S004_REQUEST), page(200, pages::S004_RESPONSE)).await;
    let update = UpdateIosLobAppProvisioningConfigurationAssignments {
        ios_lob_app_provisioning_configuration_id: "ios-1".into(),
        assignment: body(pages::S004_REQUEST),
    };
    let response = client(&server).await.send(&update).await.unwrap();
    assert_eq!(response, Some(body(pages::S004_RESPONSE)));
    assert_graph_headers(&only_request(&server).await, true);
}

#[tokio::test]
async fn no_content_and_empty_bodies_decode_as_none() {
    let server = MockServer::start().await;
    let client = client(&server).await;
    let update =
        |id: &str| UpdateDeviceConfigurationAssignments { device_configuration_id: id.into(), assignment: body(pages::S000_REQUEST) };
    Mock::given(path("/beta/deviceManagement/deviceConfigurations/a/assignments"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(path("/beta/deviceManagement/deviceConfigurations/b/assignments"))
        .respond_with(ResponseTemplate::new(200).insert_header("content-length", "0"))
        .mount(&server)
        .await;
    Mock::given(path("/beta/deviceManagement/deviceConfigurations/c/assignments"))
        .respond_with(ResponseTemplate::new(202).set_body_raw("  ", "application/json"))
        .mount(&server)
        .await;
    for id in ["a", "b", "c"] {
        assert_eq!(client.send(&update(id)).await.unwrap(), None, "{id}");
    }
}

#[tokio::test]
async fn every_seed_accepts_204() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(204)).expect(5).mount(&server).await;
    let client = client(&server).await;
    let a000 = UpdateDeviceConfigurationAssignments { device_configuration_id: "c".into(), assignment: body(pages::S000_REQUEST) };
    assert_eq!(client.send(&a000).await.unwrap(), None);
    let a001 = UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_id("c")
        .device_configuration_assignment_id("a")
        .assignment(body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
        .build();
    assert_eq!(client.send(&a001).await.unwrap(), None);
    let a002 = UpdateEnrollmentConfigurationAssignments {
        users_id: "u".into(),
        device_enrollment_configuration_id: "e".into(),
        assignment: body(pages::S002_REQUEST),
    };
    assert_eq!(client.send(&a002).await.unwrap(), None);
    let a003 = UpdateCertificateAssignment::all_routes("c", "a", "r", &body(pages::S003_REQUEST)).pop().unwrap();
    assert_eq!(client.send(&a003).await.unwrap(), None);
    let a004 = UpdateIosLobAppProvisioningConfigurationAssignments {
        ios_lob_app_provisioning_configuration_id: "i".into(),
        assignment: body(pages::S004_REQUEST),
    };
    assert_eq!(client.send(&a004).await.unwrap(), None);
}

#[graph_endpoint(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}", response = DeviceConfigurationAssignment)]
struct GetRequired {
    device_configuration_id: String,
}

#[graph_endpoint(DELETE "/deviceManagement/deviceConfigurations/{deviceConfigurationId}")]
struct DeleteConfiguration {
    device_configuration_id: String,
}

#[tokio::test]
async fn required_response_on_empty_body_says_to_declare_option() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let error = client(&server).await.send(&GetRequired { device_configuration_id: "x".into() }).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status(), Some(204));
    assert!(error.message().contains("Option<"), "{error}");
}

#[tokio::test]
async fn undecodable_success_body_keeps_status_and_no_snippet() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page(200, r#"{"id": 42}"#)).mount(&server).await;
    let error = client(&server).await.send(&GetRequired { device_configuration_id: "x".into() }).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.body_snippet(), None);
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Person {
    mail: u64,
    #[serde(rename = "businessPhones", default)]
    business_phones: Vec<u64>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
enum Hint {
    Hidden,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct PasswordCredential {
    #[serde(rename = "keyId")]
    key_id: String,
    #[serde(rename = "secretText")]
    secret_text: Hint,
}

#[graph_endpoint(GET "/users", response = graph_endpoint::Collection<Person>)]
struct ListPeople;

#[graph_endpoint(POST "/applications/{applicationId}/addPassword", response = PasswordCredential)]
struct AddPassword {
    application_id: String,
}

const MAIL: &str = "adele.vance@contoso.com";
const PHONE: &str = "+1 425 555 0109";
const SECRET: &str = "Zx8Q~qMfT3pS4n0tR3al.s3cr3tT3xt";

/// Neither Display nor Debug of the error holds any of `values`.
fn quotes_none(error: &graph_endpoint::Error, values: &[&str]) {
    for shown in [error.to_string(), format!("{error:?}")] {
        for value in values {
            assert!(!shown.contains(value), "{value:?} quoted in {shown}");
        }
    }
}

/// A success body that does not decode gives the type, the JSON path and the line and column,
/// never the values it holds (a mail address, a phone number, a new secret).
#[tokio::test]
async fn decode_errors_never_quote_response_values() {
    let server = MockServer::start().await;
    let people = json!({"value": [
        {"mail": 1}, {"mail": 2}, {"mail": 3}, {"mail": MAIL}
    ]});
    Mock::given(path("/v1.0/users")).respond_with(ResponseTemplate::new(200).set_body_json(people)).mount(&server).await;
    let phones = json!({"value": [{"mail": 1, "businessPhones": [PHONE]}]});
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(phones))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let secret = json!({"keyId": "5f2b0f2e-0000-0000-0000-000000000000", "secretText": SECRET, "displayName": "ci"});
    Mock::given(path("/v1.0/applications/app-1/addPassword"))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret).insert_header("request-id", "req-pw"))
        .mount(&server)
        .await;
    let client = client(&server).await;

    let error = client.send(&ListPeople).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    quotes_none(&error, &[PHONE, "425"]);
    assert!(error.message().contains("at `value[0].businessPhones[0]`"), "{error}");

    let error = client.send(&ListPeople).await.unwrap_err();
    quotes_none(&error, &[MAIL, "adele"]);
    let display = error.to_string();
    for part in ["Collection<", "Person>", "at `value[3].mail`", "line 1, column", "found a string where u64 is expected"] {
        assert!(display.contains(part), "{part:?} missing from {display}");
    }

    let error = client.send(&AddPassword { application_id: "app-1".into() }).await.unwrap_err();
    quotes_none(&error, &[SECRET, "Zx8Q", "s3cr3t"]);
    assert!(error.message().contains("at `secretText`"), "{error}");
    assert_eq!(error.request_id(), Some("req-pw"));
    assert!(error.may_have_been_applied(), "the POST was answered 2xx: {error}");
    assert_eq!(error.body_snippet(), None);
}

/// The same for the items of a `$batch`: an item's answer that does not decode quotes none of
/// its values.
#[tokio::test]
async fn batch_item_decode_errors_never_quote_response_values() {
    let server = MockServer::start().await;
    let answer = json!({"responses": [{"id": "1", "status": 200, "headers": {"content-type": "application/json"},
        "body": {"value": [{"mail": MAIL}]}}]});
    Mock::given(path("/v1.0/$batch")).respond_with(ResponseTemplate::new(200).set_body_json(answer)).mount(&server).await;
    let results = client(&server).await.batch(vec![ListPeople]).await;
    // Debug of whatever `batch` gives: every error it holds, shown.
    let shown = format!("{results:?}");
    assert!(shown.contains("value[0].mail"), "{shown}");
    for value in [MAIL, "adele"] {
        assert!(!shown.contains(value), "{value:?} quoted in {shown}");
    }
}

/// Graph's own `message` and `code` reach Display on one line, without control characters or
/// terminal escapes, and cut at 1,024 characters.
#[tokio::test]
async fn graph_message_and_code_are_cleaned_and_bounded() {
    let server = MockServer::start().await;
    let message = format!("Denied.\r\n\u{1b}[2J\u{1b}[31mFAKE: all good\u{1b}[0m\u{7}{}", "y".repeat(10_000));
    let body = json!({"error": {"code": "Forbidden\r\n\u{1b}[1m", "message": message}});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(403).set_body_json(body)).mount(&server).await;
    let error = client(&server).await.send(&GetManager { user_id: "u".into() }).await.unwrap_err();
    assert_eq!(error.code(), Some("Forbidden"));
    assert!(error.message().starts_with("Denied. FAKE: all goodyyy"), "{}", error.message());
    assert_eq!(error.message().chars().count(), 1025);
    assert!(error.message().ends_with('…'));
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(['\r', '\n', '\u{1b}', '\u{7}']), "{shown}");
        assert!(shown.len() < 1400, "{}", shown.len());
    }
}

#[tokio::test]
async fn no_declared_response_ignores_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(page(200, "not json at all")).mount(&server).await;
    client(&server).await.send(&DeleteConfiguration { device_configuration_id: "x".into() }).await.unwrap();
    assert_graph_headers(&only_request(&server).await, false);
}

#[tokio::test]
async fn intune_error_with_json_in_its_message() {
    let server = MockServer::start().await;
    let message = "{\r\n  \"_version\": 3,\r\n  \"Message\": \"An error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: 7b4f5c3a-0000-0000-0000-000000000000 - Url: https://fef.msua06.manage.microsoft.com/DeviceConfiguration_2402/StatelessDeviceConfigurationFEService/deviceManagement/deviceConfigurations('x')/assignments\",\r\n  \"CustomApiErrorPhrase\": \"\",\r\n  \"RetryAfter\": null,\r\n  \"ErrorSourceService\": \"\",\r\n  \"HttpHeaders\": \"{}\"\r\n}";
    let body = json!({"error": {"code": "BadRequest", "message": message, "innerError": {"date": "2024-05-01T10:00:00", "request-id": "req-123", "client-request-id": "cli-456"}}});
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let update = UpdateDeviceConfigurationAssignments { device_configuration_id: "x".into(), assignment: body_of_000() };
    let error = client(&server).await.send(&update).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.code(), Some("BadRequest"));
    assert!(error.message().starts_with("An error has occurred - Operation ID"), "{}", error.message());
    assert_eq!(error.request_id(), Some("req-123"));
    // The id that was sent, not the one the body names.
    let sent = only_request(&server).await.headers.get("client-request-id").unwrap().to_str().unwrap().to_owned();
    assert_eq!(error.client_request_id(), Some(sent.as_str()));
    let display = error.to_string();
    assert!(!display.contains('\n'));
    for part in ["400", "BadRequest", "An error has occurred", "req-123"] {
        assert!(display.contains(part), "{display}");
    }
}

fn body_of_000() -> DeviceConfigurationAssignment {
    body(pages::S000_REQUEST)
}

#[tokio::test]
async fn throttling_error_and_ids_from_headers() {
    let server = MockServer::start().await;
    let body = json!({"error": {"code": "TooManyRequests", "message": "Too many requests.", "innererror": {"code": "429", "date": "2024-05-01T10:00:00"}}});
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(body).insert_header("Retry-After", "2.128").insert_header("request-id", "hdr-req"),
        )
        .mount(&server)
        .await;
    let update = UpdateDeviceConfigurationAssignments { device_configuration_id: "x".into(), assignment: body_of_000() };
    let client = Client::builder().base_url(server.uri()).bearer_token(TOKEN).retry(graph_endpoint::RetryPolicy::none()).build().unwrap();
    let error = client.send(&update).await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_note(), Some("retries are off"));
    assert_eq!(error.code(), Some("TooManyRequests"));
    assert_eq!(error.inner_code(), Some("429"));
    assert_eq!(error.request_id(), Some("hdr-req"));
    // Graph did not echo a client-request-id: the one this client sent is reported.
    let sent = only_request(&server).await.headers.get("client-request-id").unwrap().to_str().unwrap().to_owned();
    assert_eq!(error.client_request_id(), Some(sent.as_str()));
}

#[tokio::test]
async fn non_json_error_keeps_status_and_a_bounded_snippet() {
    let server = MockServer::start().await;
    let html = format!("<html><body>Bad Gateway{}</body></html>", "x".repeat(5000));
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html")).mount(&server).await;
    let update = UpdateDeviceConfigurationAssignments { device_configuration_id: "x".into(), assignment: body_of_000() };
    let error = client(&server).await.send(&update).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.code(), None);
    let snippet = error.body_snippet().unwrap();
    assert!(snippet.starts_with("<html><body>Bad Gateway") && snippet.len() <= 1024, "{}", snippet.len());
    assert!(error.to_string().contains("502"), "{error}");
}

#[graph_endpoint(GET "/users/{userId}/manager", response = Value)]
struct GetManager {
    user_id: String,
}

#[graph_endpoint(GET "/users('{userId}')", response = Value)]
struct GetUserByKey {
    user_id: String,
}

#[tokio::test]
async fn hostile_ids_stay_in_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page(200, "{}")).mount(&server).await;
    let client = client(&server).await;
    let ids = [
        "a/b",
        "what?x=1",
        "alice_contoso.com#EXT#@fabrikam.onmicrosoft.com",
        "with space",
        "100%",
        "Zoë Ångström/ü",
        "O'Brien",
        "..x",
        "a+b&c=d",
    ];
    for id in ids {
        client.send(&GetManager { user_id: id.into() }).await.unwrap();
        client.send(&GetUserByKey { user_id: id.into() }).await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), ids.len() * 2);
    for (pair, id) in requests.chunks(2).zip(ids) {
        let plain = pair[0].url.path();
        let segments: Vec<&str> = plain.split('/').collect();
        assert_eq!(segments.len(), 5, "{plain}");
        assert_eq!(segments[4], "manager");
        assert_eq!(percent_encoding::percent_decode_str(segments[3]).decode_utf8().unwrap(), id);
        assert!(pair[0].url.query().is_none() && pair[0].url.fragment().is_none(), "{}", pair[0].url);

        let keyed = pair[1].url.path();
        let decoded = percent_encoding::percent_decode_str(keyed).decode_utf8().unwrap();
        assert_eq!(decoded, format!("/v1.0/users('{}')", id.replace('\'', "''")));
        assert_eq!(keyed.matches('/').count(), 2, "{keyed}");
    }
}

#[tokio::test]
async fn empty_id_is_refused_before_sending() {
    let server = MockServer::start().await;
    let error = client(&server).await.send(&GetManager { user_id: String::new() }).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(error.to_string().contains("{userId}"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[graph_endpoint(GET "/deviceManagement/managedDevices", version = "beta", response = Value)]
struct ListManagedDevices {
    #[graph(query = "$filter")]
    filter: Option<String>,
    #[graph(query = "$top")]
    top: Option<u32>,
    #[graph(query = "$select")]
    select: Vec<String>,
    #[graph(header = "ConsistencyLevel")]
    consistency_level: Option<String>,
    #[graph(header = "Prefer")]
    prefer: Option<String>,
}

#[tokio::test]
async fn query_and_header_fields_none_left_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page(200, "{}")).mount(&server).await;
    let client = client(&server).await;
    let full = ListManagedDevices {
        filter: Some("deviceName eq 'a&b #1' and ownerType eq 'ç'".into()),
        top: Some(5),
        select: vec!["id".into(), "deviceName".into()],
        consistency_level: Some("eventual".into()),
        prefer: None,
    };
    client.send(&full).await.unwrap();
    let empty = ListManagedDevices { filter: None, top: None, select: vec![], consistency_level: None, prefer: None };
    client.send(&empty).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let pairs: Vec<(String, String)> = requests[0].url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(
        pairs,
        [
            ("$filter".to_owned(), "deviceName eq 'a&b #1' and ownerType eq 'ç'".to_owned()),
            ("$top".to_owned(), "5".to_owned()),
            ("$select".to_owned(), "id,deviceName".to_owned())
        ]
    );
    assert_eq!(requests[0].headers.get("consistencylevel").unwrap(), "eventual");
    assert!(requests[0].headers.get("prefer").is_none());
    assert_eq!(requests[1].url.query(), None);
    assert!(requests[1].headers.get("consistencylevel").is_none());
    assert_eq!(requests[1].url.path(), "/beta/deviceManagement/managedDevices");
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice")]
struct SyncDevice {
    managed_device_id: String,
}

#[tokio::test]
async fn bodiless_post_sends_content_length_zero_and_no_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    client(&server).await.send(&SyncDevice { managed_device_id: "d".into() }).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers.get("content-length").unwrap(), "0");
    assert_graph_headers(&request, false);
}

#[tokio::test]
async fn client_request_id_is_new_for_every_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server).await;
    for _ in 0..3 {
        client.send(&SyncDevice { managed_device_id: "d".into() }).await.unwrap();
    }
    let ids: std::collections::HashSet<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers.get("client-request-id").unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
}

#[tokio::test]
async fn endpoint_version_overrides_client_default() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder()
        .base_url(format!("{}/", server.uri()))
        .default_version(graph_endpoint::ApiVersion::Beta)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    client.send(&DeleteConfiguration { device_configuration_id: "x".into() }).await.unwrap();
    client.send(&GetManager { user_id: "u".into() }).await.unwrap_err();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/beta/deviceManagement/deviceConfigurations/x");
    assert_eq!(requests[1].url.path(), "/beta/users/u/manager");
}

#[tokio::test]
async fn the_token_never_shows() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}})),
        )
        .mount(&server)
        .await;
    let client = client(&server).await;
    let error = client.send(&GetManager { user_id: "u".into() }).await.unwrap_err();
    let builder = Client::builder().bearer_token(TOKEN);
    for text in [format!("{client:?}"), format!("{error:?}"), error.to_string(), format!("{builder:?}")] {
        assert!(!text.contains("secret-part") && !text.contains("eyJ0"), "{text}");
    }
    let request = client.build_request(&GetManager { user_id: "u".into() }).await.unwrap();
    assert!(!format!("{request:?}").contains("secret-part"));
}

#[test]
fn https_only_except_loopback() {
    for url in ["http://graph.microsoft.com", "http://192.168.1.10:8080", "ftp://graph.microsoft.com", "graph.microsoft.com"] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{url}");
    }
    for url in ["https://graph.microsoft.com", "http://127.0.0.1:1", "http://localhost:8080", "http://[::1]:8080", "http://127.0.0.2"] {
        Client::builder().base_url(url).build().unwrap();
    }
}

#[test]
fn national_clouds() {
    use graph_endpoint::NationalCloud;
    let base = |cloud| Client::builder().cloud(cloud).build().unwrap().base_url().to_owned();
    assert_eq!(Client::builder().build().unwrap().base_url(), "https://graph.microsoft.com");
    assert_eq!(base(NationalCloud::Global), "https://graph.microsoft.com");
    assert_eq!(base(NationalCloud::UsGovL4), "https://graph.microsoft.us");
    assert_eq!(base(NationalCloud::UsGovL5Dod), "https://dod-graph.microsoft.us");
    assert_eq!(base(NationalCloud::China), "https://microsoftgraph.chinacloudapi.cn");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder().base_url(format!("http://127.0.0.1:{port}")).bearer_token(TOKEN).build().unwrap();
    let error = client.send(&GetManager { user_id: "u".into() }).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(error.status(), None);
    assert!(error.client_request_id().is_some());
}

#[tokio::test]
async fn slow_answer_is_a_timeout_error_with_the_crates_http_client_or_one_given() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page(200, "{}").set_delay(Duration::from_secs(5))).mount(&server).await;
    let builder =
        || Client::builder().base_url(server.uri()).timeout(Duration::from_millis(200)).retry(graph_endpoint::RetryPolicy::none());
    let given = graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap();
    // The crate's own HTTP client has the timeout set once; a given one gets it per request.
    for client in [builder().build().unwrap(), builder().http_client(given).build().unwrap()] {
        let error = client.send(&GetManager { user_id: "u".into() }).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert!(error.is_timeout());
    }
}
