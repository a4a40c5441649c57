//! The attribute's own arguments: the request line, `version`, `response`, `crate`.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/users", version = "beta", version = "v1.0", response = u8, response = u16)]
pub struct RepeatedArguments;

#[graph_endpoint(GET "/users", timeout = 30, path = "/me")]
pub struct UnknownArguments;

#[graph_endpoint(GET "/me", crate = my_sdk::graph_endpoint)]
pub struct CrateNotAString;

#[graph_endpoint(GET "/me", crate = "my sdk")]
pub struct CrateNotAPath;

#[graph_endpoint(GET "/me", crate = "::graph_endpoint", crate = "::graph_endpoint")]
pub struct CrateTwice;

#[graph_endpoint]
pub enum CrateOnAVariant {
    #[graph(GET "/me", crate = "::graph_endpoint")]
    Me,
}

#[graph_endpoint(get "/users/{userId}")]
pub struct MethodLowercase {
    pub user_id: String,
}

#[graph_endpoint("/users/{userId}")]
pub struct MethodMissing {
    pub user_id: String,
}

#[graph_endpoint(FETCH "/users/{userId}")]
pub struct MethodUnknown {
    pub user_id: String,
}

#[graph_endpoint(version = "beta")]
pub struct MissingRequestLine;

#[graph_endpoint(version = "beta", GET "/users")]
pub struct RequestLineAfterOptions;

#[graph_endpoint(GET "/users", GET "/me")]
pub struct RequestLineTwice;

#[graph_endpoint(GET /users)]
pub struct TemplateNotAString;

#[graph_endpoint(GET "/users", version = beta)]
pub struct VersionNotAString;

#[graph_endpoint(GET "/users", version = "1.0")]
pub struct VersionUnknown;

#[graph_endpoint(GET "/users", version = "v2")]
pub struct VersionUnknown2;

fn main() {}
