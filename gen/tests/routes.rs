//! `graph-endpoint-gen routes`: the routes Microsoft's v1.0 metadata defines, against the route
//! list of Microsoft's v1.0 SDK (kept with the attribute's route index in
//! `macros/tests/data/routes`), and the route file the subcommand writes.

mod common;

use graph_endpoint_gen::routes::{RouteOptions, routes};
use graph_endpoint_template::parse;
use graph_endpoint_template::routes::{IndexBuilder, Method, RouteIndex, Version};
use std::io::Read as _;

fn v1_list() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../macros/tests/data/routes/v1.0.tsv.gz");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).expect("gzip");
    text
}

/// Most of the SDK's v1.0 routes come out of the metadata (the rest are deeper than the walk
/// goes, or reached through functions that return entities and references followed further
/// than their `$ref`), and the walk adds what the SDK leaves out: navigation through casts.
#[test]
fn the_v1_metadata_reproduces_most_of_the_sdk_list() {
    let found = routes(&common::v1().meta, RouteOptions::default());
    let mut builder = IndexBuilder::new();
    for (template, method) in &found {
        builder.add(Some(Version::V1), *method, template).unwrap_or_else(|e| panic!("{template}: {e}"));
    }
    let index = builder.finish();
    let list = v1_list();
    let (mut rows, mut reproduced) = (0, 0);
    for line in list.lines().skip(1) {
        let (method, template) = line.split_once('\t').expect("method, template");
        let method = Method::from_name(method).expect("method");
        rows += 1;
        if index.check(method, &parse(template).expect("a listed template"), Some(Version::V1)).is_none() {
            reproduced += 1;
        }
    }
    eprintln!("{} routes generated; {reproduced} of the SDK list's {rows} rows reproduced", found.len());
    assert_eq!(rows, 14_408);
    assert!(reproduced >= 11_000, "{reproduced}");

    let has = |method: Method, template: &str| found.contains(&(template.to_owned(), method));
    // Entity sets and items, `$count`, casts, bound actions and functions, `$ref`, `$value`.
    assert!(has(Method::Post, "/users"));
    assert!(has(Method::Delete, "/users/{user-id}"));
    assert!(has(Method::Get, "/deviceManagement/deviceConfigurations/$count"));
    assert!(has(Method::Post, "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assign"));
    assert!(has(
        Method::Patch,
        "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/assignments/{deviceConfigurationAssignment-id}"
    ));
    assert!(has(Method::Get, "/deviceAppManagement/mobileApps/{mobileApp-id}/graph.iosLobApp"));
    assert!(has(Method::Get, "/reports/getOffice365ActiveUserDetail(period='{period}')"));
    assert!(has(Method::Get, "/users/delta()"));
    assert!(has(Method::Post, "/groups/{group-id}/members/$ref"));
    assert!(has(Method::Delete, "/groups/{group-id}/members/{directoryObject-id}/$ref"));
    assert!(has(Method::Put, "/users/{user-id}/photo/$value"));
    // Navigation a derived type adds, which the SDK's list leaves out.
    let through_casts =
        found.iter().filter(|(t, _)| t.starts_with("/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/graph.")).count();
    assert!(through_casts >= 20, "{through_casts}");
}

/// The subcommand writes a route file the attribute reads.
#[test]
fn the_subcommand_writes_a_route_file() {
    let out = std::env::temp_dir().join(format!("graph-endpoint-gen-routes-{}.tsv", std::process::id()));
    let args: Vec<String> =
        ["--metadata", common::BETA_FIXTURE, "--out", out.to_str().unwrap(), "--depth", "3"].iter().map(|a| a.to_string()).collect();
    let done = graph_endpoint_gen::route_cli::run("routes", &args).unwrap();
    assert!(done.contains("routes"), "{done}");
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert!(text.starts_with("# graph-endpoint-gen routes --metadata beta-fixture.csdl --version beta --depth 3\n"), "{text}");
    let index = RouteIndex::from_route_file(&text, "test").unwrap();
    let template = parse("/deviceManagement/deviceConfigurations/{id}/assignments/{aid}").unwrap();
    assert!(index.check(Method::Patch, &template, Some(Version::Beta)).is_none(), "{text}");
    assert!(index.check(Method::Patch, &template, Some(Version::V1)).is_some());
    // Seed 003's routes: navigation a derived type adds, followed to the referenced
    // certificate's own assignments, which no SDK route list has.
    for route in [
        "/deviceManagement/deviceConfigurations/{id}/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/{aid}",
        "/deviceManagement/deviceConfigurations/{id}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/{cid}/assignments/{aid}",
    ] {
        assert!(index.check(Method::Patch, &parse(route).unwrap(), Some(Version::Beta)).is_none(), "{route}\n{text}");
    }
    // Refused arguments.
    let refused = graph_endpoint_gen::route_cli::run("routes", &["--out".to_owned(), "x".to_owned()]).unwrap_err();
    assert!(refused.contains("--metadata"), "{refused}");
    let refused = graph_endpoint_gen::route_cli::run("route-index", &["--list".to_owned(), "v2=x".to_owned()]).unwrap_err();
    assert!(refused.contains("unknown version `v2`"), "{refused}");
}
