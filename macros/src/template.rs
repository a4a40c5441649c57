//! The path-template parser: plain functions over `&str`, no compiler types, so that unit
//! and property tests can drive it directly.
//!
//! A template is what a Graph reference page prints after the HTTP method, relative to the
//! version root: `/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments`.
//! The parser accepts every shape real Graph routes use — dotted type casts, `$value`,
//! `$count`, `$ref`, function calls with parameters inside them
//! (`getOffice365ActiveUserDetail(period='{period}')`), alternate keys
//! (`users(userPrincipalName='{userPrincipalName}')`), hyphenated names (`{user-id}`) — and
//! reports every mistake it finds, not only the first.

use std::fmt;
use std::ops::Range;

/// A parsed template: literal text and parameters, in order. Rendering the pieces back gives
/// the source text exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text sent as written (already valid in a URL path).
    Literal(String),
    Param(Param),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The name between the braces, as written.
    pub name: String,
    /// Inside single quotes (`users('{userId}')`): OData wants a `'` in the value doubled.
    pub quoted: bool,
    /// The parameter is the whole segment (`/users/{userId}/`): an empty, `.` or `..` value
    /// would change which resource the URL names, so the runtime refuses those.
    pub whole_segment: bool,
    /// Byte range of `{name}` in the source.
    pub span: Range<usize>,
}

impl Template {
    pub fn params(&self) -> impl Iterator<Item = &Param> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Param(param) => Some(param),
            Piece::Literal(_) => None,
        })
    }

    /// The source text again.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn render(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Param(param) => {
                    out.push('{');
                    out.push_str(&param.name);
                    out.push('}');
                }
            }
        }
        out
    }
}

/// One mistake in a template, with the byte range it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub kind: ErrorKind,
    pub at: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    Empty,
    AbsoluteUrl,
    VersionPrefix(String),
    MissingLeadingSlash,
    EmptySegment,
    TrailingSlash,
    QueryOrFragment(char),
    Whitespace,
    InvalidChar(char),
    InvalidPercentEscape,
    UnclosedBrace,
    UnmatchedCloseBrace,
    NestedBrace,
    EmptyParam,
    InvalidParamName(String),
    DuplicateParam(String),
    AdjacentParams(String, String),
    UnclosedParen,
    UnmatchedCloseParen,
    UnclosedQuote,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match &self.kind {
            Empty => f.write_str("the path template is empty; write the path from the Graph reference page, e.g. \"/users/{userId}\""),
            AbsoluteUrl => f.write_str("the path template is an absolute URL; write only the path after the version, e.g. \"/users/{userId}\" (the client supplies the host and the version)"),
            VersionPrefix(version) => write!(f, "the path template starts with the version `/{version}`; remove it and write `version = \"{version}\"` instead if this endpoint needs it"),
            MissingLeadingSlash => f.write_str("the path template must start with `/`, e.g. \"/users/{userId}\""),
            EmptySegment => f.write_str("the path template has an empty segment `//`; remove the extra `/`"),
            TrailingSlash => f.write_str("the path template ends with `/`; remove the trailing `/`"),
            QueryOrFragment(c) => write!(f, "the path template contains `{c}`; a template is a path only: declare query options as fields with #[graph(query)]"),
            Whitespace => f.write_str("the path template contains whitespace; remove it (Graph paths have no spaces)"),
            InvalidChar(c) => write!(f, "the path template contains `{}`, which is not allowed in a URL path; write it percent-encoded", c.escape_debug()),
            InvalidPercentEscape => f.write_str("the path template contains `%` not followed by two hex digits; write `%25` for a literal `%`"),
            UnclosedBrace => f.write_str("the path template has a `{` that is never closed; write the parameter as `{name}`"),
            UnmatchedCloseBrace => f.write_str("the path template has a `}` with no `{` before it"),
            NestedBrace => f.write_str("the path template has a `{` inside a parameter; parameters cannot nest"),
            EmptyParam => f.write_str("the path template has an empty parameter `{}`; name it, e.g. `{userId}`"),
            InvalidParamName(name) => write!(f, "`{{{name}}}` is not a valid parameter name; use letters, digits, `_` and `-`, starting with a letter or `_`"),
            DuplicateParam(name) => write!(f, "the parameter `{{{name}}}` appears more than once; give each occurrence its own name, e.g. `{{groupId}}` and `{{threadId}}`, and a field for each"),
            AdjacentParams(a, b) => write!(f, "the parameters `{{{a}}}` and `{{{b}}}` are adjacent, so their values cannot be told apart; put literal text between them"),
            UnclosedParen => f.write_str("the path template has a `(` that is never closed in its segment; add the missing `)`"),
            UnmatchedCloseParen => f.write_str("the path template has a `)` with no `(` before it in its segment"),
            UnclosedQuote => f.write_str("the path template has a `'` that is never closed in its segment; add the missing `'`"),
        }
    }
}

/// Characters allowed as written in a template's literal text: RFC 3986 `pchar` without `%`
/// (checked separately) plus `/`.
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c)
}

fn is_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Parses a template, returning every error found (in source order) if there is any.
pub fn parse(src: &str) -> Result<Template, Vec<TemplateError>> {
    let mut errors = Vec::new();
    let err = |errors: &mut Vec<TemplateError>, kind, at| errors.push(TemplateError { kind, at });

    if src.is_empty() {
        return Err(vec![TemplateError { kind: ErrorKind::Empty, at: 0..0 }]);
    }
    if src.contains("://") || src.starts_with("//") {
        // Nothing else is worth saying about a URL: the fix replaces the whole text.
        return Err(vec![TemplateError { kind: ErrorKind::AbsoluteUrl, at: 0..src.len() }]);
    }
    if !src.starts_with('/') {
        err(&mut errors, ErrorKind::MissingLeadingSlash, 0..0);
    }
    let first = src.trim_start_matches('/').split('/').next().unwrap_or("");
    if first.eq_ignore_ascii_case("v1.0") || first.eq_ignore_ascii_case("beta") {
        let end = src.len() - src.trim_start_matches('/').len() + first.len();
        err(&mut errors, ErrorKind::VersionPrefix(first.to_ascii_lowercase()), end - first.len() - 1..end);
    }

    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut names: Vec<(String, Range<usize>)> = Vec::new();
    // State of the current segment.
    let mut segment_start = 0usize;
    let mut parens: Vec<usize> = Vec::new();
    let mut quote: Option<usize> = None;
    // End offset of the last parameter, to detect `{a}{b}`.
    let mut last_param_end: Option<usize> = None;
    let mut reported_query = false;
    let mut reported_space = false;

    let close_segment = |errors: &mut Vec<TemplateError>, parens: &mut Vec<usize>, quote: &mut Option<usize>| {
        if let Some(at) = quote.take() {
            errors.push(TemplateError { kind: ErrorKind::UnclosedQuote, at: at..at + 1 });
            // The quote swallowed the rest of the segment: its parentheses say nothing more.
            parens.clear();
        }
        for at in parens.drain(..) {
            errors.push(TemplateError { kind: ErrorKind::UnclosedParen, at: at..at + 1 });
        }
    };

    let bytes = src.as_bytes();
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '/' => {
                close_segment(&mut errors, &mut parens, &mut quote);
                if i > 0 && bytes[i - 1] == b'/' && i + 1 != src.len() {
                    err(&mut errors, ErrorKind::EmptySegment, i - 1..i + 1);
                }
                segment_start = i + 1;
                literal.push(c);
            }
            '{' => {
                let Some(end) = src[i + 1..].find(['}', '/', '{']).map(|n| i + 1 + n) else {
                    err(&mut errors, ErrorKind::UnclosedBrace, i..src.len());
                    // Keep the text so that the remaining checks still see the segment.
                    literal.push_str(&src[i..]);
                    break;
                };
                match bytes[end] {
                    b'}' => {}
                    b'{' => {
                        err(&mut errors, ErrorKind::NestedBrace, end..end + 1);
                        // Skip to the closing brace (if any) so that one mistake is one error.
                        let resume = src[end..].find(['}', '/']).map_or(src.len(), |n| end + n);
                        let resume = if bytes.get(resume) == Some(&b'}') { resume + 1 } else { resume };
                        while chars.peek().is_some_and(|&(j, _)| j < resume) {
                            chars.next();
                        }
                        continue;
                    }
                    _ => {
                        err(&mut errors, ErrorKind::UnclosedBrace, i..end);
                        literal.push_str(&src[i..end]);
                        while chars.peek().is_some_and(|&(j, _)| j < end) {
                            chars.next();
                        }
                        continue;
                    }
                }
                let name = &src[i + 1..end];
                let span = i..end + 1;
                if name.is_empty() {
                    err(&mut errors, ErrorKind::EmptyParam, span.clone());
                } else if !is_param_name(name) {
                    err(&mut errors, ErrorKind::InvalidParamName(name.to_owned()), span.clone());
                } else if names.iter().any(|(seen, _)| seen == name) {
                    err(&mut errors, ErrorKind::DuplicateParam(name.to_owned()), span.clone());
                }
                if last_param_end == Some(i) {
                    let previous = names.last().map(|(n, _)| n.clone()).unwrap_or_default();
                    err(&mut errors, ErrorKind::AdjacentParams(previous, name.to_owned()), span.clone());
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                let whole_segment = i == segment_start && matches!(bytes.get(end + 1), None | Some(b'/'));
                pieces.push(Piece::Param(Param { name: name.to_owned(), quoted: quote.is_some(), whole_segment, span: span.clone() }));
                names.push((name.to_owned(), span));
                last_param_end = Some(end + 1);
                while chars.peek().is_some_and(|&(j, _)| j <= end) {
                    chars.next();
                }
            }
            '}' => {
                err(&mut errors, ErrorKind::UnmatchedCloseBrace, i..i + 1);
                literal.push(c);
            }
            '\'' => {
                if quote.is_some() {
                    // OData escapes a quote inside a string by doubling it.
                    if chars.peek().is_some_and(|&(_, next)| next == '\'') {
                        chars.next();
                        literal.push_str("''");
                        continue;
                    }
                    quote = None;
                } else {
                    quote = Some(i);
                }
                literal.push(c);
            }
            '(' => {
                if quote.is_none() {
                    parens.push(i);
                }
                literal.push(c);
            }
            ')' => {
                if quote.is_none() && parens.pop().is_none() {
                    err(&mut errors, ErrorKind::UnmatchedCloseParen, i..i + 1);
                }
                literal.push(c);
            }
            '?' | '#' => {
                if !reported_query {
                    err(&mut errors, ErrorKind::QueryOrFragment(c), i..src.len());
                    reported_query = true;
                }
                literal.push(c);
            }
            '%' => {
                let hex = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    err(&mut errors, ErrorKind::InvalidPercentEscape, i..i + 1);
                }
                literal.push(c);
            }
            c if c.is_whitespace() => {
                if !reported_space {
                    err(&mut errors, ErrorKind::Whitespace, i..i + c.len_utf8());
                    reported_space = true;
                }
                literal.push(c);
            }
            c if is_path_char(c) => literal.push(c),
            c => {
                err(&mut errors, ErrorKind::InvalidChar(c), i..i + c.len_utf8());
                literal.push(c);
            }
        }
    }
    close_segment(&mut errors, &mut parens, &mut quote);
    if src.len() > 1 && src.ends_with('/') || src == "/" {
        err(&mut errors, ErrorKind::TrailingSlash, src.len() - 1..src.len());
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }

    if errors.is_empty() {
        Ok(Template { pieces })
    } else {
        errors.sort_by_key(|e| (e.at.start, e.at.end));
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> Template {
        match parse(src) {
            Ok(template) => {
                assert_eq!(template.render(), src);
                template
            }
            Err(errors) => panic!("{src}: {errors:?}"),
        }
    }

    fn kinds(src: &str) -> Vec<ErrorKind> {
        parse(src).expect_err(src).into_iter().map(|e| e.kind).collect()
    }

    fn names(t: &Template) -> Vec<(&str, bool, bool)> {
        t.params().map(|p| (p.name.as_str(), p.quoted, p.whole_segment)).collect()
    }

    #[test]
    fn seed_routes() {
        let t = ok("/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}");
        assert_eq!(names(&t), [("deviceConfigurationId", false, true), ("deviceConfigurationAssignmentId", false, true)]);
        ok(
            "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/{windows81TrustedRootCertificateId}/assignments/{deviceConfigurationAssignmentId}",
        );
        ok("/users/{usersId}/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments");
    }

    #[test]
    fn segment_forms() {
        let t = ok("/reports/getOffice365ActiveUserDetail(period='{period}')");
        assert_eq!(names(&t), [("period", true, false)]);
        assert_eq!(names(&ok("/users('{userId}')")), [("userId", true, false)]);
        assert_eq!(names(&ok("/applications(appId='{appId}')")), [("appId", true, false)]);
        assert_eq!(names(&ok("/users/{user-id}/photo/$value")), [("user-id", false, true)]);
        ok("/deviceManagement/managedDevices/$count");
        ok("/groups/{group-id}/members/{directoryObject-id}/$ref");
        ok("/servicePrincipals/{id}/tokenLifetimePolicies/{policyId}$ref");
        ok("/deviceAppManagement/mobileApps/graph.iosLobApp");
        ok("/drives/{drive-id}/root:/{item-path}:/children");
        ok("/me/drive/items/{id}/workbook/tables/$/add");
        ok(
            "/groups/{group-id}/sites/{site-id}/lists/{list-id}/items/{listItem-id}/getActivitiesByInterval(startDateTime='{startDateTime}',endDateTime='{endDateTime}',interval='{interval}')",
        );
        ok("/users/{id}/x(name='O''Brien')");
        ok("/teams/(team-id)/channels");
        ok("/a/b%2Fc");
        // `{x}` inside a segment with other text is not the whole segment.
        assert_eq!(names(&ok("/a/x{b}")), [("b", false, false)]);
        assert_eq!(names(&ok("/a/{b}:")), [("b", false, false)]);
    }

    #[test]
    fn errors() {
        use ErrorKind::*;
        assert_eq!(kinds(""), [Empty]);
        assert_eq!(kinds("https://graph.microsoft.com/v1.0/me"), [AbsoluteUrl]);
        assert_eq!(kinds("/v1.0/me"), [VersionPrefix("v1.0".into())]);
        assert_eq!(kinds("/beta/me"), [VersionPrefix("beta".into())]);
        assert_eq!(kinds("users/{id}"), [MissingLeadingSlash]);
        assert_eq!(kinds("/users//{id}"), [EmptySegment]);
        assert_eq!(kinds("/users/{id}/"), [TrailingSlash]);
        assert_eq!(kinds("/"), [TrailingSlash]);
        assert_eq!(kinds("/users?$top=1"), [QueryOrFragment('?')]);
        assert_eq!(kinds("/users#x"), [QueryOrFragment('#')]);
        assert_eq!(kinds("/users/{a} x"), [Whitespace]);
        assert_eq!(kinds("/users/\"a\""), [InvalidChar('"'), InvalidChar('"')]);
        assert_eq!(kinds("/users/%zz"), [InvalidPercentEscape]);
        assert_eq!(kinds("/users/{id"), [UnclosedBrace]);
        assert_eq!(kinds("/users/{id/x"), [UnclosedBrace]);
        assert_eq!(kinds("/users/id}"), [UnmatchedCloseBrace]);
        assert_eq!(kinds("/users/{a{b}}"), [NestedBrace, UnmatchedCloseBrace]);
        assert_eq!(kinds("/users/{}"), [EmptyParam]);
        assert_eq!(kinds("/users/{1id}"), [InvalidParamName("1id".into())]);
        assert_eq!(kinds("/groups/{id}/threads/{id}"), [DuplicateParam("id".into())]);
        assert_eq!(kinds("/x/{a}{b}"), [AdjacentParams("a".into(), "b".into())]);
        assert_eq!(kinds("/x(a='{a}'"), [UnclosedParen]);
        assert_eq!(kinds("/x)"), [UnmatchedCloseParen]);
        assert_eq!(kinds("/x('{a})"), [UnclosedQuote]);
        assert_eq!(kinds("/x(/y)"), [UnclosedParen, UnmatchedCloseParen]);
    }

    #[test]
    fn reports_every_error_at_once() {
        let errors = parse("users//{}/{a}{b}/").unwrap_err();
        let kinds: Vec<_> = errors.iter().map(|e| &e.kind).collect();
        assert_eq!(kinds.len(), 5, "{kinds:?}");
    }

    #[test]
    fn error_ranges_point_into_the_source() {
        let src = "/groups/{id}/threads/{id}";
        let errors = parse(src).unwrap_err();
        assert_eq!(&src[errors[0].at.clone()], "{id}");
        assert_eq!(errors[0].at.start, 21);
    }

    /// Every route in the corpus of real Graph routes parses, except the malformed ones, which
    /// get the error that names what is wrong with them.
    #[test]
    fn graph_route_corpus() {
        let corpus = include_str!("../tests/data/graph-routes.tsv");
        let (mut parsed, mut rejected) = (0, 0);
        for line in corpus.lines().skip(1) {
            let template = line.split('\t').nth(1).expect("method, template, version");
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

    fn has_repeated_param(template: &str) -> bool {
        let names: Vec<&str> = template.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
        names.iter().enumerate().any(|(i, n)| names[..i].contains(n))
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// Text built from the characters templates are made of, so that most inputs reach
        /// deep into the parser rather than failing on the first character.
        fn template_like() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop_oneof![
                    Just("/".to_owned()),
                    Just("{".to_owned()),
                    Just("}".to_owned()),
                    Just("(".to_owned()),
                    Just(")".to_owned()),
                    Just("'".to_owned()),
                    Just("$".to_owned()),
                    Just("%2F".to_owned()),
                    Just("=".to_owned()),
                    "[a-zA-Z0-9._:@,-]{1,8}",
                    "\\PC{1,2}",
                ],
                0..24,
            )
            .prop_map(|parts| parts.concat())
        }

        /// A well-formed template: segments of text, parameters and function-call forms.
        fn valid_template() -> impl Strategy<Value = String> {
            let name = "[a-zA-Z_][a-zA-Z0-9_-]{0,12}";
            let segment = prop_oneof![
                "[a-zA-Z][a-zA-Z0-9.$]{0,12}".prop_map(|s| s),
                name.prop_map(|n| format!("{{{n}}}")),
                ("[a-zA-Z]{1,8}", name).prop_map(|(f, n)| format!("{f}(key='{{{n}}}')")),
                ("[a-zA-Z]{1,8}", name).prop_map(|(f, n)| format!("{f}{{{n}}}:")),
            ];
            proptest::collection::vec(segment, 1..8).prop_map(|segments| format!("/{}", segments.join("/")))
        }

        proptest! {
            #[test]
            fn never_panics(src in "\\PC*") {
                let _ = parse(&src);
            }

            #[test]
            fn accepted_templates_render_to_themselves(src in template_like()) {
                if let Ok(template) = parse(&src) {
                    prop_assert_eq!(template.render(), src);
                }
            }

            #[test]
            fn errors_point_inside_the_source(src in template_like()) {
                if let Err(errors) = parse(&src) {
                    prop_assert!(!errors.is_empty());
                    for error in errors {
                        prop_assert!(error.at.end <= src.len() && src.is_char_boundary(error.at.start) && src.is_char_boundary(error.at.end));
                    }
                }
            }

            #[test]
            fn well_formed_templates_parse(src in valid_template()) {
                let names: Vec<String> = src.split('{').skip(1).filter_map(|s| s.split('}').next()).map(str::to_owned).collect();
                let unique = names.iter().enumerate().all(|(i, n)| !names[..i].contains(n));
                match parse(&src) {
                    Ok(template) => {
                        prop_assert!(unique);
                        prop_assert_eq!(template.render(), src.clone());
                        prop_assert_eq!(template.params().map(|p| p.name.clone()).collect::<Vec<_>>(), names);
                    }
                    Err(errors) => prop_assert!(!unique, "{}: {:?}", src, errors),
                }
            }
        }
    }
}
