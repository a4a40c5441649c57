use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/me/drive/items/{itemId}/workbook/range(deltaRows={rows}, deltaColumns={columns})")]
pub struct Range {
    pub item_id: String,
    pub rows: u32,
    pub columns: u32,
}

fn main() {}
