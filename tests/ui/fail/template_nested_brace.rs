use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{user{Id}}")]
pub struct GetUser;

fn main() {}
