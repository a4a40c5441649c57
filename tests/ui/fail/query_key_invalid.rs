use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(query = "$filter=x")]
    pub filter: String,
}

fn main() {}
