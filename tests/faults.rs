//! What is sent again, and what is not: each fault of a loopback server against every method.
//!
//! | fault (first attempt)                  | GET | PUT | PATCH | DELETE | POST | POST, `idempotent` | `may_have_been_applied` when not resent |
//! |----------------------------------------|-----|-----|-------|--------|------|--------------------|-----------------------------------------|
//! | `429` with `Retry-After`               | yes | yes | yes   | yes    | yes  | yes                | —                                       |
//! | `503`                                  | yes | yes | yes   | yes    | yes  | yes                | —                                       |
//! | `504`                                  | yes | yes | yes   | yes    | no   | yes                | true                                    |
//! | `500`, `502`                           | no  | no  | no    | no     | no   | no                 | true, except for GET                    |
//! | closed after reading the request       | yes | yes | yes   | yes    | no   | yes                | true                                    |
//! | status line, then the body cut short   | yes | yes | yes   | yes    | no   | yes                | true                                    |
//! | no answer until the timeout            | yes | yes | yes   | yes    | no   | yes                | true                                    |
//! | nothing listening (connect refused)    | yes | yes | yes   | yes    | yes  | yes                | false                                   |
//! | pooled connection closed by the server | the next call succeeds, sent once |  |  |  |  |  |                                    |
//! | `400`, `404`                           | no  | no  | no    | no     | no   | no                 | false                                   |
//! | `303` (`301`/`302` after a POST), then the `GET` fails | — | no | no | no  | no   | no                 | true                                    |
//! | an answer longer than `max_response_bytes` | no | no | no    | no     | no   | no                 | true, except for GET                    |

#[path = "support/fault_server.rs"]
mod fault_server;

use fault_server::{Fault, FaultServer};
use graph_endpoint::{Client, Endpoint, Error, ErrorKind, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use std::time::Duration;

#[graph_endpoint(GET "/deviceManagement/managedDevices/{managedDeviceId}", response = Value)]
struct GetDevice {
    managed_device_id: String,
}

// Made up for the test: a PUT, resent like any idempotent write.
#[graph_endpoint(PUT "/deviceManagement/managedDevices/{managedDeviceId}", unlisted, response = Option<Value>)]
struct PutDevice {
    managed_device_id: String,
    #[graph(body)]
    body: Value,
}

#[graph_endpoint(PATCH "/deviceManagement/managedDevices/{managedDeviceId}", response = Option<Value>)]
struct PatchDevice {
    managed_device_id: String,
    #[graph(body)]
    body: Value,
}

#[graph_endpoint(DELETE "/deviceManagement/managedDevices/{managedDeviceId}")]
struct DeleteDevice {
    managed_device_id: String,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", response = Option<Value>)]
struct WipeDevice {
    managed_device_id: String,
    #[graph(body)]
    body: Value,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice", idempotent, response = Option<Value>)]
struct SyncDevice {
    managed_device_id: String,
    #[graph(body)]
    body: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Get,
    Put,
    Patch,
    Delete,
    Post,
    IdempotentPost,
}

const ALL: [Call; 6] = [Call::Get, Call::Put, Call::Patch, Call::Delete, Call::Post, Call::IdempotentPost];

impl Call {
    async fn send(self, client: &Client) -> Result<(), Error> {
        let id = || "device-1".to_owned();
        let body = || json!({"keepEnrollmentData": true});
        match self {
            Call::Get => client.send(&GetDevice { managed_device_id: id() }).await.map(drop),
            Call::Put => client.send(&PutDevice { managed_device_id: id(), body: body() }).await.map(drop),
            Call::Patch => client.send(&PatchDevice { managed_device_id: id(), body: body() }).await.map(drop),
            Call::Delete => client.send(&DeleteDevice { managed_device_id: id() }).await.map(drop),
            Call::Post => client.send(&WipeDevice { managed_device_id: id(), body: body() }).await.map(drop),
            Call::IdempotentPost => client.send(&SyncDevice { managed_device_id: id(), body: body() }).await.map(drop),
        }
    }

    fn is_get(self) -> bool {
        self == Call::Get
    }
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token("t")
        .timeout(Duration::from_millis(400))
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn ok() -> Fault {
    Fault::json(200, json!({"id": "device-1"}))
}

/// The first attempt meets `fault`, any later one a 200. `resent(call)` says whether the
/// client must send the request again; when it must not, the call fails with an error whose
/// `may_have_been_applied()` is `applied(call)`.
async fn row(fault: Fault, resent: impl Fn(Call) -> bool, applied: impl Fn(Call) -> bool) {
    for call in ALL {
        let server = FaultServer::start(vec![fault.clone()], ok()).await;
        let result = call.send(&client(&server.url())).await;
        let requests = server.requests();
        if resent(call) {
            assert!(result.is_ok(), "{call:?} after {fault:?}: {result:?}");
            assert_eq!(requests.len(), 2, "{call:?} after {fault:?}");
            let (first, second) = (&requests[0], &requests[1]);
            assert_eq!(first.body, second.body, "{call:?}: the same bytes");
            assert_eq!(first.header("client-request-id"), second.header("client-request-id"), "{call:?}: the same id");
            assert_eq!(second.header("retry-attempt"), Some("1"), "{call:?}");
        } else {
            let error = result.expect_err(&format!("{call:?} after {fault:?} must fail"));
            assert_eq!(requests.len(), 1, "{call:?} after {fault:?} was resent: {error}");
            assert_eq!(error.may_have_been_applied(), applied(call), "{call:?} after {fault:?}: {error}");
            assert_eq!(error.client_request_id(), requests[0].header("client-request-id"), "{call:?}");
            let says = error.to_string().contains("may have been applied");
            assert_eq!(says, applied(call), "{call:?}: Display says so in words: {error}");
        }
    }
}

fn always(_: Call) -> bool {
    true
}

fn never(_: Call) -> bool {
    false
}

/// Resent unless a plain POST: the outcome is unknown, so only idempotent requests go again.
fn unless_plain_post(call: Call) -> bool {
    call != Call::Post
}

#[tokio::test]
async fn throttled_429_is_resent_for_every_method() {
    row(Fault::status(429).with_header("Retry-After", "0.01"), always, never).await;
}

#[tokio::test]
async fn unavailable_503_is_resent_for_every_method() {
    row(Fault::status(503), always, never).await;
}

#[tokio::test]
async fn gateway_timeout_504_is_resent_unless_plain_post() {
    row(Fault::status(504), unless_plain_post, always).await;
}

#[tokio::test]
async fn server_errors_500_and_502_are_not_resent() {
    for status in [500, 502] {
        row(Fault::json(status, json!({"error": {"code": "InternalServerError", "message": "x"}})), never, |call| !call.is_get()).await;
    }
}

#[tokio::test]
async fn client_errors_are_not_resent_and_were_not_applied() {
    for status in [400, 404] {
        row(Fault::json(status, json!({"error": {"code": "BadRequest", "message": "x"}})), never, never).await;
    }
}

#[tokio::test]
async fn connection_closed_after_reading_the_request_is_resent_unless_plain_post() {
    row(Fault::CloseAfterRead, unless_plain_post, always).await;
}

#[tokio::test]
async fn body_cut_short_is_resent_unless_plain_post() {
    row(Fault::cut_body(200, 64, br#"{"id":"dev"#), unless_plain_post, always).await;
}

#[tokio::test]
async fn no_answer_until_the_timeout_is_resent_unless_plain_post() {
    row(Fault::Hang, unless_plain_post, always).await;
}

#[tokio::test]
async fn connect_failures_are_resent_for_every_method() {
    // A port that was just free: nothing listens there.
    let url = {
        let server = FaultServer::always(ok()).await;
        server.url()
    };
    for call in ALL {
        let client = Client::builder()
            .base_url(&url)
            .bearer_token("t")
            .retry(RetryPolicy::default().max_retries(2).base_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
        let error = call.send(&client).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{call:?}: {error}");
        assert_eq!(error.attempts(), 3, "{call:?}: resent within the policy: {error}");
        assert!(!error.may_have_been_applied(), "{call:?}: nothing reached a server: {error}");
        assert!(error.client_request_id().is_some());
    }
}

#[tokio::test]
async fn a_pooled_connection_the_server_closed_does_not_fail_the_next_call() {
    for call in ALL {
        let server = FaultServer::start(vec![ok().then_close()], ok()).await;
        let client = client(&server.url());
        call.send(&client).await.unwrap();
        call.send(&client).await.unwrap();
        assert_eq!(server.count(), 2, "{call:?}: each call sent once");
        assert_eq!(server.connections(), 2, "{call:?}");
    }
}

#[tokio::test]
async fn errors_after_an_answer_keep_status_and_both_ids() {
    let server = FaultServer::start(vec![Fault::cut_body(200, 64, b"{").with_header("request-id", "req-cut")], ok()).await;
    let client = Client::builder().base_url(server.url()).bearer_token("t").retry(RetryPolicy::none()).build().unwrap();
    let error = Call::Post.send(&client).await.unwrap_err();
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("req-cut"));
    assert_eq!(error.client_request_id(), server.requests()[0].header("client-request-id"));
    assert!(error.may_have_been_applied());

    // A 2xx whose body does not decode: a decode error with the same facts, and for a write,
    // the outcome is unknown.
    let server = FaultServer::always(Fault::text(200, "not json").with_header("request-id", "req-bad")).await;
    let client = Client::builder().base_url(server.url()).bearer_token("t").build().unwrap();
    for call in [Call::Get, Call::Put] {
        let error = call.send(&client).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode);
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.request_id(), Some("req-bad"));
        assert!(error.client_request_id().is_some_and(|id| !id.is_empty()));
        assert_eq!(error.may_have_been_applied(), call != Call::Get);
    }
}

/// A `303` (or a `301`/`302` after a `POST`) means Graph has received the write: whatever the
/// `GET` it turned into then meets (`503`, `429`, `404`, `500`, a broken connection), the
/// original is never sent again, and the error says it may have been applied.
#[tokio::test]
async fn a_write_redirected_to_a_get_is_never_sent_again() {
    let faults = [
        Fault::status(503),
        Fault::status(429).with_header("Retry-After", "0"),
        Fault::json(404, json!({"error": {"code": "NotFound", "message": "x"}})),
        Fault::status(500),
        Fault::CloseAfterRead,
    ];
    for redirect in [303, 302, 301] {
        for fault in &faults {
            for call in ALL {
                // A GET redirected to a GET is a GET like any other; 301 and 302 keep the
                // method of anything but a POST.
                if call.is_get() || (redirect != 303 && !matches!(call, Call::Post | Call::IdempotentPost)) {
                    continue;
                }
                let script = vec![Fault::status(redirect).with_header("Location", "/v1.0/result"), fault.clone()];
                let server = FaultServer::start(script, ok()).await;
                let result = call.send(&client(&server.url())).await;
                let methods: Vec<_> = server.requests().iter().map(|r| r.method.clone()).collect();
                let error = result.expect_err(&format!("{call:?}, {redirect} then {fault:?}"));
                assert_eq!(methods.len(), 2, "{call:?}, {redirect} then {fault:?}: sent again: {methods:?}");
                assert_eq!(methods[1], "GET");
                assert!(error.may_have_been_applied(), "{call:?}, {redirect} then {fault:?}: {error}");
                assert!(error.to_string().contains("Graph received this write"), "{error}");
            }
        }
    }
}

const MIB: usize = 1024 * 1024;

fn bounded_client(url: &str, max_response_bytes: u64) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token("t")
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .max_response_bytes(max_response_bytes)
        .build()
        .unwrap()
}

/// An answer longer than `max_response_bytes` is an error with its status and ids, refused
/// from its `Content-Length` before reading, never resent; for a write, Graph received it.
#[tokio::test]
async fn an_answer_over_the_bound_is_an_error_and_never_resent() {
    let big = Fault::json(200, json!({"id": "device-1", "notes": "n".repeat(2 * MIB)})).with_header("request-id", "req-big");
    for call in ALL {
        let server = FaultServer::always(big.clone()).await;
        let error = call.send(&bounded_client(&server.url(), MIB as u64)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Limit, "{call:?}: {error}");
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.request_id(), Some("req-big"));
        assert_eq!(error.client_request_id(), server.requests()[0].header("client-request-id"));
        assert!(error.to_string().contains("max_response_bytes (1048576 bytes)"), "{error}");
        assert_eq!(error.may_have_been_applied(), !call.is_get(), "{call:?}: {error}");
        assert_eq!(server.count(), 1, "{call:?}: sent once");
    }
    // Within the bound, the same answer is read whole.
    let server = FaultServer::always(big).await;
    Call::Get.send(&bounded_client(&server.url(), 3 * MIB as u64)).await.unwrap();
    let error = Client::builder().base_url(server.url()).max_response_bytes(0).build().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
}

/// An answer without a `Content-Length` that never ends (chunks forever): reading stops at the
/// bound, and the call ends with an error instead of filling the memory.
#[tokio::test]
async fn an_endless_answer_is_read_only_up_to_the_bound() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = written.clone();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        while !request.ends_with(b"\r\n\r\n") {
            let mut byte = [0u8; 1];
            if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                return;
            }
            request.push(byte[0]);
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
        // Until the client hangs up.
        while socket.write_all(chunk.as_bytes()).await.is_ok() {
            counter.fetch_add(64 * 1024, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let client = bounded_client(&url, MIB as u64);
    let error =
        tokio::time::timeout(Duration::from_secs(30), Call::Get.send(&client)).await.expect("reading stopped at the bound").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Limit, "{error}");
    assert_eq!(error.status(), Some(200));
    tokio::time::timeout(Duration::from_secs(30), server).await.expect("the client hung up").unwrap();
    assert!(written.load(std::sync::atomic::Ordering::Relaxed) >= MIB);
}

/// The bound holds for each `$batch` answer too: an envelope over it fails its items with
/// the bound's error.
#[tokio::test]
async fn a_batch_answer_over_the_bound_fails_its_items() {
    let big = Fault::json(200, json!({"responses": [{"id": "1", "status": 200, "body": {"notes": "n".repeat(2 * MIB)}}]}));
    let server = FaultServer::always(big).await;
    let client = bounded_client(&server.url(), MIB as u64);
    let results = client.batch(vec![GetDevice { managed_device_id: "device-1".into() }]).await;
    // Debug of whatever `batch` gives: every error it holds, shown.
    let shown = format!("{results:?}");
    assert!(shown.contains("kind: Limit") && shown.contains("max_response_bytes"), "{shown}");
    assert_eq!(server.count(), 1);
}

/// 64 MiB of zeros, gzip-compressed to 65,250 bytes (see `tests/data/gzip/README.md`).
const GZIP_BOMB: &[u8] = include_bytes!("data/gzip/zeros-64MiB.gz");

// Made up for the test of byte answers.
#[graph_endpoint(GET "/reports/download", unlisted, response = graph_endpoint::Bytes)]
struct Download;

/// A gzip bomb, with `reqwest/gzip` on in this build (this file's `reqwest::Client::builder()
/// .gzip(true)` compiles only so): the crate's own client asks for no compression and
/// inflates nothing, and a client the user gives, which inflates, is still bounded by
/// `max_response_bytes` on the inflated bytes.
#[tokio::test]
async fn a_gzip_bomb_is_never_inflated_past_the_bound() {
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let bomb = ResponseTemplate::new(200).set_body_raw(GZIP_BOMB, "application/octet-stream").insert_header("content-encoding", "gzip");
    Mock::given(wiremock::matchers::method("GET")).respond_with(bomb).mount(&server).await;

    let own = Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    let body = own.send(&Download).await.unwrap();
    assert_eq!(&body[..], GZIP_BOMB, "the answer as it was sent, not inflated");
    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.headers.get("accept-encoding").is_none(), "{:?}", request.headers.get("accept-encoding"));

    let inflating = graph_endpoint::ClientBuilder::http_client_builder().unwrap().gzip(true).build().unwrap();
    let theirs =
        Client::builder().base_url(server.uri()).bearer_token("t").http_client(inflating).max_response_bytes(MIB as u64).build().unwrap();
    let error = theirs.send(&Download).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Limit, "{error}");
    assert_eq!(error.status(), Some(200));
    let request = &server.received_requests().await.unwrap()[1];
    assert!(request.headers.get("accept-encoding").is_some_and(|v| v.to_str().unwrap().contains("gzip")), "the given client does inflate");
}

#[tokio::test]
async fn errors_raised_before_sending_were_not_applied() {
    let server = FaultServer::always(ok()).await;
    let error = client(&server.url()).send(&PatchDevice { managed_device_id: String::new(), body: json!({}) }).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(!error.may_have_been_applied());
    assert_eq!(server.count(), 0);
}

#[test]
fn idempotent_is_what_the_definition_says() {
    let body = json!({});
    assert!(!WipeDevice { managed_device_id: "x".into(), body: body.clone() }.is_idempotent());
    assert!(SyncDevice { managed_device_id: "x".into(), body: body.clone() }.is_idempotent());
    assert!(PatchDevice { managed_device_id: "x".into(), body }.is_idempotent());
    assert!(DeleteDevice { managed_device_id: "x".into() }.is_idempotent());
}
