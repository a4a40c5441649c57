use graph_endpoint::graph_endpoint;

#[graph_endpoint(version = "beta")]
pub enum Nothing {}

fn main() {}
