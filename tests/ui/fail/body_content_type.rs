use graph_endpoint::graph_endpoint;

// `content_type` belongs with `body`.
#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct NotOnBody {
    pub item_id: String,
    #[graph(query = "name", content_type = "text/plain")]
    pub name: String,
    #[graph(body)]
    pub content: Vec<u8>,
}

// Given twice, and not a media type.
#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct Twice {
    pub item_id: String,
    #[graph(body, content_type = "text/plain", content_type = "text/csv")]
    pub content: Vec<u8>,
}

#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct NotAMediaType {
    pub item_id: String,
    #[graph(body, content_type = "octet-stream")]
    pub content: Vec<u8>,
}

// Bytes that are not bytes.
#[graph_endpoint(PUT "/me/drive/items/{itemId}/content")]
pub struct NotBytes {
    pub item_id: String,
    #[graph(body, content_type = "application/octet-stream")]
    pub content: u32,
}

fn main() {}
