//! Models generated from Graph's own metadata by `graph-endpoint-gen`, in use: the checked-in
//! `examples/generated/graph_models.rs` was written by
//!
//! ```text
//! cargo run -p graph-endpoint-gen -- --metadata v1.0.csdl --all-subtypes \
//!     --endpoint "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}" \
//!     --endpoint "GET /deviceManagement/managedDevices" \
//!     --endpoint "GET /deviceManagement/managedDevices/{managedDeviceId}" \
//!     deviceConfigurationAssignment enrollmentConfigurationAssignment \
//!     iosLobAppProvisioningConfigurationAssignment managedDevice \
//!     --out examples/generated/graph_models.rs
//! ```
//!
//! This reads a managed device as Graph returns it (a value the metadata does not list is kept,
//! not refused), reads seed 001's assignment target (the crate's own `intune::AssignmentTarget`,
//! which the models use wherever Graph has that type), sends seed 001's PATCH through the generated endpoint
//! definition, and, against real Graph (GRAPH_TOKEN), lists the tenant's managed devices.

mod common;

// Included rather than `mod`-declared: the file is the generator's output as is, and rustfmt
// does not reformat what `include!` brings in.
#[allow(dead_code)]
mod graph_models {
    include!("generated/graph_models.rs");
}

use common::seeds::pages;
use graph_endpoint::intune::{AssignmentTarget, TargetKind};
use graph_models::{
    ComplianceState, DeviceConfigurationAssignment, ListManagedDevices, ManagedDevice, ManagementAgentType,
    UpdateDeviceConfigurationAssignment,
};

/// A managed device as `GET /deviceManagement/managedDevices/{id}` answers (shortened), with a
/// `managementAgent` value newer than the metadata the models were generated from.
const MANAGED_DEVICE: &str = r##"{
    "@odata.type": "#microsoft.graph.managedDevice",
    "id": "705c034c-034c-705c-4c03-5c704c035c70",
    "deviceName": "DESKTOP-7Q2",
    "operatingSystem": "Windows",
    "osVersion": "10.0.22631.3155",
    "complianceState": "noncompliant",
    "managementAgent": "aValueAddedLater",
    "managedDeviceOwnerType": "company",
    "isEncrypted": true,
    "totalStorageSpaceInBytes": 255374442496,
    "freeStorageSpaceInBytes": 101166637056,
    "lastSyncDateTime": "2024-03-02T08:00:00Z",
    "deviceActionResults": [{"actionName": "syncDevice", "actionState": "done", "startDateTime": "2024-03-02T07:59:00Z"}]
}"##;

/// An assignment's target: the generated models use the crate's own
/// `graph_endpoint::intune::AssignmentTarget`, told apart by its `@odata.type`.
fn target(target: &AssignmentTarget) -> String {
    match &target.kind {
        TargetKind::Group { group_id } => format!("group {group_id}"),
        TargetKind::ExclusionGroup { group_id } => format!("excluded group {group_id}"),
        TargetKind::AllDevices => "all devices".to_owned(),
        TargetKind::AllLicensedUsers => "all licensed users".to_owned(),
        TargetKind::ConfigurationManagerCollection { collection_id } => format!("ConfigMgr collection {collection_id:?}"),
        TargetKind::Base => "the base target type itself".to_owned(),
        TargetKind::Other { odata_type } => format!("{odata_type} (newer than the model, kept whole)"),
        other => format!("{other:?}"),
    }
}

fn describe(device: &ManagedDevice) {
    println!(
        "  {} ({} {})",
        device.device_name.as_deref().unwrap_or("?"),
        device.operating_system.as_deref().unwrap_or("?"),
        device.os_version.as_deref().unwrap_or("")
    );
    match &device.compliance_state {
        Some(ComplianceState::Compliant) => println!("  compliant"),
        Some(other) => println!("  compliance: {other}"),
        None => println!("  compliance: not reported"),
    }
    if let Some(ManagementAgentType::Unrecognized(value)) = &device.management_agent {
        println!("  management agent {value:?} is newer than the metadata: kept as received");
    }
    if let (Some(total), Some(free)) = (device.total_storage_space_in_bytes, device.free_storage_space_in_bytes) {
        println!("  storage: {} of {} GiB free", free >> 30, total >> 30);
    }
}

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    println!("── a managed device, read through the generated model");
    let device: ManagedDevice = serde_json::from_str(MANAGED_DEVICE).expect("the generated model reads Graph's JSON");
    describe(&device);
    let written = serde_json::to_value(&device).expect("serializes");
    assert_eq!(written["managementAgent"], "aValueAddedLater", "an unknown value round-trips unchanged");
    println!();

    let session = common::Session::connect().await?;
    let (Some(configuration), Some(assignment_id), Some(assignment)) = (
        session.id("GRAPH_DEVICE_CONFIGURATION_ID", "0f1e2d3c-config"),
        session.id("GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_ID", "d59b6342-6342-d59b-4263-9bd542639bd5"),
        session.body::<DeviceConfigurationAssignment>(pages::S001_REQUEST),
    ) else {
        return Ok(());
    };
    if let Some(to) = &assignment.target {
        println!("── seed 001's assignment targets {}", target(to));
        let written = serde_json::to_value(to).expect("serializes");
        println!("  written back with `#`, first: {}\n", written);
    }
    let update = UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_id(configuration)
        .device_configuration_assignment_id(assignment_id)
        .body(assignment)
        .build();
    session.show("seed 001 through the generated definition", &update).await?;

    if session.is_real() {
        let page = session.client.send(&ListManagedDevices {}).await?;
        println!("── the tenant's managed devices (first page: {})", page.value.len());
        for device in &page.value {
            describe(device);
        }
    }
    Ok(())
}
