use graph_endpoint::graph_endpoint;

// The builder's own type parameters are `__S0`, `__S1`, ...
#[graph_endpoint(POST "/items", response = __S0)]
pub struct CreateItem<__S0> {
    #[graph(body)]
    pub body: __S0,
}

#[allow(non_camel_case_types)]
pub struct __S1;

#[graph_endpoint(POST "/things")]
pub struct CreateThing {
    #[graph(body)]
    pub body: Option<__S1>,
}

fn main() {}
