use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub fn list_users() {}

fn main() {}
