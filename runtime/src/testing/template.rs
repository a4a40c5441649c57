//! Route templates, and matching a request path against one.
//!
//! A template is literal text and `{name}` parameters, as `#[graph_endpoint]` writes them:
//! `/users/{userId}`, `/users('{userId}')`, `/reports/getReport(period='{period}')`,
//! `/sites/{hostname}:/{path}`, `/x/{a}.{b}`. A parameter matches a non-empty run of the raw
//! (still percent-encoded) path without a `/`, so a value can never reach into the next
//! segment, and several parameters may share one segment with literal text between them. When
//! a path can be split more than one way (`{a}.{b}` against `x.y.z`), the earlier parameter
//! takes the shortest run that lets the rest match.

use percent_encoding::percent_decode_str;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text the path must hold exactly.
    Literal(String),
    /// A value: a non-empty run without `/`. `quoted`: inside `'...'`, where a `'` of the value
    /// is sent doubled.
    Param { name: String, quoted: bool },
}

/// A parsed route template.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    text: Arc<str>,
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses a template, or says what is wrong with it.
    pub(crate) fn parse(text: &str) -> Result<Template, String> {
        if !text.starts_with('/') {
            return Err(format!("the template `{text}` does not start with `/`"));
        }
        if text.contains(['?', '#']) {
            return Err(format!("the template `{text}` holds a query or a fragment; write the path only (any query matches)"));
        }
        for version in ["/v1.0", "/beta"] {
            if text.strip_prefix(version).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')) {
                return Err(format!(
                    "the template `{text}` starts with the API version; write it without `{version}` (as the endpoint definition does) \
                     and restrict the route with `.version(...)` if needed"
                ));
            }
        }
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut in_quote = false;
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match c {
                '{' => {
                    let Some(end) = rest.find('}') else {
                        return Err(format!("the template `{text}` has a `{{` without its `}}`"));
                    };
                    let name = &rest[1..end];
                    if name.is_empty() || name.contains(['/', '{', '\'']) {
                        return Err(format!("the template `{text}` has a parameter `{{{name}}}` that is not a name"));
                    }
                    if matches!(pieces.last(), Some(Piece::Param { .. })) && literal.is_empty() {
                        return Err(format!("the template `{text}` has two parameters side by side, which no path can tell apart"));
                    }
                    if pieces.iter().any(|piece| matches!(piece, Piece::Param { name: seen, .. } if seen == name)) {
                        return Err(format!("the template `{text}` names `{{{name}}}` twice"));
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Param { name: name.to_owned(), quoted: in_quote });
                    rest = &rest[end + 1..];
                    continue;
                }
                '}' => return Err(format!("the template `{text}` has a `}}` without its `{{`")),
                '\'' if in_quote && rest[1..].starts_with('\'') => {
                    // OData's escaped quote inside a string: text, not the closing quote.
                    literal.push_str("''");
                    rest = &rest[2..];
                    continue;
                }
                '\'' => in_quote = !in_quote,
                _ => {}
            }
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Template { text: text.into(), pieces })
    }

    /// The template as written.
    pub(crate) fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The parameters of `path` (the raw path after the version, e.g. `/users/a%2Fb`) when it
    /// matches: each name with its decoded value, in template order.
    pub(crate) fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let mut found = Vec::new();
        if !walk(&self.pieces, path, &mut found) {
            return None;
        }
        let params = self.pieces.iter().filter_map(|piece| match piece {
            Piece::Param { name, quoted } => Some((name, *quoted)),
            Piece::Literal(_) => None,
        });
        Some(params.zip(found).map(|((name, quoted), raw)| (name.clone(), decode(raw, quoted))).collect())
    }
}

/// Matches `pieces` against all of `path`, pushing the raw text of each parameter.
fn walk<'p>(pieces: &[Piece], path: &'p str, found: &mut Vec<&'p str>) -> bool {
    match pieces.split_first() {
        None => path.is_empty(),
        Some((Piece::Literal(text), rest)) => path.strip_prefix(text.as_str()).is_some_and(|tail| walk(rest, tail, found)),
        Some((Piece::Param { .. }, rest)) => {
            let run = path.find('/').unwrap_or(path.len());
            for end in (1..=run).filter(|&end| path.is_char_boundary(end)) {
                found.push(&path[..end]);
                if walk(rest, &path[end..], found) {
                    return true;
                }
                found.pop();
            }
            false
        }
    }
}

/// A parameter's value as the client had it: percent-decoded, and inside a quoted key with
/// OData's doubled `''` back to one `'`.
fn decode(raw: &str, quoted: bool) -> String {
    let decoded = percent_decode_str(raw).decode_utf8_lossy();
    if quoted { decoded.replace("''", "'") } else { decoded.into_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        Template::parse(template).unwrap().matches(path)
    }

    fn one(template: &str, path: &str) -> Vec<String> {
        params(template, path).unwrap_or_else(|| panic!("{template} should match {path}")).into_iter().map(|(_, v)| v).collect()
    }

    #[test]
    fn literals_must_match_exactly() {
        assert_eq!(params("/me", "/me"), Some(vec![]));
        assert_eq!(params("/me", "/me/"), None);
        assert_eq!(params("/me", "/Me"), None);
        assert_eq!(params("/users/delta", "/users/delta()"), None);
        assert_eq!(params("/deviceManagement/managedDevices/$count", "/deviceManagement/managedDevices/$count"), Some(vec![]));
    }

    #[test]
    fn a_whole_segment_parameter_takes_one_non_empty_segment() {
        assert_eq!(one("/users/{userId}", "/users/adele"), ["adele"]);
        assert_eq!(params("/users/{userId}", "/users/"), None);
        assert_eq!(params("/users/{userId}", "/users/a/b"), None);
        assert_eq!(params("/users/{userId}", "/users"), None);
        let found = params("/users/{userId}/memberOf/{groupId}", "/users/u-1/memberOf/g-2").unwrap();
        assert_eq!(found, [("userId".to_owned(), "u-1".to_owned()), ("groupId".to_owned(), "g-2".to_owned())]);
    }

    #[test]
    fn values_are_percent_decoded() {
        assert_eq!(one("/users/{userId}", "/users/a%2Fb%20c'd"), ["a/b c'd"]);
        assert_eq!(one("/users/{userId}", "/users/%C3%BCn%C3%AF"), ["ünï"]);
        assert_eq!(one("/users/{userId}", "/users/100%25"), ["100%"]);
    }

    #[test]
    fn quoted_keys_undouble_quotes() {
        assert_eq!(one("/users('{userId}')", "/users('a%2Fb%20c%27%27d')"), ["a/b c'd"]);
        assert_eq!(one("/users('{userId}')", "/users('O''Brien')"), ["O'Brien"]);
        assert_eq!(params("/users('{userId}')", "/users('')"), None);
        assert_eq!(params("/users('{userId}')", "/users(x)"), None);
        // Outside quotes a doubled quote is the value's own.
        assert_eq!(one("/users/{userId}", "/users/a%27%27b"), ["a''b"]);
    }

    #[test]
    fn parameters_inside_segments() {
        assert_eq!(one("/reports/getReport(period='{period}')", "/reports/getReport(period='D7')"), ["D7"]);
        assert_eq!(
            one("/users(userPrincipalName='{upn}')/manager", "/users(userPrincipalName='adele%40contoso.com')/manager"),
            ["adele@contoso.com"]
        );
        assert_eq!(one("/x/f(a='{a}',b={b})", "/x/f(a='1',b=2)"), ["1", "2"]);
        assert_eq!(one("/sites/{hostname}:/{path}", "/sites/contoso.sharepoint.com:/teams"), ["contoso.sharepoint.com", "teams"]);
        assert_eq!(one("/x/{a}.{b}", "/x/file.txt"), ["file", "txt"]);
        // Ambiguous: the first parameter takes the shortest run.
        assert_eq!(one("/x/{a}.{b}", "/x/a.b.c"), ["a", "b.c"]);
        assert_eq!(params("/x/{a}.{b}", "/x/a."), None);
        assert_eq!(params("/x/{a}.{b}", "/x/.b"), None);
        assert_eq!(one("/x/prefix-{id}", "/x/prefix-7"), ["7"]);
        assert_eq!(params("/x/prefix-{id}", "/x/prefix-"), None);
    }

    #[test]
    fn a_quoted_literal_quote_is_not_the_closing_one() {
        let template = Template::parse("/x(k='it''s-{v}')").unwrap();
        assert_eq!(template.matches("/x(k='it''s-a''b')").unwrap()[0].1, "a'b");
    }

    #[test]
    fn malformed_templates_are_refused() {
        for (bad, says) in [
            ("users/{id}", "start with `/`"),
            ("/users/{id", "without its `}`"),
            ("/users/id}", "without its `{`"),
            ("/users/{}", "not a name"),
            ("/users/{a/b}", "not a name"),
            ("/x/{a}{b}", "side by side"),
            ("/x/{a}/{a}", "twice"),
            ("/users?$top=1", "query"),
            ("/beta/users", "API version"),
            ("/v1.0", "API version"),
        ] {
            let error = Template::parse(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
        assert!(Template::parse("/betamax").is_ok());
    }

    #[test]
    fn non_ascii_paths_do_not_split_characters() {
        assert_eq!(one("/x/{a}é{b}", "/x/1é2"), ["1", "2"]);
    }
}
