use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}/x/{user-id}")]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
