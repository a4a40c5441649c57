//! One tracing span per call, naming the template (never the ids), with status, attempts,
//! request-id and elapsed time; retries logged at warn with the wait and its reason.

use graph_endpoint::{Client, RetryPolicy, graph_endpoint};
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[graph_endpoint(GET "/users/{userId}/manager", response = Value)]
struct GetManager {
    user_id: String,
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct ThrottleOnce(Mutex<bool>);

impl Respond for ThrottleOnce {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut throttled = self.0.lock().unwrap();
        if *throttled {
            return ResponseTemplate::new(200).insert_header("request-id", "req-42").set_body_json(json!({"id": "m"}));
        }
        *throttled = true;
        ResponseTemplate::new(429).insert_header("Retry-After", "0.01")
    }
}

#[tokio::test]
async fn a_span_per_call_with_template_status_attempts_and_request_id() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ThrottleOnce(Mutex::new(false))).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).bearer_token("t").retry(RetryPolicy::default()).build().unwrap();
    client.send(&GetManager { user_id: "adele.vance@contoso.com".into() }).await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let warn = log.lines().find(|l| l.contains("WARN")).expect("a retry warning");
    // Retry-After 0.01 s, plus up to a quarter of it of spread.
    let wait: u64 = warn.split("wait_ms=").nth(1).and_then(|v| v.split_whitespace().next()).and_then(|v| v.parse().ok()).unwrap();
    assert!((10..=13).contains(&wait), "{warn}");
    for field in ["status=429", "reason=\"Retry-After\"", "method=\"GET\"", "template=\"/users/{userId}/manager\"", "attempt=1"] {
        assert!(warn.contains(field), "{field} missing: {warn}");
    }
    // Inside the call's span, so that a warning says which call it is about.
    assert!(warn.contains("graph_request{"), "{warn}");
    let close = log.lines().find(|l| l.contains("close")).expect("the span closing");
    for field in [
        "graph_request",
        "method=\"GET\"",
        "template=\"/users/{userId}/manager\"",
        "status=200",
        "attempts=2",
        "request_id=\"req-42\"",
        "elapsed_ms=",
    ] {
        assert!(close.contains(field), "{field} missing: {close}");
    }
    assert!(!log.contains("adele"), "ids must not be logged: {log}");
}
