use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users", version = "1.0")]
pub struct ListUsers;

#[graph_endpoint(GET "/users", version = "v2")]
pub struct ListUsers2;

fn main() {}
