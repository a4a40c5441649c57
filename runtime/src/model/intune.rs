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

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Where an assignment applies. Known subtypes are typed; any other subtype is kept as
/// [`TargetKind::Other`] with its `@odata.type` as written, and its other properties in
/// [`additional`](Self::additional), so that it round-trips unchanged. A filter property sent
/// as an explicit `null` reads as `None` and keeps its `null` in `additional`, as generated
/// models do, so that it is written back too (and putting `null` there is how a PATCH clears
/// the filter).
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

/// The wire form: one variant per `@odata.type`, read and written by `#[polymorphic]`.
#[graph_endpoint_macros::polymorphic(crate = "crate")]
enum Wire {
    #[odata("microsoft.graph.groupAssignmentTarget")]
    Group(GroupWire),
    #[odata("microsoft.graph.exclusionGroupAssignmentTarget")]
    ExclusionGroup(GroupWire),
    #[odata("microsoft.graph.allDevicesAssignmentTarget")]
    AllDevices(Common),
    #[odata("microsoft.graph.allLicensedUsersAssignmentTarget")]
    AllLicensedUsers(Common),
    #[odata("microsoft.graph.configurationManagerCollectionAssignmentTarget")]
    ConfigurationManagerCollection(CollectionWire),
    #[odata("microsoft.graph.deviceAndAppManagementAssignmentTarget")]
    Base(Common),
    /// Any other subtype, kept whole: `@odata.type` as received and every property.
    #[odata(other)]
    Other(Map<String, Value>),
}

const FILTER_ID: &str = "deviceAndAppManagementAssignmentFilterId";
const FILTER_TYPE: &str = "deviceAndAppManagementAssignmentFilterType";

/// What every known subtype carries: the assignment filter and properties not modelled. A
/// filter property's explicit `null` is read as `Some(None)`.
#[derive(Serialize, Deserialize)]
struct Common {
    #[serde(
        rename = "deviceAndAppManagementAssignmentFilterId",
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    filter_id: Option<Option<String>>,
    #[serde(
        rename = "deviceAndAppManagementAssignmentFilterType",
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    filter_type: Option<Option<AssignmentFilterType>>,
    #[serde(flatten)]
    additional: Map<String, Value>,
}

/// A property that is present: `Some(None)` when it is `null`.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

impl Common {
    /// The wire form of a target's filter and other properties: a `null` kept in `additional`
    /// is written only while its field is `None`.
    fn of(target: &AssignmentTarget) -> Common {
        let mut additional = target.additional.clone();
        for (key, set) in [(FILTER_ID, target.filter_id.is_some()), (FILTER_TYPE, target.filter_type.is_some())] {
            if set {
                additional.remove(key);
            }
        }
        Common { filter_id: target.filter_id.clone().map(Some), filter_type: target.filter_type.clone().map(Some), additional }
    }

    /// The filter, with a `null` one kept in `additional`.
    fn into_parts(self) -> (Option<String>, Option<AssignmentFilterType>, Map<String, Value>) {
        let mut additional = self.additional;
        if let Some(None) = self.filter_id {
            additional.insert(FILTER_ID.to_owned(), Value::Null);
        }
        if let Some(None) = self.filter_type {
            additional.insert(FILTER_TYPE.to_owned(), Value::Null);
        }
        (self.filter_id.flatten(), self.filter_type.flatten(), additional)
    }
}

#[derive(Serialize, Deserialize)]
struct GroupWire {
    #[serde(rename = "groupId")]
    group_id: String,
    #[serde(flatten)]
    common: Common,
}

#[derive(Serialize, Deserialize)]
struct CollectionWire {
    #[serde(rename = "collectionId")]
    collection_id: String,
    #[serde(flatten)]
    common: Common,
}

impl Serialize for AssignmentTarget {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let common = || Common::of(self);
        let wire = match &self.kind {
            TargetKind::Group { group_id } => Wire::Group(GroupWire { group_id: group_id.clone(), common: common() }),
            TargetKind::ExclusionGroup { group_id } => Wire::ExclusionGroup(GroupWire { group_id: group_id.clone(), common: common() }),
            TargetKind::AllDevices => Wire::AllDevices(common()),
            TargetKind::AllLicensedUsers => Wire::AllLicensedUsers(common()),
            TargetKind::ConfigurationManagerCollection { collection_id } => {
                Wire::ConfigurationManagerCollection(CollectionWire { collection_id: collection_id.clone(), common: common() })
            }
            TargetKind::Base => Wire::Base(common()),
            TargetKind::Other { odata_type } => {
                let mut map = self.additional.clone();
                map.insert("@odata.type".to_owned(), Value::String(odata_type.clone()));
                Wire::Other(map)
            }
        };
        wire.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AssignmentTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let with = |kind, common: Common| {
            let (filter_id, filter_type, additional) = common.into_parts();
            AssignmentTarget { kind, filter_id, filter_type, additional }
        };
        Ok(match Wire::deserialize(deserializer)? {
            Wire::Group(GroupWire { group_id, common }) => with(TargetKind::Group { group_id }, common),
            Wire::ExclusionGroup(GroupWire { group_id, common }) => with(TargetKind::ExclusionGroup { group_id }, common),
            Wire::AllDevices(common) => with(TargetKind::AllDevices, common),
            Wire::AllLicensedUsers(common) => with(TargetKind::AllLicensedUsers, common),
            Wire::ConfigurationManagerCollection(CollectionWire { collection_id, common }) => {
                with(TargetKind::ConfigurationManagerCollection { collection_id }, common)
            }
            Wire::Base(common) => with(TargetKind::Base, common),
            Wire::Other(mut map) => {
                let odata_type = match map.remove("@odata.type") {
                    Some(Value::String(t)) => t,
                    _ => return Err(D::Error::custom("an assignment target needs a string `@odata.type`")),
                };
                AssignmentTarget { kind: TargetKind::Other { odata_type }, filter_id: None, filter_type: None, additional: map }
            }
        })
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
    fn explicit_null_filters_round_trip() {
        for original in [
            json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g", FILTER_ID: null, FILTER_TYPE: "none"}),
            json!({"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", FILTER_ID: null, FILTER_TYPE: null}),
            json!({"@odata.type": "#microsoft.graph.deviceAndAppManagementAssignmentTarget", FILTER_TYPE: null}),
        ] {
            let target: AssignmentTarget = serde_json::from_value(original.clone()).unwrap();
            assert_eq!(target.filter_id, None);
            assert_eq!(serde_json::to_value(&target).unwrap(), original);
        }
        // A filter set after reading a null is written once, with its value.
        let mut target: AssignmentTarget =
            serde_json::from_value(json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g", FILTER_ID: null}))
                .unwrap();
        target.filter_id = Some("f".into());
        assert_eq!(
            serde_json::to_string(&target).unwrap(),
            format!(r##"{{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g","{FILTER_ID}":"f"}}"##)
        );
        // A PATCH that clears the filter.
        let mut clear = AssignmentTarget::group("g");
        clear.additional.insert(FILTER_ID.into(), Value::Null);
        assert_eq!(serde_json::to_value(&clear).unwrap()[FILTER_ID], Value::Null);
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
