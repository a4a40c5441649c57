use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{self}")]
pub struct GetUser {}

fn main() {}
