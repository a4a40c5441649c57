use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "https://graph.microsoft.com/v1.0/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

#[graph_endpoint(GET "https://graph.microsoft.com/v1.0/me")]
pub struct GetMe;

#[graph_endpoint(GET "https://graph.microsoft.com/beta/users?$filter=startswith(displayName, 'a')")]
pub struct ListUsers;

#[graph_endpoint(GET "graph.microsoft.com/beta/me")]
pub struct NoScheme;

#[graph_endpoint(GET "https://example.com/users")]
pub struct NoVersion;

#[graph_endpoint(GET "https://graph.microsoft.com/v1.0/")]
pub struct NoPath;

fn main() {}
