//! Self-test of the fault-injection server in `tests/support/fault_server.rs`, driven by
//! plain reqwest and by raw TCP.

#[path = "support/fault_server.rs"]
mod fault_server;

use fault_server::{Fault, FaultServer};
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Guards awaits that should finish quickly, so a broken server fails instead of hanging.
async fn quick<F: std::future::Future>(what: &str, f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(2), f).await.unwrap_or_else(|_| panic!("{what} took over 2 s"))
}

/// The error's source chain, the error itself excluded.
fn sources<'a>(err: &'a (dyn std::error::Error + 'static)) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(err.source(), |e| e.source())
}

#[tokio::test]
async fn respond_round_trip_records_the_request() {
    let server = FaultServer::start(vec![Fault::json(201, json!({"id": "abc"})).with_header("x-answer", "42")], Fault::status(500)).await;
    let client = graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap();
    let resp = quick(
        "request",
        client.post(format!("{}/v1.0/me/items?$top=2&a=b%20c", server.url())).header("X-Custom", "yes").json(&json!({"name": "n"})).send(),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["x-answer"], "42");
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.headers()["content-length"], "12");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body, json!({"id": "abc"}));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v1.0/me/items?$top=2&a=b%20c");
    assert_eq!(r.header("x-custom"), Some("yes"));
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    assert_eq!(r.header("host"), Some(server.url().trim_start_matches("http://")));
    assert!(r.headers.iter().all(|(n, _)| *n == n.to_ascii_lowercase()));
    assert_eq!(r.body, br#"{"name":"n"}"#);
    assert_eq!(r.header("content-length"), Some("12"));
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn close_after_read_fails_the_request_once() {
    let server = FaultServer::start(vec![Fault::CloseAfterRead, Fault::status(200)], Fault::status(500)).await;
    let client = graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap();
    let err = quick("request", client.post(server.url()).body("hello").send()).await.unwrap_err();
    assert!(err.is_request(), "{err:?}");
    assert!(!err.is_connect() && !err.is_timeout(), "{err:?}");
    assert_eq!(server.count(), 1, "a fresh connection is never resent by hyper");
    assert_eq!(server.requests()[0].body, b"hello");

    let resp = quick("second request", client.post(server.url()).body("again").send()).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(server.count(), 2);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn cut_body_fails_while_reading_the_body() {
    let server = FaultServer::always(Fault::cut_body(200, 100, b"{\"partial\":").with_header("content-type", "application/json")).await;
    let resp = quick("request", graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap().get(server.url()).send())
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-length"], "100");
    let err = quick("body", resp.bytes()).await.unwrap_err();
    // reqwest 0.13 reports any failure while reading a response body as a decode error;
    // the transport cause is an `UnexpectedEof` io::Error under the hyper::Error.
    assert!(err.is_decode() && !err.is_body() && !err.is_timeout(), "{err:?}");
    assert!(sources(&err).any(|e| e.is::<hyper::Error>()), "{err:?}");
    assert!(
        sources(&err).any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::UnexpectedEof)),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn hang_runs_into_the_client_timeout() {
    let server = FaultServer::start(vec![Fault::Hang], Fault::status(200)).await;
    let client = graph_endpoint::ClientBuilder::http_client_builder().unwrap().timeout(Duration::from_millis(300)).build().unwrap();
    let err = quick("request", client.get(format!("{}/slow", server.url())).send()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    quick("record", server.wait_for_requests(1)).await;
    assert_eq!(server.count(), 1);
    assert_eq!(server.requests()[0].path, "/slow");

    // The hung connection does not hold up others.
    let resp = quick("next request", client.get(server.url()).send()).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn respond_then_close_forces_a_new_connection() {
    let server = FaultServer::start(vec![Fault::text(200, "first").then_close()], Fault::text(200, "second")).await;
    let client = graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap();
    let first = quick("first", client.get(server.url()).send()).await.unwrap();
    assert!(first.headers().get("connection").is_none());
    assert_eq!(first.text().await.unwrap(), "first");
    let second = quick("second", client.get(server.url()).send()).await.unwrap();
    assert_eq!(second.text().await.unwrap(), "second");
    assert_eq!(server.count(), 2);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn script_then_fallback_in_arrival_order() {
    let server = FaultServer::start(vec![Fault::status(201), Fault::status(202), Fault::status(203)], Fault::status(404)).await;
    let client = graph_endpoint::ClientBuilder::http_client_builder().unwrap().build().unwrap();
    let mut statuses = Vec::new();
    for i in 1..=5 {
        let resp = quick("request", client.get(format!("{}/{i}", server.url())).send()).await.unwrap();
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(statuses, [201, 202, 203, 404, 404]);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/1", "/2", "/3", "/4", "/5"]);
    assert_eq!(server.script_left(), 0);
    assert_eq!(server.connections(), 1, "reqwest reuses one kept-alive connection");
}

#[tokio::test]
async fn raw_split_pipelined_and_chunked_requests() {
    let server = FaultServer::start(vec![Fault::text(200, "one")], Fault::text(202, "two")).await;
    let mut tcp = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    // Headers split inside the terminating CRLFCRLF, then the body together with a whole
    // pipelined chunked request that asks the server to close afterwards.
    tcp.write_all(b"PUT /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r").await.unwrap();
    tcp.flush().await.unwrap();
    tcp.write_all(
        b"\nhello\
          POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
          3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n",
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    quick("responses", tcp.read_to_end(&mut out)).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out,
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\n\r\none\
         HTTP/1.1 202 Accepted\r\ncontent-type: text/plain\r\ncontent-length: 3\r\n\r\ntwo"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!((requests[0].method.as_str(), requests[0].path.as_str(), requests[0].body_text().as_str()), ("PUT", "/a?x=1", "hello"));
    assert_eq!((requests[1].method.as_str(), requests[1].path.as_str()), ("POST", "/b"));
    assert_eq!(requests[1].body, b"abc0123456789abcdef");
    assert_eq!(requests[1].header("transfer-encoding"), Some("chunked"));
}

#[tokio::test]
async fn drop_closes_hung_connections() {
    let server = FaultServer::always(Fault::Hang).await;
    let mut tcp = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    tcp.write_all(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").await.unwrap();
    quick("record", server.wait_for_requests(1)).await;
    drop(server);
    let mut out = Vec::new();
    quick("close after drop", tcp.read_to_end(&mut out)).await.unwrap();
    assert!(out.is_empty());
}
