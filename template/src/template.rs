//! A parsed template: literal text and parameters, in order, and its `/`-separated segments.

use std::ops::Range;

/// A parsed template: literal text and parameters, in order. Rendering the pieces back gives
/// the source text exactly.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    pub(crate) pieces: Vec<Piece>,
}

/// A run of literal text, or one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text sent as written (already valid in a URL path), `/` included.
    Literal(String),
    /// A `{name}` parameter.
    Param(Param),
}

/// A `{name}` parameter of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub(crate) name: String,
    pub(crate) quoted: bool,
    pub(crate) whole_segment: bool,
    pub(crate) span: Range<usize>,
}

impl Param {
    /// The name between the braces, as written: `deviceConfigurationId`, `user-id`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Inside single quotes (`users('{userId}')`): OData wants a `'` in the value doubled.
    pub fn quoted(&self) -> bool {
        self.quoted
    }

    /// The parameter is the whole segment (`/users/{userId}/`): an empty, `.` or `..` value
    /// would change which resource the URL names.
    pub fn whole_segment(&self) -> bool {
        self.whole_segment
    }

    /// The byte range of `{name}` in the source.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

impl Template {
    /// The pieces, in order.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The parameters, in order.
    pub fn params(&self) -> impl Iterator<Item = &Param> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Param(param) => Some(param),
            Piece::Literal(_) => None,
        })
    }

    /// The source text again.
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

    /// The segments between the `/`s, in order: `/users/{userId}/getReport(period='{p}')` has
    /// `users`, `{userId}` and `getReport(period='{p}')`.
    pub fn segments(&self) -> Vec<Segment<'_>> {
        let mut segments = Vec::new();
        let mut current: Vec<Part<'_>> = Vec::new();
        // The `/` that starts a template opens its first segment rather than closing one.
        let mut first = true;
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => {
                    let mut runs = text.split('/');
                    if let Some(run) = runs.next().filter(|run| !run.is_empty()) {
                        current.push(Part::Text(run));
                    }
                    for run in runs {
                        let parts = std::mem::take(&mut current);
                        if !(first && parts.is_empty()) {
                            segments.push(Segment { parts });
                        }
                        first = false;
                        if !run.is_empty() {
                            current.push(Part::Text(run));
                        }
                    }
                }
                Piece::Param(param) => current.push(Part::Param(param)),
            }
        }
        if !(first && current.is_empty()) {
            segments.push(Segment { parts: current });
        }
        segments
    }
}

/// One segment of a template: text and parameters between two `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'t> {
    parts: Vec<Part<'t>>,
}

/// Text or a parameter within one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'t> {
    /// Literal text, without `/`.
    Text(&'t str),
    /// A parameter.
    Param(&'t Param),
}

impl<'t> Segment<'t> {
    /// The text and parameters, in order.
    pub fn parts(&self) -> &[Part<'t>] {
        &self.parts
    }

    /// The segment as written: `{userId}`, `assignments`, `getReport(period='{period}')`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Param(param) => {
                    out.push('{');
                    out.push_str(&param.name);
                    out.push('}');
                }
            }
        }
        out
    }

    /// The parameter that is the whole segment (a key: `/users/{userId}`), if it is one.
    pub fn param(&self) -> Option<&'t Param> {
        match self.parts.as_slice() {
            [Part::Param(param)] => Some(param),
            _ => None,
        }
    }

    /// Every parameter of the segment, in order.
    pub fn params(&self) -> impl Iterator<Item = &'t Param> + '_ {
        self.parts.iter().filter_map(|part| match part {
            Part::Param(param) => Some(*param),
            Part::Text(_) => None,
        })
    }

    /// The name before a `(`, and the text between it and the segment's last `)` — a function
    /// call (`getReport(period='{period}')`), an alternate key (`users(appId='{appId}')`) or a
    /// key in parentheses (`users('{userId}')`) — when the segment has that form.
    pub fn call(&self) -> Option<(String, String)> {
        let text = self.text();
        let (name, rest) = text.split_once('(')?;
        let arguments = rest.strip_suffix(')')?;
        Some((name.to_owned(), arguments.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use crate::parse;

    fn segments(src: &str) -> Vec<String> {
        parse(src).unwrap().segments().iter().map(|s| s.text()).collect()
    }

    #[test]
    fn segments_split_at_slashes() {
        assert_eq!(segments("/users/{userId}/messages"), ["users", "{userId}", "messages"]);
        assert_eq!(segments("/me"), ["me"]);
        assert_eq!(segments("/reports/getReport(period='{period}')"), ["reports", "getReport(period='{period}')"]);
        assert_eq!(segments("/x/{a}.{b}"), ["x", "{a}.{b}"]);
        assert_eq!(
            segments("/drives/{drive-id}/root:/{item-path}:/children"),
            ["drives", "{drive-id}", "root:", "{item-path}:", "children"]
        );
    }

    #[test]
    fn whole_segment_parameters_and_calls() {
        let template = parse("/users('{userId}')/x{b}/{c}/getReport(period='{p}',n={n})/delta()").unwrap();
        let segments = template.segments();
        assert_eq!(segments.iter().map(|s| s.param().map(|p| p.name())).collect::<Vec<_>>(), [None, None, Some("c"), None, None]);
        assert_eq!(segments[0].call(), Some(("users".to_owned(), "'{userId}'".to_owned())));
        assert_eq!(segments[1].params().map(|p| p.name()).collect::<Vec<_>>(), ["b"]);
        assert_eq!(segments[3].call(), Some(("getReport".to_owned(), "period='{p}',n={n}".to_owned())));
        assert_eq!(segments[4].call(), Some(("delta".to_owned(), String::new())));
        assert_eq!(segments[2].call(), None);
        // The whole-segment flag the parser sets is the segment's own view.
        for segment in &segments {
            for param in segment.params() {
                assert_eq!(param.whole_segment(), segment.param().is_some(), "{}", segment.text());
            }
        }
    }
}
