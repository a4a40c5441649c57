use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser {
    #[graph(path = "userId")]
    pub a: String,
    #[graph(path = "userId")]
    pub b: String,
}

fn main() {}
