//! A success body that is not what the endpoint declares.

use std::fmt;

/// A success body that does not decode as the endpoint's declared response type.
#[derive(Debug, Clone)]
pub struct DecodeError {
    expected: &'static str,
    empty_body: bool,
    message: String,
}

impl DecodeError {
    /// `expected`: the declared type's name; `empty_body`: whether the body was empty.
    pub fn new(expected: &'static str, empty_body: bool, message: String) -> Self {
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
