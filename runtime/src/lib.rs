//! The runtime of `graph-endpoint`: the [`Endpoint`] trait that `#[graph_endpoint]`
//! implements, the [`Client`] that sends endpoints to Microsoft Graph, the encoding of path
//! segments, query pairs and headers, `@odata.type` support, and the one [`Error`] type.
//! Depend on the `graph-endpoint` crate, which re-exports all of this.

#![warn(missing_docs)]

pub mod auth;
mod builder;
mod client;
mod cloud;
mod collection;
mod encode;
mod endpoint;
mod error;
mod exchange;
pub mod intune;
mod odata;
mod origin;
mod paging;
mod request;
mod response;
mod retry;
mod transport;

pub use auth::{AccessToken, BoxFuture, ClientSecretCredential, REFRESH_MARGIN, StaticToken, TokenCache, TokenProvider};
pub use builder::ClientBuilder;
pub use client::{Client, USER_AGENT};
pub use cloud::NationalCloud;
pub use collection::Collection;
pub use encode::{HeaderParam, HeaderWriter, PathParam, PathWriter, QueryParam, QueryWriter, decode_json, ignore_body, write_json_body};
pub use endpoint::{ApiVersion, Endpoint, Method};
pub use error::{DecodeError, Error, ErrorKind, SNIPPET_LIMIT};
pub use odata::ODataType;
pub use paging::Items;
pub use request::RequestBuilder;
pub use response::Response;
pub use retry::RetryPolicy;

/// HTTP header types (`HeaderMap`, `HeaderName`, `HeaderValue`), as used by [`HeaderWriter`].
pub use reqwest::header;
