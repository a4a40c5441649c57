//! What can be wrong with a template, where, and what to write instead.
//!
//! The messages are written for the author of an endpoint definition. A query string is only
//! said to be one: what to declare instead depends on where the template is written (the
//! attribute adds the fields to declare), so a consumer adds its own advice to
//! [`ErrorKind::QueryString`] and to an [`ErrorKind::AbsoluteUrl`] with a query.

use std::fmt;
use std::ops::Range;

/// One mistake in a template, with the byte range it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// The byte range of the source the mistake concerns (empty for a missing `/` or an empty
    /// template; the whole source for an absolute URL).
    pub at: Range<usize>,
}

/// The kinds of mistake the parser reports. Each error's `Display` says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `""`.
    Empty,
    /// `https://graph.microsoft.com/v1.0/me`: the path to write instead (empty when the URL
    /// has none), the version the URL names, and its query string without the `?`.
    AbsoluteUrl {
        /// The path after the host and version, to write instead.
        path: String,
        /// `v1.0` or `beta`, when the URL names one.
        version: Option<String>,
        /// The URL's query string, without `?`.
        query: Option<String>,
    },
    /// `beta/users/{userId}`, `/v1.0/me`, `beta`: the version in lower case and the path to
    /// write instead (empty when the template is only the version).
    VersionPrefix {
        /// `v1.0` or `beta`.
        version: String,
        /// The path after the version.
        path: String,
    },
    /// `users/{userId}`.
    MissingLeadingSlash,
    /// `/users//{userId}`.
    EmptySegment,
    /// `/users/`.
    TrailingSlash,
    /// `?$filter=x`: the query string without the `?`, up to a `#`.
    QueryString(String),
    /// `#top`: the fragment without the `#`.
    Fragment(String),
    /// A space, tab or other whitespace (reported once).
    Whitespace,
    /// A character a URL path cannot hold as written (`"`, `é`, `\`).
    InvalidChar(char),
    /// `%` not followed by two hex digits.
    InvalidPercentEscape,
    /// `{id` without its `}`.
    UnclosedBrace,
    /// `id}` without its `{`.
    UnmatchedCloseBrace,
    /// `{a{b}}`.
    NestedBrace,
    /// `{}`.
    EmptyParam,
    /// `{1id}`: the name as written.
    InvalidParamName(String),
    /// `/groups/{id}/threads/{id}`: the repeated name.
    DuplicateParam(String),
    /// `{a}{b}`: both names.
    AdjacentParams(String, String),
    /// `f(a='{a}'` without its `)`.
    UnclosedParen,
    /// `)` without its `(` in the segment.
    UnmatchedCloseParen,
    /// `('{a})` without the closing `'`.
    UnclosedQuote,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match &self.kind {
            Empty => f.write_str("the path template is empty; write the path from the Graph reference page, e.g. \"/users/{userId}\""),
            AbsoluteUrl { path, version, .. } => {
                f.write_str("the path template is an absolute URL; ")?;
                match version {
                    Some(version) if !path.is_empty() => write!(
                        f,
                        "templates are relative to the version root: write `{path}` and `version = \"{version}\"` (the client supplies the host)"
                    )?,
                    None if !path.is_empty() => {
                        write!(f, "write only the path, `{path}` (the client supplies the host and the version)")?
                    }
                    _ => f.write_str(
                        "templates are relative to the version root: write only the path after the version, e.g. `/users/{userId}` (the client supplies the host and the version)",
                    )?,
                }
                Ok(())
            }
            VersionPrefix { version, path } if path.is_empty() => write!(
                f,
                "the path template is only the version `{version}`; templates are relative to the version root: write the path after it, e.g. `/users/{{userId}}`, and `version = \"{version}\"`"
            ),
            VersionPrefix { version, path } => write!(
                f,
                "the path template starts with the version `{version}`, but templates are relative to the version root: write `{path}` and `version = \"{version}\"`"
            ),
            MissingLeadingSlash => f.write_str("the path template must start with `/`, e.g. \"/users/{userId}\""),
            EmptySegment => f.write_str("the path template has an empty segment `//`; remove the extra `/`"),
            TrailingSlash => f.write_str("the path template ends with `/`; remove the trailing `/`"),
            QueryString(query) => write!(f, "the path template contains the query string `?{query}`; a template is a path only"),
            Fragment(fragment) => write!(
                f,
                "the path template contains the fragment `#{fragment}`, which is never sent to the server; remove it (a `#` that belongs in a segment is written `%23`)"
            ),
            Whitespace => f.write_str("the path template contains whitespace; remove it (Graph paths have no spaces)"),
            InvalidChar(c) => {
                write!(f, "the path template contains `{}`, which is not allowed in a URL path; write it percent-encoded", c.escape_debug())
            }
            InvalidPercentEscape => {
                f.write_str("the path template contains `%` not followed by two hex digits; write `%25` for a literal `%`")
            }
            UnclosedBrace => f.write_str("the path template has a `{` that is never closed; write the parameter as `{name}`"),
            UnmatchedCloseBrace => f.write_str("the path template has a `}` with no `{` before it"),
            NestedBrace => f.write_str("the path template has a `{` inside a parameter; parameters cannot nest"),
            EmptyParam => f.write_str("the path template has an empty parameter `{}`; name it, e.g. `{userId}`"),
            InvalidParamName(name) => {
                write!(f, "`{{{name}}}` is not a valid parameter name; use letters, digits, `_` and `-`, starting with a letter or `_`")
            }
            DuplicateParam(name) => write!(
                f,
                "the parameter `{{{name}}}` appears more than once; give each occurrence its own name, e.g. `{{groupId}}` and `{{threadId}}`, and a field for each"
            ),
            AdjacentParams(a, b) => write!(
                f,
                "the parameters `{{{a}}}` and `{{{b}}}` are adjacent, so their values cannot be told apart; put literal text between them"
            ),
            UnclosedParen => f.write_str("the path template has a `(` that is never closed in its segment; add the missing `)`"),
            UnmatchedCloseParen => f.write_str("the path template has a `)` with no `(` before it in its segment"),
            UnclosedQuote => f.write_str("the path template has a `'` that is never closed in its segment; add the missing `'`"),
        }
    }
}

impl std::error::Error for TemplateError {}
