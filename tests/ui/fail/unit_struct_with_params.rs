use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}/manager")]
pub struct GetManager;

fn main() {}
