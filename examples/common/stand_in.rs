//! A local Graph stand-in on loopback that answers the seed operations as the seed pages do,
//! so the examples run with no tenant. It checks what Graph checks first: a bearer token and
//! a JSON body.

use super::seeds::pages;
use wiremock::matchers::{header_exists, method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A Graph error body, as Graph writes it.
fn graph_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    let body = serde_json::json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {"date": "2024-01-01T00:00:00", "request-id": "stand-in-request", "client-request-id": null}
        }
    });
    ResponseTemplate::new(status).set_body_json(body).insert_header("request-id", "stand-in-request")
}

/// Answers like the page: 200 with the page's response body; 404 for the id `missing`;
/// 400 when the body is not JSON.
struct Page(&'static str);

impl Respond for Page {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.url.path().split('/').any(|segment| segment == "missing") {
            return graph_error(404, "ResourceNotFound", "The requested assignment does not exist.");
        }
        if serde_json::from_slice::<serde_json::Value>(&request.body).is_err() {
            return graph_error(400, "BadRequest", "The request body is not valid JSON.");
        }
        ResponseTemplate::new(200).set_body_raw(self.0, "application/json").insert_header("request-id", "stand-in-request")
    }
}

const ID: &str = "[^/]+";

/// The device configurations, two per page: the `@odata.nextLink` points back at this server,
/// as Graph's point at Graph.
struct ConfigurationPages {
    origin: String,
}

impl Respond for ConfigurationPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let configurations = [
            ("0f1e2d3c-wifi", "#microsoft.graph.windowsWifiEnterpriseEAPConfiguration", "Corporate Wi-Fi"),
            ("1a2b3c4d-vpn", "#microsoft.graph.windowsPhone81VpnConfiguration", "Field VPN"),
            ("2b3c4d5e-scep", "#microsoft.graph.iosScepCertificateProfile", "iOS SCEP certificate"),
        ];
        let page: usize = request.url.query_pairs().find(|(k, _)| k == "$skiptoken").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        let value: Vec<_> = configurations
            .iter()
            .skip(page * 2)
            .take(2)
            .map(|(id, odata_type, name)| serde_json::json!({"@odata.type": odata_type, "id": id, "displayName": name}))
            .collect();
        let mut body = serde_json::json!({"@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations", "value": value});
        if (page + 1) * 2 < configurations.len() {
            body["@odata.nextLink"] = format!("{}/beta/deviceManagement/deviceConfigurations?$skiptoken={}", self.origin, page + 1).into();
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

/// Starts the stand-in on a free loopback port.
pub async fn start() -> MockServer {
    let server = MockServer::start().await;
    let routes: [(String, &'static str); 6] = [
        (format!("^/beta/deviceManagement/deviceConfigurations/{ID}/assignments$"), pages::S000_RESPONSE),
        (format!("^/v1.0/deviceManagement/deviceConfigurations/{ID}/assignments/{ID}$"), pages::S001_RESPONSE),
        (format!("^/beta/users/{ID}/deviceEnrollmentConfigurations/{ID}/assignments$"), pages::S002_RESPONSE),
        (format!("^/beta/deviceManagement/deviceConfigurations/{ID}/assignments/{ID}$"), pages::S003_RESPONSE),
        (format!("^/beta/deviceManagement/deviceConfigurations/{ID}/.+/assignments/{ID}$"), pages::S003_RESPONSE),
        (format!("^/beta/deviceAppManagement/iosLobAppProvisioningConfigurations/{ID}/assignments$"), pages::S004_RESPONSE),
    ];
    for (route, response) in routes {
        Mock::given(method("PATCH"))
            .and(path_regex(route))
            .and(header_exists("authorization"))
            .respond_with(Page(response))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path_regex("^/beta/deviceManagement/deviceConfigurations$"))
        .and(header_exists("authorization"))
        .respond_with(ConfigurationPages { origin: server.uri() })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(format!("^/beta/deviceManagement/deviceConfigurations/{ID}/assignments$")))
        .and(header_exists("authorization"))
        .respond_with(|request: &Request| {
            let configuration = request.url.path_segments().and_then(|mut s| s.nth(3)).unwrap_or_default().to_owned();
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations('x')/assignments",
                "value": [
                    {"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "id": format!("{configuration}_all-devices"),
                     "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}},
                    {"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "id": format!("{configuration}_pilots"),
                     "target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "5e6f7a8b-pilots",
                                "deviceAndAppManagementAssignmentFilterId": "filter-1", "deviceAndAppManagementAssignmentFilterType": "include"}}
                ]
            }))
        })
        .mount(&server)
        .await;
    // Anything else: what Graph says to a request without a token, or to an unknown path.
    Mock::given(wiremock::matchers::any())
        .respond_with(|request: &Request| {
            if request.headers.contains_key("authorization") {
                graph_error(400, "BadRequest", "Resource not found for the segment in the request URL.")
            } else {
                graph_error(401, "InvalidAuthenticationToken", "Access token is empty.")
            }
        })
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}
