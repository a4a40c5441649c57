use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users", version = beta)]
pub struct ListUsers;

fn main() {}
