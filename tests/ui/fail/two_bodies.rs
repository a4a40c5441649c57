use graph_endpoint::graph_endpoint;

#[graph_endpoint(PATCH "/users/{userId}")]
pub struct UpdateUser {
    pub user_id: String,
    #[graph(body)]
    pub first: String,
    #[graph(body)]
    pub second: String,
}

fn main() {}
