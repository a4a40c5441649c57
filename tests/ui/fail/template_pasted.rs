//! Templates pasted with more than the path: a whole URL, the version, a query string or a
//! fragment; or no path at all. Each is one error that says what to write.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "https://graph.microsoft.com/v1.0/users/{userId}")]
pub struct UrlGetUser {
    pub user_id: String,
}

#[graph_endpoint(GET "https://graph.microsoft.com/v1.0/me")]
pub struct UrlGetMe;

#[graph_endpoint(GET "https://graph.microsoft.com/beta/users?$filter=startswith(displayName, 'a')")]
pub struct UrlListUsers;

#[graph_endpoint(GET "graph.microsoft.com/beta/me")]
pub struct UrlNoScheme;

#[graph_endpoint(GET "https://example.com/users")]
pub struct UrlNoVersion;

#[graph_endpoint(GET "https://graph.microsoft.com/v1.0/")]
pub struct UrlNoPath;

#[graph_endpoint(GET "/beta/users/{userId}")]
pub struct VersionGetUser {
    pub user_id: String,
}

// The usual paste mistake: the version without its leading slash.
#[graph_endpoint(GET "beta/users/{userId}")]
pub struct VersionGetUserNoSlash {
    pub user_id: String,
}

#[graph_endpoint(GET "v1.0/me")]
pub struct VersionGetMe;

#[graph_endpoint(GET "/v1.0/me")]
pub struct VersionGetMeSlash;

#[graph_endpoint(GET "beta")]
pub struct VersionOnlyBeta;

#[graph_endpoint(GET "beta/")]
pub struct VersionOnlyBetaSlash;

#[graph_endpoint(GET "v1.0")]
pub struct VersionOnlyV1;

#[graph_endpoint(GET "/users?$top=5")]
pub struct QueryListUsers;

// One error, whatever the query string holds (here a space and quotes).
#[graph_endpoint(GET "/users?$filter=startswith(displayName, 'a')")]
pub struct QueryFilterUsers;

#[graph_endpoint(GET "/users?$filter=x&$select=id,displayName")]
pub struct QueryFilterAndSelect;

#[graph_endpoint(GET "/reports/getReport?api-version=2")]
pub struct QueryCustomKey;

#[graph_endpoint(GET "/users?")]
pub struct QueryEmpty;

// The field the query string is meant for is not reported a second time.
#[graph_endpoint(GET "/users?$filter=x")]
pub struct QueryFilterWithField {
    pub filter: Option<String>,
}

#[graph_endpoint(GET "/users#top")]
pub struct Fragment;

#[graph_endpoint(GET "/users#a b")]
pub struct FragmentWithSpace;

#[graph_endpoint(GET "")]
pub struct EmptyTemplate;

#[graph_endpoint(GET "users/{userId}")]
pub struct NoLeadingSlash {
    pub user_id: String,
}

fn main() {}
