use graph_endpoint::graph_endpoint;

#[graph_endpoint(version = "beta")]
pub enum Update {
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
    Assignment { device_configuration_id: String, device_configuration_assignment_id: String },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{deviceConfigurationAssignmentId}")]
    RootCertificate { device_configuration_id: String },
}

fn main() {}
