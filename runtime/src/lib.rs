//! The runtime of `graph-endpoint`: the [`Endpoint`] trait that `#[graph_endpoint]`
//! implements, the [`Client`] that sends endpoints to Microsoft Graph, the encoding of path
//! segments, query pairs and headers, `@odata.type` support, and the one [`Error`] type.
//! Depend on the `graph-endpoint` crate, which re-exports all of this.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod batch;
mod body;
mod builder;
mod call;
mod client;
mod cloud;
mod collection;
mod encode;
pub mod endpoint;
mod error;
mod exchange;
mod gate;
pub mod intune;
mod model;
mod odata;
mod options;
mod origin;
pub mod paging;
mod polymorphic;
mod rate_limit;
pub mod request;
mod response;
mod retry;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod transport;

pub use builder::ClientBuilder;
pub use bytes::Bytes;
pub use client::Client;
pub use cloud::NationalCloud;
pub use collection::Collection;
pub use endpoint::{ApiVersion, Endpoint, Method};
pub use error::{Error, ErrorKind};
pub use odata::ODataType;
pub use rate_limit::RateLimit;
pub use response::Response;
pub use retry::RetryPolicy;

/// The `http` crate, whose types ([`http::HeaderMap`], [`http::StatusCode`]) the client shows.
pub use http;
/// The `reqwest` crate, for [`ClientBuilder::http_client`] (proxies, custom roots).
pub use reqwest;

/// What the facade's generated code needs and users do not. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::body::{Decode, DecodeJson, DecodeRaw, JsonBody, JsonResponse};

    /// What the models of `graph-endpoint-gen` are made of.
    pub mod model {
        pub use crate::model::{Field, Float, Members, Model, Out, deserialize, is_annotation, serialize};
        pub use crate::{__model_others as others, __model_serde as serde};
        pub use ::core::result::Result;
        pub use serde::de::{Deserialize, Deserializer, MapAccess};
        pub use serde::ser::{Serialize, SerializeMap, Serializer};
        pub use serde_json::{Map, Value};
    }

    /// What `#[polymorphic]` enums are made of.
    pub mod polymorphic {
        pub use crate::polymorphic::{Polymorphic, Rest, deserialize, serialize_tagged};
        pub use ::core::result::Result;
        pub use serde::de::{Deserialize, Deserializer, MapAccess};
        pub use serde::ser::{Serialize, Serializer};
    }
}
