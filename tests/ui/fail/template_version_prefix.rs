use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/beta/users/{userId}")]
pub struct GetUser {
    pub user_id: String,
}

// The usual paste mistake: the version without its leading slash.
#[graph_endpoint(GET "beta/users/{userId}")]
pub struct GetUserNoSlash {
    pub user_id: String,
}

#[graph_endpoint(GET "v1.0/me")]
pub struct GetMe;

#[graph_endpoint(GET "/v1.0/me")]
pub struct GetMeSlash;

#[graph_endpoint(GET "beta")]
pub struct OnlyBeta;

#[graph_endpoint(GET "beta/")]
pub struct OnlyBetaSlash;

#[graph_endpoint(GET "v1.0")]
pub struct OnlyV1;

fn main() {}
