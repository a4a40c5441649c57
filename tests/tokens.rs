//! Token endpoint faults: a hung token endpoint is bounded by the credential's timeout, one
//! failure is shared by every caller waiting for it, a storm of 401s causes one refresh, and
//! odd lifetimes neither panic nor refetch per call.

use graph_endpoint::auth::{AccessToken, BoxFuture, ClientSecretCredential, TokenCache, TokenProvider};
use graph_endpoint::{Client, Error, ErrorKind, graph_endpoint};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Notify;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[graph_endpoint(GET "/me", response = Value)]
struct GetMe;

const TOKEN_PATH: &str = "/tenant-1/oauth2/v2.0/token";

fn credential(entra: &MockServer) -> ClientSecretCredential {
    ClientSecretCredential::new("tenant-1", "app", "s3cret").authority(entra.uri())
}

async fn graph_answering_200() -> MockServer {
    let graph = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&graph).await;
    graph
}

fn token(access_token: &str, expires_in: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"token_type": "Bearer", "access_token": access_token, "expires_in": expires_in}))
}

#[tokio::test]
async fn a_hung_token_endpoint_is_bounded_by_the_timeout() {
    let entra = MockServer::start().await;
    Mock::given(method("POST")).respond_with(token("late", json!(3600)).set_delay(Duration::from_secs(60))).mount(&entra).await;
    let graph = graph_answering_200().await;
    let provider = credential(&entra).timeout(Duration::from_millis(300));
    let client = Client::builder().base_url(graph.uri()).token_provider(provider).build().unwrap();
    let error = client.send(&GetMe).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.message().contains("token"), "{error}");
    assert_eq!(graph.received_requests().await.unwrap().len(), 0, "nothing is sent without a token");
}

#[tokio::test]
async fn twenty_concurrent_callers_share_one_failed_token_request() {
    let entra = MockServer::start().await;
    let failure = ResponseTemplate::new(500).set_body_string("upstream down").set_delay(Duration::from_millis(300));
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(failure).mount(&entra).await;
    let graph = graph_answering_200().await;
    let client = Client::builder().base_url(graph.uri()).token_provider(credential(&entra)).build().unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        calls.spawn(async move { client.send(&GetMe).await });
    }
    let mut messages = Vec::new();
    while let Some(result) = calls.join_next().await {
        let error = result.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth);
        messages.push(error.message().to_owned());
    }
    assert_eq!(entra.received_requests().await.unwrap().len(), 1, "one token request for 20 callers");
    assert!(messages.iter().all(|m| *m == messages[0] && m.contains("500")), "{messages:?}");
    assert_eq!(graph.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_storm_of_401s_causes_one_refresh_and_one_resend_each() {
    let entra = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            token(&format!("t{n}"), json!(3600))
        })
        .mount(&entra)
        .await;
    let graph = MockServer::start().await;
    Mock::given(header("authorization", "Bearer t1")).respond_with(ResponseTemplate::new(401)).mount(&graph).await;
    Mock::given(header("authorization", "Bearer t2")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&graph).await;
    let client = Client::builder().base_url(graph.uri()).token_provider(credential(&entra)).build().unwrap();

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        calls.spawn(async move { client.send(&GetMe).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 2, "the first token and one refresh");
    let requests = graph.received_requests().await.unwrap();
    let with = |t: &str| requests.iter().filter(|r| r.headers.get("authorization").unwrap() == t).count();
    assert_eq!((with("Bearer t1"), with("Bearer t2")), (20, 20), "each call sent once with each token");
}

#[tokio::test]
async fn odd_lifetimes_neither_panic_nor_refetch_per_call() {
    for expires_in in [json!(0), json!(-5), json!(1e300), json!(u64::MAX), json!("soon"), Value::Null] {
        let entra = MockServer::start().await;
        Mock::given(method("POST")).respond_with(token("t", expires_in.clone())).mount(&entra).await;
        let graph = graph_answering_200().await;
        let client = Client::builder().base_url(graph.uri()).token_provider(credential(&entra)).build().unwrap();
        for _ in 0..5 {
            client.send(&GetMe).await.unwrap();
        }
        assert_eq!(entra.received_requests().await.unwrap().len(), 1, "expires_in {expires_in}");
    }
}

#[tokio::test]
async fn token_errors_carry_the_aadsts_code_and_never_the_secret() {
    let entra = MockServer::start().await;
    let refusal = ResponseTemplate::new(401).set_body_json(json!({
        "error": "invalid_client",
        "error_description": "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1",
        "error_codes": [7000215]
    }));
    Mock::given(method("POST")).respond_with(refusal).mount(&entra).await;
    let error = credential(&entra).token().await.unwrap_err();
    assert_eq!(error.code(), Some("AADSTS7000215"));
    assert!(!format!("{error} {error:?}").contains("s3cret"));
}

/// A provider that answers only when released, counting its calls.
struct Gate {
    calls: AtomicUsize,
    open: Notify,
    answer: Result<&'static str, &'static str>,
}

impl TokenProvider for Gate {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            self.open.notified().await;
            self.answer.map(|t| AccessToken::expiring_in(t, Duration::from_secs(3600))).map_err(Error::auth)
        })
    }
}

#[tokio::test]
async fn callers_waiting_on_one_fetch_share_its_result_even_when_the_first_goes_away() {
    for answer in [Ok("shared"), Err("the vault is sealed")] {
        let cache = TokenCache::new(Gate { calls: AtomicUsize::new(0), open: Notify::new(), answer });
        let first = cache.token();
        let waiting: Vec<_> = (0..20).map(|_| cache.token()).collect();
        // The caller that started the fetch gives up; the others still get its result.
        drop(first);
        cache.provider().open.notify_one();
        for result in futures_join(waiting).await {
            match answer {
                Ok(secret) => assert_eq!(result.unwrap().secret(), secret),
                Err(message) => assert!(result.unwrap_err().message().contains(message)),
            }
        }
        assert_eq!(cache.provider().calls.load(Ordering::SeqCst), 1);
    }
}

async fn futures_join<T>(futures: Vec<BoxFuture<'_, T>>) -> Vec<T> {
    let mut results = Vec::new();
    for future in futures {
        results.push(future.await);
    }
    results
}

/// A token endpoint's answer is read up to 1 MiB: a longer one is an error, not read further.
#[tokio::test]
async fn a_token_answer_over_the_bound_is_refused() {
    let entra = MockServer::start().await;
    let huge = json!({"token_type": "Bearer", "access_token": "t".repeat(2 * 1024 * 1024), "expires_in": 3600});
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(ResponseTemplate::new(200).set_body_json(huge)).mount(&entra).await;
    let error = credential(&entra).token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Limit, "{error}");
    assert!(error.message().contains("not read further"), "{error}");
}

/// The token client inflates nothing either, with `reqwest/gzip` on in this build: a gzip bomb
/// from the token endpoint is read as the 65,250 bytes sent, and refused as no token.
#[tokio::test]
async fn a_token_endpoint_gzip_bomb_is_not_inflated() {
    let entra = MockServer::start().await;
    let bomb = ResponseTemplate::new(200)
        .set_body_raw(include_bytes!("data/gzip/zeros-64MiB.gz").as_slice(), "application/json")
        .insert_header("content-encoding", "gzip");
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(bomb).mount(&entra).await;
    let error = credential(&entra).token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.message().contains("not JSON"), "{error}");
    let request = &entra.received_requests().await.unwrap()[0];
    assert!(request.headers.get("accept-encoding").is_none());
}
