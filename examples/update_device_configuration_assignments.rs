//! Seed 000: `PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments`
//! (beta). Env for real Graph: GRAPH_TOKEN, GRAPH_DEVICE_CONFIGURATION_ID, GRAPH_GROUP_ID.

mod common;

use common::seeds::{UpdateDeviceConfigurationAssignments, pages};

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    let (Some(device_configuration_id), Some(assignment)) =
        (session.id("GRAPH_DEVICE_CONFIGURATION_ID", "0f1e2d3c-config"), session.body(pages::S000_REQUEST))
    else {
        return Ok(());
    };
    let update = UpdateDeviceConfigurationAssignments { device_configuration_id, assignment };
    session.show("seed 000: update the assignments of a device configuration", &update).await?;
    Ok(())
}
