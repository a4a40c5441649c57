//! The `#[graph_endpoint]` and `#[polymorphic]` attributes of the `graph-endpoint` crate.
//! Depend on `graph-endpoint`, not on this crate: generated code refers to the runtime through
//! it.
//!
//! Each attribute is a short pipeline in its own folder (`endpoint`, `polymorphic`): read the
//! macro's syntax, check the item into a model while collecting every error (`errors`), then
//! generate from the model, or a fallback next to the errors. Generated code reaches the
//! runtime through the absolute path that `private` holds, passed to every generator.

mod endpoint;
mod errors;
mod polymorphic;
mod private;
mod routes;

use proc_macro::TokenStream;

/// Turns a struct (or an enum of alternate routes) into a Microsoft Graph endpoint. See the
/// `graph-endpoint` crate for the syntax.
#[proc_macro_attribute]
pub fn graph_endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    endpoint::expand(args.into(), item.into()).into()
}

/// An enum of Graph subtypes keyed by `@odata.type`: one newtype variant per subtype,
/// `#[odata("microsoft.graph.x")]`, and at most one `#[odata(other)]` catch-all holding
/// `serde_json::Value` (or a `Map`) that keeps any other subtype whole. See the
/// `graph-endpoint` crate for the details.
#[proc_macro_attribute]
pub fn polymorphic(args: TokenStream, item: TokenStream) -> TokenStream {
    polymorphic::expand(args.into(), item.into()).into()
}
