//! The five seed operations, written as DESIGN.md shows them.

use graph_endpoint::graph_endpoint;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceConfigurationAssignment {
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrollmentConfigurationAssignment {
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IosLobAppProvisioningConfigurationAssignment {
    pub id: Option<String>,
}

/// Seed 000.
#[graph_endpoint(
    PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments",
    version = "beta",
    response = Option<DeviceConfigurationAssignment>,
)]
pub struct UpdateAssignments {
    pub device_configuration_id: String,
    #[graph(body)]
    pub assignment: DeviceConfigurationAssignment,
}

/// Seed 001.
#[graph_endpoint(
    PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
    version = "v1.0",
    response = Option<DeviceConfigurationAssignment>,
)]
pub struct UpdateDeviceConfigurationAssignment {
    pub device_configuration_id: String,
    pub device_configuration_assignment_id: String,
    #[graph(body)]
    pub assignment: DeviceConfigurationAssignment,
}

/// Seed 002.
#[graph_endpoint(
    PATCH "/users/{usersId}/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments",
    version = "beta",
    response = Option<EnrollmentConfigurationAssignment>,
)]
pub struct UpdateEnrollmentConfigurationAssignments {
    pub users_id: String,
    pub device_enrollment_configuration_id: String,
    #[graph(body)]
    pub assignment: EnrollmentConfigurationAssignment,
}

/// Seed 003: ten routes to one operation.
#[graph_endpoint(version = "beta", response = Option<DeviceConfigurationAssignment>)]
pub enum UpdateCertificateAssignment {
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
    Configuration { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{deviceConfigurationAssignmentId}")]
    RootCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/identityCertificate/assignments/{deviceConfigurationAssignmentId}")]
    IdentityCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/identityCertificate/rootCertificate/assignments/{deviceConfigurationAssignmentId}")]
    IdentityRootCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/{deviceConfigurationAssignmentId}")]
    IosScepRootCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsPhone81VpnConfiguration/identityCertificate/assignments/{deviceConfigurationAssignmentId}")]
    WindowsPhone81VpnIdentityCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.macOSWiredNetworkConfiguration/rootCertificateForServerValidation/assignments/{deviceConfigurationAssignmentId}")]
    MacOsWiredRootCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.macOSWiredNetworkConfiguration/identityCertificateForClientAuthentication/assignments/{deviceConfigurationAssignmentId}")]
    MacOsWiredIdentityCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/identityCertificateForClientAuthentication/assignments/{deviceConfigurationAssignmentId}")]
    WifiIdentityCertificate { device_configuration_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/{windows81TrustedRootCertificateId}/assignments/{deviceConfigurationAssignmentId}")]
    WifiRootCertificate { device_configuration_id: String, windows81_trusted_root_certificate_id: String, device_configuration_assignment_id: String, #[graph(body)] body: DeviceConfigurationAssignment },
}

/// Seed 004.
#[graph_endpoint(
    PATCH "/deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/assignments",
    version = "beta",
    response = Option<IosLobAppProvisioningConfigurationAssignment>,
)]
pub struct UpdateIosLobAppProvisioningConfigurationAssignments {
    pub ios_lob_app_provisioning_configuration_id: String,
    #[graph(body)]
    pub assignment: IosLobAppProvisioningConfigurationAssignment,
}

fn main() {
    let _ = UpdateAssignments::builder()
        .device_configuration_id("c")
        .assignment(DeviceConfigurationAssignment { id: None })
        .build();
    let _ = UpdateDeviceConfigurationAssignment::builder()
        .device_configuration_assignment_id("a")
        .device_configuration_id(String::from("c"))
        .assignment(DeviceConfigurationAssignment { id: None })
        .build();
    let _ = UpdateEnrollmentConfigurationAssignments::builder()
        .users_id("u")
        .device_enrollment_configuration_id("e")
        .assignment(EnrollmentConfigurationAssignment { id: None })
        .build();
    let _ = UpdateIosLobAppProvisioningConfigurationAssignments::builder()
        .ios_lob_app_provisioning_configuration_id("i")
        .assignment(IosLobAppProvisioningConfigurationAssignment { id: None })
        .build();
    let _ = UpdateCertificateAssignment::WifiRootCertificate {
        device_configuration_id: "c".into(),
        windows81_trusted_root_certificate_id: "w".into(),
        device_configuration_assignment_id: "a".into(),
        body: DeviceConfigurationAssignment { id: None },
    };
}
