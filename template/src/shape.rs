//! Route shapes: templates compared as Graph compares the routes they name.
//!
//! Graph's reference pages, its SDKs' URL templates and users spell one route several ways:
//! `/deviceManagement/deviceConfigurations/{deviceConfigurationId}` on a page is
//! `/deviceManagement/deviceConfigurations/{deviceConfiguration-id}` in an SDK; a cast is
//! `microsoft.graph.iosLobApp` on a page and `graph.iosLobApp` in an SDK; a function is
//! `delta` or `delta()`; `/me/...` is `/users/{id}/...` for the signed-in user. A [`Shape`]
//! is the key these spellings share, so a route index can be a map from shapes.

use crate::template::Template;
use std::fmt;

/// The normalised shape of a template, as a key: `/users/{}/messages/{}`.
///
/// Built segment by segment:
///
/// - every parameter is `{}`: parameter names do not matter;
/// - letter case does not matter: literal text is lower-cased (ASCII, as templates are);
/// - a segment that starts with `microsoft.graph.` starts with `graph.` instead, so a cast
///   written either way (`microsoft.graph.iosLobApp`, `graph.iosLobApp`) is the same segment,
///   and so is a namespaced operation (`microsoft.graph.security.applyHold`);
/// - a function's empty `()` is left out: `delta()` is `delta`;
/// - a first segment `me` is `users/{}`: `/me/messages` is `/users/{id}/messages`.
///
/// Nothing else is normalised: a key in parentheses (`users('{id}')`) is not the key segment
/// `users/{id}`, and a function's arguments keep their names and quotes
/// (`getReport(period='{}')`).
///
/// ```
/// use graph_endpoint_template::parse;
///
/// let page = parse("/me/deviceManagement/microsoft.graph.iosLobApp/{appId}/delta()").unwrap();
/// let sdk = parse("/users/{user-id}/deviceManagement/graph.iosLobApp/{mobileApp-id}/delta").unwrap();
/// assert_eq!(page.shape(), sdk.shape());
/// assert_eq!(page.shape().as_str(), "/users/{}/devicemanagement/graph.ioslobapp/{}/delta");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shape {
    key: String,
}

/// What a parameter is in a shape.
const PARAM: &str = "{}";

impl Shape {
    /// The shape of `template`. Meant for templates parsed without errors; a template with
    /// errors still has a shape, of what could be read.
    pub fn of(template: &Template) -> Shape {
        let mut segments: Vec<String> = template.segments().iter().map(|segment| normalise_segment(&segment.text())).collect();
        if segments.first().is_some_and(|first| first == "me") {
            segments.splice(0..1, ["users".to_owned(), PARAM.to_owned()]);
        }
        let mut key = String::new();
        for segment in &segments {
            key.push('/');
            key.push_str(segment);
        }
        Shape { key }
    }

    /// The key: `/users/{}/messages`.
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// The normalised segments, in order: `users`, `{}`, `messages`.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.key.strip_prefix('/').unwrap_or(&self.key).split('/')
    }

    /// Whether `segment` (one of [`segments`](Self::segments)) is a key: a whole-segment
    /// parameter.
    pub fn is_param(segment: &str) -> bool {
        segment == PARAM
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

impl Template {
    /// The template's [`Shape`]: the key it shares with every other spelling of its route.
    pub fn shape(&self) -> Shape {
        Shape::of(self)
    }
}

/// Whether two templates name the same route: whether their [`Shape`]s are equal.
///
/// ```
/// use graph_endpoint_template::{parse, same_route};
///
/// let page = parse("/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments").unwrap();
/// let sdk = parse("/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments").unwrap();
/// assert!(same_route(&page, &sdk));
/// assert!(!same_route(&page, &parse("/deviceManagement/deviceConfigurations/{id}").unwrap()));
/// ```
pub fn same_route(a: &Template, b: &Template) -> bool {
    a.shape() == b.shape()
}

/// One segment's part of a [`Shape`]: `{deviceConfiguration-id}` is `{}`, `deviceConfigurations`
/// is `deviceconfigurations`, `microsoft.graph.iosLobApp` is `graph.ioslobapp`, `delta()` is
/// `delta`. The route index keys its segments with it, so that a template and an index entry
/// are compared by the same rule.
pub fn normalise_segment(segment: &str) -> String {
    let mut text = String::with_capacity(segment.len());
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open].to_ascii_lowercase());
        text.push_str(PARAM);
        rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
    }
    text.push_str(&rest.to_ascii_lowercase());
    if let Some(rest) = text.strip_prefix("microsoft.graph.") {
        text = format!("graph.{rest}");
    }
    if let Some(name) = text.strip_suffix("()") {
        text.truncate(name.len());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn shape(src: &str) -> String {
        parse(src).unwrap_or_else(|errors| panic!("{src}: {errors:?}")).shape().as_str().to_owned()
    }

    fn same(a: &str, b: &str) -> bool {
        same_route(&parse(a).unwrap(), &parse(b).unwrap())
    }

    #[test]
    fn parameter_names_do_not_matter() {
        assert_eq!(shape("/users/{userId}/messages/{message-id}"), "/users/{}/messages/{}");
        assert!(same(
            "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
            "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments/{deviceConfigurationAssignment-id}",
        ));
        assert!(same("/reports/getReport(period='{period}')", "/reports/getReport(period='{period_value}')"));
        assert_eq!(shape("/users(userPrincipalName='{upn}')"), "/users(userprincipalname='{}')");
    }

    #[test]
    fn casts_with_or_without_the_microsoft_prefix() {
        assert!(same(
            "/deviceAppManagement/mobileApps/{id}/microsoft.graph.iosLobApp",
            "/deviceAppManagement/mobileApps/{id}/graph.iosLobApp"
        ));
        assert!(same("/x/microsoft.graph.security.applyHold", "/x/graph.security.applyHold"));
        assert_eq!(shape("/groups/{id}/members/microsoft.graph.user"), "/groups/{}/members/graph.user");
        // Only a leading namespace is the cast's: other text keeps its dots.
        assert_eq!(shape("/x/my.microsoft.graph.thing"), "/x/my.microsoft.graph.thing");
        assert!(!same("/x/graph.user", "/x/user"));
    }

    #[test]
    fn a_functions_empty_parentheses_do_not_matter() {
        assert!(same("/users/delta()", "/users/delta"));
        assert!(same("/users/{id}/microsoft.graph.delta()", "/users/{id}/graph.delta"));
        assert!(same("/admin/issues/{id}/incidentReport()", "/admin/issues/{id}/incidentReport"));
        // Arguments do.
        assert!(!same("/reports/getReport(period='{p}')", "/reports/getReport"));
    }

    #[test]
    fn letter_case_does_not_matter() {
        assert!(same("/DeviceManagement/deviceconfigurations/{ID}", "/deviceManagement/deviceConfigurations/{id}"));
        assert!(same("/x/Microsoft.Graph.IosLobApp", "/x/graph.iosLobApp"));
        assert!(same("/users/{id}/photo/$Value", "/users/{id}/photo/$value"));
    }

    #[test]
    fn me_is_a_user() {
        assert_eq!(shape("/me"), "/users/{}");
        assert_eq!(shape("/me/messages/{messageId}"), "/users/{}/messages/{}");
        assert!(same("/Me/manager", "/users/{user-id}/manager"));
        // Only as the first segment.
        assert_eq!(shape("/users/{id}/me"), "/users/{}/me");
        assert_eq!(shape("/meetings"), "/meetings");
    }

    #[test]
    fn segments_of_a_shape() {
        let shape = parse("/me/photo/$value").unwrap().shape();
        assert_eq!(shape.segments().collect::<Vec<_>>(), ["users", "{}", "photo", "$value"]);
        assert_eq!(shape.segments().filter(|s| Shape::is_param(s)).count(), 1);
        assert_eq!(shape.to_string(), "/users/{}/photo/$value");
    }

    #[test]
    fn parameters_are_placeholders_wherever_they_stand() {
        for (src, key) in [
            ("/a/x{b}y", "/a/x{}y"),
            ("/a/f(k='{b}',n={c})", "/a/f(k='{}',n={})"),
            ("/a/{b}:/{c}:/children", "/a/{}:/{}:/children"),
            ("/a/{b}.{c}", "/a/{}.{}"),
        ] {
            assert_eq!(shape(src), key);
        }
    }
}
