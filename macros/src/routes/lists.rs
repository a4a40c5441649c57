//! The built-in index against the route lists it is built from (`tests/data/routes`): every
//! row verifies without a warning, in its version, and the index is what the lists give.

use super::BUILT_IN;
use graph_endpoint_template::parse;
use graph_endpoint_template::routes::{IndexBuilder, Method, RouteIndex, Version};
use std::io::Read;

fn list(name: &str) -> String {
    let path = format!("{}/tests/data/routes/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).expect("gzip");
    text
}

fn rows(text: &str) -> impl Iterator<Item = (Method, &str)> {
    text.lines().skip(1).map(|line| {
        let (method, template) = line.split_once('\t').expect("method, template");
        (Method::from_name(method).expect("method"), template)
    })
}

#[test]
fn every_listed_route_verifies() {
    let index = RouteIndex::decode(BUILT_IN).expect("the built-in index reads");
    for (version, file, count) in [(Version::V1, "v1.0.tsv.gz", 14_408), (Version::Beta, "beta.tsv.gz", 26_953)] {
        let text = list(file);
        let mut checked = 0;
        for (method, template) in rows(&text) {
            let parsed = parse(template).unwrap_or_else(|e| panic!("{template}: {e:?}"));
            if let Some(finding) = index.check(method, &parsed, Some(version)) {
                panic!("{} {template} ({}): {}", method.name(), version.name(), finding.message());
            }
            checked += 1;
        }
        assert_eq!(checked, count, "{file}");
    }
}

#[test]
fn the_index_is_built_from_the_lists() {
    let index = RouteIndex::decode(BUILT_IN).expect("the built-in index reads");
    assert!(index.sources().contains("microsoftgraph/msgraph-sdk-go 991a166507b8b3115479c484d22e824354ca9075"), "{}", index.sources());
    assert!(index.sources().contains("microsoftgraph/msgraph-beta-sdk-go 35eb93e999594204e5c881d8ad22664dce7dba50"), "{}", index.sources());
    let mut builder = IndexBuilder::new();
    for line in index.sources().lines() {
        builder.source(line);
    }
    for (version, file) in [(Version::V1, "v1.0.tsv.gz"), (Version::Beta, "beta.tsv.gz")] {
        let text = list(file);
        for (method, template) in rows(&text) {
            builder.add(Some(version), method, template).expect("a listed template");
        }
    }
    // Run scripts/route_index.sh when this fails: the embedded index is stale.
    assert!(builder.finish().encode() == BUILT_IN, "graph-routes.idx is not what the lists build");
}
