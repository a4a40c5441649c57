use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
    #[graph(body)]
    pub body: String,
}

#[graph_endpoint(DELETE "/users/{userId}")]
pub struct DeleteUser {
    pub user_id: String,
    #[graph(body)]
    pub body: String,
}

fn main() {}
