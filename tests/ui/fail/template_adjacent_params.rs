use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/files/{name}{extension}")]
pub struct GetFile {
    pub name: String,
    pub extension: String,
}

fn main() {}
