//! Reading an answer's body chunk by chunk, never more than a bound: a `Content-Length` over
//! it is refused before reading, and a body without one is read only until it passes the
//! bound. The bound counts the bytes the HTTP client hands over, which are the bytes after
//! any decompression it does (the crate's own clients do none).

use bytes::{Bytes, BytesMut};

/// Why a body was not read whole.
pub(crate) enum Unread {
    /// It is longer than the bound: what was read of it is dropped, and so is the connection.
    TooLong,
    /// The transport failed while reading.
    Failed(reqwest::Error),
}

/// Reads the body of `response`, at most `limit` bytes.
pub(crate) async fn body(response: &mut reqwest::Response, limit: u64) -> Result<Bytes, Unread> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit) {
        return Err(Unread::TooLong);
    }
    // One chunk (most answers) is kept as it is; more are gathered.
    let mut single: Option<Bytes> = None;
    let mut gathered = BytesMut::new();
    let mut read = 0u64;
    while let Some(chunk) = response.chunk().await.map_err(Unread::Failed)? {
        read += chunk.len() as u64;
        if read > limit {
            return Err(Unread::TooLong);
        }
        if let Some(first) = single.take() {
            // A declared length within the bound sizes the buffer once.
            let expected = declared.unwrap_or(read).clamp(read, limit);
            gathered.reserve(usize::try_from(expected).unwrap_or(usize::MAX));
            gathered.extend_from_slice(&first);
            gathered.extend_from_slice(&chunk);
        } else if gathered.is_empty() {
            single = Some(chunk);
        } else {
            gathered.extend_from_slice(&chunk);
        }
    }
    Ok(single.unwrap_or_else(|| gathered.freeze()))
}
