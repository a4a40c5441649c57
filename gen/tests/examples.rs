//! Real response examples from Graph's v1.0 reference pages (`tests/data/examples/`, one file per
//! page: the page's path and each response body with the type the page declares for it), each
//! read into the model the generator makes with its defaults and written back: every one must
//! come back unchanged (as JSON values; `@odata.type` is always written with `#`), but for the
//! listed examples whose JSON contradicts the metadata.
//!
//! The models are generated once, for the types the examples declare, into
//! `tests/generated/example_models.rs` (with a function that reads and writes an example by
//! its type's Graph name), and compiled with this test: adding an example is adding its JSON,
//! then `UPDATE_SNAPSHOTS=1` to regenerate the models if it declares a new type.

mod common;

use graph_endpoint::Collection;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[allow(dead_code, clippy::all)]
mod models {
    include!("generated/example_models.rs");
}

/// Examples whose JSON contradicts the metadata's types, with why: `(page, index, reason)`.
/// Each must still fail to round-trip (else it belongs with the others).
const CONTRADICTING: &[(&str, usize, &str)] = &[
    ("riskyuser-get.md", 0, "`isDeleted` and `isProcessing` are `Edm.Boolean`; the page writes the placeholder string \"Boolean\""),
    ("tablecolumn-list.md", 0, "`id` is `Edm.String` (the entity key); the page writes the number 99"),
];

/// One documented response.
struct Example {
    source: String,
    index: usize,
    ty: String,
    collection: bool,
    body: Value,
}

fn examples() -> Vec<Example> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut out = Vec::new();
    for file in &files {
        let page: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let source = page["source"].as_str().unwrap();
        assert!(source.starts_with("api-reference/v1.0/api/"), "{}: the page's path", file.display());
        for (index, example) in page["examples"].as_array().unwrap().iter().enumerate() {
            out.push(Example {
                source: source.to_owned(),
                index,
                ty: example["type"].as_str().unwrap().to_owned(),
                collection: example["collection"].as_bool().unwrap_or(false),
                body: example["body"].clone(),
            });
        }
    }
    out
}

/// The generator's output for the examples' types, and the function that dispatches on them.
fn expected_models() -> String {
    let types: BTreeSet<String> = examples().into_iter().map(|e| e.ty).collect();
    let names: Vec<&str> = types.iter().map(|t| t.strip_prefix("microsoft.graph.").unwrap_or(t)).collect();
    let command = format!("--metadata v1.0.csdl {} --out gen/tests/generated/example_models.rs", names.join(" "));
    let code = common::run(&command).unwrap();
    let rust = rust_names(&code);
    let mut arms = String::new();
    for ty in &types {
        let name = rust.get(ty.as_str()).unwrap_or_else(|| panic!("no model generated for {ty}"));
        arms.push_str(&format!("        {ty:?} => Some(super::through::<{name}>(body, collection)),\n"));
    }
    format!(
        "{code}\n/// Reads an example of the Graph type `ty` into its model and writes it back (written by\n\
         /// `tests/examples.rs`).\n\
         pub fn round_trip(ty: &str, body: &serde_json::Value, collection: bool) -> Option<Result<serde_json::Value, String>> {{\n    \
         match ty {{\n{arms}        _ => None,\n    }}\n}}\n"
    )
}

/// The Rust name of each Graph type's model: its polymorphic enum if it has one, else its struct.
fn rust_names(code: &str) -> BTreeMap<&str, &str> {
    let mut names = BTreeMap::new();
    let mut pending: Option<(&str, bool)> = None;
    for line in code.lines() {
        if let Some(doc) = line.strip_prefix("/// Graph ") {
            if let Some(ty) = doc.split('`').nth(1) {
                pending = Some((ty, doc.contains("with its subtypes")));
            }
            continue;
        }
        let item = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("pub enum "));
        if let (Some(item), Some((ty, poly))) = (item, pending) {
            let name = item.split([' ', '{', '(', ';']).next().unwrap();
            if poly || !names.contains_key(ty) {
                names.insert(ty, name);
            }
            pending = None;
        }
    }
    names
}

#[test]
fn example_models_are_current() {
    common::check_file("tests/generated/example_models.rs", &expected_models());
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

#[test]
fn every_documented_example_round_trips_unchanged() {
    let examples = examples();
    let pages: BTreeSet<&str> = examples.iter().map(|e| e.source.as_str()).collect();
    let types: BTreeSet<&str> = examples.iter().map(|e| e.ty.as_str()).collect();
    let intune = examples.iter().filter(|e| e.source.contains("/intune-")).count();
    let (mut unchanged, mut changed, mut failed, mut excepted) = (0, Vec::new(), Vec::new(), 0);
    for e in &examples {
        let result = models::round_trip(&e.ty, &e.body, e.collection)
            .unwrap_or_else(|| panic!("no model generated for {}: run with UPDATE_SNAPSHOTS=1", e.ty));
        if let Some((_, _, why)) = CONTRADICTING.iter().find(|(p, i, _)| e.source.ends_with(&format!("/{p}")) && *i == e.index) {
            let unchanged = matches!(&result, Ok(back) if normalized(back) == normalized(&e.body));
            assert!(
                !unchanged,
                "{} #{} is listed as contradicting the metadata ({why}) but round-trips: take it off the list",
                e.source, e.index
            );
            excepted += 1;
            continue;
        }
        match result {
            Ok(back) if normalized(&back) == normalized(&e.body) => unchanged += 1,
            Ok(back) => changed.push(format!("{} #{}: {back}", e.source, e.index)),
            Err(error) => failed.push(format!("{} #{}: {error}", e.source, e.index)),
        }
    }
    println!(
        "{} examples ({intune} Intune) from {} pages, {} types: {unchanged} unchanged, {} changed, {} failed, {excepted} excepted",
        examples.len(),
        pages.len(),
        types.len(),
        changed.len(),
        failed.len()
    );
    assert!(examples.len() >= 100, "the corpus: {}", examples.len());
    assert_eq!(excepted, CONTRADICTING.len(), "every listed contradiction names an example of the corpus");
    assert!(changed.is_empty() && failed.is_empty(), "changed:\n{}\nfailed:\n{}", changed.join("\n"), failed.join("\n"));
}
