//! Lists every device configuration (page by page) and streams each one's assignments.
//! Against the local stand-in by default; with GRAPH_TOKEN against real Graph (read-only:
//! needs DeviceManagementConfiguration.Read.All).
//!
//!     cargo run --example list_assignments

mod common;

use common::seeds::DeviceConfigurationAssignment;
use graph_endpoint::intune::TargetKind;
use graph_endpoint::testing::{Reply, StandIn};
use graph_endpoint::{Collection, ODataType, graph_endpoint};
use serde::Deserialize;
use serde_json::json;

/// The few properties of a device configuration this example shows.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceConfiguration {
    #[serde(rename = "@odata.type")]
    odata_type: ODataType,
    id: String,
    display_name: Option<String>,
}

#[graph_endpoint(GET "/deviceManagement/deviceConfigurations", version = "beta", response = Collection<DeviceConfiguration>)]
struct ListDeviceConfigurations;

#[graph_endpoint(
    GET "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments",
    version = "beta",
    response = Collection<DeviceConfigurationAssignment>,
)]
struct ListDeviceConfigurationAssignments {
    device_configuration_id: String,
}

/// What the stand-in answers for this example's own endpoints: three configurations, two
/// per page (the `@odata.nextLink` leads back to the stand-in, as Graph's lead to Graph), and
/// two assignments for each.
fn declare(stand_in: &StandIn) {
    let configuration = |id: &str, odata_type: &str, name: &str| json!({"@odata.type": odata_type, "id": id, "displayName": name});
    stand_in.on::<ListDeviceConfigurations>().pages(vec![
        vec![
            configuration("0f1e2d3c-wifi", "#microsoft.graph.windowsWifiEnterpriseEAPConfiguration", "Corporate Wi-Fi"),
            configuration("1a2b3c4d-vpn", "#microsoft.graph.windowsPhone81VpnConfiguration", "Field VPN"),
        ],
        vec![configuration("2b3c4d5e-scep", "#microsoft.graph.iosScepCertificateProfile", "iOS SCEP certificate")],
    ]);
    stand_in.on::<ListDeviceConfigurationAssignments>().respond_with(|call| {
        let configuration = call.path_param("deviceConfigurationId").unwrap_or_default();
        Reply::json(
            200,
            json!({"value": [
                {"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "id": format!("{configuration}_all-devices"),
                 "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}},
                {"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "id": format!("{configuration}_pilots"),
                 "target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "5e6f7a8b-pilots",
                            "deviceAndAppManagementAssignmentFilterId": "filter-1", "deviceAndAppManagementAssignmentFilterType": "include"}}
            ]}),
        )
    });
}

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    if let Some(stand_in) = session.stand_in() {
        declare(stand_in);
    }
    let client = &session.client;
    let mut configurations = client.request(&ListDeviceConfigurations).select(["id", "displayName"]).stream();
    while let Some(configuration) = configurations.next_item().await {
        let configuration = configuration?;
        println!(
            "{} ({}, {})",
            configuration.display_name.as_deref().unwrap_or("(no name)"),
            configuration.odata_type.short_name(),
            configuration.id
        );
        let mut assignments = client.stream(&ListDeviceConfigurationAssignments { device_configuration_id: configuration.id.clone() });
        let mut any = false;
        while let Some(assignment) = assignments.next_item().await {
            let assignment = assignment?;
            any = true;
            let target = match &assignment.target.kind {
                TargetKind::Group { group_id } => format!("group {group_id}"),
                TargetKind::ExclusionGroup { group_id } => format!("excluded group {group_id}"),
                TargetKind::AllDevices => "all devices".to_owned(),
                TargetKind::AllLicensedUsers => "all licensed users".to_owned(),
                TargetKind::ConfigurationManagerCollection { collection_id } => format!("ConfigMgr collection {collection_id}"),
                TargetKind::Base => "(base target type)".to_owned(),
                TargetKind::Other { odata_type } => format!("{odata_type} (not modelled)"),
                other => format!("{other:?}"),
            };
            let filter = match (&assignment.target.filter_type, &assignment.target.filter_id) {
                (Some(kind), Some(id)) => format!(", filter {id} ({})", kind.as_str()),
                _ => String::new(),
            };
            println!("  → {target}{filter}");
        }
        if !any {
            println!("  → not assigned");
        }
    }
    println!("\n{} page(s) of configurations", configurations.pages());
    Ok(())
}
