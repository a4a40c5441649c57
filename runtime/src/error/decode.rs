//! A success body that is not what the endpoint declares, said without quoting the body: the
//! declared type, the JSON path, the line and column, and the shape of what was found (a
//! string, a number), never its value. Bodies hold personal data (mail addresses, phone
//! numbers) and secrets (an `addPassword` answer's `secretText`), and errors end up in logs.

use super::graph::clean;
use serde_json::error::Category;
use serde_path_to_error::{Path, Segment};
use std::fmt;

/// Longest map key shown in a path.
const KEY_LIMIT: usize = 64;
/// Longest part of serde's own wording kept (what a type expects, from its code).
const EXPECTED_LIMIT: usize = 200;

/// A success body that does not decode as the endpoint's declared response type.
#[derive(Debug, Clone)]
pub struct DecodeError {
    expected: &'static str,
    empty_body: bool,
    message: String,
}

impl DecodeError {
    /// `expected`: the declared type's name; `empty_body`: whether the body was empty;
    /// `message`: what is wrong (shown as it is: quote no values of the body in it).
    pub fn new(expected: &'static str, empty_body: bool, message: String) -> Self {
        DecodeError { expected, empty_body, message }
    }

    /// JSON that does not decode as `expected`: where (the path, when known, and the line and
    /// column) and what kind of value was found there, from the error's category and serde's
    /// fixed wording, never the value itself.
    pub(crate) fn json(expected: &'static str, empty_body: bool, path: Option<&Path>, error: &serde_json::Error) -> Self {
        let mut place = Vec::new();
        if let Some(path) = path.filter(|path| path.iter().next().is_some()) {
            place.push(format!("at `{}`", shown_path(path)));
        }
        if error.line() > 0 {
            place.push(format!("line {}, column {}", error.line(), error.column()));
        }
        let what = match error.classify() {
            Category::Syntax => "not valid JSON".to_owned(),
            Category::Eof => "the JSON ends before it is complete".to_owned(),
            Category::Io => "the body could not be read".to_owned(),
            Category::Data => shape(&serde_text(error)),
        };
        let message = if place.is_empty() { what } else { format!("{}: {what}", place.join(", ")) };
        DecodeError { expected, empty_body, message }
    }

    /// Whether the body was empty (as in `204 No Content`).
    pub fn is_empty_body(&self) -> bool {
        self.empty_body
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.empty_body {
            write!(
                f,
                "the response body is empty but the endpoint declares `{}`; Graph often answers 204 No Content, so declare `response = Option<{}>`",
                self.expected, self.expected
            )
        } else {
            write!(f, "the response body is not a valid `{}`: {}", self.expected, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// `value[3].mail`: indexes in brackets, keys after dots (control characters removed, long
/// keys cut).
fn shown_path(path: &Path) -> String {
    let mut shown = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => shown.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !shown.is_empty() {
                    shown.push('.');
                }
                shown.push_str(&clean(key, KEY_LIMIT));
            }
            Segment::Unknown => shown.push_str(if shown.is_empty() { "?" } else { ".?" }),
        }
    }
    shown
}

/// serde's message without serde_json's ` at line L column C`.
fn serde_text(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(bare) => bare.to_owned(),
        None => text,
    }
}

/// What serde's message says of a data error, keeping only what comes from the types' code
/// (the expectation, field names) and the kind of value found, never the value: serde writes
/// `invalid type: string "adele.vance@contoso.com", expected u64`; this gives
/// `found a string where u64 is expected`. Wordings it does not know (custom messages, which
/// may quote anything) give only that the value does not fit.
fn shape(message: &str) -> String {
    // What serde's wording puts last comes from the type (its `expecting`); a quoted value
    // comes before it, so the last `, expected ` is serde's own even when a value holds one.
    let expected = || message.rfind(", expected ").map(|at| clean(&message[at + ", expected ".len()..], EXPECTED_LIMIT));
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return match expected() {
            Some(expected) => format!("found {} where {expected} is expected", found(rest)),
            None => format!("found {} of the wrong type", found(rest)),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return match expected() {
            Some(expected) => format!("found {} that is not {expected}", found(rest)),
            None => format!("found {} out of range", found(rest)),
        };
    }
    if message.starts_with("invalid length ") {
        return match expected() {
            Some(expected) => format!("found a sequence or map of the wrong length, where {expected} is expected"),
            None => "found a sequence or map of the wrong length".to_owned(),
        };
    }
    if message.starts_with("unknown variant ") {
        return match expected() {
            Some(expected) => format!("found a value that is none of the type's variants (expected {expected})"),
            None => "found a value that is none of the type's variants".to_owned(),
        };
    }
    if message.starts_with("unknown field ") {
        return "found a field the type does not allow".to_owned();
    }
    for named in ["missing field `", "duplicate field `"] {
        // The field's name comes from the type's code, whichever it is.
        if message.starts_with(named) && message.ends_with('`') && message.matches('`').count() == 2 {
            return clean(message, EXPECTED_LIMIT);
        }
    }
    if let Some(name) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return format!("found a value that matches no variant of the untagged enum {}", clean(name, EXPECTED_LIMIT));
    }
    "found a value that the type does not accept".to_owned()
}

/// The kind of value serde names at the start of `unexpected` (`string "..."`, `integer
/// `5``), without the value.
fn found(unexpected: &str) -> &'static str {
    const KINDS: [(&str, &str); 17] = [
        ("boolean", "a boolean"),
        ("integer", "an integer"),
        ("floating point", "a number"),
        ("character", "a character"),
        ("string", "a string"),
        ("byte array", "bytes"),
        ("unit value", "null"),
        ("null", "null"),
        ("Option value", "an optional value"),
        ("newtype struct", "a value"),
        ("sequence", "an array"),
        ("map", "an object"),
        ("enum", "an enum"),
        ("unit variant", "a variant"),
        ("newtype variant", "a variant"),
        ("tuple variant", "a variant"),
        ("struct variant", "a variant"),
    ];
    KINDS.iter().find(|(prefix, _)| unexpected.starts_with(prefix)).map_or("a value", |(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn decode<T: serde::de::DeserializeOwned>(json: &str) -> String {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let error = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err().unwrap();
        DecodeError::json("T", false, Some(error.path()), error.inner()).to_string()
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct User {
        mail: u64,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Deserialize)]
    enum Kind {
        Member,
    }

    #[test]
    fn values_are_never_quoted() {
        let text = decode::<Vec<User>>(r#"[{"mail":1},{"mail":1},{"mail":1},{"mail":"adele.vance@contoso.com"}]"#);
        assert_eq!(text, "the response body is not a valid `T`: at `[3].mail`, line 1, column 67: found a string where u64 is expected");
        let text = decode::<Vec<User>>(r#"[{"mail":1,"kind":"Zx8Q~s3cr3t, expected x"}]"#);
        assert!(!text.contains("Zx8Q") && !text.contains("expected x"), "{text}");
        assert!(text.contains("at `[0].kind`") && text.contains("none of the type's variants (expected `Member`)"), "{text}");
        let text = decode::<User>(r#"{"kind":"Member"}"#);
        assert!(text.ends_with("missing field `mail`"), "{text}");
        let text = decode::<User>(r#"{"mail": "+1 425 555 0100"#);
        assert!(!text.contains("425"), "{text}");
        let text = decode::<User>(r#"{"mail": 12 x"#);
        assert!(text.contains("not valid JSON") || text.contains("line 1"), "{text}");
    }

    #[test]
    fn custom_messages_are_not_repeated() {
        #[allow(dead_code)]
        #[derive(Debug)]
        struct Picky;
        impl<'de> Deserialize<'de> for Picky {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Err(serde::de::Error::custom(format!("refused {text}")))
            }
        }
        let text = decode::<Vec<Picky>>(r#"["+1 425 555 0100"]"#);
        assert!(!text.contains("425"), "{text}");
        assert!(text.contains("at `[0]`") && text.contains("does not accept"), "{text}");
    }

    #[test]
    fn keys_in_paths_are_cleaned_and_cut() {
        let key = format!("\u{1b}[31m{}", "k".repeat(100));
        let text = decode::<std::collections::HashMap<String, u8>>(&format!(r#"{{"{}": "x"}}"#, key.replace('\u{1b}', "\\u001b")));
        assert!(!text.contains('\u{1b}') && text.contains(&format!("{}…", "k".repeat(KEY_LIMIT))), "{text}");
    }
}
