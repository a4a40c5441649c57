//! Every segment shape real Graph routes use.

use graph_endpoint::graph_endpoint;

// A cast's certificate sub-path from the seed page; no SDK route list has it.
#[graph_endpoint(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.iosScepCertificateProfile/rootCertificate", unlisted, version = "beta")]
pub struct TypeCast {
    pub device_configuration_id: String,
}

#[graph_endpoint(GET "/deviceAppManagement/mobileApps/graph.iosLobApp/$count", version = "beta", response = u64)]
pub struct KiotaCastCount;

#[graph_endpoint(GET "/users/{user-id}/photo/$value")]
pub struct HyphenatedValue {
    pub user_id: String,
}

#[graph_endpoint(DELETE "/groups/{group-id}/members/{directoryObject-id}/$ref")]
pub struct RemoveMember {
    pub group_id: String,
    pub directory_object_id: String,
}

#[graph_endpoint(GET "/reports/getOffice365ActiveUserDetail(period='{period}')")]
pub struct Report {
    pub period: String,
}

#[graph_endpoint(GET "/users('{userId}')")]
pub struct QuotedKey {
    pub user_id: String,
}

#[graph_endpoint(GET "/applications(appId='{appId}')")]
pub struct AlternateKey {
    pub app_id: String,
}

#[graph_endpoint(GET "/groups/{group-id}/sites/{site-id}/lists/{list-id}/items/{listItem-id}/getActivitiesByInterval(startDateTime='{startDateTime}',endDateTime='{endDateTime}',interval='{interval}')")]
pub struct SevenParameters {
    pub group_id: String,
    pub site_id: String,
    pub list_id: String,
    pub list_item_id: String,
    pub start_date_time: String,
    pub end_date_time: String,
    pub interval: String,
}

#[graph_endpoint(GET "/drives/{drive-id}/root:/{item-path}:/children")]
pub struct ColonAddressing {
    pub drive_id: String,
    pub item_path: String,
}

// `$ref` glued to the key, as one reference page writes it.
#[graph_endpoint(GET "/servicePrincipals/{servicePrincipalId}/tokenLifetimePolicies/{policyId}$ref", unlisted)]
pub struct GluedRef {
    pub service_principal_id: String,
    pub policy_id: u64,
}

#[graph_endpoint(GET "/reports/getTeamsUserActivityCounts(period='{period_value}')")]
pub struct Underscored {
    pub period_value: String,
}

// A parameter as a whole path segment, for the parser; not a Graph route.
#[graph_endpoint(GET "/users/{userId}/{type}", unlisted)]
pub struct KeywordParameter {
    pub user_id: String,
    pub r#type: String,
}

// A parameter inside a segment, for the parser; not a Graph route.
#[graph_endpoint(GET "/users/{id}/x{suffix}", unlisted)]
pub struct Explicit {
    #[graph(path = "id")]
    pub user: String,
    #[graph(path = "suffix")]
    pub tail: i32,
}

#[graph_endpoint(GET "/me/messages", response = Vec<u8>)]
pub struct QueryAndHeaders {
    #[graph(query = "$filter")]
    pub filter: Option<String>,
    #[graph(query = "$select")]
    pub select: Vec<String>,
    #[graph(query)]
    pub include_hidden_messages: bool,
    #[graph(header = "ConsistencyLevel")]
    pub consistency_level: Option<&'static str>,
    #[graph(header = "Prefer")]
    pub prefer: String,
}

#[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe")]
pub struct OptionalBody {
    pub managed_device_id: uuid_like::Id,
    #[graph(body)]
    pub body: Option<Vec<u8>>,
}

mod uuid_like {
    use std::fmt;
    pub struct Id(pub u128);
    impl fmt::Display for Id {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{:032x}", self.0)
        }
    }
    impl graph_endpoint::endpoint::PathParam for Id {}
}

#[graph_endpoint(GET "/users/{userId}")]
pub struct Borrowed<'a> {
    pub user_id: &'a str,
}

#[graph_endpoint(POST "/users/{userId}/sendMail")]
pub struct GenericBody<T: serde::Serialize> {
    pub user_id: String,
    #[graph(body)]
    pub message: T,
}

pub fn main() {
    let _ = Borrowed::builder().user_id("me").build();
    let _ = GenericBody::<u8>::builder().user_id("u").message(1u8).build();
    let _ = KiotaCastCount::builder().build();
    let _ =
        QueryAndHeaders::builder().select(vec!["id".to_string()]).include_hidden_messages(true).prefer("x").filter("a".to_string()).build();
    let _ = QueryAndHeaders::builder().prefer("x").include_hidden_messages(false).consistency_level("eventual").build();
}
