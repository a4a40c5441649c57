//! Property-test input generators: template-like text, and whole `#[graph_endpoint]` inputs
//! (arguments and items) as source text that always lexes, so that every case reaches the
//! macro rather than the tokenizer.

use proptest::prelude::*;
use proptest::sample::select;

/// Text built from what templates (and the usual paste mistakes) are made of, so that most
/// inputs reach deep into the parser rather than failing on the first character: version
/// prefixes and URLs in front, then braces, quotes, parentheses, query strings, spaces,
/// percent signs and unicode.
pub fn template_like() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        6 => Just(""),
        3 => Just("/"),
        1 => select(vec![
            "beta", "beta/", "/beta", "/beta/", "v1.0", "v1.0/", "/v1.0/", "/V1.0/", "Beta/", "https://graph.microsoft.com/",
            "https://graph.microsoft.com/v1.0/", "https://graph.microsoft.com/beta", "graph.microsoft.com/beta/", "//", "http://", "://",
        ]),
    ];
    let part = prop_oneof![
        8 => select(vec![
            "/", "{", "}", "(", ")", "'", "''", "$", "%2F", "%", "%z", "=", "?", "#", "&", "\"", " ", "//", ":", ",", "\\", "`",
        ])
        .prop_map(str::to_owned),
        4 => "[a-zA-Z0-9._:@,-]{1,8}",
        2 => select(vec!["{userId}", "{user-id}", "('{id}')", "(key='{k}')", "$filter=x", "$value", "beta", "v1.0", "{}", "{1a}"])
            .prop_map(str::to_owned),
        2 => "\\PC{1,2}",
        1 => select(vec!["ü", "用户", "🦀", "\u{301}", "\u{0}", "\t", "\n", "\u{a0}", "\u{200b}", "ᠠ", "\u{feff}"]).prop_map(str::to_owned),
    ];
    (prefix, proptest::collection::vec(part, 0..24)).prop_map(|(prefix, parts)| format!("{prefix}{}", parts.concat()))
}

/// A string literal as Rust source: `Debug` escapes whatever the text holds.
fn string_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => template_like().prop_map(|s| format!("{s:?}")),
        1 => select(vec!["\"v1.0\"", "\"beta\"", "\"v2\"", "\"\"", "r\"/users/{id}\"", "r#\"/a\"b\"#", "\"/x\"suffix", "\"$filter\""])
            .prop_map(str::to_owned),
        1 => any::<String>().prop_map(|s| format!("{s:?}")),
    ]
}

fn ident() -> impl Strategy<Value = String> {
    select(vec![
        "GET", "POST", "PUT", "PATCH", "DELETE", "get", "Patch", "FETCH", "HEAD", "idempotent", "version", "response", "path", "query",
        "header", "body", "method", "url", "crate", "self", "r#type", "naïve", "用户", "_", "x",
    ])
    .prop_map(str::to_owned)
}

fn punct() -> impl Strategy<Value = String> {
    select(vec!["=", ",", "<", ">", "::", "#", "?", "&", ";", ":", "!", "-", "..", "=>", "'a", "1", "0x1F", "1.5", "2u8", "true", "'c'"])
        .prop_map(str::to_owned)
}

/// A type as a field or `response = ...` would write it, well-formed or not.
fn ty() -> impl Strategy<Value = String> {
    select(vec![
        "String", "Option<String>", "u32", "Vec<u8>", "Vec<&'static str>", "Option<Option<u8>>", "&'static str", "::std::option::Option<u32>",
        "std::option::Option<bool>", "core::option::Option<char>", "T", "__S0", "()", "[u8; 4]", "fn()", "Option", "Option<>", "Option<u8, u8>",
        "<T as X>::Y", "Box<dyn Fn()>", "HashMap<String, u32>", "!", "_", "impl X", "dyn X",
    ])
    .prop_map(str::to_owned)
}

/// Loose tokens, with balanced groups nested a little.
fn tokens() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![ident(), punct(), string_literal(), ty()];
    leaf.prop_recursive(2, 12, 4, |inner| {
        (select(vec![("(", ")"), ("[", "]"), ("{", "}")]), proptest::collection::vec(inner, 0..4))
            .prop_map(|((open, close), parts)| format!("{open} {} {close}", parts.join(" ")))
    })
}

/// One argument of `#[graph_endpoint(...)]` or of a variant's `#[graph(...)]`.
fn argument() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (ident(), string_literal()).prop_map(|(method, template)| format!("{method} {template}")),
        2 => string_literal(),
        2 => prop_oneof![string_literal(), ident(), tokens()].prop_map(|value| format!("version = {value}")),
        2 => prop_oneof![ty(), tokens()].prop_map(|value| format!("response = {value}")),
        2 => select(vec!["idempotent", "idempotent = true", "idempotent = false", "idempotent()", "idempotent \"/x\"", "idempotent idempotent"])
            .prop_map(str::to_owned),
        1 => (ident(), tokens()).prop_map(|(key, value)| format!("{key} = {value}")),
        1 => tokens(),
    ]
}

/// The arguments, mostly comma-separated, sometimes with stray punctuation between them.
pub fn arguments() -> impl Strategy<Value = String> {
    proptest::collection::vec((argument(), prop_oneof![6 => Just(",".to_owned()), 1 => punct(), 1 => Just(String::new())]), 0..5)
        .prop_map(|parts| parts.into_iter().map(|(arg, sep)| format!("{arg}{sep} ")).collect())
}

fn field_name() -> impl Strategy<Value = String> {
    select(vec![
        "user_id", "id", "item_id", "filter", "maybe_filter", "body", "build", "builder", "value", "__path", "__query", "__headers",
        "__body", "__required", "__target", "__S0", "r#type", "r#build", "naïve", "select", "device_configuration_id", "x", "maybe_x",
        "maybe_", "_",
    ])
    .prop_map(str::to_owned)
}

fn role() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(vec![
            "body", "query", "query = \"$filter\"", "query = \"\"", "query = \"a&b\"", "header = \"ConsistencyLevel\"", "header = \"Authorization\"",
            "header = \"bad name\"", "path = \"userId\"", "path = \"nope\"", "path", "skip", "body, query", "query = 1", "header", "a::b",
        ])
        .prop_map(str::to_owned),
        1 => tokens(),
    ]
}

fn field() -> impl Strategy<Value = String> {
    (proptest::collection::vec(role(), 0..3), select(vec!["", "pub ", "pub(crate) "]), field_name(), ty()).prop_map(|(roles, vis, name, ty)| {
        let attrs: String = roles.iter().map(|r| format!("#[graph({r})] ")).collect();
        format!("{attrs}{vis}{name}: {ty}")
    })
}

fn fields() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::collection::vec(field(), 0..5).prop_map(|fields| format!("{{ {} }}", fields.join(", "))),
        1 => Just(";".to_owned()),
        1 => Just("(String);".to_owned()),
        1 => tokens().prop_map(|t| format!("{{ {t} }}")),
    ]
}

/// Outer attributes of an item or variant: `#[graph(...)]` with arguments, and others.
fn attributes() -> impl Strategy<Value = String> {
    let one = prop_oneof![
        4 => arguments().prop_map(|args| format!("#[graph({args})]")),
        1 => select(vec!["#[graph]", "#[graph = \"x\"]", "#[doc = \"x\"]", "#[derive(Debug)]", "#[serde(rename_all = \"camelCase\")]"])
            .prop_map(str::to_owned),
    ];
    proptest::collection::vec(one, 0..3).prop_map(|attrs| attrs.join(" "))
}

fn generics() -> impl Strategy<Value = String> {
    select(vec!["", "", "", "<T>", "<'a>", "<T: Clone>", "<const N: usize>", "<__S0>", "<T = u8>", "<T> where T: Clone"]).prop_map(str::to_owned)
}

fn variant() -> impl Strategy<Value = String> {
    (attributes(), select(vec!["Root", "Wifi", "A", "r#Type"]), prop_oneof![
        4 => proptest::collection::vec(field(), 0..4).prop_map(|fields| format!("{{ {} }}", fields.join(", "))),
        1 => Just(String::new()),
        1 => Just("(u8)".to_owned()),
        1 => Just(" = 1".to_owned()),
    ])
        .prop_map(|(attrs, name, fields)| format!("{attrs} {name} {fields}"))
}

/// The item under the attribute: structs and enums mostly, with the odd union, function or
/// loose tokens.
pub fn item() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (attributes(), select(vec!["", "pub "]), generics(), fields()).prop_map(|(attrs, vis, generics, fields)| {
            // A `where` clause goes after the fields of a braced struct.
            let (params, clause) = generics.split_once(" where").map_or((generics.as_str(), ""), |(p, w)| (p, w));
            let clause = if clause.is_empty() { String::new() } else { format!("where{clause}") };
            format!("{attrs} {vis}struct Endpoint{params} {clause} {fields}")
        }),
        4 => (attributes(), generics(), proptest::collection::vec(variant(), 0..4)).prop_map(|(attrs, generics, variants)| {
            let params = generics.split(" where").next().unwrap_or_default();
            format!("{attrs} pub enum Endpoint{params} {{ {} }}", variants.join(", "))
        }),
        1 => select(vec!["union U { a: u8 }", "fn f() {}", "struct", "", "pub struct S<T>(T);", "enum E {}"]).prop_map(str::to_owned),
        1 => tokens(),
    ]
}
