use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET /users)]
pub struct ListUsers;

fn main() {}
