use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/builders")]
pub struct ListBuilders {
    #[graph(query = "builder")]
    pub builder: Option<String>,
}

fn main() {}
