//! Redirects, with loopback servers as origins: at most 5, never a `Referer`, the token and
//! cookies only to the original origin and only while the chain has not left it, never a body
//! to another origin, never from `https` to `http`.

use graph_endpoint::{Client, ErrorKind, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "static-token";

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder().base_url(server.uri()).bearer_token(TOKEN).retry(policy).build().unwrap()
}

#[graph_endpoint(GET "/me", response = Value)]
struct GetMe;

#[graph_endpoint(PATCH "/me", response = Option<Value>)]
struct UpdateMe {
    #[graph(body)]
    body: Value,
}

#[graph_endpoint(GET "/me", response = Value)]
struct GetMeWithCookie {
    #[graph(header = "Cookie")]
    cookie: String,
}

#[graph_endpoint(DELETE "/me")]
struct DeleteMe;

#[graph_endpoint(POST "/me/sendMail")]
struct SendMail {
    #[graph(body)]
    body: Value,
}

async fn redirect_to(server: &MockServer, status: u16, location: String) {
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location.as_str()))
        .mount(server)
        .await;
    Mock::given(path("/v1.0/me/sendMail"))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location.as_str()))
        .mount(server)
        .await;
}

#[tokio::test]
async fn redirect_to_another_port_drops_authorization() {
    let (first, other) = (MockServer::start().await, MockServer::start().await);
    redirect_to(&first, 307, format!("{}/elsewhere", other.uri())).await;
    Mock::given(path("/elsewhere")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&other).await;
    client(&first, RetryPolicy::none()).send(&GetMe).await.unwrap();
    let received = other.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].headers.get("authorization").is_none());
    assert_eq!(first.received_requests().await.unwrap()[0].headers.get("authorization").unwrap(), "Bearer static-token");
}

#[tokio::test]
async fn redirect_on_the_same_origin_keeps_authorization() {
    let server = MockServer::start().await;
    redirect_to(&server, 307, format!("{}/v1.0/moved", server.uri())).await;
    Mock::given(path("/v1.0/moved"))
        .and(header("authorization", "Bearer static-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    client(&server, RetryPolicy::none()).send(&GetMe).await.unwrap();
}

#[tokio::test]
async fn see_other_becomes_get_without_body() {
    let server = MockServer::start().await;
    redirect_to(&server, 303, format!("{}/v1.0/result", server.uri())).await;
    Mock::given(path("/v1.0/result")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    client(&server, RetryPolicy::none()).send(&SendMail { body: json!({"message": 1}) }).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].method.as_str(), "POST");
    assert_eq!(requests[1].method.as_str(), "GET");
    assert!(requests[1].body.is_empty());
}

#[tokio::test]
async fn temporary_and_permanent_redirects_keep_method_and_body() {
    for status in [307, 308] {
        let server = MockServer::start().await;
        redirect_to(&server, status, format!("{}/v1.0/target", server.uri())).await;
        Mock::given(path("/v1.0/target")).respond_with(ResponseTemplate::new(202)).mount(&server).await;
        client(&server, RetryPolicy::none()).send(&SendMail { body: json!({"message": 1}) }).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[1].method.as_str(), "POST", "{status}");
        assert_eq!(requests[1].body, requests[0].body, "{status}");
        assert_eq!(requests[1].headers.get("authorization").unwrap(), "Bearer static-token");
    }
}

#[tokio::test]
async fn at_most_five_redirects() {
    let server = MockServer::start().await;
    redirect_to(&server, 302, format!("{}/v1.0/me", server.uri())).await;
    let error = client(&server, RetryPolicy::none()).send(&GetMe).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect);
    assert_eq!(error.status(), Some(302));
    assert!(error.client_request_id().is_some());
    assert!(!error.may_have_been_applied());
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn no_referer_and_no_cookie_cross_origin() {
    let (first, other) = (MockServer::start().await, MockServer::start().await);
    redirect_to(&first, 302, format!("{}/elsewhere?x=1", other.uri())).await;
    Mock::given(path("/elsewhere")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&other).await;
    client(&first, RetryPolicy::none()).send(&GetMeWithCookie { cookie: "session=abc".into() }).await.unwrap();
    let first_request = &first.received_requests().await.unwrap()[0];
    assert_eq!(first_request.headers.get("cookie").unwrap(), "session=abc");
    let moved = &other.received_requests().await.unwrap()[0];
    for dropped in ["authorization", "cookie", "referer"] {
        assert!(moved.headers.get(dropped).is_none(), "{dropped} crossed origins");
    }
    // Same-origin hops never get a Referer either.
    let server = MockServer::start().await;
    redirect_to(&server, 302, format!("{}/v1.0/moved", server.uri())).await;
    Mock::given(path("/v1.0/moved")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    client(&server, RetryPolicy::none()).send(&GetMe).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].headers.get("referer").is_none());
}

#[tokio::test]
async fn a_body_is_never_sent_to_another_origin() {
    for status in [307, 308] {
        let (first, other) = (MockServer::start().await, MockServer::start().await);
        redirect_to(&first, status, format!("{}/v1.0/me", other.uri())).await;
        Mock::given(path("/v1.0/me")).respond_with(ResponseTemplate::new(204)).mount(&other).await;
        let error = client(&first, RetryPolicy::default()).send(&UpdateMe { body: json!({"displayName": "x"}) }).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Redirect, "{status}: {error}");
        assert_eq!(error.status(), Some(status));
        assert!(error.message().contains("not sent to another origin"), "{error}");
        assert_eq!(other.received_requests().await.unwrap().len(), 0, "{status}: nothing reached the other origin");
        assert_eq!(first.received_requests().await.unwrap().len(), 1, "{status}: a refused redirect is not retried");
    }
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused() {
    let server = MockServer::start().await;
    // `.invalid` never resolves; the redirect is refused before any lookup.
    redirect_to(&server, 302, "http://graph.invalid/v1.0/me".to_owned()).await;
    let error = client(&server, RetryPolicy::none()).send(&GetMe).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect);
    assert!(error.message().contains("https"), "{error}");
}

/// `from` answers every request to `path` with `307 Location: to`.
async fn bounce(from: &MockServer, route: &str, to: String) {
    Mock::given(path(route)).respond_with(ResponseTemplate::new(307).insert_header("Location", to.as_str())).mount(from).await;
}

/// Graph (A) redirects to B, B to C, and C back to Graph on a path a third party chose: no hop
/// after A's first carries `Authorization` or `Cookie`, the one back at Graph's origin included.
#[tokio::test]
async fn a_chain_that_left_the_origin_never_carries_the_token_back() {
    let (a, b, c) = (MockServer::start().await, MockServer::start().await, MockServer::start().await);
    bounce(&a, "/v1.0/me", format!("{}/hop", b.uri())).await;
    bounce(&b, "/hop", format!("{}/hop", c.uri())).await;
    bounce(&c, "/hop", format!("{}/v1.0/users/victim", a.uri())).await;
    Mock::given(path("/v1.0/users/victim")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&a).await;
    client(&a, RetryPolicy::none()).send(&GetMeWithCookie { cookie: "session=abc".into() }).await.unwrap();
    let at_a = a.received_requests().await.unwrap();
    assert_eq!(at_a.len(), 2);
    assert_eq!(at_a[0].headers.get("authorization").unwrap(), "Bearer static-token");
    assert_eq!(at_a[1].url.path(), "/v1.0/users/victim");
    let later = [&at_a[1], &b.received_requests().await.unwrap()[0], &c.received_requests().await.unwrap()[0]];
    for request in later {
        for dropped in ["authorization", "cookie", "referer"] {
            assert!(request.headers.get(dropped).is_none(), "{dropped} sent to {}", request.url);
        }
    }
}

/// The same chain for a `DELETE`: a write that another origin sends back to Graph is refused,
/// and nothing reaches Graph a second time.
#[tokio::test]
async fn a_write_sent_back_to_the_origin_by_another_is_refused() {
    let (a, b) = (MockServer::start().await, MockServer::start().await);
    bounce(&a, "/v1.0/me", format!("{}/hop", b.uri())).await;
    bounce(&b, "/hop", format!("{}/v1.0/users/victim", a.uri())).await;
    Mock::given(path("/v1.0/users/victim")).respond_with(ResponseTemplate::new(204)).mount(&a).await;
    let error = client(&a, RetryPolicy::default()).send(&DeleteMe).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error}");
    assert_eq!(error.status(), Some(307));
    assert!(error.message().contains("back to the base URL"), "{error}");
    assert!(!error.may_have_been_applied(), "{error}");
    let at_a = a.received_requests().await.unwrap();
    assert_eq!(at_a.len(), 1, "nothing sent back to Graph, and a refused redirect is not retried");
    assert_eq!(at_a[0].url.path(), "/v1.0/me");
    let at_b = b.received_requests().await.unwrap();
    assert_eq!(at_b.len(), 1);
    assert!(at_b[0].headers.get("authorization").is_none());
}
