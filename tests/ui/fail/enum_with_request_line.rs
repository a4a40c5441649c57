use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub enum ListUsers {
    #[graph(GET "/users")]
    All,
}

fn main() {}
