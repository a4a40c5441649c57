use graph_endpoint::polymorphic;

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

fn main() {}
