//! Writing an endpoint's values into a request: path segments, query pairs and headers.
//!
//! Each path value becomes exactly one segment: everything but RFC 3986's unreserved
//! characters is percent-encoded, so `/ ? # %`, spaces and non-ASCII can never change which
//! resource the URL names, and decoding the segment gives the value back. Inside an OData
//! quoted key (`users('{id}')`) a `'` in the value is doubled first, as OData requires.

use crate::error::Error;
use bytes::BytesMut;
use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;
use std::fmt;

/// Encoded in a path segment: everything except `A-Z a-z 0-9 - . _ ~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Encoded in a query key or value: as a segment, but OData's punctuation stays readable
/// (`$filter=startswith(displayName,'a')`); `& = + # %` and spaces are always encoded.
const QUERY: &AsciiSet =
    &SEGMENT.remove(b'$').remove(b'\'').remove(b'(').remove(b')').remove(b',').remove(b':').remove(b'@').remove(b'/').remove(b'*');

/// A type whose values can fill a path segment. Rendered with `Display`, then percent-encoded.
///
/// Implemented for strings, integers, `bool`, `char` and `uuid::Uuid`. For your own id type,
/// implement `Display` and add `impl graph_endpoint::endpoint::PathParam for MyId {}`. Such a type is
/// then also accepted by `#[graph(query)]` and `#[graph(header)]` fields.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a path parameter",
    label = "this field fills a path segment",
    note = "path parameters are `String`, `&str`, integers, `bool`, `char` or `Uuid`; for your own type implement `Display` and write `impl graph_endpoint::endpoint::PathParam for {Self} {{}}`"
)]
pub trait PathParam: fmt::Display {}

macro_rules! display_params {
    ($($ty:ty),* $(,)?) => { $(impl PathParam for $ty {})* };
}
display_params!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, bool, char, uuid::Uuid);
display_params!(str, String, Cow<'_, str>, Box<str>, std::sync::Arc<str>);
impl<T: PathParam + ?Sized> PathParam for &T {}

/// Writes a value's text into an encoder as its `Display` renders it: for strings a single
/// `write_str` of the whole text, straight into the URL or header buffer. Our encoders never
/// fail, so an error is the value's own `Display` failing.
fn with_text<T: PathParam + ?Sized, W: fmt::Write>(value: &T, out: &mut W) -> fmt::Result {
    write!(out, "{value}")
}

/// Builds the path part of a URL. Generated code calls [`literal`](Self::literal) and
/// [`param`](Self::param) in template order.
pub struct PathWriter<'a> {
    out: &'a mut String,
}

impl<'a> PathWriter<'a> {
    /// Appends to `out`.
    pub fn new(out: &'a mut String) -> Self {
        PathWriter { out }
    }

    /// Appends template text as written (the macro has checked it is valid in a path).
    #[inline]
    pub fn literal(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Appends a parameter value as exactly one percent-encoded segment (or part of one).
    ///
    /// `quoted`: the parameter sits inside `'...'`, so a `'` in the value is doubled.
    /// `whole_segment`: the parameter is the whole segment, so a `.` or `..` value is refused:
    /// it would name another resource (`/users/../me`). An empty value is refused wherever it
    /// stands (`/users//x`, `/users('')`, `/x{id}`), and so is a value whose `Display` fails.
    pub fn param<T: PathParam + ?Sized>(&mut self, name: &'static str, value: &T, quoted: bool, whole_segment: bool) -> Result<(), Error> {
        let start = self.out.len();
        let written = with_text(value, &mut SegmentEncoder { out: self.out, quoted });
        let problem = if written.is_err() {
            Some("could not be formatted (its `Display` implementation failed)".to_owned())
        } else {
            match &self.out[start..] {
                "" => Some("empty".to_owned()),
                dots @ ("." | "..") if whole_segment => Some(format!("`{dots}`")),
                _ => None,
            }
        };
        match problem {
            None => Ok(()),
            Some(problem) => {
                self.out.truncate(start);
                Err(Error::invalid_request(format!("path parameter `{{{name}}}` is {problem}; it would address a different resource")))
            }
        }
    }
}

/// Percent-encodes text as it is formatted, straight into the URL buffer.
struct SegmentEncoder<'a> {
    out: &'a mut String,
    quoted: bool,
}

impl fmt::Write for SegmentEncoder<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.quoted {
            let mut parts = text.split('\'');
            if let Some(first) = parts.next() {
                self.out.extend(utf8_percent_encode(first, SEGMENT));
            }
            for part in parts {
                self.out.push_str("%27%27");
                self.out.extend(utf8_percent_encode(part, SEGMENT));
            }
        } else {
            self.out.extend(utf8_percent_encode(text, SEGMENT));
        }
        Ok(())
    }
}

/// Builds the query string: `key=value` pairs joined by `&`, each side percent-encoded.
pub struct QueryWriter<'a> {
    out: &'a mut String,
    /// Length of `out` before the query started: `?` is written before the first pair only.
    start: usize,
}

impl<'a> QueryWriter<'a> {
    /// Appends to `out` (a URL up to its path); writes `?` before the first pair.
    pub fn new(out: &'a mut String) -> Self {
        let start = out.len();
        QueryWriter { out, start }
    }

    /// Whether any pair has been written.
    pub fn is_empty(&self) -> bool {
        self.out.len() == self.start
    }

    fn begin_pair(&mut self, key: &str) {
        self.out.push(if self.is_empty() { '?' } else { '&' });
        self.out.extend(utf8_percent_encode(key, QUERY));
        self.out.push('=');
    }

    /// Appends `key=value`.
    pub fn pair(&mut self, key: &str, value: &str) {
        self.begin_pair(key);
        self.out.extend(utf8_percent_encode(value, QUERY));
    }

    /// Appends `key=value` with the value rendered by [`PathParam`]'s `Display`.
    pub fn pair_display<T: PathParam + ?Sized>(&mut self, key: &str, value: &T) {
        self.begin_pair(key);
        // A failing `Display` leaves what it wrote; query values are not part of the path.
        let _ = with_text(value, &mut QueryEncoder { out: self.out });
    }

    /// Appends `key=a,b,c` (OData's list form, as in `$select=id,displayName`); nothing for
    /// an empty list.
    pub fn pair_list<T: PathParam>(&mut self, key: &str, values: &[T]) {
        if values.is_empty() {
            return;
        }
        self.begin_pair(key);
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let _ = with_text(value, &mut QueryEncoder { out: self.out });
        }
    }

    /// The keys written so far, decoded.
    pub fn keys(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.out[self.start..]
            .split(['?', '&'])
            .filter(|pair| !pair.is_empty())
            .map(|pair| percent_encoding::percent_decode_str(pair.split('=').next().unwrap_or("")).decode_utf8_lossy())
    }
}

struct QueryEncoder<'a> {
    out: &'a mut String,
}

impl fmt::Write for QueryEncoder<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.out.extend(utf8_percent_encode(text, QUERY));
        Ok(())
    }
}

/// A field type that `#[graph(query)]` can send: any [`PathParam`] type, `Option` of one
/// (left out when `None`), or a `Vec`/slice of them (sent comma-separated).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a query parameter",
    label = "this field is sent as a query parameter",
    note = "query parameters are strings, integers, `bool`, `char`, `Uuid`, `Option` of those (left out when `None`) or `Vec` of those (comma-separated); for your own type implement `Display` and `graph_endpoint::endpoint::PathParam`"
)]
pub trait QueryParam {
    /// Appends this value under `key`.
    fn write_query(&self, key: &str, query: &mut QueryWriter<'_>);
}

impl<T: PathParam + ?Sized> QueryParam for T {
    fn write_query(&self, key: &str, query: &mut QueryWriter<'_>) {
        query.pair_display(key, self);
    }
}

impl<T: QueryParam> QueryParam for Option<T> {
    fn write_query(&self, key: &str, query: &mut QueryWriter<'_>) {
        if let Some(value) = self {
            value.write_query(key, query);
        }
    }
}

impl<T: PathParam> QueryParam for [T] {
    fn write_query(&self, key: &str, query: &mut QueryWriter<'_>) {
        query.pair_list(key, self);
    }
}

impl<T: PathParam> QueryParam for Vec<T> {
    fn write_query(&self, key: &str, query: &mut QueryWriter<'_>) {
        query.pair_list(key, self);
    }
}

/// Adds an endpoint's own headers to a request.
pub struct HeaderWriter<'a> {
    headers: &'a mut HeaderMap,
}

impl<'a> HeaderWriter<'a> {
    /// Writes into `headers`.
    pub fn new(headers: &'a mut HeaderMap) -> Self {
        HeaderWriter { headers }
    }

    /// Sets a header; fails on a name or value that HTTP cannot carry (such as a line break).
    pub fn insert(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let header = header_name(name)?;
        let value = HeaderValue::from_str(value).map_err(|_| invalid_value(name))?;
        self.headers.insert(header, value);
        Ok(())
    }

    /// Sets a header to a value as its `Display` renders it, formatted straight into the
    /// header's own bytes.
    fn insert_display<T: PathParam + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let header = header_name(name)?;
        let mut text = BytesMut::new();
        with_text(value, &mut text).map_err(|_| {
            Error::invalid_request(format!("the value of header `{name}` could not be formatted (its `Display` implementation failed)"))
        })?;
        let value = HeaderValue::from_maybe_shared(text.freeze()).map_err(|_| invalid_value(name))?;
        self.headers.insert(header, value);
        Ok(())
    }
}

fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::invalid_request(format!("`{name}` is not a valid header name")))
}

fn invalid_value(name: &str) -> Error {
    Error::invalid_request(format!("the value of header `{name}` contains characters a header cannot carry"))
}

/// A field type that `#[graph(header = "...")]` can send: any [`PathParam`] type, or an
/// `Option` of one (left out when `None`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a header value",
    label = "this field is sent as a header",
    note = "header values are strings, integers, `bool`, `char`, `Uuid` or `Option` of those; for your own type implement `Display` and `graph_endpoint::endpoint::PathParam`"
)]
pub trait HeaderParam {
    /// Sets the header `name` (lower-case) to this value.
    fn write_header(&self, name: &str, headers: &mut HeaderWriter<'_>) -> Result<(), Error>;
}

impl<T: PathParam + ?Sized> HeaderParam for T {
    fn write_header(&self, name: &str, headers: &mut HeaderWriter<'_>) -> Result<(), Error> {
        headers.insert_display(name, self)
    }
}

impl<T: HeaderParam> HeaderParam for Option<T> {
    fn write_header(&self, name: &str, headers: &mut HeaderWriter<'_>) -> Result<(), Error> {
        match self {
            Some(value) => value.write_header(name, headers),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment<T: PathParam + ?Sized>(value: &T, quoted: bool) -> String {
        let mut out = String::new();
        PathWriter::new(&mut out).param("p", value, quoted, false).unwrap();
        out
    }

    fn decode(s: &str) -> String {
        percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned()
    }

    #[test]
    fn hostile_values_stay_in_one_segment() {
        for value in ["a/b", "a?b", "a#EXT#@x.onmicrosoft.com", "a b", "100%", "ünï/cødé", "..", "a;b=c", "x+y&z"] {
            let encoded = segment(value, false);
            assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{encoded}");
            assert_eq!(decode(&encoded), value);
        }
    }

    #[test]
    fn quotes_are_doubled_inside_quoted_keys() {
        assert_eq!(decode(&segment("O'Brien", true)), "O''Brien");
        assert_eq!(decode(&segment("O'Brien", false)), "O'Brien");
    }

    #[test]
    fn whole_segment_refuses_values_that_move_the_path() {
        for value in ["", ".", ".."] {
            let mut out = String::from("/users/");
            let error = PathWriter::new(&mut out).param("userId", value, false, true).unwrap_err();
            assert!(error.to_string().contains("{userId}"), "{error}");
            assert_eq!(out, "/users/");
        }
        let mut out = String::new();
        PathWriter::new(&mut out).param("x", "..", false, false).unwrap();
    }

    #[test]
    fn empty_values_are_refused_inside_a_segment_too() {
        for (quoted, whole) in [(true, false), (false, false)] {
            let mut out = String::from("/users('");
            let error = PathWriter::new(&mut out).param("userId", "", quoted, whole).unwrap_err();
            assert!(error.message().contains("`{userId}` is empty"), "{error}");
            assert_eq!(out, "/users('");
        }
    }

    #[test]
    fn a_failing_display_is_an_error_not_a_short_segment() {
        struct Half;
        impl fmt::Display for Half {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("abc")?;
                Err(fmt::Error)
            }
        }
        impl PathParam for Half {}
        let mut out = String::from("/devices/");
        let error = PathWriter::new(&mut out).param("deviceId", &Half, false, true).unwrap_err();
        assert!(error.message().contains("`Display`"), "{error}");
        assert_eq!(out, "/devices/");
    }

    #[test]
    fn a_failing_display_in_a_header_is_an_error_not_a_panic() {
        struct Broken;
        impl fmt::Display for Broken {
            fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
                Err(fmt::Error)
            }
        }
        impl PathParam for Broken {}
        let mut headers = HeaderMap::new();
        let error = Broken.write_header("x-broken", &mut HeaderWriter::new(&mut headers)).unwrap_err();
        assert_eq!(error.kind(), crate::error::ErrorKind::InvalidRequest);
        assert!(error.message().contains("`x-broken`") && error.message().contains("`Display`"), "{error}");
        assert!(headers.is_empty());
        // Values that format are set as they render.
        let mut writer = HeaderWriter::new(&mut headers);
        42u32.write_header("x-number", &mut writer).unwrap();
        "eventual".write_header("consistencylevel", &mut writer).unwrap();
        Some(uuid::Uuid::nil()).write_header("x-id", &mut writer).unwrap();
        None::<String>.write_header("x-none", &mut writer).unwrap();
        assert!("a\nb".write_header("x-line", &mut writer).is_err());
        assert_eq!(headers["x-number"], "42");
        assert_eq!(headers["consistencylevel"], "eventual");
        assert_eq!(headers["x-id"], "00000000-0000-0000-0000-000000000000");
        assert!(!headers.contains_key("x-none") && !headers.contains_key("x-line"));
    }

    #[test]
    fn display_types_format_without_allocating_strings() {
        assert_eq!(segment(&42u32, false), "42");
        assert_eq!(segment(&-1i64, false), "-1");
        assert_eq!(segment(&true, false), "true");
    }

    #[test]
    fn query_pairs() {
        let mut url = String::from("/x");
        let mut q = QueryWriter::new(&mut url);
        "displayName eq 'a&b#c' and x+y=ü".write_query("$filter", &mut q);
        None::<u32>.write_query("$top", &mut q);
        vec!["id", "displayName"].write_query("$select", &mut q);
        Some(5u32).write_query("$top", &mut q);
        assert_eq!(q.keys().collect::<Vec<_>>(), ["$filter", "$select", "$top"]);
        assert_eq!(url, "/x?$filter=displayName%20eq%20'a%26b%23c'%20and%20x%2By%3D%C3%BC&$select=id,displayName&$top=5");
    }
}
