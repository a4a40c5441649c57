use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/groups/{id}/threads/{id}")]
pub struct GetThread {
    pub id: String,
}

fn main() {}
