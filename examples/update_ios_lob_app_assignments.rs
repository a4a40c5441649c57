//! Seed 004: `PATCH /deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/assignments`
//! (beta). Env for real Graph: GRAPH_TOKEN, GRAPH_IOS_LOB_APP_PROVISIONING_CONFIGURATION_ID,
//! GRAPH_GROUP_ID.

mod common;

use common::seeds::{UpdateIosLobAppProvisioningConfigurationAssignments, pages};

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    let (Some(configuration), Some(assignment)) =
        (session.id("GRAPH_IOS_LOB_APP_PROVISIONING_CONFIGURATION_ID", "ios-lob-config-1"), session.body(pages::S004_REQUEST))
    else {
        return Ok(());
    };
    let update =
        UpdateIosLobAppProvisioningConfigurationAssignments { ios_lob_app_provisioning_configuration_id: configuration, assignment };
    session.show("seed 004: update the assignments of an iOS LOB app provisioning configuration", &update).await?;
    Ok(())
}
