//! Matching a request path against a template, as a Graph stand-in routes requests.
//!
//! A parameter matches a non-empty run of the raw (still percent-encoded) path without a `/`,
//! so a value can never reach into the next segment, and several parameters may share one
//! segment with literal text between them. When a path can be split more than one way
//! (`{a}.{b}` against `x.y.z`), the earlier parameter takes the shortest run that lets the rest
//! match. Literal text matches exactly, letter case included.

use crate::template::{Piece, Template};
use percent_encoding::percent_decode_str;

impl Template {
    /// The parameters of `path` (the raw path after the version, e.g. `/users/a%2Fb`) when it
    /// matches: each name with its value as the client had it, in template order. Values are
    /// percent-decoded, and inside a quoted key (`users('{id}')`) OData's doubled `''` is one
    /// `'` again.
    ///
    /// ```
    /// let template = graph_endpoint_template::parse("/users('{userId}')/manager").unwrap();
    /// assert_eq!(template.matches("/users('O''Brien%2F2')/manager"), Some(vec![("userId", "O'Brien/2".to_owned())]));
    /// assert_eq!(template.matches("/users('x')"), None);
    /// ```
    pub fn matches(&self, path: &str) -> Option<Vec<(&str, String)>> {
        let mut found = Vec::new();
        if !walk(&self.pieces, path, &mut found) {
            return None;
        }
        Some(self.params().zip(found).map(|(param, raw)| (param.name(), decode(raw, param.quoted()))).collect())
    }
}

/// Matches `pieces` against all of `path`, pushing the raw text of each parameter.
fn walk<'p>(pieces: &[Piece], path: &'p str, found: &mut Vec<&'p str>) -> bool {
    match pieces.split_first() {
        None => path.is_empty(),
        Some((Piece::Literal(text), rest)) => path.strip_prefix(text.as_str()).is_some_and(|tail| walk(rest, tail, found)),
        Some((Piece::Param(_), rest)) => {
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
    use crate::parse;

    fn params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        let template = parse(template).unwrap();
        template.matches(path).map(|found| found.into_iter().map(|(name, value)| (name.to_owned(), value)).collect())
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
        assert_eq!(one("/x(k='it''s-{v}')", "/x(k='it''s-a''b')"), ["a'b"]);
    }

    /// A path the client did not encode (as a test may write it) is split at characters, not
    /// inside one.
    #[test]
    fn non_ascii_paths_do_not_split_characters() {
        assert_eq!(one("/x/{a}.{b}", "/x/é.ü"), ["é", "ü"]);
        assert_eq!(one("/x/{a}-{b}", "/x/éé-üü-x"), ["éé", "üü-x"]);
    }
}
