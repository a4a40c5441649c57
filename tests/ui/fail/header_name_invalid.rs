use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(header = "Consistency Level")]
    pub level: String,
}

fn main() {}
