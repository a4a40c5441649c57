use graph_endpoint::graph_endpoint;

#[graph_endpoint(version = "beta", GET "/users")]
pub struct ListUsers;

fn main() {}
