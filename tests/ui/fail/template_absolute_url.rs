use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "https://graph.microsoft.com/v1.0/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
