use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{}")]
pub struct GetUser {
    pub id: String,
}

fn main() {}
