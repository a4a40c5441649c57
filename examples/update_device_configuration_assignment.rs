//! Seed 001: `PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}`
//! (v1.0), built with the typed builder. Env for real Graph: GRAPH_TOKEN,
//! GRAPH_DEVICE_CONFIGURATION_ID, GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_ID, GRAPH_GROUP_ID.

mod common;

use common::seeds::{DeviceConfigurationAssignment, UpdateDeviceConfigurationAssignment, pages};

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    let (Some(configuration), Some(assignment_id), Some(assignment)) = (
        session.id("GRAPH_DEVICE_CONFIGURATION_ID", "0f1e2d3c-config"),
        session.id("GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_ID", "d59b6342-6342-d59b-4263-9bd542639bd5"),
        session.body::<DeviceConfigurationAssignment>(pages::S001_REQUEST),
    ) else {
        return Ok(());
    };
    let update = UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_id(configuration)
        .device_configuration_assignment_id(assignment_id)
        .assignment(assignment)
        .build();
    session.show("seed 001: update a device configuration assignment", &update).await?;
    Ok(())
}
