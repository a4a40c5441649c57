use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/deviceManagement/builds/{build}")]
pub struct GetBuild {
    pub build: String,
}

fn main() {}
