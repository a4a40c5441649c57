use graph_endpoint::graph_endpoint;

#[graph_endpoint(version = "beta")]
pub enum GetAssignment {
    #[graph(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments")]
    Configuration { device_configuration_id: String },
    Compliance { device_compliance_policy_id: String },
}

fn main() {}
