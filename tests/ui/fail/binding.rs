//! Template parameters and fields: every parameter bound to exactly one field, every field
//! with a role.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
pub struct UpdateAssignment {
    pub device_configuration_id: String,
    pub device_configuration_assigment_id: String,
}

#[graph_endpoint(GET "/users/{self}")]
pub struct ParamNotAnIdent {}

#[graph_endpoint(GET "/users/{userId}/x/{user-id}")]
pub struct ParamsSameFieldName {
    pub user_id: String,
}

#[graph_endpoint(GET "/users/{userId}")]
pub struct PathAttrBoundTwice {
    #[graph(path = "userId")]
    pub a: String,
    #[graph(path = "userId")]
    pub b: String,
}

#[graph_endpoint(GET "/users/{userId}/manager")]
pub struct PathAttrUnknownParam {
    #[graph(path = "usrId")]
    pub user: String,
}

#[graph_endpoint(GET "/users/{userId}")]
pub struct PathBoundByAttrAndName {
    #[graph(path = "userId")]
    pub id: String,
    pub user_id: String,
}

#[graph_endpoint(GET "/users/{userId}")]
pub struct PathParamOption {
    pub user_id: Option<String>,
}

#[graph_endpoint(GET "/users/{userId}")]
pub struct FieldWithoutRole {
    pub user_id: String,
    pub select: String,
}

#[graph_endpoint(GET "/users/{userId}/manager")]
pub struct GetManager;

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser(pub String);

fn main() {}
