//! 10,000 GETs of one device each, as single calls (64 in flight) and through
//! `client.batch` ($batch requests of 20, 4 in flight), against a minimal local server (hyper
//! on 127.0.0.1) that answers single GETs and `$batch` alike. Reports the time and the number
//! of HTTP requests; medians of alternating rounds.
//!
//!     cargo bench --bench batch
//!
//! BENCH_CALLS (default 10,000), BENCH_ROUNDS (default 5).

#[path = "support/rounds.rs"]
mod rounds;

use graph_endpoint::{Client, graph_endpoint};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[graph_endpoint(GET "/deviceManagement/managedDevices/{managedDeviceId}", version = "beta", response = Value)]
struct GetDevice {
    managed_device_id: String,
}

fn device(id: &str) -> Value {
    json!({"id": id, "deviceName": format!("device {id}"), "operatingSystem": "iOS", "complianceState": "compliant"})
}

/// Answers `GET .../managedDevices/{id}` and `POST /beta/$batch`; counts requests.
async fn serve(requests: Arc<AtomicU64>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let requests = requests.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let requests = requests.clone();
                    async move {
                        requests.fetch_add(1, Ordering::Relaxed);
                        let path = request.uri().path().to_owned();
                        let body = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                        let answer = if path.ends_with("/$batch") {
                            let batch: Value = serde_json::from_slice(&body).unwrap();
                            let responses: Vec<Value> = batch["requests"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|item| {
                                    let id = item["url"].as_str().unwrap().rsplit('/').next().unwrap();
                                    json!({"id": item["id"], "status": 200, "headers": {"content-type": "application/json"}, "body": device(id)})
                                })
                                .collect();
                            json!({"responses": responses})
                        } else {
                            device(path.rsplit('/').next().unwrap())
                        };
                        let response = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from(serde_json::to_vec(&answer).unwrap())))
                            .unwrap();
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    address
}

async fn singles(client: &Client, calls: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..64 {
        let client = client.clone();
        tasks.spawn(async move {
            for i in (worker..calls).step_by(64) {
                client.send(&GetDevice { managed_device_id: format!("d{i}") }).await.unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

async fn batched(client: &Client, calls: usize) {
    let gets: Vec<GetDevice> = (0..calls).map(|i| GetDevice { managed_device_id: format!("d{i}") }).collect();
    let results = client.batch(gets).await;
    assert!(results.iter().all(Result::is_ok));
}

fn main() {
    let calls: usize = std::env::var("BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let requests = Arc::new(AtomicU64::new(0));
    let address = runtime.block_on(serve(requests.clone()));
    let client = Client::builder().base_url(format!("http://{address}")).bearer_token("t").build().unwrap();
    let (mut single_requests, mut batch_requests) = (0, 0);
    let mut single = || {
        let before = requests.load(Ordering::Relaxed);
        runtime.block_on(singles(&client, calls));
        single_requests = requests.load(Ordering::Relaxed) - before;
    };
    let mut batch = || {
        let before = requests.load(Ordering::Relaxed);
        runtime.block_on(batched(&client, calls));
        batch_requests = requests.load(Ordering::Relaxed) - before;
    };
    let medians = rounds::alternate(rounds, 1, &mut [&mut single, &mut batch]);
    println!("{calls} GETs, median of {rounds} alternating rounds (process CPU: client and server):");
    for (label, m, n) in [("single calls, 64 in flight", medians[0], single_requests), ("client.batch", medians[1], batch_requests)] {
        println!("  {label:>27}: {:>7.0} ms, {:>7.0} ms CPU, {n} HTTP requests", m.wall.as_secs_f64() * 1e3, m.cpu.as_secs_f64() * 1e3);
    }
}
