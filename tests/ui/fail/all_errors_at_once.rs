use graph_endpoint::graph_endpoint;

#[graph_endpoint(FETCH "/users//{userId}/{}", version = "v3")]
pub struct GetUser {
    pub usr_id: String,
    #[graph(body)]
    pub a: String,
    #[graph(body)]
    pub b: String,
}

fn main() {}
