use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/userId}")]
pub struct GetUser;

fn main() {}
