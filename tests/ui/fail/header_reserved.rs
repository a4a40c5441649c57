use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(header = "Authorization")]
    pub token: String,
}

fn main() {}
