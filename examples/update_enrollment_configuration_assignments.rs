//! Seed 002: `PATCH /users/{usersId}/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments`
//! (beta). Env for real Graph: GRAPH_TOKEN, GRAPH_USER_ID,
//! GRAPH_DEVICE_ENROLLMENT_CONFIGURATION_ID, GRAPH_GROUP_ID.

mod common;

use common::seeds::{UpdateEnrollmentConfigurationAssignments, pages};

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    let (Some(users_id), Some(device_enrollment_configuration_id), Some(assignment)) = (
        session.id("GRAPH_USER_ID", "adele.vance@contoso.com"),
        session.id("GRAPH_DEVICE_ENROLLMENT_CONFIGURATION_ID", "enrollment-1"),
        session.body(pages::S002_REQUEST),
    ) else {
        return Ok(());
    };
    let update = UpdateEnrollmentConfigurationAssignments { users_id, device_enrollment_configuration_id, assignment };
    session.show("seed 002: update a user's enrollment configuration assignments", &update).await?;
    Ok(())
}
