use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users", GET "/me")]
pub struct ListUsers;

fn main() {}
