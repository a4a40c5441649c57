use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{user id}/x/{2fa}")]
pub struct GetUser;

fn main() {}
