//! Request bodies (JSON, or bytes with their content type) and the decoding of answers (JSON,
//! raw bytes, or nothing).

use crate::error::{DecodeError, Error};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

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
pub trait RawBody {
    /// The bytes.
    fn as_slice(&self) -> &[u8];

    /// The bytes without a copy, when they are shared already.
    #[doc(hidden)]
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

/// A successful answer, as [`Endpoint::decode_response`](crate::Endpoint::decode_response)
/// receives it.
#[derive(Debug, Clone)]
pub struct Answer<'a> {
    /// The status (2xx).
    pub status: StatusCode,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// The whole body (empty for `204 No Content`).
    pub body: &'a Bytes,
}

/// Decodes a JSON response body. An empty body (as in `204 No Content`) decodes as `null`,
/// so `Option<T>` gives `None`.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let result = if empty { serde_json::from_slice(b"null") } else { serde_json::from_slice(body) };
    result.map_err(|error| DecodeError::new(std::any::type_name::<T>(), empty, error.to_string()))
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

/// A type a generic endpoint can decode its answer into: any `DeserializeOwned` type. The
/// bound `#[graph_endpoint]` infers for a type parameter in a response.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a JSON response: it does not implement `serde::Deserialize`",
    note = "derive it with #[derive(serde::Deserialize)], or declare `response = graph_endpoint::Bytes` for the raw body"
)]
pub trait JsonResponse: DeserializeOwned {}

impl<T: DeserializeOwned> JsonResponse for T {}

/// How generated code decodes `response = T`: raw bytes for `Bytes` and `Vec<u8>`, JSON for
/// anything else. Chosen by method resolution (`(&Decode::<T>::new()).decode(..)`): the raw
/// impls take `&Decode<_>` and win; the JSON impl takes `&&Decode<T>` and comes second.
#[doc(hidden)]
pub struct Decode<T>(std::marker::PhantomData<fn() -> T>);

impl<T> Decode<T> {
    #[doc(hidden)]
    pub const fn new() -> Self {
        Decode(std::marker::PhantomData)
    }
}

impl<T> Default for Decode<T> {
    fn default() -> Self {
        Decode::new()
    }
}

#[doc(hidden)]
pub trait DecodeRaw<T> {
    fn decode(&self, answer: &Answer<'_>) -> Result<T, DecodeError>;
}

impl DecodeRaw<Bytes> for Decode<Bytes> {
    fn decode(&self, answer: &Answer<'_>) -> Result<Bytes, DecodeError> {
        Ok(answer.body.clone())
    }
}

impl DecodeRaw<Vec<u8>> for Decode<Vec<u8>> {
    fn decode(&self, answer: &Answer<'_>) -> Result<Vec<u8>, DecodeError> {
        Ok(answer.body.to_vec())
    }
}

#[doc(hidden)]
pub trait DecodeJson<T> {
    fn decode(&self, answer: &Answer<'_>) -> Result<T, DecodeError>;
}

impl<T: DeserializeOwned> DecodeJson<T> for &Decode<T> {
    fn decode(&self, answer: &Answer<'_>) -> Result<T, DecodeError> {
        decode_json(answer.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // Brings both traits into scope as generated code does.
    #[allow(unused_imports)]
    use super::{DecodeJson as _, DecodeRaw as _};

    fn answer(body: &'static [u8]) -> (HeaderMap, Bytes) {
        (HeaderMap::new(), Bytes::from_static(body))
    }

    #[test]
    #[allow(clippy::needless_borrow)] // the borrow is what picks the impl, as in generated code
    fn bytes_and_vec_u8_are_raw_everything_else_json() {
        let (headers, body) = answer(b"[1,2]");
        let a = Answer { status: StatusCode::OK, headers: &headers, body: &body };
        let raw: Bytes = (&Decode::<Bytes>::new()).decode(&a).unwrap();
        assert_eq!(&raw[..], b"[1,2]");
        let raw: Vec<u8> = (&Decode::<Vec<u8>>::new()).decode(&a).unwrap();
        assert_eq!(raw, b"[1,2]");
        let json: Vec<u32> = (&Decode::<Vec<u32>>::new()).decode(&a).unwrap();
        assert_eq!(json, [1, 2]);
    }

    #[test]
    fn empty_body_is_null() {
        assert_eq!(decode_json::<Option<u32>>(b"").unwrap(), None);
        let error = decode_json::<u32>(b"").unwrap_err();
        assert!(error.is_empty_body());
        assert!(error.to_string().contains("Option<u32>"), "{error}");
    }

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
