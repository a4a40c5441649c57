//! The five seed operations (Microsoft Graph's "update assignment" pages for Intune), their
//! models, and the example bodies and responses of those pages.

#![allow(dead_code)]

use graph_endpoint::intune::{AssignmentSource, AssignmentTarget};
use graph_endpoint::{ODataType, graph_endpoint};
use serde::{Deserialize, Serialize};

fn is_none<T>(value: &Option<T>) -> bool {
    value.is_none()
}

/// An Intune assignment: what the three seed assignment types (`deviceConfigurationAssignment`,
/// `enrollmentConfigurationAssignment`, `iosLobAppProvisioningConfigurationAssignment`) share.
/// They differ only in `@odata.type` and in which optional properties Graph fills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    #[serde(rename = "@odata.type")]
    pub odata_type: ODataType,
    #[serde(default, skip_serializing_if = "is_none")]
    pub id: Option<String>,
    pub target: AssignmentTarget,
    #[serde(default, skip_serializing_if = "is_none")]
    pub source: Option<AssignmentSource>,
    #[serde(default, skip_serializing_if = "is_none")]
    pub source_id: Option<String>,
}

/// `deviceConfigurationAssignment`.
pub type DeviceConfigurationAssignment = Assignment;
/// `enrollmentConfigurationAssignment`.
pub type EnrollmentConfigurationAssignment = Assignment;
/// `iosLobAppProvisioningConfigurationAssignment` (no `source` in the v1.0 or beta schema).
pub type IosLobAppProvisioningConfigurationAssignment = Assignment;

/// Seed 000: update the assignments of a device configuration (beta).
#[graph_endpoint(
    PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments",
    version = "beta",
    // Documented on its reference page; no route list of Graph's SDKs has a PATCH on the collection.
    unlisted,
    response = Option<DeviceConfigurationAssignment>,
)]
pub struct UpdateDeviceConfigurationAssignments {
    pub device_configuration_id: String,
    #[graph(body)]
    pub assignment: DeviceConfigurationAssignment,
}

/// Seed 001: update one device configuration assignment (v1.0).
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

/// Seed 002: update a user's enrollment configuration assignments (beta).
#[graph_endpoint(
    PATCH "/users/{usersId}/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments",
    version = "beta",
    // Documented on its reference page; no route list of Graph's SDKs has a PATCH on the collection.
    unlisted,
    response = Option<EnrollmentConfigurationAssignment>,
)]
pub struct UpdateEnrollmentConfigurationAssignments {
    pub users_id: String,
    pub device_enrollment_configuration_id: String,
    #[graph(body)]
    pub assignment: EnrollmentConfigurationAssignment,
}

/// Seed 003: one operation, ten routes (certificate sub-paths and type casts), beta.
#[graph_endpoint(version = "beta", response = Option<DeviceConfigurationAssignment>)]
pub enum UpdateCertificateAssignment {
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}")]
    Configuration {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    RootCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/identityCertificate/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    IdentityCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/identityCertificate/rootCertificate/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    IdentityRootCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    IosScepRootCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsPhone81VpnConfiguration/identityCertificate/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    WindowsPhone81VpnIdentityCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.macOSWiredNetworkConfiguration/rootCertificateForServerValidation/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    MacOsWiredRootCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.macOSWiredNetworkConfiguration/identityCertificateForClientAuthentication/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    MacOsWiredIdentityCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/identityCertificateForClientAuthentication/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    WifiIdentityCertificate {
        device_configuration_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
    // Documented on the seed page; the SDKs' route lists leave out certificate and cast navigation.
    #[graph(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/{windows81TrustedRootCertificateId}/assignments/{deviceConfigurationAssignmentId}", unlisted)]
    WifiRootCertificate {
        device_configuration_id: String,
        windows81_trusted_root_certificate_id: String,
        device_configuration_assignment_id: String,
        #[graph(body)]
        body: DeviceConfigurationAssignment,
    },
}

impl UpdateCertificateAssignment {
    /// All ten routes for one configuration, assignment and body (`certificate` fills
    /// `{windows81TrustedRootCertificateId}`).
    pub fn all_routes(configuration: &str, assignment: &str, certificate: &str, body: &DeviceConfigurationAssignment) -> Vec<Self> {
        let (c, a, b) = (configuration.to_owned(), assignment.to_owned(), body.clone());
        macro_rules! route {
            ($variant:ident) => {
                UpdateCertificateAssignment::$variant {
                    device_configuration_id: c.clone(),
                    device_configuration_assignment_id: a.clone(),
                    body: b.clone(),
                }
            };
        }
        vec![
            route!(Configuration),
            route!(RootCertificate),
            route!(IdentityCertificate),
            route!(IdentityRootCertificate),
            route!(IosScepRootCertificate),
            route!(WindowsPhone81VpnIdentityCertificate),
            route!(MacOsWiredRootCertificate),
            route!(MacOsWiredIdentityCertificate),
            route!(WifiIdentityCertificate),
            UpdateCertificateAssignment::WifiRootCertificate {
                device_configuration_id: c.clone(),
                windows81_trusted_root_certificate_id: certificate.to_owned(),
                device_configuration_assignment_id: a.clone(),
                body: b.clone(),
            },
        ]
    }
}

/// Seed 004: update the assignments of an iOS LOB app provisioning configuration (beta).
#[graph_endpoint(
    PATCH "/deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/assignments",
    version = "beta",
    // Documented on its reference page; no route list of Graph's SDKs has a PATCH on the collection.
    unlisted,
    response = Option<IosLobAppProvisioningConfigurationAssignment>,
)]
pub struct UpdateIosLobAppProvisioningConfigurationAssignments {
    pub ios_lob_app_provisioning_configuration_id: String,
    #[graph(body)]
    pub assignment: IosLobAppProvisioningConfigurationAssignment,
}

/// The example exchanges of the seed pages: (route, request body, response body).
pub mod pages {
    /// Seed 000 (beta).
    pub const S000_REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}"##;
    pub const S000_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
  "id": "d731ff83-ff83-d731-83ff-31d783ff31d7",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}"##;
    /// Seed 001 (v1.0).
    pub const S001_REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
  "target": {
    "@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget",
    "collectionId": "Collection Id value"
  }
}"##;
    pub const S001_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
  "id": "d59b6342-6342-d59b-4263-9bd542639bd5",
  "target": {
    "@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget",
    "collectionId": "Collection Id value"
  }
}"##;
    /// Seed 002 (beta).
    pub const S002_REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  },
  "source": "String",
  "sourceId": "String"
}"##;
    pub const S002_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment",
  "id": "8f0dbe1f-be1f-8f0d-1fbe-0d8f1fbe0d8f",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  },
  "source": "String",
  "sourceId": "String"
}"##;
    /// Seed 003 (beta).
    pub const S003_REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  },
  "source": "String",
  "sourceId": "Source Id value"
}"##;
    pub const S003_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
  "id": "22e558a3-58a3-22e5-a358-e522a358e522",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  },
  "source": "String",
  "sourceId": "Source Id value"
}"##;
    /// Seed 004 (beta).
    pub const S004_REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.iosLobAppProvisioningConfigurationAssignment",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}"##;
    pub const S004_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.iosLobAppProvisioningConfigurationAssignment",
  "id": "7329f80d-f80d-7329-0df8-29730df82973",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}"##;
}

/// A page's request body as this crate sends it: the same JSON, with every `@odata.type`
/// in the `#microsoft.graph.x` form Graph itself writes.
pub fn as_sent(page_json: &str) -> serde_json::Value {
    fn normalize(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    match v {
                        serde_json::Value::String(s) if key == "@odata.type" && !s.starts_with('#') => s.insert(0, '#'),
                        _ => normalize(v),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(normalize),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(page_json).expect("page JSON");
    normalize(&mut value);
    value
}

/// A page's request body, decoded into its model.
pub fn body<T: serde::de::DeserializeOwned>(page_json: &str) -> T {
    serde_json::from_str(page_json).expect("the page's body decodes")
}
