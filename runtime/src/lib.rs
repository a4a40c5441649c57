//! The runtime of `graph-endpoint`: the [`Endpoint`] trait that `#[graph_endpoint]`
//! implements, the encoding of path segments, query pairs and headers, and the one
//! [`Error`] type. Depend on the `graph-endpoint` crate, which re-exports all of this.

mod encode;
mod endpoint;
mod error;

pub use encode::{
    HeaderParam, HeaderWriter, PathParam, PathWriter, QueryParam, QueryWriter, decode_json, ignore_body, write_json_body,
};
pub use endpoint::{ApiVersion, Endpoint, Method};
pub use error::{DecodeError, Error, ErrorKind};

/// HTTP header types (`HeaderMap`, `HeaderName`, `HeaderValue`), as used by [`HeaderWriter`].
pub use reqwest::header;
