use graph_endpoint::graph_endpoint;

// Generated code binds fields by name next to its own `__path`, `__query`, ... locals.
#[graph_endpoint(GET "/users/{userId}")]
pub struct GetUser {
    #[graph(path = "userId")]
    pub __path: String,
    #[graph(query = "$select")]
    pub __query: Option<String>,
}

#[graph_endpoint]
pub enum ListItems {
    #[graph(GET "/items")]
    All {
        #[graph(header = "ConsistencyLevel")]
        __headers: Option<String>,
    },
}

fn main() {}
