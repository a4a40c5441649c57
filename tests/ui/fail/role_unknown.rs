use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(skip)]
    pub cache: bool,
}

fn main() {}
