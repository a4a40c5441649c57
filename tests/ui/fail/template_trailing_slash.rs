use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/me/mailFolders/")]
pub struct ListFolders;

fn main() {}
