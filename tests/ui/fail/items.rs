//! What the attribute applies to: a struct with named fields, or an enum with one route per
//! variant, without const generics.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub fn list_users() {}

#[graph_endpoint(GET "/users")]
pub union Id {
    a: u32,
    b: f32,
}

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser<const N: usize> {
    pub user_id: [u8; N],
}

#[graph_endpoint(version = "beta")]
pub enum Nothing {}

#[graph_endpoint]
pub enum BareAttr {
    #[graph]
    Me,
}

#[graph_endpoint(version = "beta")]
pub enum Update {
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
    Assignment { device_configuration_id: String, device_configuration_assignment_id: String },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{deviceConfigurationAssignmentId}")]
    RootCertificate { device_configuration_id: String },
}

#[graph_endpoint]
pub enum VariantResponse {
    #[graph(GET "/me", response = String)]
    Me,
}

#[graph_endpoint]
pub enum VariantTwoRoutes {
    #[graph(GET "/me")]
    #[graph(GET "/users/{userId}")]
    Me,
}

#[graph_endpoint(version = "beta")]
pub enum GetAssignment {
    #[graph(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments")]
    Configuration { device_configuration_id: String },
    Compliance { device_compliance_policy_id: String },
}

#[graph_endpoint(GET "/users")]
pub enum EnumWithRequestLine {
    #[graph(GET "/users")]
    All,
}

fn main() {}
