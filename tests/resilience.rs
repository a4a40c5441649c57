//! Throttling, retries, token acquisition and concurrency, against real HTTP
//! servers on loopback.

use graph_endpoint::auth::{AccessToken, BoxFuture, ClientSecretCredential, TokenProvider};
use graph_endpoint::{Client, ErrorKind, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "static-token";

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}", response = Option<Value>)]
struct UpdateConfiguration {
    device_configuration_id: String,
    #[graph(body)]
    body: Value,
}

fn update() -> UpdateConfiguration {
    UpdateConfiguration { device_configuration_id: "cfg-1".into(), body: json!({"displayName": "Wi-Fi ✓", "n": 1}) }
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder().base_url(server.uri()).bearer_token(TOKEN).retry(policy).build().unwrap()
}

/// Answers the first `n` requests with `first`, then `then`.
struct FirstThen {
    n: usize,
    seen: AtomicUsize,
    first: ResponseTemplate,
    then: ResponseTemplate,
}

impl FirstThen {
    fn new(n: usize, first: ResponseTemplate, then: ResponseTemplate) -> Self {
        FirstThen { n, seen: AtomicUsize::new(0), first, then }
    }
}

impl Respond for FirstThen {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.seen.fetch_add(1, Ordering::SeqCst) < self.n { self.first.clone() } else { self.then.clone() }
    }
}

fn throttled(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", retry_after)
        .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "Too many requests.", "innerError": {"code": "429"}}}))
}

/// Waits at least `Retry-After`, and at most a quarter more (at most 1 s) of spread, plus
/// scheduling slack.
async fn waits_for(retry_after: String, expected_min: f64, expected_max: f64) {
    let expected_max = expected_max + (expected_min / 4.0).min(1.0);
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(FirstThen::new(1, throttled(&retry_after), ResponseTemplate::new(204))).mount(&server).await;
    let started = Instant::now();
    let answer = client(&server, RetryPolicy::default()).send(&update()).await.unwrap();
    let waited = started.elapsed().as_secs_f64();
    assert_eq!(answer, None);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(waited >= expected_min && waited <= expected_max, "Retry-After {retry_after}: waited {waited:.3} s");
}

#[tokio::test]
async fn retry_after_integer_seconds() {
    waits_for("1".into(), 1.0, 1.1).await;
}

#[tokio::test]
async fn retry_after_fractional_seconds() {
    waits_for("2.128".into(), 2.128, 2.128 * 1.1).await;
}

#[tokio::test]
async fn retry_after_http_date() {
    // An HTTP date has whole seconds: "2 s ahead" is between 1 and 2 s away.
    let at = SystemTime::now() + Duration::from_secs(2);
    let whole = SystemTime::UNIX_EPOCH + Duration::from_secs(at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs());
    let expected = whole.duration_since(SystemTime::now()).unwrap_or_default().as_secs_f64();
    waits_for(httpdate::fmt_http_date(at), expected - 0.05, expected * 1.1 + 0.05).await;
}

#[tokio::test]
async fn constant_throttling_gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(throttled("0")).mount(&server).await;
    let error = client(&server, RetryPolicy::default().max_throttled_retries(3)).send(&update()).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.code(), Some("TooManyRequests"));
    assert_eq!(error.inner_code(), Some("429"));
    assert_eq!(error.attempts(), 4);
    assert_eq!(error.retry_note(), Some("gave up after 3 retries"));
    let text = error.to_string();
    assert!(text.contains("after 4 attempts") && text.contains("gave up after 3 retries"), "{text}");
}

#[tokio::test]
async fn retry_after_beyond_max_delay_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(throttled("300")).mount(&server).await;
    let started = Instant::now();
    let error = client(&server, RetryPolicy::default().max_delay(Duration::from_secs(60))).send(&update()).await.unwrap_err();
    // Far below the 300 s it would have slept (a bound a loaded machine cannot break).
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(error.status(), Some(429));
    assert!(error.retry_note().unwrap().contains("300.000 s, more than max_delay (60.000 s)"), "{error}");
}

#[tokio::test]
async fn waits_beyond_max_total_fail_at_once() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(throttled("0.3")).mount(&server).await;
    let policy = RetryPolicy::default().max_retries(10).max_total(Duration::from_millis(800));
    let error = client(&server, policy).send(&update()).await.unwrap_err();
    // max_total counts from the call's start: two waits of 0.3 s fit in 0.8 s on a quick
    // machine (fewer, if the answers are slow), a third never does.
    let requests = server.received_requests().await.unwrap().len();
    assert!((1..=3).contains(&requests), "{requests} requests");
    assert!(error.retry_note().unwrap().contains("max_total"), "{error}");
}

/// A server that throttles slowly (`429`, `Retry-After: 0`, after 300 ms each time) cannot hold
/// a call past `max_total` plus one request: the time of the attempts counts, not only the
/// waits. Counting only the waits (0 s each), the call went on for 31 attempts.
#[tokio::test]
async fn a_slow_throttling_server_cannot_hold_a_call_past_max_total() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(throttled("0").set_delay(Duration::from_millis(300))).mount(&server).await;
    let policy = RetryPolicy::default().max_total(Duration::from_secs(1));
    let error = client(&server, policy).send(&update()).await.unwrap_err();
    // Each attempt takes at least 300 ms: none starts after 1 s, so at most 4.
    let requests = server.received_requests().await.unwrap().len();
    assert!(requests <= 4, "{requests} requests");
    assert_eq!(error.status(), Some(429));
    assert!(error.retry_note().unwrap().contains("max_total"), "{error}");
}

/// Waiting for a rate-limit place that frees only after the call's `max_total` is an error
/// at once, naming what it waited for, and nothing is sent.
#[tokio::test]
async fn a_rate_limit_place_past_max_total_is_an_error_not_a_wait() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .rate_limit(graph_endpoint::RateLimit::new(1, Duration::from_secs(600)))
        .retry(RetryPolicy::default().max_total(Duration::from_secs(60)))
        .build()
        .unwrap();
    client.send(&update()).await.unwrap();
    // The next place frees in 600 s: a wait for it would run into this bound (far above any
    // machine's time to answer at once).
    let error = tokio::time::timeout(Duration::from_secs(60), client.send(&update())).await.expect("no wait").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(!error.may_have_been_applied());
    assert!(error.to_string().contains("rate limit") && error.to_string().contains("max_total"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn service_unavailable_and_gateway_timeout_are_retried() {
    for status in [503, 504] {
        let server = MockServer::start().await;
        let first = ResponseTemplate::new(status).set_body_string("busy");
        Mock::given(any())
            .respond_with(FirstThen::new(2, first, ResponseTemplate::new(200).set_body_json(json!({"id": "x"}))))
            .mount(&server)
            .await;
        let policy = RetryPolicy::default().base_delay(Duration::from_millis(10));
        let answer = client(&server, policy).send(&update()).await.unwrap();
        assert_eq!(answer, Some(json!({"id": "x"})), "{status}");
        assert_eq!(server.received_requests().await.unwrap().len(), 3, "{status}");
    }
}

#[tokio::test]
async fn server_and_client_errors_are_not_retried() {
    for status in [500, 400, 404, 409] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "0")).mount(&server).await;
        let error = client(&server, RetryPolicy::default()).send(&update()).await.unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.attempts(), 1);
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn every_attempt_sends_the_same_request() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(FirstThen::new(3, throttled("0"), ResponseTemplate::new(204))).mount(&server).await;
    client(&server, RetryPolicy::default()).send(&update()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4);
    let first = &requests[0];
    for (i, request) in requests.iter().enumerate() {
        assert_eq!(request.method, first.method);
        assert_eq!(request.url, first.url);
        assert_eq!(request.body, first.body, "attempt {i}");
        assert_eq!(request.headers.get("client-request-id"), first.headers.get("client-request-id"));
        assert_eq!(request.headers.get("authorization").unwrap(), "Bearer static-token");
        let attempt = request.headers.get("retry-attempt").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(attempt, (i > 0).then(|| i.to_string()), "attempt {i}");
    }
    assert_eq!(serde_json::from_slice::<Value>(&first.body).unwrap(), json!({"displayName": "Wi-Fi ✓", "n": 1}));
}

#[graph_endpoint(GET "/me", response = Value)]
struct GetMe;

/// A token endpoint that hands out `t1`, `t2`, ...: the first lives `first_lifetime`
/// seconds, the others an hour.
struct Tokens {
    issued: AtomicUsize,
    first_lifetime: u64,
}

impl Respond for Tokens {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body).into_owned().collect();
        let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
        if get("client_secret") != "s3cret" {
            return ResponseTemplate::new(401).set_body_json(json!({
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nTimestamp: 2024-01-01",
                "error_codes": [7000215]
            }));
        }
        assert_eq!(get("grant_type"), "client_credentials");
        assert_eq!(get("client_id"), "app");
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let lifetime = if n == 1 { self.first_lifetime } else { 3600 };
        ResponseTemplate::new(200).set_body_json(json!({"token_type": "Bearer", "expires_in": lifetime, "access_token": format!("t{n}")}))
    }
}

async fn token_endpoint(first_lifetime: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(Tokens { issued: AtomicUsize::new(0), first_lifetime })
        .mount(&server)
        .await;
    server
}

fn credential(authority: &MockServer, secret: &str) -> ClientSecretCredential {
    ClientSecretCredential::new("tenant-1", "app", secret).authority(authority.uri())
}

#[tokio::test]
async fn concurrent_calls_without_a_token_cause_one_token_request() {
    let entra = token_endpoint(3600).await;
    let graph = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&graph).await;
    let client = Client::builder().base_url(graph.uri()).token_provider(credential(&entra, "s3cret")).build().unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let client = client.clone();
        calls.spawn(async move { client.send(&GetMe).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    let requests = graph.received_requests().await.unwrap();
    assert_eq!(requests.len(), 100);
    for request in &requests {
        assert_eq!(request.headers.get("authorization").unwrap(), "Bearer t1");
    }
    let token_requests = entra.received_requests().await.unwrap().len();
    assert_eq!(token_requests, 1, "{token_requests} token requests");
}

#[tokio::test]
async fn valid_tokens_are_cached() {
    let entra = token_endpoint(3600).await;
    let graph = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&graph).await;
    let client = Client::builder().base_url(graph.uri()).token_provider(credential(&entra, "s3cret")).build().unwrap();
    for _ in 0..5 {
        client.send(&GetMe).await.unwrap();
    }
    assert_eq!(entra.received_requests().await.unwrap().len(), 1);
    for request in graph.received_requests().await.unwrap() {
        assert_eq!(request.headers.get("authorization").unwrap(), "Bearer t1");
    }
}

#[tokio::test]
async fn rejected_token_is_refreshed_once_and_the_request_resent() {
    let entra = token_endpoint(3600).await;
    let graph = MockServer::start().await;
    let challenge = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ==""#;
    Mock::given(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(401).insert_header("WWW-Authenticate", challenge))
        .mount(&graph)
        .await;
    Mock::given(header("authorization", "Bearer t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"})))
        .mount(&graph)
        .await;
    let client = Client::builder().base_url(graph.uri()).token_provider(credential(&entra, "s3cret")).build().unwrap();
    assert_eq!(client.send(&GetMe).await.unwrap(), json!({"id": "me"}));
    assert_eq!(graph.received_requests().await.unwrap().len(), 2);
    assert_eq!(entra.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_token_rejected_twice_is_not_refreshed_again() {
    let entra = token_endpoint(3600).await;
    let graph = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired or is not yet valid."}}),
        ))
        .mount(&graph)
        .await;
    let client = Client::builder().base_url(graph.uri()).token_provider(credential(&entra, "s3cret")).build().unwrap();
    let error = client.send(&GetMe).await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(graph.received_requests().await.unwrap().len(), 2);
    assert_eq!(entra.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_static_token_rejected_is_not_resent() {
    let graph = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(401)).mount(&graph).await;
    let error = client(&graph, RetryPolicy::default()).send(&GetMe).await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(graph.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn token_endpoint_errors_are_clear_and_secret_free() {
    let entra = token_endpoint(3600).await;
    let graph = MockServer::start().await;
    let credential = credential(&entra, "wrong-secret-value");
    assert!(!format!("{credential:?}").contains("wrong-secret-value"));
    let client = Client::builder().base_url(graph.uri()).token_provider(credential).build().unwrap();
    let error = client.send(&GetMe).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    let text = error.to_string();
    assert!(text.contains("invalid_client") && text.contains("AADSTS7000215: Invalid client secret provided."), "{text}");
    assert!(!text.contains('\n') && !text.contains("wrong-secret-value") && !format!("{error:?}").contains("wrong-secret-value"));
    assert!(graph.received_requests().await.unwrap().is_empty());

    let broken = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>")).mount(&broken).await;
    let client = Client::builder().base_url(graph.uri()).token_provider(credential_at(&broken)).build().unwrap();
    let error = client.send(&GetMe).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.to_string().contains("500"), "{error}");
}

fn credential_at(server: &MockServer) -> ClientSecretCredential {
    credential(server, "s3cret")
}

#[tokio::test]
async fn max_concurrency_bounds_requests_in_flight() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).bearer_token(TOKEN).max_concurrency(3).build().unwrap();
    let started = Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let client = client.clone();
        calls.spawn(async move { client.send(&GetMe).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    // 12 calls, 3 at a time, 200 ms each: at least four rounds.
    assert!(started.elapsed() >= Duration::from_millis(780), "{:?}", started.elapsed());
}

/// Logs each token handed out and each request Graph receives, in order.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

impl Events {
    fn push(&self, event: String) {
        self.0.lock().unwrap().push(event);
    }
}

struct LoggedTokens(Events, AtomicUsize);

impl TokenProvider for LoggedTokens {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, graph_endpoint::Error>> {
        let n = self.1.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.push(format!("token t{n}"));
        Box::pin(async move { Ok(AccessToken::new(format!("t{n}"))) })
    }
}

#[tokio::test]
async fn a_call_takes_its_place_in_line_before_its_token() {
    let events = Events::default();
    let server = MockServer::start().await;
    let log = events.clone();
    Mock::given(any())
        .respond_with(move |request: &Request| {
            log.push(format!("request with {}", request.headers.get("authorization").unwrap().to_str().unwrap()));
            ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_millis(50))
        })
        .mount(&server)
        .await;
    let provider = LoggedTokens(events.clone(), AtomicUsize::new(0));
    let client = Client::builder().base_url(server.uri()).token_provider(provider).max_concurrency(1).build().unwrap();
    let (a, b) = (client.clone(), client.clone());
    let (first, second) = tokio::join!(a.send(&GetMe), b.send(&GetMe));
    first.unwrap();
    second.unwrap();
    // Each token is fetched once the call holds its place, just before its request.
    assert_eq!(*events.0.lock().unwrap(), ["token t1", "request with Bearer t1", "token t2", "request with Bearer t2"]);
}
