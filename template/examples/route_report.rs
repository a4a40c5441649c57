//! Checks a route corpus against a route index and counts what warns, and why.
//!
//! ```text
//! cargo run -p graph-endpoint-template --example route_report -- INDEX ROUTES.tsv [EXAMPLES]
//! ```
//!
//! INDEX is a binary index (`macros/src/routes/graph-routes.idx`) or a route file; ROUTES.tsv
//! has `method<TAB>template<TAB>version<TAB>source` rows after a header (the corpus in
//! `macros/tests/data/graph-routes.tsv`). Rows the template parser refuses are counted apart.

use graph_endpoint_template::parse;
use graph_endpoint_template::routes::{FindingKind, Method, RouteIndex, Version};
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [index, routes, rest @ ..] = args.as_slice() else {
        eprintln!("usage: route_report INDEX ROUTES.tsv [EXAMPLES]");
        std::process::exit(2);
    };
    let examples: usize = rest.first().and_then(|n| n.parse().ok()).unwrap_or(3);
    let bytes = std::fs::read(index).expect("index");
    let index = RouteIndex::decode(&bytes)
        .or_else(|_| RouteIndex::from_route_file(&String::from_utf8_lossy(&bytes), index).map_err(|e| e.join("; ")))
        .expect("a route index or route file");
    // What the first definition of a compile pays: reading the index (median of 21).
    let mut decodes: Vec<f64> = (0..21)
        .map(|_| {
            let start = Instant::now();
            let decoded = RouteIndex::decode(&bytes).map(|i| i.route_paths());
            std::hint::black_box(decoded.ok());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    decodes.sort_by(f64::total_cmp);
    let text = std::fs::read_to_string(routes).expect("routes");
    let started = Instant::now();
    let mut counts: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let (mut rows, mut malformed, mut listed) = (0, 0, 0);
    for line in text.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let (Some(method), Some(template)) = (columns.first().and_then(|m| Method::from_name(m)), columns.get(1)) else { continue };
        let version = columns.get(2).and_then(|v| Version::from_name(v));
        let source = if columns.get(3).is_some_and(|s| s.contains("sdk-go")) { "sdk" } else { "docs" };
        rows += 1;
        let Ok(parsed) = parse(template) else {
            malformed += 1;
            continue;
        };
        let Some(finding) = index.check(method, &parsed, version) else {
            listed += 1;
            continue;
        };
        let reason = reason(template, finding.kind(), finding.message());
        let row = format!("{} {template} ({})", method.name(), version.map_or("-", |v| v.name()));
        counts.entry((reason, source.to_owned())).or_default().push(row);
    }
    let elapsed = started.elapsed().as_secs_f64() * 1e6;
    let warned: usize = counts.values().map(Vec::len).sum();
    println!("{rows} rows: {malformed} refused by the parser, {listed} listed, {warned} warn");
    println!(
        "index: {} bytes, {} paths, read in {:.2} ms (median); parse and check: {:.1} µs a row on average",
        bytes.len(),
        index.route_paths(),
        decodes[decodes.len() / 2],
        elapsed / (rows - malformed).max(1) as f64
    );
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for ((reason, _), rows) in &counts {
        *by_reason.entry(reason).or_default() += rows.len();
    }
    let mut ordered: Vec<(&str, usize)> = by_reason.into_iter().collect();
    ordered.sort_by_key(|&(_, rows)| std::cmp::Reverse(rows));
    println!("\n| why | rows | from docs | from SDKs |\n|---|---|---|---|");
    for (reason, n) in &ordered {
        let docs = counts.get(&((*reason).to_owned(), "docs".to_owned())).map_or(0, Vec::len);
        let sdk = counts.get(&((*reason).to_owned(), "sdk".to_owned())).map_or(0, Vec::len);
        println!("| {reason} | {n} | {docs} | {sdk} |");
    }
    for (reason, _) in &ordered {
        println!("\n{reason}:");
        for source in ["docs", "sdk"] {
            for row in counts.get(&((*reason).to_owned(), source.to_owned())).into_iter().flatten().step_by(7).take(examples) {
                println!("  {row}");
            }
        }
    }
}

/// Why a row warns, in a few words.
fn reason(template: &str, kind: FindingKind, message: &str) -> String {
    let lower = template.to_ascii_lowercase();
    match kind {
        FindingKind::MethodNotOffered => "the path is listed, not with this method".into(),
        FindingKind::OtherVersion => "listed in the other version only".into(),
        _ if lower.contains("root:") || lower.contains("}:") => "colon addressing (`root:/{path}:`)".into(),
        _ if lower.contains("/microsoft.graph.") && lower.starts_with("/devicemanagement/deviceconfigurations/") => {
            "navigation through a cast under deviceConfigurations".into()
        }
        _ if lower.contains("/microsoft.graph.") || lower.contains("/graph.") => "a cast or namespaced segment the lists lack".into(),
        _ if template.chars().filter(|c| *c == '-').count() >= 4 && template.bytes().any(|b| b.is_ascii_digit()) => {
            "a literal id instead of a parameter".into()
        }
        _ if message.contains("no known route starts with") => "a first segment no list has (retired or renamed API)".into(),
        _ if message.contains("did you mean") => "one segment away from a listed route".into(),
        _ => "a segment the lists lack".into(),
    }
}
