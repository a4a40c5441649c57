use graph_endpoint::graph_endpoint;

#[graph_endpoint(GET "/reports/getReport(period='{period}'")]
pub struct Report {
    pub period: String,
}

#[graph_endpoint(GET "/reports/getReport)")]
pub struct Extra;

fn main() {}
