//! The corpus of real Graph routes (`tests/data/graph-routes.tsv`): every well-formed route
//! parses, and is expressible as a definition that expands without errors; the malformed ones
//! get the error that names what is wrong with them.

use graph_endpoint_template::{ErrorKind, parse};
use proc_macro2::TokenStream;

const CORPUS: &str = include_str!("../../tests/data/graph-routes.tsv");

/// `(method, template, version)` rows.
fn routes() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    CORPUS.lines().skip(1).map(|line| {
        let mut columns = line.split('\t');
        let mut next = || columns.next().expect("method, template, version");
        (next(), next(), next())
    })
}

#[test]
fn graph_route_corpus() {
    let (mut parsed, mut rejected) = (0, 0);
    for (_, template, _) in routes() {
        let malformed = template.ends_with('/') || template.contains(' ') || has_repeated_param(template);
        match parse(template) {
            Ok(t) => {
                assert!(!malformed, "{template} should be rejected");
                assert_eq!(t.render(), template);
                parsed += 1;
            }
            Err(errors) => {
                assert!(malformed, "{template}: {errors:?}");
                for error in &errors {
                    assert!(
                        matches!(error.kind, ErrorKind::TrailingSlash | ErrorKind::Whitespace | ErrorKind::DuplicateParam(_)),
                        "{template}: {error}"
                    );
                }
                rejected += 1;
            }
        }
    }
    assert_eq!(parsed + rejected, 13_921);
    assert_eq!(rejected, 715);
}

/// Each well-formed route, written as a user would (one field per parameter, named by the
/// binding rule; bound explicitly where two parameters would take one name), expands cleanly.
#[test]
fn well_formed_routes_are_expressible() {
    let mut expressed = 0;
    for (method, template, version) in routes() {
        let Ok(parsed) = parse(template) else { continue };
        let names: Vec<String> = parsed.params().map(|p| super::bind::expected_field(p.name())).collect();
        let distinct = names.iter().enumerate().all(|(i, n)| !names[..i].contains(n));
        let fields: Vec<String> = parsed
            .params()
            .zip(&names)
            .enumerate()
            .map(|(i, (param, name))| match syn::parse_str::<syn::Ident>(name) {
                Ok(_) if distinct => format!("pub {name}: String"),
                _ => format!("#[graph(path = {:?})] pub p{i}: String", param.name()),
            })
            .collect();
        let args: TokenStream = format!("{method} {template:?}, version = {version:?}").parse().expect("arguments lex");
        let item: TokenStream = format!("pub struct Route {{ {} }}", fields.join(", ")).parse().expect("item lexes");
        let out = super::expand(args, item).to_string();
        assert!(!out.contains("compile_error"), "{method} {template}: {out}");
        expressed += 1;
    }
    assert_eq!(expressed, 13_921 - 715);
}

fn has_repeated_param(template: &str) -> bool {
    let names: Vec<&str> = template.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
    names.iter().enumerate().any(|(i, n)| names[..i].contains(n))
}
