use graph_endpoint::graph_endpoint;

#[graph_endpoint]
pub enum GetUser {
    #[graph(GET "/me")]
    #[graph(GET "/users/{userId}")]
    Me,
}

fn main() {}
