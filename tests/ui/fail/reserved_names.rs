//! Field names the generated code or the builder needs for itself.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/deviceManagement/builds/{build}")]
pub struct GetBuild {
    pub build: String,
}

#[graph_endpoint(GET "/builders")]
pub struct ListBuilders {
    #[graph(query = "builder")]
    pub builder: Option<String>,
}

#[graph_endpoint(GET "/users")]
pub struct MaybeClash {
    #[graph(query = "$filter")]
    pub filter: Option<String>,
    #[graph(query = "maybeFilter")]
    pub maybe_filter: Option<String>,
}

// Generated code binds fields by name next to its own `__path`, `__query`, ... locals.
#[graph_endpoint(GET "/users/{userId}")]
pub struct ReservedPrefix {
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
