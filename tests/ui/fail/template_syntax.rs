//! Templates that are not well formed: braces, parentheses, quotes, segments, characters.
use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/files/{name}{extension}")]
pub struct AdjacentParams {
    pub name: String,
    pub extension: String,
}

#[graph_endpoint(GET "/sites/100%")]
pub struct BadPercent;

#[graph_endpoint(GET "/groups/{id}/threads/{id}")]
pub struct DuplicateParam {
    pub id: String,
}

#[graph_endpoint(GET "/users/{}")]
pub struct EmptyParam {
    pub id: String,
}

#[graph_endpoint(GET "/users//{userId}")]
pub struct EmptySegment {
    pub user_id: String,
}

#[graph_endpoint(GET "/users/<userId>")]
pub struct InvalidChar;

#[graph_endpoint(GET "/users/{user id}/x/{2fa}")]
pub struct InvalidParamName;

#[graph_endpoint(GET "/users/{user{Id}}")]
pub struct NestedBrace;

#[graph_endpoint(GET "/me/mailFolders/")]
pub struct TrailingSlash;

#[graph_endpoint(GET "/reports/getReport(period='{period}'")]
pub struct UnclosedParen {
    pub period: String,
}

#[graph_endpoint(GET "/reports/getReport)")]
pub struct UnmatchedCloseParen;

#[graph_endpoint(GET "/users/{userId/manager")]
pub struct UnclosedBrace {
    pub user_id: String,
}

#[graph_endpoint(GET "/users('{userId})")]
pub struct UnclosedQuote {
    pub user_id: String,
}

#[graph_endpoint(GET "/users/userId}")]
pub struct UnmatchedCloseBrace;

#[graph_endpoint(GET "/me/drive/items/{itemId}/workbook/range(deltaRows={rows}, deltaColumns={columns})")]
pub struct Whitespace {
    pub item_id: String,
    pub rows: u32,
    pub columns: u32,
}

fn main() {}
