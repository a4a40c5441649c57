//! OData's `@odata.type` annotation, as Graph writes and reads it.
//!
//! Graph's responses write `"@odata.type": "#microsoft.graph.x"`, while its own documentation
//! examples mix that form with `"microsoft.graph.x"`. [`ODataType`] reads both and always
//! writes the `#` form:
//!
//! ```
//! use graph_endpoint::ODataType;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Assignment {
//!     #[serde(rename = "@odata.type")]
//!     odata_type: ODataType,
//! }
//!
//! let a: Assignment = serde_json::from_str(r#"{"@odata.type":"microsoft.graph.deviceConfigurationAssignment"}"#).unwrap();
//! assert_eq!(a.odata_type, ODataType::new("microsoft.graph.deviceConfigurationAssignment"));
//! assert_eq!(serde_json::to_string(&a).unwrap(), r##"{"@odata.type":"#microsoft.graph.deviceConfigurationAssignment"}"##);
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A qualified OData type name such as `microsoft.graph.groupAssignmentTarget`, stored
/// without the leading `#`, serialized with it, and deserialized with or without it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ODataType(Cow<'static, str>);

impl ODataType {
    /// A type name, with or without the leading `#`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        let name = name.into();
        match name.strip_prefix('#') {
            Some(stripped) => ODataType(Cow::Owned(stripped.to_owned())),
            None => ODataType(name),
        }
    }

    /// A `microsoft.graph` type from its short name: `graph("groupAssignmentTarget")`.
    pub fn graph(short_name: &str) -> Self {
        ODataType(Cow::Owned(format!("microsoft.graph.{short_name}")))
    }

    /// The qualified name without `#`: `microsoft.graph.groupAssignmentTarget`.
    pub fn name(&self) -> &str {
        &self.0
    }

    /// The name without the `microsoft.graph.` namespace: `groupAssignmentTarget`.
    pub fn short_name(&self) -> &str {
        self.0.strip_prefix("microsoft.graph.").unwrap_or(&self.0)
    }

    /// Whether this is the `microsoft.graph` type `short_name`.
    pub fn is_graph(&self, short_name: &str) -> bool {
        self.0.strip_prefix("microsoft.graph.") == Some(short_name)
    }
}

impl fmt::Debug for ODataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Display for ODataType {
    /// The wire form, with `#`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl Serialize for ODataType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ODataType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(ODataType::new(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_forms_writes_hash() {
        for wire in [r##""#microsoft.graph.x""##, r#""microsoft.graph.x""#] {
            let t: ODataType = serde_json::from_str(wire).unwrap();
            assert_eq!(t.name(), "microsoft.graph.x");
            assert_eq!(t.short_name(), "x");
            assert!(t.is_graph("x"));
            assert_eq!(serde_json::to_string(&t).unwrap(), r##""#microsoft.graph.x""##);
        }
        assert_eq!(ODataType::new("#a.b"), ODataType::new("a.b"));
    }
}
