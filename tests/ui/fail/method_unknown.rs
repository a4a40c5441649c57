use graph_endpoint::graph_endpoint;

#[graph_endpoint(FETCH "/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
