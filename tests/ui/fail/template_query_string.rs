use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users?$top=5")]
pub struct ListUsers;

// One error, whatever the query string holds (here a space and quotes).
#[graph_endpoint(GET "/users?$filter=startswith(displayName, 'a')")]
pub struct FilterUsers;

#[graph_endpoint(GET "/users?$filter=x&$select=id,displayName")]
pub struct FilterAndSelect;

#[graph_endpoint(GET "/reports/getReport?api-version=2")]
pub struct CustomKey;

#[graph_endpoint(GET "/users#top")]
pub struct Fragment;

#[graph_endpoint(GET "/users#a b")]
pub struct FragmentWithSpace;

fn main() {}
