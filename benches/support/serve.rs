//! A minimal Graph stand-in for the benchmarks: hyper (HTTP/1) on 127.0.0.1, each request
//! read whole and answered by `answer` from its path and body, on the runtime that calls
//! [`serve`].

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;

/// What the stand-in answers to a request with this path and body.
pub type Answer = fn(&str, Bytes) -> hyper::Response<Full<Bytes>>;

/// Starts serving on a free loopback port, on the current runtime; returns the address.
pub async fn serve(answer: Answer) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| async move {
                    let path = request.uri().path().to_owned();
                    let body = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                    Ok::<_, Infallible>(answer(&path, body))
                });
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    address
}

/// Seed 001's answer, whatever was asked.
#[allow(dead_code)] // Not every benchmark answers with it.
pub fn seed_answer(body: &'static str) -> hyper::Response<Full<Bytes>> {
    hyper::Response::builder()
        .header("content-type", "application/json")
        .header("request-id", "bench")
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .unwrap()
}
