use graph_endpoint::graph_endpoint;

pub struct Assignment;

#[graph_endpoint(PATCH "/users/{userId}")]
pub struct UpdateUser {
    pub user_id: String,
    #[graph(body)]
    pub body: Assignment,
}

fn main() {}
