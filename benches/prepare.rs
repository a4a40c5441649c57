//! Request preparation for the seed 001 operation: from the endpoint value to a ready
//! `http::Request` (path encoding, query, headers, body serialization), through the crate's
//! `Client::build_request` and written by hand (`format!` the URL, `serde_json::to_vec`), with
//! the same headers on both (Authorization, Accept, User-Agent, Content-Type, a
//! client-request-id UUID).
//! Also counts heap allocations per request with a counting global allocator.
//!
//!     cargo bench --bench prepare

#[path = "support/counting.rs"]
mod counting;
#[path = "../examples/common/seeds.rs"]
mod seeds;

use criterion::{Criterion, criterion_group, criterion_main};
use graph_endpoint::Bytes;
use graph_endpoint::http;
use seeds::{DeviceConfigurationAssignment, UpdateDeviceConfigurationAssignment, body, pages};
use std::hint::black_box;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const BASE: &str = "http://127.0.0.1:8080";
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.signature";
const CONFIGURATION: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const ASSIGNMENT: &str = "d59b6342-6342-d59b-4263-9bd542639bd5";

fn endpoint() -> UpdateDeviceConfigurationAssignment {
    UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_id(CONFIGURATION)
        .device_configuration_assignment_id(ASSIGNMENT)
        .assignment(body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
        .build()
}

fn hand_written(assignment: &DeviceConfigurationAssignment) -> http::Request<Bytes> {
    let url = format!("{BASE}/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}/assignments/{ASSIGNMENT}");
    http::Request::builder()
        .method(http::Method::PATCH)
        .uri(url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("accept", "application/json")
        .header("user-agent", concat!("graph-endpoint/", env!("CARGO_PKG_VERSION")))
        .header("content-type", "application/json")
        .header("client-request-id", uuid::Uuid::new_v4().to_string())
        .body(Bytes::from(serde_json::to_vec(assignment).unwrap()))
        .unwrap()
}

/// Allocations per call of `f`, over `n` calls.
fn allocations_per_call(n: u64, mut f: impl FnMut()) -> f64 {
    let before = counting::allocations();
    for _ in 0..n {
        f();
    }
    (counting::allocations() - before) as f64 / n as f64
}

fn prepare(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let client = graph_endpoint::Client::builder().base_url(BASE).bearer_token(TOKEN).build().unwrap();
    let endpoint = endpoint();
    let assignment = endpoint.assignment.clone();

    // The two must build the same request.
    let ours = runtime.block_on(client.build_request(&endpoint)).unwrap();
    let theirs = hand_written(&assignment);
    assert_eq!(ours.uri(), theirs.uri());
    assert_eq!(ours.method(), theirs.method());
    assert_eq!(ours.body(), theirs.body());
    for name in ["authorization", "content-type", "accept", "user-agent"] {
        assert_eq!(ours.headers().get(name), theirs.headers().get(name), "{name}");
    }

    let crate_allocs =
        allocations_per_call(10_000, || drop(black_box(runtime.block_on(client.build_request(black_box(&endpoint))).unwrap())));
    let hand_allocs = allocations_per_call(10_000, || drop(black_box(hand_written(black_box(&assignment)))));
    let block_on_allocs = allocations_per_call(10_000, || runtime.block_on(async {}));
    println!("allocations per request: crate {crate_allocs:.1}, hand-written {hand_allocs:.1} (block_on alone: {block_on_allocs:.1})");

    let mut group = c.benchmark_group("prepare seed 001");
    group.bench_function("graph-endpoint", |b| b.iter(|| runtime.block_on(client.build_request(black_box(&endpoint))).unwrap()));
    group.bench_function("hand-written reqwest", |b| b.iter(|| runtime.block_on(async { hand_written(black_box(&assignment)) })));
    group.finish();
}

criterion_group!(benches, prepare);
criterion_main!(benches);
