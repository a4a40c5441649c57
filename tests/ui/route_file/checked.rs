//! Checked against the user's route file (GRAPH_ENDPOINT_ROUTES), not the built-in index.
#![deny(deprecated)]
use graph_endpoint::graph_endpoint;

// In the file: the collection PATCH no SDK route list has.
#[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments", version = "beta")]
pub struct CollectionPatch {
    pub device_configuration_id: String,
}

// In the file, in both versions; `/me` is `/users/{id}`.
#[graph_endpoint(GET "/me/messages")]
pub struct MyMessages;

// In the built-in index, not in the file.
#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

// A typo of a route in the file.
#[graph_endpoint(GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/asignments", version = "beta")]
pub struct Typo {
    pub device_configuration_id: String,
}

fn main() {}
