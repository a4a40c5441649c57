use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
#[graph(body)]
pub struct ListUsers;

fn main() {}
