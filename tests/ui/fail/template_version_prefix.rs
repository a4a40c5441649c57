use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/beta/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
