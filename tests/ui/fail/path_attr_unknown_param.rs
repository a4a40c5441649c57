use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users/{userId}/manager")]
pub struct GetManager {
    #[graph(path = "usrId")]
    pub user: String,
}

fn main() {}
