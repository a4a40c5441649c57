use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/me", crate = my_sdk::graph_endpoint)]
pub struct NotAString;

#[graph_endpoint(GET "/me", crate = "my sdk")]
pub struct NotAPath;

#[graph_endpoint(GET "/me", crate = "::graph_endpoint", crate = "::graph_endpoint")]
pub struct Twice;

#[graph_endpoint]
pub enum OnAVariant {
    #[graph(GET "/me", crate = "::graph_endpoint")]
    Me,
}

fn main() {}
