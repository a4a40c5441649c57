use graph_endpoint::{Endpoint, graph_endpoint};

// The bounds a type parameter needs are inferred from its field's role.
#[graph_endpoint(POST "/{collection}", response = R)]
pub struct Create<T, R> {
    pub collection: String,
    #[graph(body)]
    pub body: T,
    #[graph(header = "Prefer")]
    pub prefer: Option<R>,
}

pub struct NotSerializable;

fn needs_endpoint<E: Endpoint>(_: &E) {}

fn main() {
    let create = Create::<NotSerializable, String> { collection: "groups".into(), body: NotSerializable, prefer: None };
    needs_endpoint(&create);
}
