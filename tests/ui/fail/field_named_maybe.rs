use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(query = "$filter")]
    pub filter: Option<String>,
    #[graph(query = "maybeFilter")]
    pub maybe_filter: Option<String>,
}

fn main() {}
