use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser<const N: usize> {
    pub user_id: [u8; N],
}

fn main() {}
