use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users?$top=5")]
pub struct ListUsers;

#[graph_endpoint(GET "/users#top")]
pub struct Fragment;

fn main() {}
