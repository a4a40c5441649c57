use graph_endpoint::graph_endpoint;

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
pub struct UpdateAssignment {
    pub device_configuration_id: String,
    pub device_configuration_assignment_id: String,
}

fn build() -> UpdateAssignment {
    UpdateAssignment::builder().device_configuration_id("c").build()
}

fn main() {}
