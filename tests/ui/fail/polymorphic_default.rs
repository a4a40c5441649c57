use graph_endpoint::polymorphic;

pub struct A;
pub struct B;

#[polymorphic]
pub enum TwoDefaults {
    #[odata("microsoft.graph.a", default)]
    A(A),
    #[odata("microsoft.graph.b", default)]
    B(B),
}

#[polymorphic]
pub enum DefaultCatchAll {
    #[odata("microsoft.graph.a")]
    A(A),
    #[odata(other, default)]
    Other(serde_json::Value),
}

#[polymorphic]
pub enum UnknownOption {
    #[odata("microsoft.graph.a", fallback)]
    A(A),
    #[odata("microsoft.graph.b", default, default)]
    B(B),
}

#[polymorphic]
pub enum CatchAllOption {
    #[odata("microsoft.graph.a")]
    A(A),
    #[odata(other, keep)]
    Other(serde_json::Value),
}

fn main() {}
