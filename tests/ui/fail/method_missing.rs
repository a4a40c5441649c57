use graph_endpoint::graph_endpoint;

#[graph_endpoint("/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
