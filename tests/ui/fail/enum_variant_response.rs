use graph_endpoint::graph_endpoint;

#[graph_endpoint]
pub enum GetUser {
    #[graph(GET "/me", response = String)]
    Me,
}

fn main() {}
