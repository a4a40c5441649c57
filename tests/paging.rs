//! OData query options on any call, collections streamed page by page, and the safety rules
//! for `@odata.nextLink`, against loopback servers.

use graph_endpoint::{Client, Collection, ErrorKind, RetryPolicy, graph_endpoint};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Item {
    id: String,
}

#[graph_endpoint(GET "/deviceManagement/deviceConfigurations", version = "beta", response = Collection<Item>)]
struct ListConfigurations;

#[graph_endpoint(GET "/groups", response = Collection<Item>)]
struct ListGroups {
    #[graph(query = "$filter")]
    filter: Option<String>,
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap()
}

fn items(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

/// Three pages of two items: `/beta/...` then `/page2`, `/page3` (links with their own query).
async fn three_pages(server: &MockServer) {
    let base = server.uri();
    Mock::given(path("/beta/deviceManagement/deviceConfigurations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "x", "@odata.count": 6, "value": items(&["a", "b"]),
            "@odata.nextLink": format!("{base}/beta/deviceManagement/deviceConfigurations?$skiptoken=p2")
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": items(&["c", "d"]), "@odata.nextLink": format!("{base}/v1.0/elsewhere/page3?$skiptoken=p3")
        })))
        .mount(server)
        .await;
    Mock::given(path("/v1.0/elsewhere/page3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": items(&["e", "f"]), "@odata.deltaLink": format!("{base}/beta/delta?$deltatoken=d1")
        })))
        .mount(server)
        .await;
}

fn ids(items: &[Item]) -> Vec<&str> {
    items.iter().map(|i| i.id.as_str()).collect()
}

#[tokio::test]
async fn three_pages_in_order_with_three_requests() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = client(&server);
    let mut stream = client.request(&ListConfigurations).count(true).header("X-Custom", "kept").stream();
    let mut seen = Vec::new();
    while let Some(item) = stream.next_item().await {
        seen.push(item.unwrap());
    }
    assert_eq!(ids(&seen), ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(stream.count(), Some(6));
    assert_eq!(stream.pages(), 3);
    assert_eq!(stream.delta_link(), Some(&*format!("{}/beta/delta?$deltatoken=d1", server.uri())));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    // The link's own version and path are used as they are.
    assert_eq!(requests[2].url.path(), "/v1.0/elsewhere/page3");
    for request in &requests {
        assert_eq!(request.headers.get("consistencylevel").unwrap(), "eventual", "{}", request.url);
        assert_eq!(request.headers.get("x-custom").unwrap(), "kept");
        assert_eq!(request.headers.get("authorization").unwrap(), "Bearer t");
    }
    let ids: std::collections::HashSet<_> = requests.iter().map(|r| r.headers.get("client-request-id").unwrap().clone()).collect();
    assert_eq!(ids.len(), 3, "each page is its own call");
}

#[tokio::test]
async fn stopping_early_fetches_only_what_was_needed() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = client(&server);
    let mut stream = client.stream(&ListConfigurations);
    for expected in ["a", "b", "c"] {
        assert_eq!(stream.next_item().await.unwrap().unwrap().id, expected);
    }
    drop(stream);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn collect_all_and_empty_pages_with_a_next_link() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(path("/v1.0/groups"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [], "@odata.nextLink": format!("{base}/v1.0/groups/next")})))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/groups/next"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": items(&["g"])})))
        .mount(&server)
        .await;
    let all = client(&server).stream(&ListGroups { filter: None }).collect_all().await.unwrap();
    assert_eq!(ids(&all), ["g"]);
}

async fn refused_link(link: String) {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/groups"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": items(&["a"]), "@odata.nextLink": link})))
        .mount(&server)
        .await;
    let mut stream = client(&server).stream(&ListGroups { filter: None });
    assert_eq!(stream.next_item().await.unwrap().unwrap().id, "a");
    let error = stream.next_item().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(error.to_string().contains("not followed"), "{error}");
    assert!(stream.next_item().await.is_none());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn next_link_to_another_host_is_refused() {
    refused_link("https://graph.attacker.example/v1.0/groups?$skiptoken=x".into()).await;
}

#[tokio::test]
async fn next_link_to_another_port_is_refused_and_never_contacted() {
    let other = MockServer::start().await;
    refused_link(format!("{}/v1.0/groups?$skiptoken=x", other.uri())).await;
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn next_link_with_another_scheme_is_refused() {
    let server = MockServer::start().await;
    let https = server.uri().replace("http://", "https://");
    refused_link(format!("{https}/v1.0/groups?$skiptoken=x")).await;
}

#[tokio::test]
async fn a_repeated_next_link_ends_the_stream() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(path("/v1.0/groups"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": items(&["a"]), "@odata.nextLink": format!("{base}/v1.0/groups/p")})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/groups/p"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": items(&["b"]), "@odata.nextLink": format!("{base}/v1.0/groups/p")})),
        )
        .mount(&server)
        .await;
    let error = client(&server).stream(&ListGroups { filter: None }).collect_all().await.unwrap_err();
    assert!(error.to_string().contains("repeats a page"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_throttled_page_is_retried() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(path("/v1.0/groups"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": items(&["a"]), "@odata.nextLink": format!("{base}/v1.0/groups/p2")})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/groups/p2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0.05"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/groups/p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": items(&["b"])})))
        .mount(&server)
        .await;
    let all = client(&server).stream(&ListGroups { filter: None }).collect_all().await.unwrap();
    assert_eq!(ids(&all), ["a", "b"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].headers.get("retry-attempt").unwrap(), "1");
}

#[tokio::test]
async fn filter_with_reserved_and_non_ascii_characters_arrives_intact() {
    let server = MockServer::start().await;
    let filter = "displayName eq 'R&D #1 ''Zoë'' 100%+more'";
    Mock::given(method("GET"))
        .and(query_param("$filter", filter))
        .and(query_param("$top", "5"))
        .and(query_param("$select", "id,displayName"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": items(&["r"])})))
        .expect(1)
        .mount(&server)
        .await;
    let page =
        client(&server).request(&ListGroups { filter: None }).filter(filter).top(5).select(["id", "displayName"]).send().await.unwrap();
    assert_eq!(ids(&page.value), ["r"]);
    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.headers.get("consistencylevel").is_none(), "only $search and $count need it");
}

#[tokio::test]
async fn search_adds_consistency_level_unless_set() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []}))).mount(&server).await;
    let client = client(&server);
    client.request(&ListConfigurations).search("\"displayName:wifi\"").send().await.unwrap();
    client.request(&ListConfigurations).search("\"displayName:wifi\"").header("ConsistencyLevel", "session").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("consistencylevel").unwrap(), "eventual");
    assert_eq!(requests[1].headers.get("consistencylevel").unwrap(), "session");
    let search: Vec<_> = requests[0].url.query_pairs().collect();
    assert_eq!(search[0].1, "\"displayName:wifi\"");
}

#[tokio::test]
async fn an_option_the_endpoint_declares_is_a_clear_error() {
    let server = MockServer::start().await;
    let endpoint = ListGroups { filter: Some("a eq 1".into()) };
    let error = client(&server).request(&endpoint).filter("b eq 2").send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(error.to_string().contains("`$filter` is set twice"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
    // Without a value in the field, the builder's option is the only one.
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []}))).mount(&server).await;
    client(&server).request(&ListGroups { filter: None }).filter("b eq 2").send().await.unwrap();
}

#[tokio::test]
async fn a_failing_first_page_is_the_streams_only_item() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"error": {"code": "Forbidden", "message": "Insufficient privileges."}})),
        )
        .mount(&server)
        .await;
    let mut stream = client(&server).stream(&ListConfigurations);
    let error = stream.next_item().await.unwrap().unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert!(stream.next_item().await.is_none());
}

/// Answers `?$skiptoken=n` with the item `n` and a link to `n + 1`, up to `last`: every link
/// is new.
struct FreshLinks {
    base: String,
    last: u32,
}

impl wiremock::Respond for FreshLinks {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let n: u32 = request.url.query_pairs().find(|(k, _)| k == "$skiptoken").map_or(0, |(_, v)| v.parse().unwrap());
        let mut page = json!({"value": items(&[&n.to_string()])});
        if n < self.last {
            page["@odata.nextLink"] = json!(format!("{}/v1.0/groups?$skiptoken={}", self.base, n + 1));
        }
        ResponseTemplate::new(200).set_body_json(page)
    }
}

async fn fresh_links(last: u32) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/groups")).respond_with(FreshLinks { base: server.uri(), last }).mount(&server).await;
    server
}

/// 2,000 pages of fresh links: `max_pages(50)` fetches 50 and ends with an error that says the
/// list is cut, on the request builder and on the stream alike.
#[tokio::test]
async fn max_pages_stops_fresh_links_with_an_error() {
    let server = fresh_links(2_000).await;
    let graph = client(&server);
    let mut stream = graph.request(&ListGroups { filter: None }).max_pages(50).stream();
    let mut got = 0;
    let error = loop {
        match stream.next_item().await.expect("the stream ends with an error, not quietly") {
            Ok(_) => got += 1,
            Err(error) => break error,
        }
    };
    assert_eq!(got, 50);
    assert_eq!(stream.pages(), 50);
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert!(error.to_string().contains("50 pages") && error.to_string().contains("not the whole collection"), "{error}");
    assert!(stream.next_item().await.is_none());
    assert_eq!(server.received_requests().await.unwrap().len(), 50);

    let error = graph.stream(&ListGroups { filter: None }).max_pages(3).collect_all().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert_eq!(server.received_requests().await.unwrap().len(), 53);

    // Exactly as many pages as allowed: the whole list, no error.
    let server = fresh_links(9).await;
    let all = client(&server).request(&ListGroups { filter: None }).max_pages(10).stream().collect_all().await.unwrap();
    assert_eq!(all.len(), 10);
    let error = client(&server).stream(&ListGroups { filter: None }).max_pages(0).collect_all().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(server.received_requests().await.unwrap().len(), 10, "max_pages(0) sends nothing");
}

/// Without a bound, 2,000 fresh links are followed to the end, and the loop check's memory
/// stays fixed: it remembers at most 257 hashes however many links passed.
#[tokio::test]
async fn fresh_links_keep_the_loop_check_bounded() {
    let server = fresh_links(1_999).await;
    let mut stream = client(&server).stream(&ListGroups { filter: None });
    let mut got = 0;
    while let Some(item) = stream.next_item().await {
        item.unwrap();
        got += 1;
    }
    assert_eq!((got, stream.pages()), (2_000, 2_000));
    let shown = format!("{stream:?}");
    assert!(shown.contains("links_remembered: 257"), "{shown}");
}

/// Each page is bounded by `max_response_bytes`: a page over it ends the stream with the
/// bound's error, after the items of the pages before it.
#[tokio::test]
async fn a_page_over_the_answer_bound_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/groups"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": items(&["a"]), "@odata.nextLink": format!("{}/v1.0/groups/2", server.uri())})),
        )
        .mount(&server)
        .await;
    let big: Vec<String> = (0..100).map(|i| format!("{i}{}", "x".repeat(1024))).collect();
    let big: Vec<&str> = big.iter().map(String::as_str).collect();
    Mock::given(path("/v1.0/groups/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": items(&big)})))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).bearer_token("t").max_response_bytes(64 * 1024).build().unwrap();
    let mut stream = client.stream(&ListGroups { filter: None });
    assert_eq!(stream.next_item().await.unwrap().unwrap().id, "a");
    let error = stream.next_item().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Limit, "{error}");
    assert_eq!(error.status(), Some(200));
    assert!(stream.next_item().await.is_none());
}
