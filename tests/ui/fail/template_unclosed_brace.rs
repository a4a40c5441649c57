use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId/manager")]
pub struct GetManager {
    pub user_id: String,
}

fn main() {}
