//! Every seed operation, one after the other: against a local Graph stand-in by default, or
//! against real Graph when `GRAPH_TOKEN` is set (see the README for the ids it needs).
//!
//!     cargo run --example quickstart

mod common;

use common::seeds::*;
use graph_endpoint::Endpoint;

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    let configuration = session.id("GRAPH_DEVICE_CONFIGURATION_ID", "0f1e2d3c-config");
    let assignment = session.id("GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_ID", "d59b6342-6342-d59b-4263-9bd542639bd5");
    let mut failures = 0;

    if let (Some(device_configuration_id), Some(assignment)) = (configuration.clone(), session.body(pages::S000_REQUEST)) {
        let update = UpdateDeviceConfigurationAssignments { device_configuration_id, assignment };
        failures += session.show("seed 000: update the assignments of a device configuration (beta)", &update).await.is_err() as u32;
    }

    if let (Some(configuration), Some(assignment_id), Some(body)) =
        (configuration.clone(), assignment.clone(), session.body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
    {
        let update = UpdateDeviceConfigurationAssignment::builder()
            .device_configuration_id(configuration)
            .device_configuration_assignment_id(assignment_id)
            .assignment(body)
            .build();
        failures += session.show("seed 001: update a device configuration assignment (v1.0)", &update).await.is_err() as u32;
    }

    if let (Some(users_id), Some(device_enrollment_configuration_id), Some(assignment)) = (
        session.id("GRAPH_USER_ID", "adele.vance@contoso.com"),
        session.id("GRAPH_DEVICE_ENROLLMENT_CONFIGURATION_ID", "enrollment-1"),
        session.body(pages::S002_REQUEST),
    ) {
        let update = UpdateEnrollmentConfigurationAssignments { users_id, device_enrollment_configuration_id, assignment };
        failures += session.show("seed 002: update a user's enrollment configuration assignments (beta)", &update).await.is_err() as u32;
    }

    if let (Some(configuration), Some(assignment), Some(certificate), Some(body)) = (
        configuration.clone(),
        assignment.clone(),
        session.id("GRAPH_TRUSTED_ROOT_CERTIFICATE_ID", "root-cert-1"),
        session.body(pages::S003_REQUEST),
    ) {
        for (i, route) in UpdateCertificateAssignment::all_routes(&configuration, &assignment, &certificate, &body).iter().enumerate() {
            let title = format!("seed 003, route {} of 10: {}", i + 1, route.template());
            failures += session.show(&title, route).await.is_err() as u32;
        }
    }

    if let (Some(configuration), Some(assignment)) =
        (session.id("GRAPH_IOS_LOB_APP_PROVISIONING_CONFIGURATION_ID", "ios-lob-config-1"), session.body(pages::S004_REQUEST))
    {
        let update =
            UpdateIosLobAppProvisioningConfigurationAssignments { ios_lob_app_provisioning_configuration_id: configuration, assignment };
        failures +=
            session.show("seed 004: update the assignments of an iOS LOB app provisioning configuration (beta)", &update).await.is_err()
                as u32;
    }

    if !session.is_real() {
        // What a Graph error looks like: the stand-in knows no assignment called `missing`.
        let missing = UpdateDeviceConfigurationAssignment::builder()
            .device_configuration_id("0f1e2d3c-config")
            .device_configuration_assignment_id("missing")
            .assignment(body::<DeviceConfigurationAssignment>(pages::S001_REQUEST))
            .build();
        if let Err(error) = session.show("a Graph error: an assignment that does not exist", &missing).await {
            println!("status {:?}, code {:?}, request-id {:?}\n", error.status(), error.code(), error.request_id());
        }
    }

    if failures > 0 {
        println!("{failures} operation(s) failed");
        std::process::exit(1);
    }
    println!("all operations succeeded");
    Ok(())
}
