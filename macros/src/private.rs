//! Where generated code reaches the runtime: the facade's hidden `__private` module, through
//! an absolute path (`::graph_endpoint::__private`, or `crate = "..."`'s path), so that the
//! user's crate needs no other dependency and may shadow any name.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The path of the facade's `__private` module for one expansion. Every generator takes it as
/// an argument.
#[derive(Clone)]
pub struct Private {
    path: TokenStream,
}

impl Private {
    /// `facade::__private`, where `facade` is the `crate = "..."` path when one is given, else
    /// `::graph_endpoint`.
    pub fn new(facade: Option<&syn::Path>) -> Private {
        let facade = facade.map_or_else(|| quote!(::graph_endpoint), |path| quote!(#path));
        Private { path: quote!(#facade::__private) }
    }
}

impl ToTokens for Private {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.path.clone());
    }
}
