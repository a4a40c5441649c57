use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(header = "Prefer")]
    pub prefer: Vec<String>,
}

fn main() {}
