//! Generated code compiles in a module without the prelude: every name it uses is reached by
//! absolute path, and no method is called through a prelude trait.

mod no_prelude {
    #![no_implicit_prelude]
    #![allow(dead_code)]

    use ::graph_endpoint::graph_endpoint;
    use ::std::option::Option::{self, None, Some};
    use ::std::string::String;
    use ::std::vec::Vec;

    #[derive(::serde::Serialize, ::serde::Deserialize)]
    pub struct Assignment {
        pub id: Option<String>,
    }

    #[graph_endpoint(
        PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{assignmentId}",
        version = "beta",
        response = Option<Assignment>,
    )]
    pub struct UpdateAssignment {
        pub device_configuration_id: String,
        pub assignment_id: u32,
        #[graph(query = "$select")]
        pub select: Option<String>,
        #[graph(query)]
        pub include_details: Option<bool>,
        #[graph(query = "$expand")]
        pub expand: Vec<&'static str>,
        #[graph(header = "If-Match")]
        pub etag: Option<&'static str>,
        #[graph(header = "ConsistencyLevel")]
        pub consistency: &'static str,
        #[graph(body)]
        pub body: Assignment,
    }

    #[graph_endpoint(POST "/deviceManagement/managedDevices/{managedDeviceId}/wipe", idempotent)]
    pub struct Wipe {
        pub managed_device_id: String,
        #[graph(body)]
        pub body: Option<Assignment>,
    }

    #[graph_endpoint(response = Vec<Assignment>)]
    pub enum ListAssignments {
        // Made up for the prelude test.
        #[graph(GET "/users('{userId}')/assignments", unlisted)]
        ForUser {
            user_id: String,
            #[graph(query = "$top")]
            top: Option<u32>,
        },
        // Made up for the prelude test.
        #[graph(POST "/assignments/search", unlisted, version = "beta", idempotent)]
        Search {
            #[graph(body)]
            body: Assignment,
        },
        // Made up for the prelude test.
        #[graph(GET "/assignments", unlisted)]
        All,
    }

    #[graph_endpoint(DELETE "/users/{userId}")]
    pub struct DeleteUser {
        pub user_id: String,
    }

    pub fn build() -> (UpdateAssignment, Wipe, DeleteUser, ListAssignments) {
        let update = UpdateAssignment::builder()
            .device_configuration_id("c")
            .assignment_id(7u32)
            .select(String::new())
            .consistency("eventual")
            .expand(["assignments"])
            .body(Assignment { id: None })
            .build();
        let wipe = Wipe::builder().managed_device_id(String::new()).body(Assignment { id: None }).build();
        let delete = DeleteUser::builder().user_id("u").build();
        let list = ListAssignments::ForUser { user_id: String::new(), top: Some(5) };
        (update, wipe, delete, list)
    }
}

pub fn main() {
    use graph_endpoint::Endpoint;
    let (update, wipe, delete, list) = no_prelude::build();
    assert!(update.is_idempotent() && wipe.is_idempotent() && delete.is_idempotent() && list.is_idempotent());
    assert!(no_prelude::ListAssignments::Search { body: no_prelude::Assignment { id: None } }.is_idempotent());
    let _ = no_prelude::ListAssignments::All;
}
