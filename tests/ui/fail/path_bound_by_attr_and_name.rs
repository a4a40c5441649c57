use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser {
    #[graph(path = "userId")]
    pub id: String,
    pub user_id: String,
}

fn main() {}
