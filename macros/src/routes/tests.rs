//! Which routes a compile checks against: the built-in index, or the file
//! `GRAPH_ENDPOINT_ROUTES` names (the variable's value is passed in, not set: tests share the
//! process's environment).

use super::{load_from, tracking_of};
use graph_endpoint_template::parse;
use graph_endpoint_template::routes::{Method, Version};

#[test]
fn the_built_in_index_without_the_variable() {
    for variable in [None, Some("".into())] {
        let routes = load_from(variable);
        assert!(routes.file.is_none() && routes.problem.is_none());
        let index = routes.index.expect("the built-in index");
        assert!(index.sources().contains("msgraph-sdk-go"));
        // Only the variable is tracked.
        let tokens = tracking_of(&load_from(None)).to_string();
        assert!(tokens.contains("option_env") && !tokens.contains("include_bytes"), "{tokens}");
    }
}

#[test]
fn a_users_route_file() {
    let path = std::env::temp_dir().join(format!("graph-endpoint-routes-{}.tsv", std::process::id()));
    std::fs::write(&path, "method\ttemplate\tversion\nPATCH\t/deviceManagement/deviceConfigurations/{id}/assignments\tbeta\n").unwrap();
    let routes = load_from(Some(path.clone().into()));
    std::fs::remove_file(&path).unwrap();
    assert!(routes.problem.is_none(), "{:?}", routes.problem);
    assert_eq!(routes.file.as_deref(), Some(path.as_path()));
    let index = routes.index.as_ref().expect("the file's index");
    let collection = parse("/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments").unwrap();
    assert!(index.check(Method::Patch, &collection, Some(Version::Beta)).is_none());
    // Only what the file lists: the built-in index is not consulted.
    assert!(index.check(Method::Get, &parse("/users").unwrap(), Some(Version::Beta)).is_some());
    // The file is tracked, by its absolute path.
    let tokens = tracking_of(&routes).to_string();
    assert!(tokens.contains("include_bytes") && tokens.contains(&format!("{:?}", path.to_str().unwrap())), "{tokens}");
}

#[test]
fn an_unreadable_route_file_falls_back_to_the_built_in_index() {
    let routes = load_from(Some("/nonexistent/graph-routes.tsv".into()));
    assert!(routes.file.is_none());
    let problem = routes.problem.expect("a problem");
    assert!(problem.starts_with("GRAPH_ENDPOINT_ROUTES=/nonexistent/graph-routes.tsv: cannot read it"), "{problem}");
    assert!(routes.index.is_some());

    let path = std::env::temp_dir().join(format!("graph-endpoint-bad-routes-{}.tsv", std::process::id()));
    std::fs::write(&path, "FETCH\t/x\n").unwrap();
    let routes = load_from(Some(path.clone().into()));
    std::fs::remove_file(&path).unwrap();
    assert!(routes.problem.expect("a problem").contains("line 1: unknown method `FETCH`"));
}
