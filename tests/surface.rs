//! The 0.2 surface: bytes both ways, an endpoint's own `Content-Type`, `202 Accepted`,
//! setters that take what people pass, `crate = "..."`, generic endpoints.

#![deny(unused_must_use)]

use graph_endpoint::{Bytes, Client, Collection, Endpoint, ErrorKind, RetryPolicy, graph_endpoint};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{body_bytes, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).bearer_token("t").retry(RetryPolicy::none()).build().unwrap()
}

// A documented download ($value of an app content file); the SDKs' lists stop at the file.
#[graph_endpoint(GET "/deviceAppManagement/mobileApps/{mobileAppId}/microsoft.graph.win32LobApp/contentVersions/{id}/files/{fileId}/$value", unlisted, response = Bytes)]
struct DownloadFile {
    mobile_app_id: String,
    id: String,
    file_id: String,
}

#[graph_endpoint(GET "/reports/getOffice365ActiveUserDetail(period='{period}')", response = Vec<u8>)]
struct ActiveUsersReport {
    period: String,
}

#[graph_endpoint(PUT "/me/drive/items/{itemId}/content", response = Value)]
struct UploadBytes {
    item_id: String,
    #[graph(body, content_type = "application/octet-stream")]
    content: Bytes,
}

#[graph_endpoint(PUT "/me/drive/items/{itemId}/content", response = Value)]
struct UploadWithType {
    item_id: String,
    #[graph(header = "Content-Type")]
    content_type: String,
    #[graph(body, content_type = "application/octet-stream")]
    content: Vec<u8>,
}

#[tokio::test]
async fn bytes_answers_are_returned_as_they_are() {
    let server = MockServer::start().await;
    let binary: Vec<u8> = (0..=255).collect();
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_bytes(binary.clone())).mount(&server).await;
    let file = client(&server).send(&DownloadFile { mobile_app_id: "a".into(), id: "1".into(), file_id: "f".into() }).await.unwrap();
    assert_eq!(&file[..], &binary[..]);
    // `Vec<u8>` too: a CSV report is not a JSON array of numbers.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("Report Refresh Date,User\n")).mount(&server).await;
    let csv = client(&server).send(&ActiveUsersReport { period: "D7".into() }).await.unwrap();
    assert_eq!(csv, b"Report Refresh Date,User\n");
}

#[tokio::test]
async fn bytes_bodies_are_sent_as_they_are_with_their_content_type() {
    let server = MockServer::start().await;
    let payload = Bytes::from_static(b"\x00\x01binary\xff");
    Mock::given(method("PUT"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(payload.to_vec()))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "item"})))
        .mount(&server)
        .await;
    let created = client(&server).send(&UploadBytes { item_id: "i".into(), content: payload }).await.unwrap();
    assert_eq!(created["id"], "item");
}

#[tokio::test]
async fn an_endpoints_own_content_type_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(header("content-type", "text/csv"))
        .and(body_bytes(b"a,b\n".to_vec()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let upload = UploadWithType { item_id: "i".into(), content_type: "text/csv".into(), content: b"a,b\n".to_vec() };
    client(&server).send(&upload).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get_all("content-type").iter().count(), 1, "one Content-Type");
}

#[graph_endpoint(POST "/deviceManagement/reports/exportJobs", response = Option<Value>)]
struct ExportJob {
    #[graph(body)]
    body: Value,
}

#[tokio::test]
async fn accepted_answers_expose_location_and_retry_after() {
    let server = MockServer::start().await;
    let location = format!("{}/beta/deviceManagement/reports/exportJobs('job-1')", server.uri());
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).insert_header("Location", location.as_str()).insert_header("Retry-After", "5"))
        .mount(&server)
        .await;
    let response = client(&server).execute(&ExportJob { body: json!({"reportName": "Devices"}) }).await.unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(response.location(), Some(location.as_str()));
    assert_eq!(response.retry_after(), Some(Duration::from_secs(5)));
    assert_eq!(response.into_inner(), None);
}

#[graph_endpoint(GET "/deviceManagement/managedDevices", response = Collection<Value>)]
struct ListDevices {
    #[graph(query = "$filter")]
    filter: Option<String>,
    #[graph(query = "$top")]
    top: Option<u32>,
    #[graph(query = "$select")]
    select: Vec<String>,
    #[graph(header = "ConsistencyLevel")]
    consistency_level: Option<String>,
}

#[test]
fn optional_setters_take_the_inner_type_and_have_a_maybe_twin() {
    let list = ListDevices::builder().filter("operatingSystem eq 'iOS'").top(5u32).build();
    assert_eq!(list.filter.as_deref(), Some("operatingSystem eq 'iOS'"));
    assert_eq!(list.top, Some(5));
    assert!(list.select.is_empty(), "Vec query fields default to empty");
    let maybe: Option<String> = None;
    let list = ListDevices::builder().filter("x").maybe_filter(maybe).maybe_top(Some(3)).select(["id", "deviceName"]).build();
    assert_eq!(list.filter, None);
    assert_eq!(list.top, Some(3));
    assert_eq!(list.select, ["id", "deviceName"]);
}

#[tokio::test]
async fn empty_vec_query_fields_are_left_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []}))).mount(&server).await;
    client(&server).send(&ListDevices::builder().build()).await.unwrap();
    client(&server).send(&ListDevices::builder().select(["id"]).build()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[1].url.query(), Some("$select=id"));
}

mod sdk {
    pub use ::graph_endpoint as graph;
}

#[graph_endpoint(GET "/me", response = Value, crate = "crate::sdk::graph")]
struct GetMeThroughReexport;

#[test]
fn a_renamed_facade_is_named_with_crate() {
    assert_eq!(GetMeThroughReexport.template(), "/me");
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Group {
    #[serde(rename = "displayName")]
    display_name: String,
}

/// A generic endpoint: the bounds `T: Serialize` (body) and `T: DeserializeOwned` (response)
/// are inferred.
// A generic route for the bounds test, not one of Graph's.
#[graph_endpoint(POST "/{collection}", unlisted, response = T)]
struct Create<T> {
    collection: String,
    #[graph(body)]
    body: T,
}

#[tokio::test]
async fn generic_endpoints_infer_their_bounds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/groups"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"displayName": "Wi-Fi"})))
        .mount(&server)
        .await;
    let group = Group { display_name: "Wi-Fi".into() };
    let created: Group = client(&server).send(&Create { collection: "groups".into(), body: group.clone() }).await.unwrap();
    assert_eq!(created, group);
    let created: Value = client(&server).send(&Create::builder().collection("groups").body(json!({"x": 1})).build()).await.unwrap();
    assert_eq!(created["displayName"], "Wi-Fi");
}

#[tokio::test]
async fn errors_say_what_went_wrong_with_a_bytes_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).and(query_param("x", "y")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let error = client(&server).send(&UploadBytes { item_id: String::new(), content: Bytes::new() }).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
}

/// Every name generated code reaches through `::graph_endpoint::__private` (what
/// `#[graph_endpoint]` and `#[polymorphic]` emit, and what the models of `graph-endpoint-gen`
/// are made of), in one module.
#[test]
fn every_name_generated_code_uses_is_under_private() {
    #[allow(unused_imports)]
    use graph_endpoint::__private::model::{
        Deserialize as ModelDeserialize, Deserializer as ModelDeserializer, Field, Float, Int, Map, MapAccess as ModelMapAccess, Members,
        Model, Out, Result as ModelResult, Serialize as ModelSerialize, SerializeMap, Serializer as ModelSerializer, Value,
        deserialize as model_deserialize, is_annotation, others, serde, serialize,
    };
    #[allow(unused_imports)]
    use graph_endpoint::__private::polymorphic::{
        Deserialize, Deserializer, MapAccess, Polymorphic, Rest, Result as PolymorphicResult, Serialize, Serializer, deserialize,
        serialize_tagged,
    };
    #[allow(unused_imports)]
    use graph_endpoint::__private::{
        Answer, ApiVersion, BodyWriter, Decode, DecodeError, DecodeJson, DecodeRaw, Default, Endpoint, Error, HeaderParam, HeaderWriter,
        Into, IntoIterator, Iterator, JsonBody, JsonResponse, Method, Option, PathParam, PathWriter, PhantomData, QueryParam, QueryWriter,
        RawBody, Required, Result, Set, Sized, Vec, unreachable,
    };
    let set = graph_endpoint::__private::Set(1u8);
    assert_eq!(Required::<u8>::take(set), 1);
}
