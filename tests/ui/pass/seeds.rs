//! The five seed operations compile as a user writes them (the examples' definitions), and
//! their builders work.

#[path = "../../../examples/common/seeds.rs"]
mod seeds;

use seeds::*;

pub fn main() {
    let assignment: DeviceConfigurationAssignment = body(pages::S000_REQUEST);
    let _ = UpdateDeviceConfigurationAssignments::builder().device_configuration_id("c").assignment(assignment.clone()).build();
    let _ = UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_assignment_id("a")
        .device_configuration_id(String::from("c"))
        .assignment(assignment.clone())
        .build();
    let _ = UpdateEnrollmentConfigurationAssignments::builder()
        .users_id("u")
        .device_enrollment_configuration_id("e")
        .assignment(body::<EnrollmentConfigurationAssignment>(pages::S002_REQUEST))
        .build();
    let _ = UpdateIosLobAppProvisioningConfigurationAssignments::builder()
        .ios_lob_app_provisioning_configuration_id("i")
        .assignment(body::<IosLobAppProvisioningConfigurationAssignment>(pages::S004_REQUEST))
        .build();
    assert_eq!(UpdateCertificateAssignment::all_routes("c", "a", "r", &assignment).len(), 10);
}
