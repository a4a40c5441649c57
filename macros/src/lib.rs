//! The `#[graph_endpoint]` attribute of the `graph-endpoint` crate. Depend on `graph-endpoint`,
//! not on this crate: generated code refers to the runtime through it.
//!
//! The pipeline: `attr` reads the macro's own syntax, `template` parses the path template,
//! `check` binds parameters to fields and reports every mistake, `expand` generates the
//! `Endpoint` implementation and the typed builder, and `fallback` stands in for the
//! implementation when the definition has errors.

mod attr;
mod check;
mod errors;
mod expand;
mod fallback;
mod model;
#[cfg(test)]
mod strategies;
mod template;

use proc_macro::TokenStream;
use quote::quote;

/// Turns a struct (or an enum of alternate routes) into a Microsoft Graph endpoint. See the
/// `graph-endpoint` crate for the syntax.
#[proc_macro_attribute]
pub fn graph_endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    expand(args.into(), item.into()).into()
}

fn expand(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let mut errors = errors::Errors::default();
    let args = attr::parse_args(args, attr::ArgsPosition::Item, &mut errors);
    let mut input: syn::DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(_) => {
            errors.span(
                proc_macro2::Span::call_site(),
                "#[graph_endpoint] applies to a struct with named fields, or to an enum with one route per variant",
            );
            let errors = errors.to_compile_errors();
            return quote!(#errors #item);
        }
    };
    let response = args.response.clone();
    let endpoint = check::endpoint(args, &mut input, &mut errors);
    let builder = expand::builder(&input);
    let implementation = match &endpoint {
        Some(endpoint) if errors.is_empty() => expand::endpoint_impl(&input, endpoint),
        _ => fallback::endpoint_impl(&input, response.as_ref()),
    };
    let errors = errors.to_compile_errors();
    quote! {
        #errors
        #input
        #implementation
        #builder
    }
}

