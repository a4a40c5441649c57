use graph_endpoint::polymorphic;

pub struct A;
pub struct B;

// Every mistake of one enum is reported at once.
#[polymorphic]
pub enum Target {
    NoType(A),
    #[odata("microsoft.graph.b")]
    First(B),
    #[odata("#microsoft.graph.b")]
    SameType(B),
    #[odata("microsoft.graph.unit")]
    Unit,
    #[odata("microsoft.graph.record")]
    Record { id: String },
    #[odata("microsoft.graph.pair")]
    Pair(A, B),
    #[odata(other)]
    Rest(serde_json::Value),
    #[odata(other)]
    MoreRest(serde_json::Value),
}

fn main() {}
