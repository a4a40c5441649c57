//! How the attribute reports a template's errors: the parser's message, plus what to declare
//! instead of a query string (a field per option with its exact key, and the request
//! builder's method when it has one).

use graph_endpoint_template::{ErrorKind, TemplateError};
use heck::ToSnakeCase;

/// The message of a template error at the attribute.
pub fn message(error: &TemplateError) -> String {
    match &error.kind {
        ErrorKind::QueryString(query) => format!("{error}: {}", query_advice(query)),
        ErrorKind::AbsoluteUrl { query: Some(query), .. } => format!("{error}; for its query string, {}", query_advice(query)),
        _ => error.to_string(),
    }
}

/// What to write instead of a query string in a template: a field per option, with its exact
/// key (`$filter`, not `filter`), and the request builder's method when it has one.
fn query_advice(query: &str) -> String {
    const MAX: usize = 4;
    let keys = query_keys(query);
    if keys.is_empty() {
        return "declare each query option as a field, e.g. `#[graph(query = \"$filter\")] pub filter: Option<String>`".to_owned();
    }
    let fields: Vec<String> = keys
        .iter()
        .take(MAX)
        .map(|key| format!("`#[graph(query = \"{key}\")] pub {}: Option<{}>`", query_field_name(key), query_field_type(key)))
        .collect();
    let more = if keys.len() > MAX { ", ..." } else { "" };
    let (it, declare) = if keys.len() == 1 { ("it", "declare the option as a field") } else { ("them", "declare each option as a field") };
    let calls: Option<Vec<&str>> = keys.iter().map(|key| request_builder_method(key)).collect();
    let call_site = match calls {
        Some(calls) => {
            let calls: String = calls.iter().take(MAX).map(|m| format!(".{m}(..)")).collect();
            format!(", or set {it} where the request is sent: `client.request(&endpoint){calls}`")
        }
        None => String::new(),
    };
    format!("{declare}: {}{more}{call_site}", fields.join(", "))
}

/// The keys of a query string that could be sent as written, each once, in order.
fn query_keys(query: &str) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for pair in query.split('&') {
        let key = pair.split('=').next().unwrap_or_default().trim();
        let sendable = !key.is_empty() && !key.chars().any(|c| c.is_whitespace() || c.is_control() || "&=#?+{}\"'`\\".contains(c));
        if sendable && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The field names `query_advice` suggests for a query string's options, without `r#`.
pub fn query_field_names(query: &str) -> Vec<String> {
    query_keys(query).into_iter().map(|key| query_field_name(key).trim_start_matches("r#").to_owned()).collect()
}

/// The OData system query option a field of this name most likely means: `filter` → `$filter`.
pub fn odata_option(field: &str) -> Option<&'static str> {
    Some(match field {
        "select" => "$select",
        "expand" => "$expand",
        "filter" => "$filter",
        "orderby" | "order_by" => "$orderby",
        "top" => "$top",
        "skip" => "$skip",
        "count" => "$count",
        "search" => "$search",
        _ => return None,
    })
}

/// `$filter` → `filter`, `api-version` → `api_version`; `value` when no identifier comes out.
fn query_field_name(key: &str) -> String {
    let name = key.trim_start_matches(['$', '@']).to_snake_case();
    let is_ident = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_";
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
        "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use",
        "where", "while", "gen",
    ];
    match name.as_str() {
        _ if !is_ident => "value".to_owned(),
        "self" | "super" | "crate" => "value".to_owned(),
        keyword if KEYWORDS.contains(&keyword) => format!("r#{keyword}"),
        _ => name,
    }
}

fn query_field_type(key: &str) -> &'static str {
    match key.to_ascii_lowercase().as_str() {
        "$top" | "$skip" => "u32",
        "$count" => "bool",
        _ => "String",
    }
}

/// The `RequestBuilder` method that sets an OData system query option.
fn request_builder_method(key: &str) -> Option<&'static str> {
    Some(match key.to_ascii_lowercase().as_str() {
        "$select" => "select",
        "$expand" => "expand",
        "$filter" => "filter",
        "$orderby" => "orderby",
        "$top" => "top",
        "$skip" => "skip",
        "$count" => "count",
        "$search" => "search",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use graph_endpoint_template::parse;

    fn first_message(src: &str) -> String {
        message(&parse(src).unwrap_err()[0])
    }

    /// A query string is one error, naming each option's exact key, whatever it contains.
    #[test]
    fn query_strings() {
        let filter = first_message("/users?$filter=x");
        assert!(filter.contains("`#[graph(query = \"$filter\")] pub filter: Option<String>`"), "{filter}");
        assert!(filter.contains("`client.request(&endpoint).filter(..)`"), "{filter}");
        let two = first_message("/users?$top=5&$count=true");
        assert!(
            two.contains("pub top: Option<u32>") && two.contains("pub count: Option<bool>") && two.contains(".top(..).count(..)"),
            "{two}"
        );
        let custom = first_message("/reports?api-version=2&type=x");
        assert!(
            custom.contains("query = \"api-version\")] pub api_version")
                && custom.contains("pub r#type")
                && !custom.contains("client.request"),
            "{custom}"
        );
        assert!(first_message("/users?").contains("e.g. `#[graph(query = \"$filter\")]"));
        assert!(first_message("/users#top").contains("fragment `#top`"));
    }

    /// A pasted URL with a query string says what to write for both.
    #[test]
    fn absolute_urls_with_a_query() {
        let url = first_message("https://graph.microsoft.com/beta/users?$top=5");
        assert!(url.contains("write `/users` and `version = \"beta\"`"), "{url}");
        assert!(
            url.contains("; for its query string, declare the option as a field: `#[graph(query = \"$top\")] pub top: Option<u32>`"),
            "{url}"
        );
        assert_eq!(
            first_message("https://graph.microsoft.com/beta/users"),
            parse("https://graph.microsoft.com/beta/users").unwrap_err()[0].to_string()
        );
    }

    #[test]
    fn field_names_for_query_keys() {
        assert_eq!(query_field_names("$filter=a&$top=1&$filter=b&api-version=2&type=x&=y&a b=c"), ["filter", "top", "api_version", "type"]);
        assert_eq!(odata_option("order_by"), Some("$orderby"));
        assert_eq!(odata_option("colour"), None);
    }
}
