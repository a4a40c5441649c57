//! Request bodies: JSON, or bytes with their content type; and the bound `#[graph_endpoint]`
//! infers for a generic body.

use crate::error::Error;
use bytes::Bytes;
use serde::Serialize;

/// Where an endpoint writes its request body, from [`Endpoint::write_body`](crate::Endpoint::write_body).
/// Writing nothing sends no body.
#[derive(Debug)]
pub struct BodyWriter<'a> {
    buffer: &'a mut Vec<u8>,
    written: Option<Written>,
}

#[derive(Debug)]
enum Written {
    Json,
    Raw { content_type: String, bytes: Option<Bytes> },
}

/// A body, as the client sends it.
pub(crate) enum Body {
    None,
    /// JSON serialized into the buffer.
    Json,
    /// Bytes with their content type: in the buffer, or shared without a copy.
    Raw {
        content_type: String,
        bytes: Option<Bytes>,
    },
}

impl<'a> BodyWriter<'a> {
    /// Writes into `buffer` (which the client reuses as the request body).
    pub fn new(buffer: &'a mut Vec<u8>) -> Self {
        BodyWriter { buffer, written: None }
    }

    /// The body is `value` as JSON, sent with `Content-Type: application/json`.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.buffer.clear();
        serde_json::to_writer(&mut *self.buffer, value)
            .map_err(|e| Error::invalid_request(format!("the request body could not be serialized as JSON: {e}")))?;
        self.written = Some(Written::Json);
        Ok(())
    }

    /// The body is `bytes` as they are, sent with `Content-Type: content_type` (unless the
    /// endpoint sets its own `Content-Type` header).
    pub fn raw<B: RawBody + ?Sized>(&mut self, content_type: &str, bytes: &B) -> Result<(), Error> {
        http::HeaderValue::from_str(content_type)
            .map_err(|_| Error::invalid_request(format!("`{content_type}` cannot be a Content-Type header")))?;
        self.buffer.clear();
        let bytes = bytes.shared().or_else(|| {
            self.buffer.extend_from_slice(bytes.as_slice());
            None
        });
        self.written = Some(Written::Raw { content_type: content_type.to_owned(), bytes });
        Ok(())
    }

    /// The content type of what was written: `application/json`, a raw body's own, or `None`
    /// when nothing was written (no body).
    pub fn content_type(&self) -> Option<&str> {
        match &self.written {
            None => None,
            Some(Written::Json) => Some("application/json"),
            Some(Written::Raw { content_type, .. }) => Some(content_type),
        }
    }

    pub(crate) fn finish(self) -> Body {
        match self.written {
            None => Body::None,
            Some(Written::Json) => Body::Json,
            Some(Written::Raw { content_type, bytes }) => Body::Raw { content_type, bytes },
        }
    }
}

/// Bytes a [`BodyWriter::raw`] body can be made of: `Vec<u8>`, `[u8]`, `Bytes`, `String`,
/// `str`. `Bytes` is shared, not copied.
///
/// For a type of your own, implement [`as_slice`](Self::as_slice); if it holds its bytes as
/// [`Bytes`] already, implement [`shared`](Self::shared) too, so that they are sent without a
/// copy.
pub trait RawBody {
    /// The bytes.
    fn as_slice(&self) -> &[u8];

    /// The same bytes as a shared [`Bytes`], when the value holds them so: the body is then
    /// sent without a copy. `None` (the default) copies [`as_slice`](Self::as_slice).
    fn shared(&self) -> Option<Bytes> {
        None
    }
}

impl RawBody for [u8] {
    fn as_slice(&self) -> &[u8] {
        self
    }
}

impl RawBody for Vec<u8> {
    fn as_slice(&self) -> &[u8] {
        self
    }
}

impl RawBody for str {
    fn as_slice(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl RawBody for String {
    fn as_slice(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl RawBody for Bytes {
    fn as_slice(&self) -> &[u8] {
        self
    }

    fn shared(&self) -> Option<Bytes> {
        Some(self.clone())
    }
}

impl<B: RawBody + ?Sized> RawBody for &B {
    fn as_slice(&self) -> &[u8] {
        (**self).as_slice()
    }

    fn shared(&self) -> Option<Bytes> {
        (**self).shared()
    }
}

/// A type a generic endpoint can send as its JSON body: any `Serialize` type. The bound
/// `#[graph_endpoint]` infers for a type parameter in a body.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a JSON body: it does not implement `serde::Serialize`",
    note = "derive it with #[derive(serde::Serialize)], or send bytes with #[graph(body, content_type = \"...\")]"
)]
pub trait JsonBody: Serialize {}

impl<T: Serialize + ?Sized> JsonBody for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_bodies_share_bytes_and_copy_slices() {
        let mut buffer = Vec::new();
        let mut writer = BodyWriter::new(&mut buffer);
        writer.raw("application/octet-stream", &Bytes::from_static(b"abc")).unwrap();
        assert!(matches!(writer.finish(), Body::Raw { bytes: Some(b), .. } if &b[..] == b"abc"));
        let mut writer = BodyWriter::new(&mut buffer);
        writer.raw("text/plain", &b"xyz".to_vec()).unwrap();
        assert!(matches!(writer.finish(), Body::Raw { bytes: None, .. }));
        assert_eq!(buffer, b"xyz");
        let mut writer = BodyWriter::new(&mut buffer);
        assert!(writer.raw("text/plain\n", "x").is_err());
    }
}
