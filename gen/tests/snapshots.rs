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

/// A polymorphic base with every subtype: the enum carries the attribute, the base's own
/// properties are a `…Base` struct, no variant struct declares `@odata.type`.
#[test]
fn polymorphic_base() {
    let code = snapshot("polymorphic_base.rs", "--metadata v1.0.csdl deviceAndAppManagementAssignmentTarget --all-subtypes");
    assert!(code.contains("#[graph_endpoint::polymorphic]\n"));
    assert!(code.contains("pub enum DeviceAndAppManagementAssignmentTarget {"));
    assert!(code.contains("    #[odata(\"microsoft.graph.groupAssignmentTarget\")]\n    Group(GroupAssignmentTarget),"));
    assert!(code.contains(
        "    #[odata(\"microsoft.graph.deviceAndAppManagementAssignmentTarget\")]\n    Base(DeviceAndAppManagementAssignmentTargetBase),"
    ));
    assert!(code.contains("    #[odata(other)]\n    Other(serde_json::Value),"));
    assert!(!code.contains("@odata.type\""), "variant structs never declare `@odata.type`");
}

/// A base that is not abstract (`groupAssignmentTarget`, with `exclusionGroupAssignmentTarget`):
/// Graph sends a value of the type itself without `@odata.type`, so as a property's type it
/// stays a struct with `@odata.type` and the subtype's properties; as a variant of the
/// abstract target's enum it is a struct of its own properties without `@odata.type`.
#[test]
fn non_abstract_base() {
    let code = snapshot(
        "non_abstract_base.rs",
        "--metadata v1.0.csdl deviceAndAppManagementAssignmentTarget groupAssignmentTarget --all-subtypes",
    );
    assert!(code.contains("    #[odata(\"microsoft.graph.groupAssignmentTarget\")]\n    Group(GroupAssignmentTargetBase),"));
    assert!(
        code.contains(
            "    #[odata(\"microsoft.graph.exclusionGroupAssignmentTarget\")]\n    ExclusionGroup(ExclusionGroupAssignmentTarget),"
        )
    );
    assert!(!code.contains("pub enum GroupAssignmentTarget"));
    let standalone = code.split("pub struct GroupAssignmentTarget {").nth(1).unwrap().split("\n}\n").next().unwrap();
    assert!(standalone.contains("#[serde(rename = \"@odata.type\", skip_serializing_if = \"Option::is_none\")]"));
    assert!(standalone.contains("#[serde(flatten)]\n    pub subtype_properties: serde_json::Map<String, serde_json::Value>,"));
    let variant = code.split("pub struct GroupAssignmentTargetBase {").nth(1).unwrap().split("\n}\n").next().unwrap();
    assert!(!variant.contains("@odata.type") && !variant.contains("subtype_properties"), "{variant}");
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
    assert!(code.contains("#[serde(skip_serializing_if = \"Option::is_none\")]\n    pub r#type: Option<ExpirationPatternType>,"));
    assert!(code.contains("#[serde(rename = \"self\", skip_serializing_if = \"Option::is_none\")]\n    pub self_: Option<String>,"));
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

/// The beta seed types as they will be generated once `#[graph_endpoint::polymorphic]` is in
/// the crate: the target is an enum of its subtypes, with the beta filter properties on each.
#[test]
fn beta_seed_types_polymorphic() {
    let code = snapshot(
        "beta_seed_types_polymorphic.rs",
        "--metadata beta-fixture.csdl --version beta --all-subtypes \
         --endpoint \"PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}\" \
         enrollmentConfigurationAssignment iosLobAppProvisioningConfigurationAssignment",
    );
    assert!(code.contains("pub target: Option<DeviceAndAppManagementAssignmentTarget>,"));
    assert!(code.contains("ExclusionGroup(ExclusionGroupAssignmentTarget),"));
}
