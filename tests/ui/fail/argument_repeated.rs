use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users", version = "beta", version = "v1.0", response = u8, response = u16)]
pub struct ListUsers;

fn main() {}
