//! `--endpoint`: paths resolved through the metadata, and the messages where they cannot be.

mod common;

fn error(command: &str) -> String {
    common::run(command).expect_err("expected the generator to refuse")
}

#[test]
fn seed_routes_resolve_and_name_their_struct() {
    let code = common::run(
        "--metadata v1.0.csdl --no-polymorphic --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\"",
    )
    .unwrap();
    assert!(code.contains("pub struct UpdateDeviceConfigurationAssignment {"));
    assert!(code.contains("pub device_configuration_id: String,"));
    assert!(code.contains("pub device_configuration_assignment_id: String,"));
    assert!(code.contains("#[graph(body)]\n    pub body: DeviceConfigurationAssignment,"));
    assert!(code.contains("response = Option<DeviceConfigurationAssignment>"));
    assert!(code.contains("version = \"v1.0\""));
    // The types the endpoint needs are generated with it.
    assert!(code.contains("pub struct DeviceConfigurationAssignment {"));
}

#[test]
fn type_casts_and_keys() {
    let code = common::run(
        "--metadata beta-fixture.csdl --version beta --endpoint \"GET /deviceManagement/deviceConfigurations/{id}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation\"",
    )
    .unwrap();
    assert!(code.contains("response = graph_endpoint::Collection<Windows81TrustedRootCertificate>"));
    assert!(code.contains("pub struct ListWindows81TrustedRootCertificates {"));
    assert!(code.contains("cast to `microsoft.graph.windowsWifiEnterpriseEAPConfiguration`"));
    let code = common::run(
        "--metadata beta-fixture.csdl --version beta --endpoint \"GET /users('{userId}')/deviceEnrollmentConfigurations/{id}\"",
    )
    .unwrap();
    assert!(code.contains("pub struct GetDeviceEnrollmentConfiguration {"));
    assert!(code.contains("pub user_id: String,"));
    assert!(code.contains("response = DeviceEnrollmentConfiguration"));
}

#[test]
fn a_property_of_a_derived_type_needs_a_cast() {
    let e = error(
        "--metadata beta-fixture.csdl --version beta --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{deviceConfigurationAssignmentId}\"",
    );
    assert!(e.contains("`rootCertificate` is no navigation property of `microsoft.graph.deviceConfiguration`"), "{e}");
    assert!(e.contains("declared on the derived types microsoft.graph.iosScepCertificateProfile"), "{e}");
    assert!(e.contains("add a type cast segment before it (as `/microsoft.graph.iosScepCertificateProfile/rootCertificate`)"), "{e}");
}

#[test]
fn clear_messages_where_a_path_cannot_be_resolved() {
    let v1 = |path: &str| error(&format!("--metadata v1.0.csdl --endpoint \"{path}\""));
    assert!(v1("GET /nowhere/{id}").contains("`nowhere` is no entity set or singleton"));
    assert!(v1("GET /deviceManagement/{id}").contains("key segment `{id}` after a single-valued `microsoft.graph.deviceManagement`"));
    assert!(
        v1("GET /deviceManagement/deviceConfigurations/assignments")
            .contains("follows the collection `microsoft.graph.deviceConfiguration` without a key")
    );
    assert!(
        v1("GET /deviceManagement/deviceConfigurations/{id}/microsoft.graph.user")
            .contains("does not derive from `microsoft.graph.deviceConfiguration`")
    );
    assert!(v1("GET /users/$count").contains("`$count` segments are not resolved"));
    assert!(v1("FETCH /users").contains("unknown method `FETCH`"));
    assert!(v1("GET users").contains("must start with `/`"));
    // The attribute's own template parser: what it refuses, the generator refuses in its words.
    assert!(v1("GET /v1.0/users").contains("relative to the version root"), "{}", v1("GET /v1.0/users"));
    assert!(v1("GET /users/{id").contains("a `{` that is never closed"), "{}", v1("GET /users/{id"));
    assert!(v1("GET /deviceManagement/deviceConfigurations/{id}/assign").contains("`assign` is an action: call it with POST, not GET"));
    assert!(v1("POST /deviceManagement/deviceConfigurations/{id}/assign/x").contains("nothing may follow the action `assign`"));
    assert!(
        v1("POST /deviceManagement/deviceConfigurations/assign")
            .contains("`assign` is an operation of Graph, but not one bound to a collection of `microsoft.graph.deviceConfiguration`")
    );
    // Every problem at once, each naming its endpoint.
    let e = error("--metadata v1.0.csdl --endpoint \"GET /a\" --endpoint \"GET /b\" noSuchType");
    assert_eq!(e.lines().count(), 3, "{e}");
}

#[test]
fn navigation_properties_only_when_asked() {
    let without = common::run("--metadata beta-fixture.csdl --no-polymorphic iosScepCertificateProfile").unwrap();
    assert!(!without.contains("root_certificate"));
    let with = common::run("--metadata beta-fixture.csdl --no-polymorphic --with-navigation iosScepCertificateProfile").unwrap();
    assert!(with.contains("pub root_certificate: Option<IosTrustedRootCertificate>,"));
    assert!(with.contains("pub assignments: Option<Vec<DeviceConfigurationAssignment>>,"));
    assert!(with.contains("contained navigation property"));
}

#[test]
fn recursive_types_are_boxed() {
    let code = common::run("--metadata v1.0.csdl synchronizationJobSubject").unwrap();
    assert!(code.contains("pub links: Option<Box<SynchronizationLinkedObjects>>,"), "a cycle through two structs is broken by a Box");
    assert!(code.contains("pub manager: Option<Box<SynchronizationJobSubject>>,"));
    // Collections need no Box.
    assert!(code.contains("Option<Vec<SynchronizationJobSubject>>"));
}

#[test]
fn names_and_types_the_user_can_give() {
    assert!(common::run("--metadata v1.0.csdl microsoft.graph.security.alert").unwrap().contains("pub struct SecurityAlert {"));
    assert!(common::run("--metadata v1.0.csdl graph.managedDevice").unwrap().contains("pub struct ManagedDevice {"));
    let e = error("--metadata v1.0.csdl ManagedDevice");
    assert!(e.contains("did you mean microsoft.graph.managedDevice"), "{e}");
    let e = error("--metadata v1.0.csdl --version gamma managedDevice");
    assert!(e.contains("unknown version `gamma`"), "{e}");
}

#[test]
fn the_binary_writes_the_file_and_reports() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("gen-cli-out.rs");
    let _ = std::fs::remove_file(&out);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_graph-endpoint-gen"))
        .args(["--metadata", common::BETA_FIXTURE, "--version", "beta", "deviceConfigurationAssignment", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let code = std::fs::read_to_string(&out).unwrap();
    assert!(code.starts_with("// @generated by graph-endpoint-gen"));
    assert!(code.contains(
        "// Regenerate: cargo run -p graph-endpoint-gen -- --metadata beta-fixture.csdl --version beta deviceConfigurationAssignment --out "
    ));
    assert!(String::from_utf8_lossy(&run.stderr).contains("structs"));
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_graph-endpoint-gen"))
        .args(["--metadata", common::BETA_FIXTURE, "noSuchType"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no entity, complex or enum type named `noSuchType`"));
}

/// Bound actions: the body from the action's parameters, the answer from its return type, the
/// version as given, and never `idempotent`.
#[test]
fn bound_actions_and_functions() {
    let code = common::run(
        "--metadata v1.0.csdl --endpoint \"POST /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assign\" \
         --endpoint \"POST /deviceManagement/managedDevices/{managedDeviceId}/microsoft.graph.wipe\" \
         --endpoint \"POST /deviceManagement/managedDevices/{managedDeviceId}/syncDevice\" \
         --endpoint \"GET /reports/getOffice365ActiveUserDetail(period='{period}')\"",
    )
    .unwrap();
    assert!(code.contains("pub struct AssignDeviceConfiguration {"), "{code}");
    assert!(code.contains("pub body: AssignDeviceConfigurationBody,"));
    assert!(code.contains("pub assignments: Option<Vec<DeviceConfigurationAssignment>>,"));
    assert!(code.contains("response = Option<graph_endpoint::Collection<DeviceConfigurationAssignment>>"));
    assert!(code.contains("pub struct WipeManagedDevice {"));
    assert!(code.contains("pub keep_enrollment_data: Option<bool>,"));
    // An action without parameters has no body; without a return type, no answer.
    let sync = code.split("pub struct SyncDeviceManagedDevice {").nth(1).unwrap().split('}').next().unwrap();
    assert!(!sync.contains("body"), "{sync}");
    assert!(code.contains("\"/deviceManagement/managedDevices/{managedDeviceId}/syncDevice\",\n    version = \"v1.0\"\n)]"));
    assert!(!code.contains(", idempotent"), "actions are never declared idempotent");
    // Of a function's overloads, the one whose parameters the path names.
    assert!(code.contains("pub struct GetOffice365ActiveUserDetail {\n    /// Binds `{period}`.\n    pub period: String,\n}"));
    assert!(code.contains("response = Report"));
    // The version given is the endpoints' version.
    let beta =
        common::run("--metadata beta-fixture.csdl --version beta --endpoint \"GET /deviceManagement/deviceConfigurations/{id}\"").unwrap();
    assert!(beta.contains("version = \"beta\""));
}

/// `--strict`: no `additional` on a closed type (an undeclared property is an error when read);
/// an open type keeps it for its dynamic properties.
#[test]
fn strict_models_keep_additional_only_on_open_types() {
    let code = common::run("--metadata v1.0.csdl --strict deviceConfigurationAssignment openTypeExtension").unwrap();
    let closed = code.split("pub struct DeviceConfigurationAssignment {").nth(1).unwrap().split("\n}\n").next().unwrap();
    assert!(!closed.contains("pub additional:"), "{closed}");
    assert!(closed.contains("pub annotations:"));
    assert!(code.contains("others!(strict);"));
    let open = code.split("pub struct OpenTypeExtension {").nth(1).unwrap().split("\n}\n").next().unwrap();
    assert!(open.contains("pub additional:"), "{open}");
}
