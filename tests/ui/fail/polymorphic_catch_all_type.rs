use graph_endpoint::polymorphic;

pub struct A;

#[polymorphic]
pub enum Target {
    #[odata("microsoft.graph.a")]
    A(A),
    #[odata(other)]
    Other(String),
}

fn main() {}
