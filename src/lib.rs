//! Compile-time checked Microsoft Graph endpoints.
//!
//! Paste a Graph reference page's request line into `#[graph_endpoint]`; the compiler checks
//! every path parameter against the struct's fields, the struct gets a typed builder, and the
//! runtime sends the request the way Graph expects.
//!
//! ```
//! use graph_endpoint::graph_endpoint;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Serialize, Deserialize)]
//! pub struct Assignment {
//!     pub id: Option<String>,
//! }
//!
//! #[graph_endpoint(
//!     PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
//!     version = "beta",
//!     response = Option<Assignment>,
//! )]
//! pub struct UpdateAssignment {
//!     pub device_configuration_id: String,
//!     pub device_configuration_assignment_id: String,
//!     #[graph(body)]
//!     pub assignment: Assignment,
//! }
//!
//! let update = UpdateAssignment::builder()
//!     .device_configuration_id("config-1")
//!     .device_configuration_assignment_id("assignment/2")
//!     .assignment(Assignment { id: None })
//!     .build();
//! # use graph_endpoint::{Endpoint, PathWriter};
//! # let mut path = String::new();
//! # update.write_path(&mut PathWriter::new(&mut path)).unwrap();
//! # assert_eq!(path, "/deviceManagement/deviceConfigurations/config-1/assignments/assignment%2F2");
//! ```

#![warn(missing_docs)]

// Lets the crate's own tests and doctests name `::graph_endpoint` like users do.
extern crate self as graph_endpoint;

pub use graph_endpoint_macros::graph_endpoint;
pub use graph_endpoint_runtime::*;

/// What generated code reaches by absolute path, so that user crates need no other
/// dependency and may shadow any std name. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use ::core::convert::Into;
    pub use ::core::default::Default;
    pub use ::core::marker::PhantomData;
    pub use ::core::option::Option;
    pub use ::core::result::Result;
    pub use ::core::unreachable;
    pub use ::std::vec::Vec;
    pub use graph_endpoint_runtime::{
        ApiVersion, DecodeError, Endpoint, Error, HeaderParam, HeaderWriter, Method, PathParam, PathWriter, QueryParam, QueryWriter,
        decode_json, ignore_body, write_json_body,
    };

    /// The state of a builder field that has been set.
    #[derive(Debug, Clone)]
    pub struct Set<T>(pub T);

    /// Implemented by the state of a required builder field once it is set.
    #[diagnostic::on_unimplemented(
        message = "`.build()` needs every required field: `{Self}` is not set",
        label = "required field not set",
        note = "call the setter of each required field (named as the field) before `.build()`"
    )]
    pub trait Required<T> {
        /// The value that was set.
        fn take(self) -> T;
    }

    impl<T> Required<T> for Set<T> {
        #[inline]
        fn take(self) -> T {
            self.0
        }
    }
}

/// The README's example compiles.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
