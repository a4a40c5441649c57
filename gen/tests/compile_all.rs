//! Generates models for every entity and complex type of Microsoft's v1.0 metadata into a
//! scratch crate and checks that it compiles (`cargo check`, with its own target directory:
//! a nested cargo on this build's target directory would wait on its lock forever).
//!
//! The scratch crate's target directory is kept between runs, so only the first run builds
//! the dependencies (graph-endpoint, serde, serde_json).
//!
//! The models are generated with polymorphic enums (`#[graph_endpoint::polymorphic]`), as the
//! generator does by default; the `--no-polymorphic` output is checked to generate and parse.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[test]
fn every_v1_type_compiles() {
    let loaded = common::v1();
    let options = graph_endpoint_gen::Options {
        all_types: true,
        metadata_name: "v1.0.csdl".into(),
        metadata_digest: loaded.digest.clone(),
        command_line: "--metadata v1.0.csdl --all".into(),
        ..Default::default()
    };
    let started = Instant::now();
    let generated = graph_endpoint_gen::generate(&loaded.meta, &options).unwrap();
    let generating = started.elapsed();
    let lines = generated.code.lines().count();
    println!(
        "generated every v1.0 type: {lines} lines ({} structs, {} enums, {} polymorphic enums) in {generating:.2?}",
        generated.structs, generated.enums, generated.polymorphic
    );
    assert!(generated.structs > 2500, "every entity and complex type: {}", generated.structs);
    assert!(generated.polymorphic > 100, "every abstract type with subtypes: {}", generated.polymorphic);
    assert_eq!(common::check_polymorphic_enums(&generated.code), generated.polymorphic);

    // Without polymorphic enums the output must generate and parse as well (it is formatted
    // through syn), with none of the attribute.
    let structs =
        graph_endpoint_gen::generate(&loaded.meta, &graph_endpoint_gen::Options { polymorphic: false, ..options.clone() }).unwrap();
    println!("with --no-polymorphic: {} lines, {} structs", structs.code.lines().count(), structs.structs);
    assert_eq!(structs.polymorphic, 0);
    assert!(!structs.code.contains("#[graph_endpoint::polymorphic]"));

    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gen-scratch");
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    write_if_changed(
        &scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"gen-scratch\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             graph-endpoint = {{ path = {:?} }}\n\n[workspace]\n",
            workspace.display().to_string()
        ),
    );
    // The workspace's lock file: the same dependency versions, no resolution from the index.
    // Files are written only when they change, so that a rerun with nothing new is a no-op for
    // cargo (which replays the warnings it recorded).
    write_if_changed(&scratch.join("Cargo.lock"), std::fs::read(workspace.join("Cargo.lock")).unwrap());
    write_if_changed(&scratch.join("src/lib.rs"), generated.code.as_bytes());

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--message-format=short", "--target-dir"])
        .arg(scratch.join("target"))
        .current_dir(&scratch)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let checking = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("cargo check of the scratch crate: {checking:.2?}");
    assert!(output.status.success(), "the generated models do not compile:\n{}", stderr.lines().take(60).collect::<Vec<_>>().join("\n"));
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "the generated models compile with warnings:\n{}", warnings.join("\n"));
}

fn write_if_changed(path: &Path, contents: impl AsRef<[u8]>) {
    let contents = contents.as_ref();
    if std::fs::read(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap();
    }
}
