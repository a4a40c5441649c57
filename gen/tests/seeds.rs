//! The seed endpoints' models, generated into checked-in files (v1.0 from Microsoft's metadata,
//! beta from the hand-written fixture): the generator must still produce exactly those files,
//! and every JSON body of the seed pages must round-trip through them.

mod common;

use graph_endpoint::intune::{AssignmentFilterType, AssignmentTarget, TargetKind};
use graph_endpoint::{Endpoint, Method};
use serde_json::{Value, json};

#[allow(dead_code)]
mod v1 {
    include!("generated/seed_models.rs");
}

// The seed pages' collection PATCH routes and cast navigation are in no route list of
// Graph's SDKs: the attribute warns about them, as it should for generated definitions too.
#[allow(dead_code, deprecated)]
mod beta {
    include!("generated/seed_models_beta.rs");
}

/// The v1.0 assignment without polymorphic enums: `--no-polymorphic` output, compiled and
/// round-tripped as well.
#[allow(dead_code)]
mod v1_structs {
    include!("generated/seed_models_no_polymorphic.rs");
}

const V1_COMMAND: &str = "--metadata v1.0.csdl --all-subtypes \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
    deviceConfigurationAssignment enrollmentConfigurationAssignment iosLobAppProvisioningConfigurationAssignment managedDevice \
    geoCoordinates --out gen/tests/generated/seed_models.rs";

const BETA_COMMAND: &str = "--metadata beta-fixture.csdl --version beta --all-subtypes \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments\" \
    --endpoint \"PATCH /users/{usersId}/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments\" \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/{deviceConfigurationAssignmentId}\" \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/{windows81TrustedRootCertificateId}/assignments/{deviceConfigurationAssignmentId}\" \
    --endpoint \"PATCH /deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/assignments\" \
    --out gen/tests/generated/seed_models_beta.rs";

const EXAMPLE_COMMAND: &str = "--metadata v1.0.csdl --all-subtypes \
    --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
    --endpoint \"GET /deviceManagement/managedDevices\" \
    --endpoint \"GET /deviceManagement/managedDevices/{managedDeviceId}\" \
    deviceConfigurationAssignment enrollmentConfigurationAssignment iosLobAppProvisioningConfigurationAssignment managedDevice \
    --out examples/generated/graph_models.rs";

const NO_POLYMORPHIC_COMMAND: &str = "--metadata v1.0.csdl --no-polymorphic deviceConfigurationAssignment \
    --out gen/tests/generated/seed_models_no_polymorphic.rs";

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

#[test]
fn no_polymorphic_seed_models_are_current() {
    let code = common::run(NO_POLYMORPHIC_COMMAND).unwrap();
    assert!(!code.contains("#[graph_endpoint::polymorphic]"));
    common::check_file("tests/generated/seed_models_no_polymorphic.rs", &code);
}

/// Every variant of the checked-in models' enums holds a struct the attribute accepts.
#[test]
fn seed_models_have_the_enums_the_attribute_accepts() {
    for file in ["tests/generated/seed_models.rs", "tests/generated/seed_models_beta.rs", "../examples/generated/graph_models.rs"] {
        let code = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        let enums = common::check_polymorphic_enums(&code);
        if file != "tests/generated/seed_models_beta.rs" {
            assert!(enums >= 1, "{file}: the device action result at least");
        }
    }
}

/// The request and response bodies of each seed page (`tests/data/seed-bodies/`, named
/// `PAGE-VERSION-request.json` or `…-response.json`), with the page's API version.
fn seed_bodies() -> Vec<(String, String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(common::SEED_BODIES)
        .unwrap_or_else(|e| panic!("cannot read the seed bodies in {}: {e}", common::SEED_BODIES))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let version = name.split('-').nth(1).unwrap_or_else(|| panic!("{name}: no version in the name")).to_string();
            assert!(version == "v1.0" || version == "beta", "{name}: unknown version {version}");
            let text = std::fs::read_to_string(&path).unwrap();
            let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, version, body)
        })
        .collect()
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
    assert_eq!(bodies.len(), 10, "two bodies (request, response) of each of the five seed pages");
    assert_eq!(bodies.iter().filter(|(_, version, _)| version == "v1.0").count(), 2, "page 001 is v1.0, the others beta");
    for (page, version, body) in &bodies {
        let odata_type = body["@odata.type"].as_str().unwrap().trim_start_matches('#');
        let back = match (version.as_str(), odata_type) {
            ("v1.0", "microsoft.graph.deviceConfigurationAssignment") => {
                let (model, back) = round_trip::<v1::DeviceConfigurationAssignment>(body);
                // The target is the crate's own model of it; the page writes the subtype
                // without `#`: read into its kind, written with it.
                let target = model.target.unwrap();
                assert_eq!(target.kind, TargetKind::ConfigurationManagerCollection { collection_id: "Collection Id value".into() });
                assert_eq!(back["target"]["@odata.type"], "#microsoft.graph.configurationManagerCollectionAssignmentTarget");
                // The same body through the models without polymorphic enums.
                let (model, _) = round_trip::<v1_structs::DeviceConfigurationAssignment>(body);
                assert!(matches!(model.target.unwrap().kind, TargetKind::ConfigurationManagerCollection { .. }));
                back
            }
            ("beta", "microsoft.graph.deviceConfigurationAssignment") => {
                let (model, back) = round_trip::<beta::DeviceConfigurationAssignment>(body);
                assert_base_target(page, &model.target);
                if body.get("source").is_some() {
                    // The pages' placeholder "String" is no value of the enum: kept, not refused.
                    assert_eq!(model.source, Some(beta::DeviceAndAppManagementAssignmentSource::Unrecognized("String".into())));
                }
                back
            }
            ("beta", "microsoft.graph.enrollmentConfigurationAssignment") => {
                let (model, back) = round_trip::<beta::EnrollmentConfigurationAssignment>(body);
                assert_base_target(page, &model.target);
                assert_eq!(model.source_id.as_deref(), Some("String"));
                back
            }
            ("beta", "microsoft.graph.iosLobAppProvisioningConfigurationAssignment") => {
                let (model, back) = round_trip::<beta::IosLobAppProvisioningConfigurationAssignment>(body);
                assert_base_target(page, &model.target);
                back
            }
            other => panic!("{page}: no model for {other:?}"),
        };
        assert!(back["@odata.type"].as_str().unwrap().starts_with("#microsoft.graph."), "{page}: written with `#`");
        assert!(back["target"]["@odata.type"].as_str().unwrap().starts_with("#microsoft.graph."), "{page}: the target with `#`");
    }
}

/// The beta pages' target is the (abstract) base type itself, as Graph's examples write it.
fn assert_base_target(page: &str, target: &Option<AssignmentTarget>) {
    assert!(matches!(target, Some(AssignmentTarget { kind: TargetKind::Base, .. })), "{page}: {target:?}");
}

/// Wherever the metadata has `deviceAndAppManagementAssignmentTarget`, the models use the
/// crate's own `intune::AssignmentTarget`: one model of it.
#[test]
fn the_assignment_target_is_the_crates_own() {
    let read = |target: Value| -> v1::DeviceConfigurationAssignment {
        serde_json::from_value(json!({"@odata.type": "#microsoft.graph.deviceConfigurationAssignment", "id": "a-1", "target": target}))
            .unwrap()
    };
    for prefix in ["", "#"] {
        let target = json!({"collectionId": "c-1", "@odata.type": format!("{prefix}microsoft.graph.configurationManagerCollectionAssignmentTarget")});
        let model = read(target);
        assert_eq!(model.target.as_ref().unwrap().kind, TargetKind::ConfigurationManagerCollection { collection_id: "c-1".into() });
        let written = serde_json::to_string(&model.target).unwrap();
        assert_eq!(written, r##"{"@odata.type":"#microsoft.graph.configurationManagerCollectionAssignmentTarget","collectionId":"c-1"}"##);
    }
    let group = read(json!({"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g-1"}));
    assert_eq!(group.target, Some(AssignmentTarget::exclusion_group("g-1")));
    // A subtype newer than the metadata: kept whole, and written back unchanged.
    let future = json!({"@odata.type": "#microsoft.graph.scopeTagAssignmentTarget", "scopeTagId": "7", "extra": {"a": [1, null]}});
    let model = read(future.clone());
    assert!(matches!(&model.target, Some(AssignmentTarget { kind: TargetKind::Other { .. }, .. })));
    assert_eq!(serde_json::to_value(&model).unwrap()["target"], future);
    // Built in code.
    let built = v1::DeviceConfigurationAssignment { target: Some(AssignmentTarget::group("g-2")), ..Default::default() };
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g-2"}})
    );
    // The type is abstract, so Graph always names the subtype: an object without one is refused.
    let untyped = serde_json::from_value::<v1::DeviceConfigurationAssignment>(json!({"target": {"groupId": "g-3"}})).unwrap_err();
    assert!(untyped.to_string().contains("missing `@odata.type`"), "{untyped}");
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
    assert_eq!(target, AssignmentTarget::group("g-1").with_filter("f-1", AssignmentFilterType::Include));
    assert_eq!(model.source, Some(beta::DeviceAndAppManagementAssignmentSource::PolicySets));
}

#[test]
fn managed_device_round_trips_with_a_value_the_metadata_lacks() {
    let body = json!({
        "@odata.type": "#microsoft.graph.managedDevice",
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices/$entity",
        "id": "705c034c-034c-705c-4c03-5c704c035c70",
        "userId": "u-1",
        "deviceName": "DESKTOP-7Q2",
        "managedDeviceOwnerType": "company",
        "enrolledDateTime": "2024-03-01T10:00:00Z",
        "complianceState": "compliant",
        "managementAgent": "aValueAddedLater",
        "operatingSystem": "Windows",
        "isEncrypted": true,
        "emailAddress": null,
        "totalStorageSpaceInBytes": 255374442496i64,
        "aPropertyAddedLater": {"x": 1},
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
    // What the metadata lacks, and the explicit null, are kept; so is the annotation.
    assert_eq!(device.email_address, None);
    assert_eq!(device.additional["emailAddress"], Value::Null);
    assert_eq!(device.additional["aPropertyAddedLater"], json!({"x": 1}));
    assert!(device.annotations.contains_key("@odata.context"));
    // `deviceActionResult` is not abstract: Graph sends a result of the type itself without
    // `@odata.type` (the first), which reads as `Base`; a subtype reads as its variant.
    let results = device.device_action_results.unwrap();
    let v1::DeviceActionResult::Base(first) = &results[0] else { panic!("{:?}", results[0]) };
    assert_eq!(first.odata_type, None);
    assert_eq!(results[0].action_state(), Some(&v1::ActionState::Done));
    assert_eq!(results[1].odata_type(), "microsoft.graph.locateDeviceActionResult");
    let v1::DeviceActionResult::Locate(locate) = &results[1] else { panic!("{:?}", results[1]) };
    assert_eq!(locate.device_location.as_ref().unwrap().latitude, Some(47.64));
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
    // The explicit null is kept (in `additional`), so the object round-trips.
    assert_eq!(location.additional["longitude"], Value::Null);
    // The numeric string is written back as read while the value is the one read.
    assert_eq!(serde_json::to_value(&location).unwrap(), json!({"altitude": "INF", "latitude": "12.5", "longitude": null}));
    let mut moved = location.clone();
    moved.latitude = Some(13.0);
    assert_eq!(serde_json::to_value(&moved).unwrap(), json!({"altitude": "INF", "latitude": 13.0, "longitude": null}));
    // A double written as an integer stays one.
    let whole: v1::GeoCoordinates = serde_json::from_value(json!({"latitude": 47, "longitude": 8.0})).unwrap();
    assert_eq!(serde_json::to_string(&whole).unwrap(), r#"{"latitude":47,"longitude":8.0}"#);
    assert_eq!(serde_json::from_value::<v1::GeoCoordinates>(json!({})).unwrap(), v1::GeoCoordinates::default());
    assert!(serde_json::from_value::<v1::GeoCoordinates>(json!({"latitude": "north"})).is_err());
}
