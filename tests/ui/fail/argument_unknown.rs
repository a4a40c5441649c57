use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users", timeout = 30, path = "/me")]
pub struct ListUsers;

fn main() {}
