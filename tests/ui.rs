//! Compile tests of the attributes.
//!
//! Mistakes that must not compile are trybuild cases under `tests/ui/fail/`, with their exact
//! diagnostics checked in (`*.stderr`): one file per kind of mistake, each holding many
//! independent mistakes that the compiler reports in one compile. The attribute's own errors
//! and the type checker's (a field type that cannot be sent, a builder missing a field) are in
//! separate files, as the type checker says nothing once expansion has failed. All files are
//! checked by one `cargo check`.
//!
//! Definitions that must compile and work are modules of this test, under `tests/ui/pass/`:
//! they are built with the test itself, with no build of the dependencies of their own. Most
//! of their definitions are only compiled, never used (`dead_code` is allowed, as trybuild
//! allows it).

/// 221 routes of the corpus, written as a user would: compiling is the test. Some come from
/// reference pages of 2021 and are in no route list of Graph's SDKs, so they warn (and
/// `scripts/corpus_routes.sh` counts why); the sample is generated, so the warnings are
/// allowed here rather than each route marked `unlisted`.
#[allow(deprecated)]
#[path = "ui/pass/corpus_sample.rs"]
mod corpus_sample;
#[path = "ui/pass/hygiene.rs"]
mod hygiene;
#[allow(dead_code)]
#[path = "ui/pass/no_implicit_prelude.rs"]
mod no_implicit_prelude;
#[allow(dead_code)]
#[path = "ui/pass/seeds.rs"]
mod seed_examples;
#[allow(dead_code)]
#[path = "ui/pass/segment_forms.rs"]
mod segment_forms;

#[test]
fn compile_fail() {
    trybuild::TestCases::new().compile_fail("tests/ui/fail/*.rs");
}

/// Generated code works in a module that shadows the names it might otherwise rely on.
#[test]
fn hygiene() {
    hygiene::main();
}

/// Generated code works in a module without the prelude.
#[test]
fn no_implicit_prelude() {
    no_implicit_prelude::main();
}

/// The seed operations, as a user writes them (the examples' definitions), and their builders.
#[test]
fn seeds() {
    seed_examples::main();
}

/// Every segment shape real Graph routes use.
#[test]
fn segment_forms() {
    segment_forms::main();
}

/// Each file under `tests/ui/pass/` is one of this test's modules: none is left out.
#[test]
fn every_pass_file_is_compiled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/pass");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/ui/pass")
        .map(|entry| entry.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, ["corpus_sample.rs", "hygiene.rs", "no_implicit_prelude.rs", "seeds.rs", "segment_forms.rs"]);
}
