//! Reading and writing polymorphic assignment targets: the hand-written `AssignmentTarget` of
//! 0.1 (every object buffered into a `Map`, then taken apart) against `#[polymorphic]` — as
//! `intune::AssignmentTarget` uses it (known subtypes keep unmodelled properties through
//! `#[serde(flatten)]`, which buffers), and with plain variant structs, which stream.
//! 2,000 targets per document, 25 alternating rounds, medians per target.
//!
//!     cargo bench --bench polymorphic

#[path = "support/rounds.rs"]
mod rounds;

use graph_endpoint::intune::{AssignmentFilterType, AssignmentTarget};
use graph_endpoint::polymorphic;
use serde::{Deserialize, Deserializer, Serialize, de::Error as _};
use serde_json::{Map, Value, json};
use std::hint::black_box;

const TARGETS: usize = 2_000;
const ROUNDS: usize = 25;

/// 0.1's hand-written reader, kept here as the baseline: the whole object into a `Map`, then
/// the subtype's properties taken out of it.
#[derive(Debug)]
#[allow(dead_code)] // read by the benchmark through `black_box` only
enum HandWritten {
    Group { group_id: String, filter_id: Option<String>, filter_type: Option<String>, additional: Map<String, Value> },
    AllDevices { filter_id: Option<String>, filter_type: Option<String>, additional: Map<String, Value> },
    Other { odata_type: String, additional: Map<String, Value> },
}

impl<'de> Deserialize<'de> for HandWritten {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(deserializer)?;
        let odata_type = match map.remove("@odata.type") {
            Some(Value::String(t)) => t,
            _ => return Err(D::Error::custom("an assignment target needs `@odata.type`")),
        };
        let mut text = |key: &str| match map.remove(key) {
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Null) | None => Ok(None),
            Some(other) => Err(D::Error::custom(format!("`{key}` must be a string, found {other}"))),
        };
        let short = odata_type.trim_start_matches('#').trim_start_matches("microsoft.graph.");
        Ok(match short {
            "groupAssignmentTarget" => HandWritten::Group {
                group_id: text("groupId")?.ok_or_else(|| D::Error::custom("needs `groupId`"))?,
                filter_id: text("deviceAndAppManagementAssignmentFilterId")?,
                filter_type: text("deviceAndAppManagementAssignmentFilterType")?,
                additional: map,
            },
            "allDevicesAssignmentTarget" => HandWritten::AllDevices {
                filter_id: text("deviceAndAppManagementAssignmentFilterId")?,
                filter_type: text("deviceAndAppManagementAssignmentFilterType")?,
                additional: map,
            },
            _ => HandWritten::Other { odata_type, additional: map },
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Group {
    group_id: String,
    #[serde(rename = "deviceAndAppManagementAssignmentFilterId", default)]
    filter_id: Option<String>,
    #[serde(rename = "deviceAndAppManagementAssignmentFilterType", default)]
    filter_type: Option<AssignmentFilterType>,
}

#[derive(Debug, Serialize, Deserialize)]
struct AllDevices {
    #[serde(rename = "deviceAndAppManagementAssignmentFilterId", default)]
    filter_id: Option<String>,
    #[serde(rename = "deviceAndAppManagementAssignmentFilterType", default)]
    filter_type: Option<AssignmentFilterType>,
}

/// The same subtypes as a user would declare them: plain structs, streamed.
#[polymorphic]
#[derive(Debug)]
enum Plain {
    #[odata("microsoft.graph.groupAssignmentTarget")]
    Group(Group),
    #[odata("microsoft.graph.allDevicesAssignmentTarget")]
    AllDevices(AllDevices),
    #[odata(other)]
    Other(Value),
}

fn document(tag_last: bool) -> String {
    let targets: Vec<String> = (0..TARGETS)
        .map(|i| {
            let (tag, rest) = match i % 4 {
                0 | 1 => (
                    "#microsoft.graph.groupAssignmentTarget",
                    json!({"groupId": format!("5e6f7a8b-{i:08}"), "deviceAndAppManagementAssignmentFilterId": "f-1",
                        "deviceAndAppManagementAssignmentFilterType": "include"}),
                ),
                2 => ("#microsoft.graph.allDevicesAssignmentTarget", json!({"deviceAndAppManagementAssignmentFilterType": "none"})),
                _ => ("#microsoft.graph.someFutureAssignmentTarget", json!({"collectionId": "c", "extra": [1, 2, 3]})),
            };
            let rest = serde_json::to_string(&rest).unwrap();
            let inner = &rest[1..rest.len() - 1];
            if tag_last { format!(r#"{{{inner},"@odata.type":"{tag}"}}"#) } else { format!(r#"{{"@odata.type":"{tag}",{inner}}}"#) }
        })
        .collect();
    format!("[{}]", targets.join(","))
}

fn main() {
    for (label, text) in [("@odata.type first (as Graph writes)", document(false)), ("@odata.type last", document(true))] {
        assert!(text.contains("groupAssignmentTarget"));
        let mut hand = || drop(black_box(serde_json::from_str::<Vec<HandWritten>>(black_box(&text)).unwrap()));
        let mut intune = || drop(black_box(serde_json::from_str::<Vec<AssignmentTarget>>(black_box(&text)).unwrap()));
        let mut plain = || drop(black_box(serde_json::from_str::<Vec<Plain>>(black_box(&text)).unwrap()));
        let medians = rounds::alternate(ROUNDS, TARGETS as u64, &mut [&mut hand, &mut intune, &mut plain]);
        println!("read, {label}:");
        for (name, m) in ["hand-written (Map)", "intune::AssignmentTarget", "#[polymorphic], plain structs"].iter().zip(&medians) {
            println!("  {name:>30}: {:>7.0} ns wall, {:>7.0} ns CPU per target", m.wall.as_nanos(), m.cpu.as_nanos());
        }
    }
    let text = document(false);
    let intune: Vec<AssignmentTarget> = serde_json::from_str(&text).unwrap();
    let plain: Vec<Plain> = serde_json::from_str(&text).unwrap();
    let mut write_intune = || drop(black_box(serde_json::to_string(black_box(&intune)).unwrap()));
    let mut write_plain = || drop(black_box(serde_json::to_string(black_box(&plain)).unwrap()));
    let medians = rounds::alternate(ROUNDS, TARGETS as u64, &mut [&mut write_intune, &mut write_plain]);
    println!("write:");
    for (name, m) in ["intune::AssignmentTarget", "#[polymorphic], plain structs"].iter().zip(&medians) {
        println!("  {name:>30}: {:>7.0} ns wall, {:>7.0} ns CPU per target", m.wall.as_nanos(), m.cpu.as_nanos());
    }
}
