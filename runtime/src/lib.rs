//! The runtime of `graph-endpoint`: the [`Endpoint`] trait that `#[graph_endpoint]`
//! implements, the [`Client`] that sends endpoints to Microsoft Graph, the encoding of path
//! segments, query pairs and headers, `@odata.type` support, and the one [`Error`] type.
//! Depend on the `graph-endpoint` crate, which re-exports all of this.

#![warn(missing_docs)]

mod auth;
mod client;
mod cloud;
mod collection;
mod credential;
mod encode;
mod endpoint;
mod error;
pub mod intune;
mod odata;
mod paging;
mod request;
mod retry;

pub use auth::{AccessToken, BoxFuture, StaticToken, TokenProvider};
pub use client::{Client, ClientBuilder, Response, USER_AGENT};
pub use cloud::NationalCloud;
pub use collection::Collection;
pub use credential::{ClientSecretCredential, REFRESH_MARGIN};
pub use encode::{HeaderParam, HeaderWriter, PathParam, PathWriter, QueryParam, QueryWriter, decode_json, ignore_body, write_json_body};
pub use endpoint::{ApiVersion, Endpoint, Method};
pub use error::{DecodeError, Error, ErrorKind, SNIPPET_LIMIT};
pub use odata::ODataType;
pub use paging::Items;
pub use request::RequestBuilder;
pub use retry::RetryPolicy;

/// HTTP header types (`HeaderMap`, `HeaderName`, `HeaderValue`), as used by [`HeaderWriter`].
pub use reqwest::header;
