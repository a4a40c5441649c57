//! The path templates of [graph-endpoint](https://docs.rs/graph-endpoint): what
//! `#[graph_endpoint(PATCH "/users/{userId}")]` writes after the method, as plain functions
//! over `&str`. Depend on `graph-endpoint`, not on this crate: it is the one template language
//! that the attribute, the Graph stand-in, the model generator and the route index share.
//!
//! A template is relative to the version root: `/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments`.
//! The crate offers
//!
//! - the parser: [`parse`] (a [`Template`], or every [`TemplateError`] with its byte range)
//!   and [`parse_lenient`] (what could be read, errors or not);
//! - the matcher: [`Template::matches`], a request path against a template, with each
//!   parameter's decoded value;
//! - route shapes: [`Template::shape`] and [`same_route`], templates compared as the routes
//!   they name (parameter names, `microsoft.graph.x` vs `graph.x`, a function's empty `()`,
//!   letter case and `/me` set aside);
//! - segments: [`Template::segments`], the parts between the `/`s;
//! - the route index: [`routes::RouteIndex`], Graph's routes by shape, and what is nearest to a
//!   route it lacks.
//!
//! ```
//! use graph_endpoint_template::{parse, ErrorKind};
//!
//! let template = parse("/users/{userId}/messages/{messageId}").unwrap();
//! let names: Vec<&str> = template.params().map(|param| param.name()).collect();
//! assert_eq!(names, ["userId", "messageId"]);
//!
//! let errors = parse("/users//{}").unwrap_err();
//! assert_eq!(errors[0].kind, ErrorKind::EmptySegment);
//! assert_eq!(errors[1].kind, ErrorKind::EmptyParam);
//! assert_eq!(errors[1].at, 8..10);
//! ```

#![warn(missing_docs)]

mod distance;
mod error;
mod matcher;
mod parse;
pub mod routes;
mod shape;
#[cfg(any(test, feature = "proptest"))]
pub mod strategies;
mod template;

pub use distance::edit_distance;
pub use error::{ErrorKind, TemplateError};
pub use parse::{Parsed, parse, parse_lenient};
pub use shape::{Shape, normalise_segment, same_route};
pub use template::{Param, Part, Piece, Segment, Template};
