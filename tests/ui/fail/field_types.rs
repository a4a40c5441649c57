//! Field and response types the runtime cannot send or read, reported at the field's type
//! (a later compiler phase than the attribute's own errors, so in a file of their own).
use graph_endpoint::{Endpoint, graph_endpoint};

pub struct Assignment;

#[graph_endpoint(PATCH "/users/{userId}")]
pub struct BodyNotSerialize {
    pub user_id: String,
    #[graph(body)]
    pub body: Assignment,
}

// Bytes that are not bytes.
#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct NotBytes {
    pub item_id: String,
    #[graph(body, content_type = "application/octet-stream")]
    pub content: u32,
}

#[graph_endpoint(GET "/users")]
pub struct HeaderNotAValue {
    #[graph(header = "Prefer")]
    pub prefer: Vec<String>,
}

#[graph_endpoint(GET "/users/{userId}")]
pub struct PathNotASegment {
    pub user_id: Vec<String>,
}

pub struct Filter;

#[graph_endpoint(GET "/users")]
pub struct QueryNotAValue {
    #[graph(query = "$filter")]
    pub filter: Filter,
}

// The bounds a type parameter needs are inferred from its field's role.
// A generic route for the bounds test, not one of Graph's.
#[graph_endpoint(POST "/{collection}", unlisted, response = R)]
pub struct Create<T, R> {
    pub collection: String,
    #[graph(body)]
    pub body: T,
    #[graph(header = "Prefer")]
    pub prefer: Option<R>,
}

pub struct NotSerializable;

fn needs_endpoint<E: Endpoint>(_: &E) {}

fn main() {
    let create = Create::<NotSerializable, String> { collection: "groups".into(), body: NotSerializable, prefer: None };
    needs_endpoint(&create);
}
