//! The checker on a small index: matching rules, findings and their suggestions, and the
//! binary form.

use super::*;
use crate::parse;

fn index() -> RouteIndex {
    let mut builder = IndexBuilder::new();
    builder.source("test routes");
    let both = [
        ("GET", "/deviceManagement/deviceConfigurations"),
        ("POST", "/deviceManagement/deviceConfigurations"),
        ("GET", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}"),
        ("PATCH", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}"),
        ("DELETE", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}"),
        ("GET", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments"),
        ("POST", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments"),
        ("GET", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments/{deviceConfigurationAssignment-id}"),
        ("PATCH", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments/{deviceConfigurationAssignment-id}"),
        ("POST", "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assign"),
        ("GET", "/deviceManagement/deviceConfigurations/$count"),
        ("GET", "/users/{user-id}/messages"),
        ("GET", "/users/{user-id}/messages/{message-id}/$value"),
        ("GET", "/users/delta()"),
        ("GET", "/deviceAppManagement/mobileApps/{mobileApp-id}/graph.iosLobApp"),
        ("GET", "/reports/getOffice365ActiveUserDetail(period='{period}')"),
        ("GET", "/users(userPrincipalName='{userPrincipalName}')"),
        ("GET", "/users/{user-id}"),
        ("GET", "/users/{user-id}/drive"),
        ("GET", "/drives/{drive-id}/items/{driveItem-id}/children"),
        ("GET", "/drives/{drive-id}/root"),
    ];
    for (method, template) in both {
        builder.add(None, Method::from_name(method).unwrap(), template).unwrap();
    }
    builder
        .add(Some(Version::Beta), Method::Get, "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/groupAssignments")
        .unwrap();
    builder.add(Some(Version::Beta), Method::Patch, "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assign").unwrap();
    builder.finish()
}

fn check(index: &RouteIndex, method: Method, template: &str, version: Option<Version>) -> Option<Finding> {
    index.check(method, &parse(template).unwrap_or_else(|e| panic!("{template}: {e:?}")), version)
}

#[test]
fn spellings_that_do_not_matter() {
    let index = index();
    for (method, template) in [
        (Method::Patch, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}"),
        (Method::Get, "/DEVICEMANAGEMENT/deviceconfigurations/{id}"),
        (Method::Get, "/me/messages"),
        (Method::Get, "/Me/messages/{id}/$Value"),
        (Method::Get, "/users/delta"),
        (Method::Get, "/users/microsoft.graph.delta()"),
        (Method::Get, "/deviceAppManagement/mobileApps/{id}/microsoft.graph.iosLobApp"),
        (Method::Get, "/reports/getOffice365ActiveUserDetail(period='{period_value}')"),
        (Method::Get, "/users(userPrincipalName='{upn}')"),
        // Reference pages' spellings of what the lists write otherwise.
        (Method::Get, "/users('{userId}')"),
        (Method::Get, "/me/drive"),
        (Method::Get, "/me/drive/items/{itemId}/children"),
        (Method::Get, "/sites/{siteId}/drive/root:/{path}:/children"),
        (Method::Get, "/groups/{groupId}/drive/root/children"),
        (Method::Get, "/drive/root"),
    ] {
        for version in [None, Some(Version::V1), Some(Version::Beta)] {
            assert_eq!(check(&index, method, template, version), None, "{template} {version:?}");
        }
    }
}

#[test]
fn a_typo_gets_the_known_segment() {
    let index = index();
    let finding = check(&index, Method::Get, "/deviceManagement/deviceConfigurtions/{deviceConfigurationId}/assignments", None).unwrap();
    assert_eq!(finding.kind(), FindingKind::NotListed);
    assert_eq!(finding.suggestions(), ["/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments"]);
    assert!(
        finding.message().starts_with("`GET /deviceManagement/deviceConfigurtions/{deviceConfigurationId}/assignments` is not a route"),
        "{}",
        finding.message()
    );
    assert!(
        finding
            .message()
            .contains("did you mean `/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments` (GET, POST)?"),
        "{}",
        finding.message()
    );
}

#[test]
fn a_missing_or_extra_segment() {
    let index = index();
    // A forgotten key: the item is one `{id}` away.
    let finding = check(&index, Method::Patch, "/deviceManagement/deviceConfigurations/assignments/{aid}", None).unwrap();
    assert_eq!(finding.suggestions()[0], "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments/{aid}");
    // An extra segment.
    let finding = check(&index, Method::Get, "/deviceManagement/deviceConfigurations/{id}/rootCertificate/assignments", None).unwrap();
    assert_eq!(finding.suggestions()[0], "/deviceManagement/deviceConfigurations/{id}/assignments");
    // Ranked: a one-letter typo before a removal.
    let finding = check(&index, Method::Get, "/deviceManagement/deviceConfigurations/{id}/asignments", None).unwrap();
    assert_eq!(finding.suggestions()[0], "/deviceManagement/deviceConfigurations/{id}/assignments");
}

#[test]
fn a_method_the_path_does_not_offer() {
    let index = index();
    let finding =
        check(&index, Method::Patch, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments", Some(Version::Beta))
            .unwrap();
    assert_eq!(finding.kind(), FindingKind::MethodNotOffered);
    assert!(
        finding.message().starts_with(
            "PATCH is not offered on `/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments`; it offers GET, POST"
        ),
        "{}",
        finding.message()
    );
    // The item one `{id}` further has it.
    assert_eq!(
        finding.suggestions(),
        ["/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignment-id}"]
    );
    // In the other version.
    let finding = check(&index, Method::Patch, "/deviceManagement/deviceConfigurations/{id}/assign", None).unwrap();
    assert!(
        finding.message().contains("it offers POST (in v1.0, the default version); beta has PATCH there: add `version = \"beta\"`"),
        "{}",
        finding.message()
    );
}

#[test]
fn a_route_of_the_other_version() {
    let index = index();
    let finding = check(&index, Method::Get, "/deviceManagement/deviceConfigurations/{id}/groupAssignments", None).unwrap();
    assert_eq!(finding.kind(), FindingKind::OtherVersion);
    assert_eq!(
        finding.message(),
        "`GET /deviceManagement/deviceConfigurations/{id}/groupAssignments` is only in beta: add `version = \"beta\"`"
    );
    let finding = check(&index, Method::Get, "/deviceManagement/deviceConfigurations/{id}/groupAssignments", Some(Version::V1)).unwrap();
    assert!(finding.message().ends_with("write `version = \"beta\"`"), "{}", finding.message());
    let finding = check(&index, Method::Delete, "/deviceManagement/deviceConfigurations/{id}/groupAssignments", None).unwrap();
    assert_eq!(
        finding.message(),
        "`/deviceManagement/deviceConfigurations/{id}/groupAssignments` is only in beta, which offers GET on it, not DELETE"
    );
    assert!(check(&index, Method::Get, "/deviceManagement/deviceConfigurations/{id}/groupAssignments", Some(Version::Beta)).is_none());
}

#[test]
fn far_from_anything_known() {
    let index = index();
    let finding = check(&index, Method::Get, "/deviceManagement/deviceConfigurations/{id}/one/two/three", None).unwrap();
    assert!(finding.suggestions().is_empty());
    assert!(
        finding.message().contains("nothing known follows `/deviceManagement/deviceConfigurations/{id}` with `one`; known there:"),
        "{}",
        finding.message()
    );
    let finding = check(&index, Method::Get, "/usres/{id}/x/y", None).unwrap();
    assert!(
        finding.message().contains("no known route starts with `usres`; known first segments include `users`"),
        "{}",
        finding.message()
    );
    // A path that only leads somewhere (no methods of its own) is not a route.
    let finding = check(&index, Method::Get, "/deviceManagement", None).unwrap();
    assert_eq!(finding.kind(), FindingKind::NotListed);
}

#[test]
fn me_keeps_its_spelling_in_suggestions() {
    let index = index();
    let finding = check(&index, Method::Get, "/me/mesages", None).unwrap();
    assert_eq!(finding.suggestions()[0], "/me/messages");
}

#[test]
fn binary_form_round_trips() {
    let index = index();
    let bytes = index.encode();
    let back = RouteIndex::decode(&bytes).unwrap();
    assert_eq!(back.encode(), bytes);
    assert_eq!(back.sources(), "test routes");
    assert_eq!(back.route_paths(), index.route_paths());
    assert!(check(&back, Method::Patch, "/deviceManagement/deviceConfigurations/{a}/assignments/{b}", None).is_none());
    // Damaged input is an error, never a panic.
    for end in 0..bytes.len() {
        assert!(RouteIndex::decode(&bytes[..end]).is_err());
    }
    let mut flipped = bytes.clone();
    for at in 0..flipped.len() {
        flipped[at] ^= 0x5a;
        let _ = RouteIndex::decode(&flipped);
        flipped[at] ^= 0x5a;
    }
}
