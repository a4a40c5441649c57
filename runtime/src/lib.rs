//! The runtime of `graph-endpoint`: the [`Endpoint`] trait that `#[graph_endpoint]`
//! implements, the [`Client`] that sends endpoints to Microsoft Graph, the encoding of path
//! segments, query pairs and headers, `@odata.type` support, and the one [`Error`] type.
//! Depend on the `graph-endpoint` crate, which re-exports all of this.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod batch;
mod call;
mod client;
mod cloud;
mod error;
mod headers;
mod model;
mod pacing;
mod protocol;
pub mod request;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use bytes::Bytes;
pub use call::RetryPolicy;
pub use client::{Client, ClientBuilder};
pub use cloud::NationalCloud;
pub use error::{Error, ErrorKind};
pub use model::collection::Collection;
pub use model::intune;
pub use model::odata::ODataType;
pub use pacing::RateLimit;
pub use protocol::{ApiVersion, Method};
pub use request::endpoint::Endpoint;
pub use request::response::Response;

/// The `http` crate, whose types ([`http::HeaderMap`], [`http::StatusCode`]) the client shows.
pub use http;
/// The `reqwest` crate, for [`ClientBuilder::http_client`] (proxies, custom roots).
pub use reqwest;

/// The [`Endpoint`] trait — what a request is, independent of how it is sent — and the
/// writers an implementation uses.
///
/// `#[graph_endpoint]` implements it; it can also be implemented by hand. The client asks the
/// endpoint to write its path, query, headers and body straight into the client's own buffers,
/// so preparing a request allocates nothing beyond the URL and the body.
pub mod endpoint {
    pub use crate::error::DecodeError;
    pub use crate::protocol::{ApiVersion, Method};
    pub use crate::request::body::{BodyWriter, RawBody};
    pub use crate::request::decode::{Answer, decode_json};
    pub use crate::request::encode::{HeaderParam, HeaderWriter, PathParam, PathWriter, QueryParam, QueryWriter};
    pub use crate::request::endpoint::Endpoint;
}

/// Streaming the items of a paged Graph collection, safely.
///
/// Each `@odata.nextLink` is followed as it is (its version, path and query untouched) only
/// when it points at the client's own scheme, host and port, and only once: a link to
/// anywhere else never receives the token, and a link seen before ends the stream instead of
/// looping. Every page goes through the retry policy and carries the first request's headers
/// (`ConsistencyLevel`, custom ones), which Microsoft's SDKs drop after page one.
pub mod paging {
    pub use crate::request::paging::Items;
}

/// What the facade's generated code needs and users do not. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::request::body::JsonBody;
    pub use crate::request::decode::{Decode, DecodeJson, DecodeRaw, JsonResponse};

    /// What `#[polymorphic]` enums are made of.
    pub mod polymorphic {
        pub use crate::model::polymorphic::{Polymorphic, Rest, deserialize, serialize_tagged};
        pub use ::core::result::Result;
        pub use serde::de::{Deserialize, Deserializer, MapAccess};
        pub use serde::ser::{Serialize, Serializer};
    }
}
