use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "")]
pub struct Nothing;

fn main() {}
