//! Routes Graph's route index lacks: a warning at the template, with what is near (denied here
//! so that the compiler's output is checked). Routes it has, in any spelling, say nothing.
#![deny(deprecated)]
use graph_endpoint::graph_endpoint;

// A typo in a segment: the known segment in its place.
#[graph_endpoint(GET "/deviceManagement/deviceConfigurtions/{deviceConfigurationId}", version = "beta")]
pub struct Typo {
    pub device_configuration_id: String,
}

// A method the path does not offer (seed 000 without `unlisted`), and the item that has it.
#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments", version = "beta")]
pub struct CollectionPatch {
    pub device_configuration_id: String,
}

// Only in beta, and the definition says nothing (v1.0, the client's default) or v1.0.
#[graph_endpoint(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/groupAssignments")]
pub struct BetaOnly {
    pub device_configuration_id: String,
}

#[graph_endpoint(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/groupAssignments", version = "v1.0")]
pub struct BetaOnlyNotV1 {
    pub device_configuration_id: String,
}

// A forgotten key.
#[graph_endpoint(GET "/users/messages/{messageId}")]
pub struct ForgottenKey {
    pub message_id: String,
}

// `unlisted` where the index has the route.
#[graph_endpoint(GET "/users/{userId}", unlisted)]
pub struct NeedlesslyUnlisted {
    pub user_id: String,
}

// Each variant is checked on its own.
#[graph_endpoint(version = "beta")]
pub enum Assignments {
    #[graph(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments")]
    List { device_configuration_id: String },
    #[graph(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/asignments/{assignmentId}")]
    One { device_configuration_id: String, assignment_id: String },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{assignmentId}", unlisted)]
    Stated { device_configuration_id: String, assignment_id: String },
}

// Spellings that do not matter: parameter names, `microsoft.graph.` casts, a function's `()`,
// letter case, `/me`, a key in parentheses, a drive through its owner.
#[graph_endpoint(version = "beta")]
pub enum Listed {
    #[graph(GET "/deviceAppManagement/mobileApps/{appId}/microsoft.graph.iosLobApp")]
    Cast { app_id: String },
    #[graph(GET "/users/microsoft.graph.delta()")]
    Delta,
    #[graph(GET "/DeviceManagement/ManagedDevices")]
    Case,
    #[graph(GET "/me/messages/{id}")]
    Me { id: String },
    #[graph(GET "/users('{userId}')")]
    Key { user_id: String },
    #[graph(GET "/me/drive/items/{itemId}/children")]
    Drive { item_id: String },
}

fn main() {}
