use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub union Id {
    a: u32,
    b: f32,
}

fn main() {}
