use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

fn build() -> GetUser {
    GetUser::builder().user_id("a").user_id("b").build()
}

fn main() {}
