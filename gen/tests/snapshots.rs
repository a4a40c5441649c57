//! The generator's output for representative types, compared with checked-in files under
//! `tests/snapshots/` (rerun with `UPDATE_SNAPSHOTS=1` to accept a change, then review the diff).
//! These are generated with polymorphic enums, so they are compared as text only.

mod common;

fn snapshot(file: &str, command: &str) -> String {
    let code = common::run(command).unwrap_or_else(|e| panic!("{command}: {e}"));
    common::check_file(&format!("tests/snapshots/{file}"), &code);
    code
}

/// `windows10GeneralConfiguration` → `deviceConfiguration` → `entity`: one struct with the
/// properties of all three, root first.
#[test]
fn deep_inheritance() {
    let code = snapshot("deep_inheritance.rs", "--metadata v1.0.csdl windows10GeneralConfiguration");
    let fields = code.split("pub struct Windows10GeneralConfiguration {").nth(1).unwrap();
    let id = fields.find("pub id: Option<String>").unwrap();
    let display_name = fields.find("pub display_name: Option<String>").unwrap();
    let own = fields.find("pub accounts_block_adding_non_microsoft_account_email: Option<bool>").unwrap();
    assert!(id < display_name && display_name < own, "entity's, then deviceConfiguration's, then its own properties");
    assert!(code.contains("derived from `microsoft.graph.deviceConfiguration` ← `microsoft.graph.entity`"));
}

/// An abstract polymorphic base (`deviceConfiguration`) with two of its subtypes: the enum
/// carries the attribute, one variant per subtype named, a catch-all holding the struct of the
/// base's own properties (`…Base`), no default variant (Graph always names the subtype), and
/// accessors for what every variant has.
#[test]
fn polymorphic_base() {
    let code = snapshot(
        "polymorphic_base.rs",
        "--metadata v1.0.csdl deviceConfiguration windows10GeneralConfiguration iosGeneralDeviceConfiguration",
    );
    assert!(code.contains("#[graph_endpoint::polymorphic]\n"));
    assert!(code.contains("pub enum DeviceConfiguration {"));
    assert!(
        code.contains(
            "    #[odata(\"microsoft.graph.windows10GeneralConfiguration\")]\n    Windows10General(Windows10GeneralConfiguration),"
        )
    );
    assert!(code.contains("    #[odata(other)]\n    Other(DeviceConfigurationBase),"));
    assert!(!code.contains("default)]"), "an abstract base has no default variant");
    assert!(code.contains("    pub fn display_name(&self) -> Option<&str> {"));
    assert!(code.contains("    pub fn version(&self) -> Option<i32> {"));
    assert!(code.contains("    pub fn odata_type(&self) -> &str {"));
    assert!(common::check_polymorphic_enums(&code) >= 1);
}

/// A base that is not abstract (`deviceActionResult`, with `locateDeviceActionResult`): Graph
/// sends a value of the type itself without `@odata.type`, which the default variant reads.
#[test]
fn non_abstract_base() {
    let code = snapshot("non_abstract_base.rs", "--metadata v1.0.csdl deviceActionResult locateDeviceActionResult");
    assert!(code.contains("    #[odata(\"microsoft.graph.deviceActionResult\", default)]\n    Base(DeviceActionResultBase),"));
    assert!(code.contains("    #[odata(\"microsoft.graph.locateDeviceActionResult\")]\n    Locate(LocateDeviceActionResult),"));
    assert!(code.contains("    #[odata(other)]\n    Other(DeviceActionResultBase),"));
    assert_eq!(common::check_polymorphic_enums(&code), 1);
}

/// A flags enum (`conditionalAccessGuestOrExternalUserTypes`) as a comma-separated set, next
/// to a polymorphic property (`externalTenants`).
#[test]
fn flags_enum() {
    let code = snapshot("flags_enum.rs", "--metadata v1.0.csdl conditionalAccessGuestsOrExternalUsers");
    assert!(code.contains("pub guest_or_external_user_types: Option<\n        ConditionalAccessGuestOrExternalUserTypesFlags,\n    >,"));
    assert!(code.contains(
        "pub struct ConditionalAccessGuestOrExternalUserTypesFlags(\n    pub Vec<ConditionalAccessGuestOrExternalUserTypes>,\n);"
    ));
    assert!(code.contains("pub external_tenants: Option<ConditionalAccessExternalTenants>,"));
}

/// A collection of a (polymorphic, abstract) complex type: `omaSettings`.
#[test]
fn collection_of_complex_type() {
    let code = snapshot("collection_of_complex_type.rs", "--metadata v1.0.csdl windows10CustomConfiguration");
    assert!(code.contains("pub oma_settings: Option<Vec<OmaSetting>>,"));
    assert!(code.contains("pub enum OmaSetting {"));
}

/// Properties named like Rust keywords: `type` (raw identifier) and `self` (no raw form).
#[test]
fn keyword_named_properties() {
    let code = snapshot("keyword_named_properties.rs", "--metadata v1.0.csdl expirationPattern onenoteEntityBaseModel");
    assert!(code.contains("    pub r#type: Option<ExpirationPatternType>,"));
    assert!(code.contains("\"type\" => field.value(&mut self.r#type),"));
    assert!(code.contains("    pub self_: Option<String>,"));
    assert!(code.contains("\"self\" => field.value(&mut self.self_),"));
}

/// Endpoint definitions: a list (`Collection<T>`), a get, an update, a delete; with the
/// polymorphic enum as the type of a collection of a base type.
#[test]
fn endpoints() {
    let code = snapshot(
        "endpoints.rs",
        "--metadata v1.0.csdl \
         --endpoint \"GET /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments\" \
         --endpoint \"GET /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
         --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
         --endpoint \"DELETE /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
         --endpoint \"POST /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments\"",
    );
    assert!(code.contains("response = graph_endpoint::Collection<DeviceConfigurationAssignment>"));
    assert!(code.contains("pub struct ListDeviceConfigurationAssignments {"));
    assert!(code.contains("pub struct GetDeviceConfigurationAssignment {"));
    assert!(code.contains("pub struct UpdateDeviceConfigurationAssignment {"));
    assert!(code.contains("pub struct DeleteDeviceConfigurationAssignment {"));
    assert!(code.contains("pub struct CreateDeviceConfigurationAssignment {"));
    assert!(code.contains("response = Option<DeviceConfigurationAssignment>"));
}

/// The beta seed types: the target is the crate's own `intune::AssignmentTarget` (which reads
/// the beta filter properties), not a generated model of it.
#[test]
fn beta_seed_types_polymorphic() {
    let code = snapshot(
        "beta_seed_types_polymorphic.rs",
        "--metadata beta-fixture.csdl --version beta --all-subtypes \
         --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
         enrollmentConfigurationAssignment iosLobAppProvisioningConfigurationAssignment",
    );
    assert!(code.contains("pub target: Option<::graph_endpoint::intune::AssignmentTarget>,"));
    assert!(!code.contains("pub enum DeviceAndAppManagementAssignmentTarget"));
}
