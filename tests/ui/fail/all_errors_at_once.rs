//! Every mistake of one item comes in one compile: the arguments', the template's and the
//! fields'.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(FETCH "/users//{userId}/{}", version = "v3")]
pub struct GetUser {
    pub usr_id: String,
    #[graph(body)]
    pub a: String,
    #[graph(body)]
    pub b: String,
}

// The template's mistake and the fields' mistakes are reported together.
#[graph_endpoint(GET "/users/{userId}/messages//{messageId}")]
pub struct GetMessage {
    pub user_id: String,
    pub subject: String,
}

#[graph_endpoint(PATCH "beta/users/{userId}/photo", version = "beta")]
pub struct UpdatePhoto {
    pub id: String,
    #[graph(path = "usrId")]
    pub user: String,
}

// `{}` is not readable, so `item` may be meant for it: it is not said to have no role.
#[graph_endpoint(GET "/users/{userId}/items/{}")]
pub struct GetItem {
    pub item: String,
}

fn main() {}
