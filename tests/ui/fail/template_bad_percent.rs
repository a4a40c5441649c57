use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/sites/100%")]
pub struct Site;

fn main() {}
