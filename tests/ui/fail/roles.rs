//! Field roles: one per field, known, and each sendable (one body, and not on GET or DELETE;
//! header names and query keys that can be sent, each set by one field).
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct RoleTwice {
    #[graph(query, header = "Prefer")]
    pub top: u32,
}

#[graph_endpoint(GET "/users")]
pub struct RoleUnknown {
    #[graph(skip)]
    pub cache: bool,
}

#[graph_endpoint(GET "/users")]
#[graph(body)]
pub struct GraphAttrOnItem;

#[graph_endpoint(GET "/users/{userId}")]
pub struct BodyOnGet {
    pub user_id: String,
    #[graph(body)]
    pub body: String,
}

#[graph_endpoint(DELETE "/users/{userId}")]
pub struct BodyOnDelete {
    pub user_id: String,
    #[graph(body)]
    pub body: String,
}

#[graph_endpoint(PATCH "/users/{userId}")]
pub struct TwoBodies {
    pub user_id: String,
    #[graph(body)]
    pub first: String,
    #[graph(body)]
    pub second: String,
}

// `content_type` belongs with `body`.
#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct ContentTypeNotOnBody {
    pub item_id: String,
    #[graph(query = "name", content_type = "text/plain")]
    pub name: String,
    #[graph(body)]
    pub content: Vec<u8>,
}

// Given twice, and not a media type.
#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct ContentTypeTwice {
    pub item_id: String,
    #[graph(body, content_type = "text/plain", content_type = "text/csv")]
    pub content: Vec<u8>,
}

#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct ContentTypeNotAMediaType {
    pub item_id: String,
    #[graph(body, content_type = "octet-stream")]
    pub content: Vec<u8>,
}

#[graph_endpoint(GET "/users")]
pub struct HeaderDuplicate {
    #[graph(header = "Prefer")]
    pub a: String,
    #[graph(header = "prefer")]
    pub b: String,
}

#[graph_endpoint(GET "/users")]
pub struct HeaderNameInvalid {
    #[graph(header = "Consistency Level")]
    pub level: String,
}

#[graph_endpoint(GET "/users")]
pub struct HeaderReserved {
    #[graph(header = "Authorization")]
    pub token: String,
}

#[graph_endpoint(GET "/users")]
pub struct QueryKeyDuplicate {
    #[graph(query = "$top")]
    pub top: u32,
    #[graph(query = "$top")]
    pub limit: u32,
}

#[graph_endpoint(GET "/users")]
pub struct QueryKeyInvalid {
    #[graph(query = "$filter=x")]
    pub filter: String,
}

fn main() {}
