//! Decoding a successful answer as an endpoint declares: JSON (an empty body reading as
//! `null`), raw bytes, or nothing; and the bound `#[graph_endpoint]` infers for a generic
//! response.

use crate::error::DecodeError;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

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
    // The borrow is how generated code picks the raw impls over the JSON one.
    #[allow(clippy::needless_borrow)]
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
}
