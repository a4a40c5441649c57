use graph_endpoint::graph_endpoint;

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
pub struct UpdateAssignment {
    pub device_configuration_id: String,
    pub device_configuration_assigment_id: String,
}

fn main() {}
