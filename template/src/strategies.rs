//! Property-test input generators (feature `proptest`): template-like text that reaches deep
//! into a parser, and well-formed templates.

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

/// A well-formed template: segments of text, parameters and function-call forms. Parameter
/// names may repeat, which the parser rejects.
pub fn valid_template() -> impl Strategy<Value = String> {
    let name = "[a-zA-Z_][a-zA-Z0-9_-]{0,12}";
    let segment = prop_oneof![
        "[a-zA-Z][a-zA-Z0-9.$]{0,12}".prop_map(|s| s),
        name.prop_map(|n| format!("{{{n}}}")),
        ("[a-zA-Z]{1,8}", name).prop_map(|(f, n)| format!("{f}(key='{{{n}}}')")),
        ("[a-zA-Z]{1,8}", name).prop_map(|(f, n)| format!("{f}{{{n}}}:")),
    ];
    proptest::collection::vec(segment, 1..8).prop_map(|segments| format!("/{}", segments.join("/")))
}
