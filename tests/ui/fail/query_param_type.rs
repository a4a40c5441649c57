use graph_endpoint::graph_endpoint;

pub struct Filter;

#[graph_endpoint(GET "/users")]
pub struct ListUsers {
    #[graph(query = "$filter")]
    pub filter: Filter,
}

fn main() {}
