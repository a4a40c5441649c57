//! The parser: plain functions over `&str`, so that unit and property tests drive it
//! directly.
//!
//! It accepts every shape real Graph routes use — dotted type casts, `$value`, `$count`,
//! `$ref`, function calls with parameters inside them
//! (`getOffice365ActiveUserDetail(period='{period}')`), alternate keys
//! (`users(userPrincipalName='{userPrincipalName}')`), hyphenated names (`{user-id}`) — and
//! reports every mistake it finds, not only the first. Common paste mistakes (a whole URL, a
//! version prefix, a query string) are one error each, with the template to write instead.
//!
//! Nothing here indexes or subtracts without a bound known from the code right above it:
//! offsets come from `find`, `char_indices` or a prefix's length, and are only ever used on
//! the string they were taken from.

use crate::error::{ErrorKind, TemplateError};
use crate::template::{Param, Piece, Template};
use std::ops::Range;

/// Everything the parser read from a template, whether or not it has errors, so that the
/// fields of a definition can still be checked against its parameters.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Without errors, the whole template. With errors, the well-formed parameters with
    /// distinct names, each exactly once (the rest is kept as literal text).
    pub template: Template,
    /// Every mistake found, in source order.
    pub errors: Vec<TemplateError>,
    /// Whether `template` holds every parameter the author wrote. False when some brace could
    /// not be read as a parameter (`{id`, `id}`, `{}`, `{1id}`, `{a{b}}`, a repeated name, a
    /// brace in a query string) or the path is still to be written (`""`, `"beta"`, a URL
    /// with no path): a field that binds nothing may then be meant for a parameter.
    pub params_complete: bool,
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
    let parsed = parse_lenient(src);
    if parsed.errors.is_empty() { Ok(parsed.template) } else { Err(parsed.errors) }
}

/// Parses a template, keeping what could be read even when there are errors.
pub fn parse_lenient(src: &str) -> Parsed {
    if src.is_empty() {
        // The path is still to be written: the fields may be meant for its parameters.
        return Parsed {
            template: Template::default(),
            errors: vec![TemplateError { kind: ErrorKind::Empty, at: 0..0 }],
            params_complete: false,
        };
    }
    if let Some(url) = absolute_url(src) {
        // The fix replaces the whole text, so nothing else is said about it; the parameters
        // of its path still bind fields.
        let path = src.get(url.path.clone()).unwrap_or_default();
        let body = if path.is_empty() { None } else { Some(shifted(parse_path(path), url.path.start)) };
        let error = TemplateError {
            kind: ErrorKind::AbsoluteUrl { path: path.to_owned(), version: url.version, query: url.query },
            at: 0..src.len(),
        };
        return match body {
            Some(body) => Parsed { template: body.template, errors: vec![error], params_complete: body.params_complete },
            None => Parsed { template: Template::default(), errors: vec![error], params_complete: false },
        };
    }
    if let Some((name, version)) = version_prefix(src) {
        let rest = src.get(name.end..).unwrap_or_default();
        let rest_path = rest.split(['?', '#']).next().unwrap_or_default();
        let only_version = rest_path.is_empty() || rest_path == "/";
        let error = TemplateError {
            kind: ErrorKind::VersionPrefix { version, path: if only_version { String::new() } else { rest_path.to_owned() } },
            at: name.clone(),
        };
        if rest.is_empty() {
            return Parsed { template: Template::default(), errors: vec![error], params_complete: false };
        }
        // The rest is checked as the template it should be; the prefix error already says
        // where the `/` goes, and that the path is missing when it is.
        let mut body = shifted(parse_path(rest), name.end);
        body.errors.retain(|e| !(e.kind == ErrorKind::MissingLeadingSlash || only_version && e.kind == ErrorKind::TrailingSlash));
        body.errors.push(error);
        body.errors.sort_by_key(|e| (e.at.start, e.at.end));
        body.params_complete &= !only_version;
        return body;
    }
    parse_path(src)
}

/// Where an absolute URL's path is, and what the URL says about version and query.
struct Url {
    /// The path after the host and version, without query or fragment (may be empty).
    path: Range<usize>,
    version: Option<String>,
    query: Option<String>,
}

/// `https://graph.microsoft.com/v1.0/me`, `//graph.microsoft.com/me`, or a Graph host without
/// a scheme (`graph.microsoft.com/beta/me`).
fn absolute_url(src: &str) -> Option<Url> {
    let after_scheme = if let Some(at) = src.find("://") {
        at + 3
    } else if src.starts_with("//") {
        2
    } else {
        let host = src.split(['/', '?', '#']).next().unwrap_or_default().to_ascii_lowercase();
        if !(host.contains("graph.microsoft.") || host.contains("microsoftgraph.")) {
            return None;
        }
        0
    };
    let rest = src.get(after_scheme..).unwrap_or_default();
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path_start = rest.get(..end).and_then(|before| before.find('/')).unwrap_or(end);
    let query = rest.get(end..).and_then(|tail| tail.strip_prefix('?')).map(|query| query.split('#').next().unwrap_or_default().to_owned());
    let mut path = after_scheme + path_start..after_scheme + end;
    let mut version = None;
    if let Some((name, found)) = src.get(path.clone()).and_then(version_prefix) {
        version = Some(found);
        path.start += name.end;
    }
    // `…/v1.0/` names no path: say so rather than suggest `/`.
    if src.get(path.clone()).is_some_and(|p| p.trim_matches('/').is_empty()) {
        path.start = path.end;
    }
    Some(Url { path, version, query })
}

/// `beta/users`, `/v1.0/me`, `beta`, `beta/`: the byte range of the version name (in `src`)
/// and the version in lower case.
fn version_prefix(src: &str) -> Option<(Range<usize>, String)> {
    let trimmed = src.trim_start_matches('/');
    // A suffix of `src`, so never longer.
    let start = src.len() - trimmed.len();
    let len = trimmed.find(['/', '?', '#']).unwrap_or(trimmed.len());
    let name = trimmed.get(..len)?;
    (name.eq_ignore_ascii_case("v1.0") || name.eq_ignore_ascii_case("beta")).then(|| (start..start + len, name.to_ascii_lowercase()))
}

/// Moves every offset of a parse of `src[offset..]` so that it points into `src`.
fn shifted(mut parsed: Parsed, offset: usize) -> Parsed {
    for error in &mut parsed.errors {
        error.at = error.at.start + offset..error.at.end + offset;
    }
    for piece in &mut parsed.template.pieces {
        if let Piece::Param(param) = piece {
            param.span = param.span.start + offset..param.span.end + offset;
        }
    }
    parsed
}

/// Parses a path (with any query string or fragment after it): the template proper.
fn parse_path(src: &str) -> Parsed {
    let mut errors = Vec::new();
    let err = |errors: &mut Vec<TemplateError>, kind, at| errors.push(TemplateError { kind, at });
    let mut params_complete = true;

    // Everything from the first `?` or `#` on is one mistake, reported once, so that the
    // spaces and quotes of a pasted `$filter` do not add errors of their own.
    let path_end = src.find(['?', '#']).unwrap_or(src.len());
    let (path, tail) = src.split_at(path_end);
    if let Some(query) = tail.strip_prefix('?') {
        let query = query.split('#').next().unwrap_or_default();
        err(&mut errors, ErrorKind::QueryString(query.to_owned()), path_end..path_end + 1 + query.len());
    } else if let Some(fragment) = tail.strip_prefix('#') {
        err(&mut errors, ErrorKind::Fragment(fragment.to_owned()), path_end..src.len());
    }
    if tail.contains(['{', '}']) {
        params_complete = false;
    }

    if !path.starts_with('/') {
        err(&mut errors, ErrorKind::MissingLeadingSlash, 0..0);
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

    let bytes = path.as_bytes();
    let mut chars = path.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '/' => {
                close_segment(&mut errors, &mut parens, &mut quote);
                if i > 0 && bytes.get(i - 1) == Some(&b'/') && i + 1 != path.len() {
                    err(&mut errors, ErrorKind::EmptySegment, i - 1..i + 1);
                }
                segment_start = i + 1;
                literal.push(c);
            }
            '{' => {
                // `{` is one byte, so `i + 1` is the next character's start.
                let Some(end) = path[i + 1..].find(['}', '/', '{']).map(|n| i + 1 + n) else {
                    err(&mut errors, ErrorKind::UnclosedBrace, i..path.len());
                    params_complete = false;
                    // Keep the text so that the remaining checks still see the segment.
                    literal.push_str(&path[i..]);
                    break;
                };
                match bytes[end] {
                    b'}' => {}
                    b'{' => {
                        err(&mut errors, ErrorKind::NestedBrace, end..end + 1);
                        params_complete = false;
                        // Skip to the closing brace (if any) so that one mistake is one error.
                        let resume = path[end..].find(['}', '/']).map_or(path.len(), |n| end + n);
                        let resume = if bytes.get(resume) == Some(&b'}') { resume + 1 } else { resume };
                        literal.push_str(&path[i..resume]);
                        while chars.peek().is_some_and(|&(j, _)| j < resume) {
                            chars.next();
                        }
                        continue;
                    }
                    _ => {
                        err(&mut errors, ErrorKind::UnclosedBrace, i..end);
                        params_complete = false;
                        literal.push_str(&path[i..end]);
                        while chars.peek().is_some_and(|&(j, _)| j < end) {
                            chars.next();
                        }
                        continue;
                    }
                }
                let name = &path[i + 1..end];
                let span = i..end + 1;
                let error = if name.is_empty() {
                    Some(ErrorKind::EmptyParam)
                } else if !is_param_name(name) {
                    Some(ErrorKind::InvalidParamName(name.to_owned()))
                } else if names.iter().any(|(seen, _)| seen == name) {
                    Some(ErrorKind::DuplicateParam(name.to_owned()))
                } else {
                    None
                };
                if last_param_end == Some(i) {
                    let previous = names.last().map(|(n, _)| n.clone()).unwrap_or_default();
                    err(&mut errors, ErrorKind::AdjacentParams(previous, name.to_owned()), span.clone());
                }
                if let Some(kind) = error {
                    // Not a parameter anyone can bind: kept as text.
                    params_complete = false;
                    err(&mut errors, kind, span.clone());
                    literal.push_str(&path[span.clone()]);
                } else {
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    let whole_segment = i == segment_start && matches!(bytes.get(end + 1), None | Some(b'/'));
                    pieces.push(Piece::Param(Param { name: name.to_owned(), quoted: quote.is_some(), whole_segment, span: span.clone() }));
                }
                names.push((name.to_owned(), span));
                last_param_end = Some(end + 1);
                while chars.peek().is_some_and(|&(j, _)| j <= end) {
                    chars.next();
                }
            }
            '}' => {
                err(&mut errors, ErrorKind::UnmatchedCloseBrace, i..i + 1);
                params_complete = false;
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
    // With a query string after it, a `(` or `'` may close there: the query's error says
    // what to do, and "never closed" would only add noise.
    if tail.is_empty() {
        close_segment(&mut errors, &mut parens, &mut quote);
    }
    if path.len() > 1 && path.ends_with('/') || path == "/" {
        err(&mut errors, ErrorKind::TrailingSlash, path.len() - 1..path.len());
    }
    literal.push_str(tail);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }

    errors.sort_by_key(|e| (e.at.start, e.at.end));
    Parsed { template: Template { pieces }, errors, params_complete }
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
        assert_eq!(
            kinds("https://graph.microsoft.com/v1.0/me"),
            [AbsoluteUrl { path: "/me".into(), version: Some("v1.0".into()), query: None }]
        );
        assert_eq!(kinds("/v1.0/me"), [VersionPrefix { version: "v1.0".into(), path: "/me".into() }]);
        assert_eq!(kinds("/beta/me"), [VersionPrefix { version: "beta".into(), path: "/me".into() }]);
        assert_eq!(kinds("users/{id}"), [MissingLeadingSlash]);
        assert_eq!(kinds("/users//{id}"), [EmptySegment]);
        assert_eq!(kinds("/users/{id}/"), [TrailingSlash]);
        assert_eq!(kinds("/"), [TrailingSlash]);
        assert_eq!(kinds("/users?$top=1"), [QueryString("$top=1".into())]);
        assert_eq!(kinds("/users#x"), [Fragment("x".into())]);
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

    /// A pasted version or URL is one error that says what to write, never a panic or a
    /// cascade (`beta/users` once panicked computing the prefix's range).
    #[test]
    fn version_prefixes_and_urls() {
        use ErrorKind::*;
        let prefix = |version: &str, path: &str| VersionPrefix { version: version.into(), path: path.into() };
        assert_eq!(kinds("beta/users/{userId}"), [prefix("beta", "/users/{userId}")]);
        assert_eq!(kinds("v1.0/me"), [prefix("v1.0", "/me")]);
        assert_eq!(kinds("/beta/users/{userId}"), [prefix("beta", "/users/{userId}")]);
        assert_eq!(kinds("/V1.0/me"), [prefix("v1.0", "/me")]);
        for only in ["beta", "beta/", "/beta", "/beta/", "v1.0", "/v1.0/"] {
            assert_eq!(kinds(only), [prefix(only.trim_matches('/'), "")], "{only}");
        }
        // The rest is still checked, as the template it should be.
        assert_eq!(kinds("beta/users//{userId}"), [prefix("beta", "/users//{userId}"), EmptySegment]);
        assert_eq!(kinds("beta?$top=1"), [prefix("beta", ""), QueryString("$top=1".into())]);
        ok("/betamax/x");
        ok("/users/beta");

        let url = |path: &str, version: Option<&str>, query: Option<&str>| AbsoluteUrl {
            path: path.into(),
            version: version.map(Into::into),
            query: query.map(Into::into),
        };
        assert_eq!(kinds("https://graph.microsoft.com/v1.0/me"), [url("/me", Some("v1.0"), None)]);
        assert_eq!(kinds("https://graph.microsoft.com/beta/users/{userId}"), [url("/users/{userId}", Some("beta"), None)]);
        assert_eq!(kinds("https://graph.microsoft.com/v1.0/users?$top=5"), [url("/users", Some("v1.0"), Some("$top=5"))]);
        assert_eq!(kinds("https://graph.microsoft.com/v1.0/"), [url("", Some("v1.0"), None)]);
        assert_eq!(kinds("https://graph.microsoft.com"), [url("", None, None)]);
        assert_eq!(kinds("https://example.com/users"), [url("/users", None, None)]);
        assert_eq!(kinds("//graph.microsoft.com/beta/me"), [url("/me", Some("beta"), None)]);
        assert_eq!(kinds("graph.microsoft.com/v1.0/me"), [url("/me", Some("v1.0"), None)]);
        assert_eq!(kinds("https://"), [url("", None, None)]);

        let message = |src: &str| parse(src).unwrap_err()[0].to_string();
        assert!(
            message("beta/users/{userId}").contains("write `/users/{userId}` and `version = \"beta\"`"),
            "{}",
            message("beta/users/{userId}")
        );
        assert!(message("https://graph.microsoft.com/v1.0/me").contains("write `/me` and `version = \"v1.0\"`"));
        assert!(message("beta").contains("only the version `beta`"));
    }

    /// A query string is one error, naming each option's exact key, whatever it contains.
    #[test]
    fn query_strings() {
        use ErrorKind::*;
        assert_eq!(kinds("/users?$filter=startswith(displayName, 'a b')"), [QueryString("$filter=startswith(displayName, 'a b')".into())]);
        assert_eq!(kinds("/users?$top=1#x y"), [QueryString("$top=1".into())]);
        assert_eq!(kinds("/users#a?b c"), [Fragment("a?b c".into())]);
        assert_eq!(kinds("/x('a?b')"), [QueryString("b')".into())]);
        // Mistakes in the path before it are still their own.
        assert_eq!(kinds("/users//x?$top=1"), [EmptySegment, QueryString("$top=1".into())]);

        let message = |src: &str| parse(src).unwrap_err()[0].to_string();
        assert!(message("/users?$filter=x").contains("query string `?$filter=x`; a template is a path only"));
        assert!(message("/users#top").contains("fragment `#top`"));
    }

    /// With errors, the well-formed parameters are still there to bind fields, and whether
    /// some brace might have been one is known.
    #[test]
    fn lenient_parse_keeps_parameters() {
        let params = |src: &str| {
            let parsed = parse_lenient(src);
            assert!(!parsed.errors.is_empty(), "{src}");
            (parsed.template.params().map(|p| p.name.clone()).collect::<Vec<_>>(), parsed.params_complete)
        };
        assert_eq!(params("/users//{userId}/x/{itemId}"), (vec!["userId".to_owned(), "itemId".to_owned()], true));
        assert_eq!(params("/beta/users/{userId}"), (vec!["userId".to_owned()], true));
        assert_eq!(params("https://graph.microsoft.com/v1.0/users/{userId}?$top=1"), (vec!["userId".to_owned()], true));
        assert_eq!(params("/users/{userId}?$filter=x"), (vec!["userId".to_owned()], true));
        assert_eq!(params("/users/{userId}?$filter=id eq '{id}'"), (vec!["userId".to_owned()], false));
        assert_eq!(params("/users/{userId}/{}"), (vec!["userId".to_owned()], false));
        assert_eq!(params("/users/{userId}/{1x}"), (vec!["userId".to_owned()], false));
        assert_eq!(params("/users/{userId}/{x"), (vec!["userId".to_owned()], false));
        assert_eq!(params("/users/{id}/x/{id}"), (vec!["id".to_owned()], false));
        let span = parse_lenient("/beta/users/{userId}").template.params().next().unwrap().span.clone();
        assert_eq!(&"/beta/users/{userId}"[span], "{userId}");
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

    mod properties {
        use super::super::*;
        use crate::strategies::{template_like, valid_template};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            /// Any text at all, including pasted URLs, versions, query strings, unicode and
            /// stray quotes: parsing and describing the errors never panics, and every range
            /// and parameter span points at the text it is about.
            #[test]
            fn never_panics(src in prop_oneof![template_like(), "\\PC*", any::<String>()]) {
                let parsed = parse_lenient(&src);
                prop_assert_eq!(parse(&src).is_ok(), parsed.errors.is_empty());
                for error in &parsed.errors {
                    let _ = error.to_string();
                    prop_assert!(src.get(error.at.clone()).is_some(), "{:?} in {:?}", error, src);
                }
                for param in parsed.template.params() {
                    let written = format!("{{{}}}", param.name);
                    prop_assert_eq!(src.get(param.span.clone()), Some(written.as_str()));
                }
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
