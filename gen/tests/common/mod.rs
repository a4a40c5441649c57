//! Shared by the generator's integration tests: the metadata documents, generating from
//! command-line words, and checked-in expected files.

#![allow(dead_code)]

use graph_endpoint_gen::{Metadata, generate, parse_args};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Microsoft's v1.0 metadata, gzip-compressed (its source and licence: `tests/data/README.md`).
pub const V1_METADATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/v1.0.csdl.gz");
/// The request and response bodies of the seed pages.
pub const SEED_BODIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-bodies");
/// The hand-written beta fixture.
pub const BETA_FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/beta-fixture.csdl");

pub struct Loaded {
    pub meta: Metadata,
    pub digest: String,
}

/// Reads a metadata document, decompressing it if its name ends in `.gz`.
fn load(path: &str) -> Loaded {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let xml = if path.ends_with(".gz") {
        let mut xml = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice()).read_to_string(&mut xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        xml
    } else {
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    Loaded { meta: Metadata::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}")), digest: graph_endpoint_gen::digest(xml.as_bytes()) }
}

pub fn v1() -> &'static Loaded {
    static V1: OnceLock<Loaded> = OnceLock::new();
    V1.get_or_init(|| load(V1_METADATA))
}

pub fn beta() -> &'static Loaded {
    static BETA: OnceLock<Loaded> = OnceLock::new();
    BETA.get_or_init(|| load(BETA_FIXTURE))
}

/// Generates from command-line words, as the binary would (`--metadata NAME` picks the loaded
/// document by its file name: `v1.0.csdl` or `beta-fixture.csdl`).
pub fn run(words: &str) -> Result<String, String> {
    let args = split_words(words);
    let command = parse_args(&args)?.expect("not a help request");
    let loaded = match command.options.metadata_name.as_str() {
        "v1.0.csdl" => v1(),
        "beta-fixture.csdl" => beta(),
        other => panic!("no test metadata named {other}"),
    };
    let mut options = command.options.clone();
    options.metadata_digest = loaded.digest.clone();
    generate(&loaded.meta, &options).map(|g| g.code)
}

/// Shell-like words: whitespace-separated, `"..."` groups.
fn split_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut current));
                    any = false;
                }
            }
            c => {
                current.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(current);
    }
    out
}

/// Compares `actual` with the checked-in file `relative` (to the package); with
/// `UPDATE_SNAPSHOTS=1` writes it instead.
pub fn check_file(relative: &str, actual: &str) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e} (run with UPDATE_SNAPSHOTS=1 to create it)", path.display()));
    if expected != actual {
        let line =
            expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "the generator no longer produces {} (first difference at line {}):\n  expected: {:?}\n  actual:   {:?}\n\
             If the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff.",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end of file>"),
            actual.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

/// Checks what `#[graph_endpoint::polymorphic]` asks of the enums in generated `code`: each
/// variant holds a generated struct that is not generic; the catch-all (`#[odata(other)]`) and
/// the default variant (`#[odata("...", default)]`, only for a base that is not abstract) hold
/// the struct of the base's own properties, `…Base`. Returns how many enums were checked.
pub fn check_polymorphic_enums(code: &str) -> usize {
    let file = syn::parse_file(code).expect("the generated code parses");
    let mut structs = std::collections::HashMap::new();
    for item in &file.items {
        if let syn::Item::Struct(s) = item {
            structs.insert(s.ident.to_string(), s);
        }
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for item in &file.items {
        let syn::Item::Enum(e) = item else { continue };
        let polymorphic = e
            .attrs
            .iter()
            .any(|a| a.path().segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>() == ["graph_endpoint", "polymorphic"]);
        if !polymorphic {
            continue;
        }
        checked += 1;
        let base_struct = format!("{}Base", e.ident);
        let mut catch_all = 0;
        for variant in &e.variants {
            let tokens = |a: &syn::Attribute| match &a.meta {
                syn::Meta::List(list) => list.tokens.to_string(),
                _ => String::new(),
            };
            let odata: Vec<String> = variant.attrs.iter().filter(|a| a.path().is_ident("odata")).map(tokens).collect();
            let syn::Fields::Unnamed(fields) = &variant.fields else {
                problems.push(format!("{}::{} is not a newtype variant", e.ident, variant.ident));
                continue;
            };
            let ty = match fields.unnamed.first().map(|f| &f.ty) {
                Some(syn::Type::Path(path)) if fields.unnamed.len() == 1 => {
                    path.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
                }
                _ => {
                    problems.push(format!("{}::{} does not hold one named type", e.ident, variant.ident));
                    continue;
                }
            };
            let own = odata == ["other"] || odata.len() == 1 && odata[0].ends_with(", default");
            if odata == ["other"] {
                catch_all += 1;
            } else if odata.len() != 1 || !odata[0].starts_with("\"microsoft.graph.") {
                problems.push(format!("{}::{} has no type name: {odata:?}", e.ident, variant.ident));
            }
            if own && !ty.starts_with(&base_struct) {
                problems.push(format!("{}::{} holds {ty}, not {base_struct}", e.ident, variant.ident));
            }
            let Some(s) = structs.get(&ty) else {
                problems.push(format!("{}::{} holds {ty}, which is no generated struct", e.ident, variant.ident));
                continue;
            };
            if !s.generics.params.is_empty() {
                problems.push(format!("{}::{} holds the generic struct {ty}", e.ident, variant.ident));
            }
        }
        if catch_all != 1 {
            problems.push(format!("{} has {catch_all} catch-alls", e.ident));
        }
    }
    assert!(problems.is_empty(), "{} problem(s) with polymorphic enums:\n{}", problems.len(), problems.join("\n"));
    checked
}
