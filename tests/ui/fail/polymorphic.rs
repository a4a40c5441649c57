//! `#[polymorphic]`: an enum, not generic, one newtype variant per `@odata.type`, at most one
//! catch-all of an object, at most one default (not the catch-all); all mistakes at once.
use graph_endpoint::polymorphic;

pub struct A;
pub struct B;

#[polymorphic]
pub enum CatchAllType {
    #[odata("microsoft.graph.a")]
    A(A),
    #[odata(other)]
    Other(String),
}

#[polymorphic]
pub struct NotAnEnum {
    pub id: String,
}

#[polymorphic]
pub enum Generic<T> {
    #[odata("microsoft.graph.a")]
    A(T),
}

#[polymorphic(tag = "@odata.type")]
pub enum WithArguments {
    #[odata(other)]
    Other(serde_json::Value),
}

#[polymorphic]
pub enum Empty {}

#[polymorphic]
pub enum OdataAttr {
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

// Every mistake of one enum is reported at once.
#[polymorphic]
pub enum Variants {
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
