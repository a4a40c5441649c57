//! Route templates, and matching a request path against one.
//!
//! A template is what `#[graph_endpoint]` writes, read by the same parser
//! (`graph-endpoint-template`): `/users/{userId}`, `/users('{userId}')`,
//! `/reports/getReport(period='{period}')`, `/sites/{hostname}:/{path}`, `/x/{a}.{b}`. A
//! parameter matches a non-empty run of the raw (still percent-encoded) path without a `/`, so
//! a value can never reach into the next segment; when a path can be split more than one way
//! (`{a}.{b}` against `x.y.z`), the earlier parameter takes the shortest run that lets the rest
//! match.

use graph_endpoint_template::{ErrorKind, TemplateError};
use std::sync::Arc;

/// A parsed route template.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    text: Arc<str>,
    parsed: graph_endpoint_template::Template,
}

impl Template {
    /// Parses a template, or says what is wrong with it.
    pub(crate) fn parse(text: &str) -> Result<Template, String> {
        match graph_endpoint_template::parse(text) {
            Ok(parsed) => Ok(Template { text: text.into(), parsed }),
            Err(errors) => Err(errors.iter().map(|error| problem(text, error)).collect::<Vec<_>>().join("; ")),
        }
    }

    /// The template as written.
    pub(crate) fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The parameters of `path` (the raw path after the version, e.g. `/users/a%2Fb`) when it
    /// matches: each name with its decoded value, in template order.
    pub(crate) fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let found = self.parsed.matches(path)?;
        Some(found.into_iter().map(|(name, value)| (name.to_owned(), value)).collect())
    }
}

/// One mistake, said for a route of the stand-in rather than an endpoint definition: where a
/// definition is told to declare a field or a `version`, a route matches any query and is
/// restricted to a version with `.version(...)`.
fn problem(text: &str, error: &TemplateError) -> String {
    match &error.kind {
        ErrorKind::QueryString(_) | ErrorKind::Fragment(_) => {
            format!("the template `{text}` holds a query or a fragment; write the path only (any query matches)")
        }
        ErrorKind::VersionPrefix { version, path } => format!(
            "the template `{text}` starts with the API version; write it without `{version}` (`{path}`, as the endpoint definition does) \
             and restrict the route with `.version(...)` if needed"
        ),
        ErrorKind::AbsoluteUrl { path, .. } => {
            format!("the template `{text}` is a URL; write only the path after the version (`{path}`, as the endpoint definition does)")
        }
        _ => format!("the template `{text}`: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        Template::parse(template).unwrap().matches(path)
    }

    #[test]
    fn matches_with_decoded_values_in_template_order() {
        let found = params("/users('{userId}')/memberOf/{groupId}", "/users('O''Brien%2F2')/memberOf/g%201").unwrap();
        assert_eq!(found, [("userId".to_owned(), "O'Brien/2".to_owned()), ("groupId".to_owned(), "g 1".to_owned())]);
        assert_eq!(params("/users/{userId}", "/users/a/b"), None);
        assert_eq!(Template::parse("/users/{userId}").unwrap().text().as_ref(), "/users/{userId}");
    }

    #[test]
    fn malformed_templates_are_refused() {
        for (bad, says) in [
            ("users/{id}", "must start with `/`"),
            ("/users/{id", "never closed"),
            ("/users/id}", "with no `{` before it"),
            ("/users/{}", "empty parameter"),
            ("/users/{a/b}", "never closed"),
            ("/x/{a}{b}", "adjacent"),
            ("/x/{a}/{a}", "more than once"),
            ("/users?$top=1", "query"),
            ("/beta/users", "API version"),
            ("/v1.0", "API version"),
            ("https://graph.microsoft.com/v1.0/users", "write only the path after the version (`/users`"),
            ("/users/", "ends with `/`"),
        ] {
            let error = Template::parse(bad).unwrap_err();
            assert!(error.contains(says) && error.contains(&format!("`{bad}`")), "{bad}: {error}");
        }
        assert!(Template::parse("/betamax").is_ok());
    }
}
