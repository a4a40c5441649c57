//! OData system query options (`$select`, `$filter`, `$top`, ...) and extra headers on any
//! call, without declaring fields: [`RequestBuilder`], from [`Client::request`](crate::Client::request).

// What a request is and how a user makes one: the endpoint trait and the writers its
// implementations fill (path, query, headers, body), the decoding of answers, the options of a
// request builder, the preparing of a request from an endpoint, and the calls a user makes
// (`Client::send`, `execute`, `request`, `stream`, `build_request`), paging included. The
// crate root shows the public parts (`endpoint`, `paging`, `Endpoint`, `Response`).
//
// May use: client (to prepare and send), call (the exchange), model (a page is a
// `Collection`), auth (its `BoxFuture`), protocol, headers, error. Nothing below it (client,
// call, pacing, auth, model) uses it.

pub(crate) mod body;
mod builder;
pub(crate) mod decode;
pub(crate) mod encode;
pub(crate) mod endpoint;
pub(crate) mod options;
pub(crate) mod paging;
mod prepare;
pub(crate) mod response;
mod send;

pub use builder::RequestBuilder;
