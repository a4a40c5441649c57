use graph_endpoint::graph_endpoint;

#[graph_endpoint]
pub enum GetUser {
    #[graph]
    Me,
}

fn main() {}
