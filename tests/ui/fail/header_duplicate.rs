use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(header = "Prefer")]
    pub a: String,
    #[graph(header = "prefer")]
    pub b: String,
}

fn main() {}
