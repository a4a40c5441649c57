//! Property-test input generators: whole `#[graph_endpoint]` inputs (arguments and items) as
//! source text that always lexes, so that every case reaches the macro rather than the
//! tokenizer. Templates come from `graph_endpoint_template::strategies`.

use graph_endpoint_template::strategies::template_like;
use proptest::prelude::*;
use proptest::sample::select;

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
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "get",
        "Patch",
        "FETCH",
        "HEAD",
        "idempotent",
        "version",
        "response",
        "path",
        "query",
        "header",
        "body",
        "method",
        "url",
        "crate",
        "self",
        "r#type",
        "naïve",
        "用户",
        "_",
        "x",
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
        "String",
        "Option<String>",
        "u32",
        "Vec<u8>",
        "Vec<&'static str>",
        "Option<Option<u8>>",
        "&'static str",
        "::std::option::Option<u32>",
        "std::option::Option<bool>",
        "core::option::Option<char>",
        "T",
        "__S0",
        "()",
        "[u8; 4]",
        "fn()",
        "Option",
        "Option<>",
        "Option<u8, u8>",
        "<T as X>::Y",
        "Box<dyn Fn()>",
        "HashMap<String, u32>",
        "!",
        "_",
        "impl X",
        "dyn X",
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
    let method = prop_oneof![4 => select(vec!["GET", "POST", "PUT", "PATCH", "DELETE"]).prop_map(str::to_owned), 1 => ident()];
    prop_oneof![
        6 => (method, string_literal()).prop_map(|(method, template)| format!("{method} {template}")),
        1 => string_literal(),
        2 => prop_oneof![3 => select(vec!["\"v1.0\"", "\"beta\""]).prop_map(str::to_owned), 1 => string_literal(), 1 => ident(), 1 => tokens()]
            .prop_map(|value| format!("version = {value}")),
        2 => prop_oneof![ty(), tokens()].prop_map(|value| format!("response = {value}")),
        2 => prop_oneof![
            4 => Just("idempotent"),
            1 => select(vec!["idempotent = true", "idempotent = false", "idempotent()", "idempotent \"/x\"", "idempotent idempotent"]),
        ]
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
        "user_id",
        "id",
        "item_id",
        "filter",
        "maybe_filter",
        "body",
        "build",
        "builder",
        "value",
        "__path",
        "__query",
        "__headers",
        "__body",
        "__required",
        "__target",
        "__S0",
        "r#type",
        "r#build",
        "naïve",
        "select",
        "device_configuration_id",
        "x",
        "maybe_x",
        "maybe_",
        "_",
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
    (proptest::collection::vec(role(), 0..3), select(vec!["", "pub ", "pub(crate) "]), field_name(), ty()).prop_map(
        |(roles, vis, name, ty)| {
            let attrs: String = roles.iter().map(|r| format!("#[graph({r})] ")).collect();
            format!("{attrs}{vis}{name}: {ty}")
        },
    )
}

fn fields() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::collection::vec(field(), 0..5).prop_map(|fields| format!("{{ {} }}", fields.join(", "))),
        1 => Just(";".to_owned()),
        1 => Just("(String);".to_owned()),
        1 => tokens().prop_map(|t| format!("{{ {t} }}")),
    ]
}

/// Outer attributes, `#[graph(...)]` with arguments against others in the weights given:
/// mostly the former on variants, mostly the latter on items.
fn attributes(graph: u32, other: u32) -> impl Strategy<Value = String> {
    let one = prop_oneof![
        graph => arguments().prop_map(|args| format!("#[graph({args})]")),
        other => select(vec!["#[graph]", "#[graph = \"x\"]", "#[doc = \"x\"]", "#[derive(Debug)]", "#[serde(rename_all = \"camelCase\")]"])
            .prop_map(str::to_owned),
    ];
    proptest::collection::vec(one, 0..3).prop_map(|attrs| attrs.join(" "))
}

fn generics() -> impl Strategy<Value = String> {
    select(vec!["", "", "", "<T>", "<'a>", "<T: Clone>", "<const N: usize>", "<__S0>", "<T = u8>", "<T> where T: Clone"])
        .prop_map(str::to_owned)
}

fn variant() -> impl Strategy<Value = String> {
    (
        attributes(6, 1),
        select(vec!["Root", "Wifi", "A", "r#Type"]),
        prop_oneof![
            4 => proptest::collection::vec(field(), 0..4).prop_map(|fields| format!("{{ {} }}", fields.join(", "))),
            1 => Just(String::new()),
            1 => Just("(u8)".to_owned()),
            1 => Just(" = 1".to_owned()),
        ],
    )
        .prop_map(|(attrs, name, fields)| format!("{attrs} {name} {fields}"))
}

/// The item under the attribute: structs and enums mostly, with the odd union, function or
/// loose tokens.
pub fn item() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (attributes(1, 6), select(vec!["", "pub "]), generics(), fields()).prop_map(|(attrs, vis, generics, fields)| {
            // A `where` clause goes after the fields of a braced struct.
            let (params, clause) = generics.split_once(" where").map_or((generics.as_str(), ""), |(p, w)| (p, w));
            let clause = if clause.is_empty() { String::new() } else { format!("where{clause}") };
            format!("{attrs} {vis}struct Endpoint{params} {clause} {fields}")
        }),
        4 => (attributes(1, 6), generics(), proptest::collection::vec(variant(), 0..4)).prop_map(|(attrs, generics, variants)| {
            let params = generics.split(" where").next().unwrap_or_default();
            format!("{attrs} pub enum Endpoint{params} {{ {} }}", variants.join(", "))
        }),
        1 => select(vec!["union U { a: u8 }", "fn f() {}", "struct", "", "pub struct S<T>(T);", "enum E {}"]).prop_map(str::to_owned),
        1 => tokens(),
    ]
}

/// One well-formed route: the method, the template and the fields that bind it, with query,
/// header and body fields around them; `idempotent` only on POST.
fn valid_route() -> impl Strategy<Value = (String, String, bool)> {
    let params = proptest::sample::subsequence(
        vec!["userId", "deviceConfiguration-id", "id", "managedDeviceId", "windows81CertificateId", "period"],
        0..4,
    );
    // `{}` is where the parameter goes.
    let forms = proptest::collection::vec(select(vec!["/{}", "/items('{}')", "/f(key='{}')", "/a{}:"]), 4);
    let method = select(vec!["GET", "POST", "PUT", "PATCH", "DELETE"]);
    let extras = (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>());
    let types = proptest::collection::vec(select(vec!["String", "u32", "&'static str", "uuid::Uuid"]), 4);
    (params, forms, method, extras, types).prop_map(|(params, forms, method, (query, header, body, version, flag), types)| {
        let mut template = String::from("/deviceManagement");
        let mut fields = Vec::new();
        for ((param, form), ty) in params.iter().zip(&forms).zip(&types) {
            template.push_str(&form.replace("{}", &format!("{{{param}}}")));
            template.push_str("/x");
            fields.push(format!("pub {}: {ty}", heck::ToSnakeCase::to_snake_case(*param)));
        }
        if query {
            fields.push("#[graph(query = \"$filter\")] pub filter: Option<String>".to_owned());
            fields.push("#[graph(query)] pub include_all: Vec<String>".to_owned());
        }
        if header {
            fields.push("#[graph(header = \"ConsistencyLevel\")] pub consistency: Option<&'static str>".to_owned());
        }
        let body_allowed = !matches!(method, "GET" | "DELETE");
        if body && body_allowed {
            fields.push("#[graph(body)] pub body: Option<Vec<u8>>".to_owned());
        }
        let idempotent = flag && method == "POST";
        let mut line = format!("{method} {template:?}");
        if version {
            line.push_str(", version = \"beta\"");
        }
        if idempotent {
            line.push_str(", idempotent");
        }
        (line, fields.join(", "), idempotent)
    })
}

/// A well-formed definition, struct or enum: `(arguments, item, whether some route is
/// marked idempotent)`.
pub fn valid_definition() -> impl Strategy<Value = (String, String, bool)> {
    prop_oneof![
        valid_route().prop_map(|(line, fields, idempotent)| (
            format!("{line}, response = Option<u8>"),
            format!("pub struct Endpoint {{ {fields} }}"),
            idempotent
        )),
        proptest::collection::vec(valid_route(), 1..4).prop_map(|routes| {
            let idempotent = routes.iter().any(|r| r.2);
            let variants: Vec<String> =
                routes.iter().enumerate().map(|(i, (line, fields, _))| format!("#[graph({line})] V{i} {{ {fields} }}")).collect();
            ("response = ()".to_owned(), format!("pub enum Endpoint {{ {} }}", variants.join(", ")), idempotent)
        }),
    ]
}
