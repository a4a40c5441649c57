//! The typed builder: `.build()` only once every required field is set, each setter once.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

fn set_twice() -> GetUser {
    GetUser::builder().user_id("a").user_id("b").build()
}

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
pub struct UpdateAssignment {
    pub device_configuration_id: String,
    pub device_configuration_assignment_id: String,
}

fn missing_field() -> UpdateAssignment {
    UpdateAssignment::builder().device_configuration_id("c").build()
}

fn main() {}
