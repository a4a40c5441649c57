//! The polymorphic assignment target of Intune (`deviceAndAppManagementAssignmentTarget`) and
//! the small enumerations around it: the pieces every Intune assignment body shares.
//!
//! ```
//! use graph_endpoint::intune::{AssignmentFilterType, AssignmentTarget, TargetKind};
//!
//! let target: AssignmentTarget = serde_json::from_str(r#"{
//!     "@odata.type": "microsoft.graph.groupAssignmentTarget",
//!     "groupId": "g-1",
//!     "deviceAndAppManagementAssignmentFilterType": "include"
//! }"#).unwrap();
//! assert_eq!(target.kind, TargetKind::Group { group_id: "g-1".into() });
//! assert_eq!(target.filter_type, Some(AssignmentFilterType::Include));
//! ```

use crate::odata::ODataType;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

const FILTER_ID: &str = "deviceAndAppManagementAssignmentFilterId";
const FILTER_TYPE: &str = "deviceAndAppManagementAssignmentFilterType";

/// Where an assignment applies. Known subtypes are typed; any other subtype is kept as
/// [`TargetKind::Other`] with its `@odata.type` as written, and its other properties in
/// [`additional`](Self::additional), so that it round-trips unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentTarget {
    /// Which subtype, with its own properties.
    pub kind: TargetKind,
    /// `deviceAndAppManagementAssignmentFilterId` (beta).
    pub filter_id: Option<String>,
    /// `deviceAndAppManagementAssignmentFilterType` (beta).
    pub filter_type: Option<AssignmentFilterType>,
    /// Properties this type does not model, kept as received.
    pub additional: Map<String, Value>,
}

/// The subtypes of `deviceAndAppManagementAssignmentTarget`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TargetKind {
    /// `groupAssignmentTarget`
    Group {
        /// `groupId`
        group_id: String,
    },
    /// `exclusionGroupAssignmentTarget`
    ExclusionGroup {
        /// `groupId`
        group_id: String,
    },
    /// `allDevicesAssignmentTarget`
    AllDevices,
    /// `allLicensedUsersAssignmentTarget`
    AllLicensedUsers,
    /// `configurationManagerCollectionAssignmentTarget`
    ConfigurationManagerCollection {
        /// `collectionId`
        collection_id: String,
    },
    /// The base type itself, `deviceAndAppManagementAssignmentTarget` (as in the reference
    /// pages' examples).
    Base,
    /// Any other subtype, with `@odata.type` exactly as received.
    Other {
        /// The annotation as received (with or without `#`).
        odata_type: String,
    },
}

impl AssignmentTarget {
    /// A target of the given kind, with no filter.
    pub fn new(kind: TargetKind) -> Self {
        AssignmentTarget { kind, filter_id: None, filter_type: None, additional: Map::new() }
    }

    /// `groupAssignmentTarget` for a group id.
    pub fn group(group_id: impl Into<String>) -> Self {
        Self::new(TargetKind::Group { group_id: group_id.into() })
    }

    /// `exclusionGroupAssignmentTarget` for a group id.
    pub fn exclusion_group(group_id: impl Into<String>) -> Self {
        Self::new(TargetKind::ExclusionGroup { group_id: group_id.into() })
    }

    /// Adds an assignment filter (beta).
    pub fn with_filter(mut self, filter_id: impl Into<String>, filter_type: AssignmentFilterType) -> Self {
        self.filter_id = Some(filter_id.into());
        self.filter_type = Some(filter_type);
        self
    }
}

impl Serialize for AssignmentTarget {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = Map::new();
        let (odata_type, id) = match &self.kind {
            TargetKind::Group { group_id } => (graph_type("groupAssignmentTarget"), Some(("groupId", group_id))),
            TargetKind::ExclusionGroup { group_id } => (graph_type("exclusionGroupAssignmentTarget"), Some(("groupId", group_id))),
            TargetKind::AllDevices => (graph_type("allDevicesAssignmentTarget"), None),
            TargetKind::AllLicensedUsers => (graph_type("allLicensedUsersAssignmentTarget"), None),
            TargetKind::ConfigurationManagerCollection { collection_id } => {
                (graph_type("configurationManagerCollectionAssignmentTarget"), Some(("collectionId", collection_id)))
            }
            TargetKind::Base => (graph_type("deviceAndAppManagementAssignmentTarget"), None),
            TargetKind::Other { odata_type } => (odata_type.clone(), None),
        };
        map.insert("@odata.type".into(), Value::String(odata_type));
        if let Some((key, value)) = id {
            map.insert(key.into(), Value::String(value.clone()));
        }
        if let Some(id) = &self.filter_id {
            map.insert(FILTER_ID.into(), Value::String(id.clone()));
        }
        if let Some(kind) = &self.filter_type {
            map.insert(FILTER_TYPE.into(), Value::String(kind.as_str().to_owned()));
        }
        for (key, value) in &self.additional {
            map.entry(key.clone()).or_insert_with(|| value.clone());
        }
        map.serialize(serializer)
    }
}

fn graph_type(short: &str) -> String {
    ODataType::graph(short).to_string()
}

impl<'de> Deserialize<'de> for AssignmentTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(deserializer)?;
        let raw_type = match map.remove("@odata.type") {
            Some(Value::String(t)) => t,
            Some(_) => return Err(D::Error::custom("`@odata.type` of an assignment target must be a string")),
            None => return Err(D::Error::custom("an assignment target needs `@odata.type`")),
        };
        let odata_type = ODataType::new(raw_type.clone());
        let mut take = |key: &str| -> Result<String, D::Error> {
            match map.remove(key) {
                Some(Value::String(s)) => Ok(s),
                Some(other) => Err(D::Error::custom(format!("`{key}` must be a string, found {other}"))),
                None => Err(D::Error::custom(format!("`{}` needs `{key}`", odata_type.short_name()))),
            }
        };
        let kind = if odata_type.name().starts_with("microsoft.graph.") {
            match odata_type.short_name() {
                "groupAssignmentTarget" => TargetKind::Group { group_id: take("groupId")? },
                "exclusionGroupAssignmentTarget" => TargetKind::ExclusionGroup { group_id: take("groupId")? },
                "allDevicesAssignmentTarget" => TargetKind::AllDevices,
                "allLicensedUsersAssignmentTarget" => TargetKind::AllLicensedUsers,
                "configurationManagerCollectionAssignmentTarget" => {
                    TargetKind::ConfigurationManagerCollection { collection_id: take("collectionId")? }
                }
                "deviceAndAppManagementAssignmentTarget" => TargetKind::Base,
                _ => TargetKind::Other { odata_type: raw_type },
            }
        } else {
            TargetKind::Other { odata_type: raw_type }
        };
        if let TargetKind::Other { .. } = kind {
            // Unknown subtype: keep every property verbatim, filters included.
            return Ok(AssignmentTarget { kind, filter_id: None, filter_type: None, additional: map });
        }
        let filter_id = match map.remove(FILTER_ID) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Null) | None => None,
            Some(other) => return Err(D::Error::custom(format!("`{FILTER_ID}` must be a string, found {other}"))),
        };
        let filter_type = match map.remove(FILTER_TYPE) {
            Some(Value::String(s)) => Some(AssignmentFilterType::from(s)),
            Some(Value::Null) | None => None,
            Some(other) => return Err(D::Error::custom(format!("`{FILTER_TYPE}` must be a string, found {other}"))),
        };
        Ok(AssignmentTarget { kind, filter_id, filter_type, additional: map })
    }
}

/// A string enumeration that keeps values it does not know, so that nothing Graph sends is
/// lost or refused.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this version does not know, as received.
            Other(String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(s) => s,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($wire => $name::$variant,)*
                    _ => $name::Other(value),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::from)
            }
        }
    };
}

open_enum! {
    /// `deviceAndAppManagementAssignmentFilterType`.
    AssignmentFilterType {
        /// `none`
        None = "none",
        /// `include`
        Include = "include",
        /// `exclude`
        Exclude = "exclude",
    }
}

open_enum! {
    /// `deviceAndAppManagementAssignmentSource`: how an assignment was made.
    AssignmentSource {
        /// `direct`
        Direct = "direct",
        /// `policySets`
        PolicySets = "policySets",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn known_subtypes_read_with_or_without_hash() {
        for prefix in ["", "#"] {
            let target: AssignmentTarget = serde_json::from_value(json!({
                "@odata.type": format!("{prefix}microsoft.graph.configurationManagerCollectionAssignmentTarget"),
                "collectionId": "Collection Id value"
            }))
            .unwrap();
            assert_eq!(target.kind, TargetKind::ConfigurationManagerCollection { collection_id: "Collection Id value".into() });
            assert_eq!(
                serde_json::to_value(&target).unwrap(),
                json!({"@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "Collection Id value"})
            );
        }
    }

    #[test]
    fn every_known_subtype_round_trips() {
        let targets = [
            AssignmentTarget::group("g").with_filter("f", AssignmentFilterType::Exclude),
            AssignmentTarget::exclusion_group("g"),
            AssignmentTarget::new(TargetKind::AllDevices).with_filter("f", AssignmentFilterType::None),
            AssignmentTarget::new(TargetKind::AllLicensedUsers),
            AssignmentTarget::new(TargetKind::ConfigurationManagerCollection { collection_id: "c".into() }),
            AssignmentTarget::new(TargetKind::Base),
        ];
        for target in targets {
            let json = serde_json::to_value(&target).unwrap();
            assert!(json["@odata.type"].as_str().unwrap().starts_with("#microsoft.graph."));
            assert_eq!(serde_json::from_value::<AssignmentTarget>(json).unwrap(), target);
        }
    }

    #[test]
    fn unknown_subtype_round_trips_unchanged() {
        let original = json!({
            "@odata.type": "microsoft.graph.someFutureAssignmentTarget",
            "deviceAndAppManagementAssignmentFilterType": "somethingNew",
            "nested": {"a": [1, 2, {"b": null}]},
            "flag": true
        });
        let target: AssignmentTarget = serde_json::from_value(original.clone()).unwrap();
        assert!(matches!(target.kind, TargetKind::Other { .. }));
        assert_eq!(serde_json::to_value(&target).unwrap(), original);
    }

    #[test]
    fn open_enums_keep_unknown_values() {
        let source: AssignmentSource = serde_json::from_str(r#""String""#).unwrap();
        assert_eq!(source, AssignmentSource::Other("String".into()));
        assert_eq!(serde_json::to_string(&source).unwrap(), r#""String""#);
        assert_eq!(serde_json::from_str::<AssignmentSource>(r#""policySets""#).unwrap(), AssignmentSource::PolicySets);
    }
}
