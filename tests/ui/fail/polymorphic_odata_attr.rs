use graph_endpoint::polymorphic;

pub struct A;

#[polymorphic]
pub enum Target {
    #[odata("groupAssignmentTarget")]
    Short(A),
    #[odata("microsoft.graph.a b")]
    Spaced(A),
    #[odata(others)]
    Misspelt(A),
    #[odata("microsoft.graph.a")]
    #[odata("microsoft.graph.b")]
    Twice(A),
    #[odata = "microsoft.graph.c"]
    NotAList(A),
}

fn main() {}
