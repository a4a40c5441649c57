use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(query, header = "Prefer")]
    pub top: u32,
}

fn main() {}
