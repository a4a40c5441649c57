//! What the generated `Endpoint` implementations write: path, query, headers, body, and how
//! they decode responses. No network: the writers are driven directly.

use graph_endpoint::endpoint::{Answer, BodyWriter, HeaderWriter, PathWriter, QueryWriter};
use graph_endpoint::{ApiVersion, Endpoint, Method, graph_endpoint};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: Option<String>,
}

#[graph_endpoint(
    PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
    version = "beta",
    response = Option<Assignment>,
)]
pub struct UpdateAssignment {
    pub device_configuration_id: String,
    pub device_configuration_assignment_id: String,
    #[graph(body)]
    pub assignment: Assignment,
}

#[graph_endpoint(GET "/users('{userId}')/messages", response = Vec<Assignment>)]
pub struct ListMessages {
    pub user_id: String,
    #[graph(query = "$filter")]
    pub filter: Option<String>,
    #[graph(query = "$select")]
    pub select: Vec<&'static str>,
    #[graph(query)]
    pub include_hidden: Option<bool>,
    #[graph(header = "ConsistencyLevel")]
    pub consistency: Option<&'static str>,
}

#[graph_endpoint(response = Option<Assignment>)]
pub enum GetCertificateAssignment {
    // A certificate sub-path from the seed page; no SDK route list has it.
    #[graph(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{deviceConfigurationAssignmentId}", unlisted, version = "beta")]
    Root { device_configuration_id: String, device_configuration_assignment_id: u32 },
    #[graph(DELETE "/deviceManagement/deviceConfigurations/{deviceConfigurationId}")]
    Configuration { device_configuration_id: String },
    #[graph(POST "/deviceManagement/deviceConfigurations")]
    Create {
        #[graph(body)]
        body: Option<Assignment>,
    },
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", idempotent)]
pub struct Wipe {
    pub managed_device_id: String,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/retire")]
pub struct Retire {
    pub managed_device_id: String,
}

#[graph_endpoint]
pub enum DeviceAction {
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice", idempotent)]
    Sync { managed_device_id: String },
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/retire")]
    Retire { managed_device_id: String },
    #[graph(GET "/deviceManagement/managedDevices/{managedDeviceId}")]
    Get { managed_device_id: String },
    // Made up for the test of unit variants: Graph has no collection DELETE here.
    #[graph(DELETE "/deviceManagement/managedDevices", unlisted)]
    DeleteAll,
}

#[graph_endpoint(idempotent)]
pub enum Sync {
    #[graph(POST "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice")]
    Managed { managed_device_id: String },
    #[graph(POST "/deviceManagement/comanagedDevices/{managedDeviceId}/syncDevice", version = "beta")]
    Comanaged { managed_device_id: String },
}

fn path<E: Endpoint>(e: &E) -> Result<String, graph_endpoint::Error> {
    let mut out = String::new();
    e.write_path(&mut PathWriter::new(&mut out))?;
    Ok(out)
}

fn query<E: Endpoint>(e: &E) -> String {
    let mut out = String::new();
    e.write_query(&mut QueryWriter::new(&mut out));
    out
}

fn headers<E: Endpoint>(e: &E) -> Vec<(String, String)> {
    let mut map = graph_endpoint::http::HeaderMap::new();
    e.write_headers(&mut HeaderWriter::new(&mut map)).unwrap();
    map.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned())).collect()
}

fn body<E: Endpoint>(e: &E) -> Option<String> {
    let mut out = Vec::new();
    let mut writer = BodyWriter::new(&mut out);
    e.write_body(&mut writer).unwrap();
    writer.content_type()?;
    Some(String::from_utf8(out).unwrap())
}

fn decode<E: Endpoint>(body: &'static [u8]) -> Result<E::Response, graph_endpoint::endpoint::DecodeError> {
    let headers = graph_endpoint::http::HeaderMap::new();
    let body = graph_endpoint::Bytes::from_static(body);
    E::decode_response(&Answer { status: graph_endpoint::http::StatusCode::OK, headers: &headers, body: &body })
}

#[test]
fn struct_endpoint() {
    let e = UpdateAssignment::builder()
        .device_configuration_id("cfg 1")
        .device_configuration_assignment_id("a/b?c#d%")
        .assignment(Assignment { id: Some("x".into()) })
        .build();
    assert_eq!(e.method(), Method::Patch);
    assert_eq!(e.version(), Some(ApiVersion::Beta));
    assert_eq!(
        e.template(),
        "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}"
    );
    assert_eq!(path(&e).unwrap(), "/deviceManagement/deviceConfigurations/cfg%201/assignments/a%2Fb%3Fc%23d%25");
    assert_eq!(query(&e), "");
    assert_eq!(body(&e).as_deref(), Some(r#"{"id":"x"}"#));
    assert_eq!(decode::<UpdateAssignment>(b"").unwrap(), None);
    assert_eq!(decode::<UpdateAssignment>(br#"{"id":"y"}"#).unwrap(), Some(Assignment { id: Some("y".into()) }));
}

#[test]
fn empty_whole_segment_is_refused() {
    let e = UpdateAssignment::builder()
        .device_configuration_id("")
        .device_configuration_assignment_id("a")
        .assignment(Assignment { id: None })
        .build();
    let error = path(&e).unwrap_err();
    assert!(error.to_string().contains("{deviceConfigurationId}"), "{error}");
}

#[test]
fn query_and_header_fields() {
    let e = ListMessages {
        user_id: "O'Brien".into(),
        filter: Some("subject eq 'a&b'".into()),
        select: vec!["id", "subject"],
        include_hidden: None,
        consistency: Some("eventual"),
    };
    assert_eq!(e.version(), None);
    assert_eq!(path(&e).unwrap(), "/users('O%27%27Brien')/messages");
    assert_eq!(query(&e), "?$filter=subject%20eq%20'a%26b'&$select=id,subject");
    assert_eq!(headers(&e), [("consistencylevel".to_owned(), "eventual".to_owned())]);
    assert_eq!(body(&e), None);

    let e = ListMessages { user_id: "u".into(), filter: None, select: vec![], include_hidden: Some(true), consistency: None };
    assert_eq!(query(&e), "?includeHidden=true");
    assert!(headers(&e).is_empty());
}

#[test]
fn enum_routes() {
    let root = GetCertificateAssignment::Root { device_configuration_id: "c".into(), device_configuration_assignment_id: 7 };
    assert_eq!(root.method(), Method::Get);
    assert_eq!(root.version(), Some(ApiVersion::Beta));
    assert_eq!(path(&root).unwrap(), "/deviceManagement/deviceConfigurations/c/rootCertificate/assignments/7");

    let delete = GetCertificateAssignment::Configuration { device_configuration_id: "c".into() };
    assert_eq!(delete.method(), Method::Delete);
    assert_eq!(delete.version(), None);
    assert_eq!(delete.template(), "/deviceManagement/deviceConfigurations/{deviceConfigurationId}");

    let create = GetCertificateAssignment::Create { body: None };
    assert_eq!(body(&create), None);
    let create = GetCertificateAssignment::Create { body: Some(Assignment { id: None }) };
    assert_eq!(body(&create).as_deref(), Some(r#"{"id":null}"#));
}

#[test]
fn required_response_on_empty_body_suggests_option() {
    let error = decode::<ListMessages>(b"").unwrap_err();
    assert!(error.is_empty_body());
    assert!(error.to_string().contains("Option<"), "{error}");
}

#[test]
fn idempotent_flag() {
    let id = || "d".to_owned();
    assert!(Wipe { managed_device_id: id() }.is_idempotent());
    assert!(!Retire { managed_device_id: id() }.is_idempotent());
    assert_eq!(Wipe::builder().managed_device_id("d").build().method(), Method::Post);

    assert!(DeviceAction::Sync { managed_device_id: id() }.is_idempotent());
    assert!(!DeviceAction::Retire { managed_device_id: id() }.is_idempotent());
    assert!(DeviceAction::Get { managed_device_id: id() }.is_idempotent());
    assert!(DeviceAction::DeleteAll.is_idempotent());

    assert!(Sync::Managed { managed_device_id: id() }.is_idempotent());
    assert!(Sync::Comanaged { managed_device_id: id() }.is_idempotent());

    // Without the flag anywhere, the trait's own answer: POST is not resent.
    assert!(!GetCertificateAssignment::Create { body: None }.is_idempotent());
    assert!(GetCertificateAssignment::Configuration { device_configuration_id: id() }.is_idempotent());
    assert!(
        UpdateAssignment::builder()
            .device_configuration_id("c")
            .device_configuration_assignment_id("a")
            .assignment(Assignment { id: None })
            .build()
            .is_idempotent()
    );
}
