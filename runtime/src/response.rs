//! A successful answer: the decoded value with its status and headers.

use http::HeaderMap;

/// A decoded response with its status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) value: T,
}

impl<T> Response<T> {
    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (`request-id`, `client-request-id`, `Location`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Graph's `request-id` header, if present.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, by value.
    pub fn into_inner(self) -> T {
        self.value
    }
}
