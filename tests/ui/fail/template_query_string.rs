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

#[graph_endpoint(GET "/users?")]
pub struct EmptyQuery;

// The field the query string is meant for is not reported a second time.
#[graph_endpoint(GET "/users?$filter=x")]
pub struct FilterWithField {
    pub filter: Option<String>,
}

#[graph_endpoint(GET "/users#top")]
pub struct Fragment;

#[graph_endpoint(GET "/users#a b")]
pub struct FragmentWithSpace;

fn main() {}
