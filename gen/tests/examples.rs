//! Real response examples from Graph's v1.0 reference pages (`tests/data/examples/`, one file per
//! page: the page's path and each response body with the type the page declares for it), each
//! read into the model the generator makes with its defaults and written back: every one must
//! come back unchanged (as JSON values; `@odata.type` is always written with `#`), but for the
//! listed examples whose JSON contradicts the metadata.

mod common;

use graph_endpoint::Collection;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[allow(dead_code)]
mod models {
    include!("generated/example_models.rs");
}

/// The types of the examples, generated with the defaults.
const COMMAND: &str = "--metadata v1.0.csdl deviceConfigurationAssignment group managedDevice message mobileAppAssignment \
    openTypeExtension plannerTask plannerTaskDetails user workbookRange --out gen/tests/generated/example_models.rs";

/// Examples whose JSON contradicts the metadata's types, with why: `(page, index)`. None so far.
const CONTRADICTING: &[(&str, usize, &str)] = &[];

#[test]
fn example_models_are_current() {
    common::check_file("tests/generated/example_models.rs", &common::run(COMMAND).unwrap());
}

/// `@odata.type` values without their leading `#`.
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

/// Reads `body` as `T` (a page of them if `collection`; one wrapped in `{"value": ...}` as the
/// Intune pages write it, unwrapped) and writes it back.
fn through<T: DeserializeOwned + Serialize>(body: &Value, collection: bool) -> Result<Value, String> {
    if collection {
        let page: Collection<T> = serde_json::from_value(body.clone()).map_err(|e| e.to_string())?;
        return serde_json::to_value(&page).map_err(|e| e.to_string());
    }
    if let Some(inner) = body.get("value").filter(|v| v.is_object() && body.as_object().is_some_and(|o| o.len() == 1)) {
        let back = through::<T>(inner, false)?;
        return Ok(serde_json::json!({ "value": back }));
    }
    let model: T = serde_json::from_value(body.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&model).map_err(|e| e.to_string())
}

fn round_trip(ty: &str, body: &Value, collection: bool) -> Result<Value, String> {
    use models::*;
    match ty {
        "microsoft.graph.deviceConfigurationAssignment" => through::<DeviceConfigurationAssignment>(body, collection),
        "microsoft.graph.group" => through::<Group>(body, collection),
        "microsoft.graph.managedDevice" => through::<ManagedDevice>(body, collection),
        "microsoft.graph.message" => through::<Message>(body, collection),
        "microsoft.graph.mobileAppAssignment" => through::<MobileAppAssignment>(body, collection),
        "microsoft.graph.openTypeExtension" => through::<OpenTypeExtension>(body, collection),
        "microsoft.graph.plannerTask" => through::<PlannerTask>(body, collection),
        "microsoft.graph.plannerTaskDetails" => through::<PlannerTaskDetails>(body, collection),
        "microsoft.graph.user" => through::<User>(body, collection),
        "microsoft.graph.workbookRange" => through::<WorkbookRange>(body, collection),
        other => panic!("no model generated for {other}: add it to COMMAND and round_trip"),
    }
}

#[test]
fn every_documented_example_round_trips_unchanged() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (mut unchanged, mut changed, mut failed, mut total) = (0, Vec::new(), Vec::new(), 0);
    for file in &files {
        let page: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let source = page["source"].as_str().unwrap();
        assert!(source.starts_with("api-reference/v1.0/api/"), "{}: the page's path", file.display());
        for (index, example) in page["examples"].as_array().unwrap().iter().enumerate() {
            total += 1;
            let ty = example["type"].as_str().unwrap();
            let collection = example["collection"].as_bool().unwrap_or(false);
            let body = &example["body"];
            if CONTRADICTING.iter().any(|(p, i, _)| *p == source && *i == index) {
                continue;
            }
            match round_trip(ty, body, collection) {
                Ok(back) if normalized(&back) == normalized(body) => unchanged += 1,
                Ok(back) => changed.push(format!("{source} #{index}: {back}")),
                Err(e) => failed.push(format!("{source} #{index}: {e}")),
            }
        }
    }
    println!("{total} examples from {} pages: {unchanged} unchanged, {} changed, {} failed", files.len(), changed.len(), failed.len());
    assert!(total >= 15, "the corpus: {total} examples");
    assert!(changed.is_empty() && failed.is_empty(), "changed:\n{}\nfailed:\n{}", changed.join("\n"), failed.join("\n"));
}
