//! The seed endpoints' models, generated into checked-in files (v1.0 from Microsoft's metadata,
//! beta from the hand-written fixture): the generator must still produce exactly those files,
//! and every JSON body of the seed pages must round-trip through them.

mod common;

use graph_endpoint::{Endpoint, Method};
use serde_json::{Value, json};

#[allow(dead_code)]
mod v1 {
    include!("generated/seed_models.rs");
}

#[allow(dead_code)]
mod beta {
    include!("generated/seed_models_beta.rs");
}

const V1_COMMAND: &str = "--metadata v1.0.csdl --no-polymorphic \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
    deviceConfigurationAssignment enrollmentConfigurationAssignment iosLobAppProvisioningConfigurationAssignment managedDevice \
    geoCoordinates --out gen/tests/generated/seed_models.rs";

const BETA_COMMAND: &str = "--metadata beta-fixture.csdl --version beta --no-polymorphic \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments\" \
    --endpoint \"PATCH /users/{usersId}/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments\" \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/{deviceConfigurationAssignmentId}\" \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/{windows81TrustedRootCertificateId}/assignments/{deviceConfigurationAssignmentId}\" \
    --endpoint \"PATCH /deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/assignments\" \
    groupAssignmentTarget --out gen/tests/generated/seed_models_beta.rs";

const EXAMPLE_COMMAND: &str = "--metadata v1.0.csdl --no-polymorphic \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
    --endpoint \"GET /deviceManagement/managedDevices\" \
    --endpoint \"GET /deviceManagement/managedDevices/{managedDeviceId}\" \
    deviceConfigurationAssignment enrollmentConfigurationAssignment iosLobAppProvisioningConfigurationAssignment managedDevice \
    --out examples/generated/graph_models.rs";

/// The models the `generate_models` example of the facade uses.
#[test]
fn example_models_are_current() {
    common::check_file("../examples/generated/graph_models.rs", &common::run(EXAMPLE_COMMAND).unwrap());
}

#[test]
fn v1_seed_models_are_current() {
    common::check_file("tests/generated/seed_models.rs", &common::run(V1_COMMAND).unwrap());
}

#[test]
fn beta_seed_models_are_current() {
    common::check_file("tests/generated/seed_models_beta.rs", &common::run(BETA_COMMAND).unwrap());
}

/// The request and response bodies of each seed page, with the page's API version.
fn seed_bodies() -> Vec<(String, &'static str, Value)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(common::SEEDS)
        .unwrap_or_else(|e| panic!("cannot read the seed pages in {}: {e}", common::SEEDS))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The seed README: page 001 is v1.0, the others beta.
        let version = if name.starts_with("001_") { "v1.0" } else { "beta" };
        let text = std::fs::read_to_string(&path).unwrap();
        let mut block: Option<String> = None;
        for line in text.lines() {
            match (&mut block, line.trim_end()) {
                (None, "``` http") => block = Some(String::new()),
                (Some(b), "```") => {
                    // The body starts at the first line that opens a JSON object.
                    let start = if b.starts_with('{') { Some(0) } else { b.find("\n{").map(|i| i + 1) };
                    if let Some(start) = start {
                        let body: Value = serde_json::from_str(&b[start..]).unwrap_or_else(|e| panic!("{name}: {e}"));
                        out.push((name.clone(), version, body));
                    }
                    block = None;
                }
                (Some(b), l) => {
                    b.push_str(l);
                    b.push('\n');
                }
                (None, _) => {}
            }
        }
    }
    out
}

/// `@odata.type` values without their leading `#`: the pages write both forms, the models
/// always write `#`.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match (k.as_str(), v) {
                    ("@odata.type", Value::String(s)) => (k.clone(), Value::String(s.trim_start_matches('#').to_string())),
                    _ => (k.clone(), normalized(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &Value) -> (T, Value) {
    let model: T = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"));
    let back = serde_json::to_value(&model).unwrap();
    assert_eq!(normalized(&back), normalized(body), "the body did not round-trip");
    (model, back)
}

#[test]
fn every_seed_body_round_trips() {
    let bodies = seed_bodies();
    assert_eq!(bodies.len(), 10, "two bodies (request, response) on each of the five seed pages");
    for (page, version, body) in &bodies {
        let odata_type = body["@odata.type"].as_str().unwrap().trim_start_matches('#');
        let back = match (*version, odata_type) {
            ("v1.0", "microsoft.graph.deviceConfigurationAssignment") => {
                let (model, back) = round_trip::<v1::DeviceConfigurationAssignment>(body);
                // v1.0 has no polymorphic enums here: the subtype's own property is kept aside.
                let target = model.target.unwrap();
                assert_eq!(target.odata_type.unwrap().name(), "microsoft.graph.configurationManagerCollectionAssignmentTarget");
                assert_eq!(target.subtype_properties["collectionId"], "Collection Id value");
                back
            }
            ("beta", "microsoft.graph.deviceConfigurationAssignment") => {
                let (model, back) = round_trip::<beta::DeviceConfigurationAssignment>(body);
                if body.get("source").is_some() {
                    // The pages' placeholder "String" is no value of the enum: kept, not refused.
                    assert_eq!(model.source, Some(beta::DeviceAndAppManagementAssignmentSource::Unrecognized("String".into())));
                }
                back
            }
            ("beta", "microsoft.graph.enrollmentConfigurationAssignment") => {
                let (model, back) = round_trip::<beta::EnrollmentConfigurationAssignment>(body);
                assert_eq!(model.source_id.as_deref(), Some("String"));
                back
            }
            ("beta", "microsoft.graph.iosLobAppProvisioningConfigurationAssignment") => {
                round_trip::<beta::IosLobAppProvisioningConfigurationAssignment>(body).1
            }
            other => panic!("{page}: no model for {other:?}"),
        };
        assert!(back["@odata.type"].as_str().unwrap().starts_with("#microsoft.graph."), "{page}: written with `#`");
    }
}

#[test]
fn beta_assignment_filter_and_source() {
    let body = json!({
        "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
        "id": "a-1",
        "target": {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            "groupId": "g-1",
            "deviceAndAppManagementAssignmentFilterId": "f-1",
            "deviceAndAppManagementAssignmentFilterType": "include"
        },
        "source": "policySets",
        "sourceId": "p-1"
    });
    let (model, _) = round_trip::<beta::DeviceConfigurationAssignment>(&body);
    let target = model.target.unwrap();
    assert_eq!(target.device_and_app_management_assignment_filter_type, Some(beta::DeviceAndAppManagementAssignmentFilterType::Include));
    assert_eq!(target.subtype_properties["groupId"], "g-1");
    assert_eq!(model.source, Some(beta::DeviceAndAppManagementAssignmentSource::PolicySets));
    // The subtype's own struct reads the same object with its property typed.
    let group: beta::GroupAssignmentTarget = serde_json::from_value(body["target"].clone()).unwrap();
    assert_eq!(group.group_id.as_deref(), Some("g-1"));
}

#[test]
fn managed_device_round_trips_with_a_value_the_metadata_lacks() {
    let body = json!({
        "@odata.type": "#microsoft.graph.managedDevice",
        "id": "705c034c-034c-705c-4c03-5c704c035c70",
        "userId": "u-1",
        "deviceName": "DESKTOP-7Q2",
        "managedDeviceOwnerType": "company",
        "enrolledDateTime": "2024-03-01T10:00:00Z",
        "complianceState": "compliant",
        "managementAgent": "aValueAddedLater",
        "operatingSystem": "Windows",
        "isEncrypted": true,
        "totalStorageSpaceInBytes": 255374442496i64,
        "deviceActionResults": [
            {"actionName": "syncDevice", "actionState": "done", "startDateTime": "2024-03-02T08:00:00Z"},
            {"@odata.type": "#microsoft.graph.locateDeviceActionResult", "actionName": "locateDevice", "actionState": "pending",
             "deviceLocation": {"latitude": 47.64, "longitude": -122.13}}
        ],
        "configurationManagerClientEnabledFeatures": {"inventory": true, "modernApps": false}
    });
    let (device, back) = round_trip::<v1::ManagedDevice>(&body);
    assert_eq!(device.compliance_state, Some(v1::ComplianceState::Compliant));
    assert_eq!(device.management_agent, Some(v1::ManagementAgentType::Unrecognized("aValueAddedLater".into())));
    assert_eq!(back["managementAgent"], "aValueAddedLater");
    assert_eq!(device.total_storage_space_in_bytes, Some(255374442496));
    let results = device.device_action_results.unwrap();
    assert_eq!(results[1].subtype_properties["deviceLocation"]["latitude"], 47.64);
    assert_eq!(results[0].action_state, Some(v1::ActionState::Done));
    // Properties left `None` are not written: a PATCH body holds only what was set.
    let patch = v1::ManagedDevice { managed_device_owner_type: Some(v1::ManagedDeviceOwnerType::Personal), ..Default::default() };
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"managedDeviceOwnerType": "personal"}));
}

#[test]
fn generated_endpoints_are_accepted_by_the_attribute() {
    let update = v1::UpdateDeviceConfigurationAssignment {
        device_configuration_id: "c-1".into(),
        device_configuration_assignment_id: "a-1".into(),
        body: v1::DeviceConfigurationAssignment::default(),
    };
    assert_eq!(update.method(), Method::Patch);
    assert_eq!(
        update.template(),
        "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}"
    );
    assert_eq!(update.version(), Some(graph_endpoint::ApiVersion::V1));
    let wifi = beta::UpdateDeviceConfigurationAssignment3 {
        device_configuration_id: "c-1".into(),
        windows81_trusted_root_certificate_id: "r-1".into(),
        device_configuration_assignment_id: "a-1".into(),
        body: beta::DeviceConfigurationAssignment::default(),
    };
    assert_eq!(wifi.version(), Some(graph_endpoint::ApiVersion::Beta));
    let _: fn(beta::UpdateEnrollmentConfigurationAssignment) -> Option<beta::EnrollmentConfigurationAssignment> = |e| Some(e.body);
    let _ = beta::UpdateIosLobAppProvisioningConfigurationAssignment::builder;
}

#[test]
fn doubles_read_and_write_graphs_special_values() {
    let location: v1::GeoCoordinates = serde_json::from_value(json!({"latitude": 47.64, "longitude": "NaN", "altitude": "-INF"})).unwrap();
    assert_eq!(location.latitude, Some(47.64));
    assert!(location.longitude.unwrap().is_nan());
    assert_eq!(location.altitude, Some(f64::NEG_INFINITY));
    assert_eq!(serde_json::to_value(&location).unwrap(), json!({"latitude": 47.64, "longitude": "NaN", "altitude": "-INF"}));
    let location: v1::GeoCoordinates = serde_json::from_value(json!({"altitude": "INF", "latitude": "12.5", "longitude": null})).unwrap();
    assert_eq!(location.altitude, Some(f64::INFINITY));
    assert_eq!(location.latitude, Some(12.5), "a numeric string is read as its number");
    assert_eq!(location.longitude, None);
    assert_eq!(serde_json::to_value(&location).unwrap(), json!({"altitude": "INF", "latitude": 12.5}));
    assert_eq!(serde_json::from_value::<v1::GeoCoordinates>(json!({})).unwrap(), v1::GeoCoordinates::default());
    assert!(serde_json::from_value::<v1::GeoCoordinates>(json!({"latitude": "north"})).is_err());
}
