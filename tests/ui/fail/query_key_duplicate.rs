use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(query = "$top")]
    pub top: u32,
    #[graph(query = "$top")]
    pub limit: u32,
}

fn main() {}
