use graph_endpoint::graph_endpoint;

#[graph_endpoint(version = "beta")]
pub struct ListUsers;

fn main() {}
