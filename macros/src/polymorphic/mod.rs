//! `#[graph_endpoint::polymorphic]`: an enum of `@odata.type` subtypes, one newtype variant
//! per subtype, at most one catch-all that keeps any other subtype whole, and at most one
//! default variant that reads an object without `@odata.type` (a value of a declared type that
//! is not abstract, which Graph sends without the annotation). The pipeline is
//! `#[graph_endpoint]`'s: `attr` reads the syntax, `valid` checks the enum into its variants
//! (reporting every mistake at once), `expand` generates `Serialize`, `Deserialize` and the
//! runtime's `Polymorphic` impl. An invalid enum gets no impl: nothing else names it.

mod attr;
mod expand;
mod valid;

use crate::errors::Errors;
use crate::private::Private;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::DeriveInput;

/// Expands the attribute; errors become spanned `compile_error!`s next to the item.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let crate_path = attr::parse_args(args, &mut errors);
    let mut input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(_) => {
            errors.span(Span::call_site(), "#[polymorphic] applies to an enum with one newtype variant per `@odata.type`");
            let errors = errors.to_compile_errors();
            return quote!(#errors #item);
        }
    };
    let variants = valid::check(&mut input, &mut errors);
    let implementation = match variants {
        Some(variants) if errors.is_empty() => expand::generate(&input, &variants, &Private::new(crate_path.as_ref())),
        _ => quote!(),
    };
    let errors = errors.to_compile_errors();
    quote! {
        #errors
        #input
        #implementation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(item: &str) -> Vec<String> {
        let out = expand(TokenStream::new(), item.parse().unwrap()).to_string();
        out.match_indices("compile_error").map(|(i, _)| out[i..].split('"').nth(1).unwrap_or("").to_owned()).collect()
    }

    #[test]
    fn every_mistake_of_one_enum_at_once() {
        let found = errors(
            r#"pub enum T {
                A(A),
                #[odata("microsoft.graph.b")] B(B),
                #[odata("microsoft.graph.b")] B2(B),
                #[odata(other)] O(serde_json::Value),
                #[odata(other)] O2(serde_json::Value),
                #[odata("microsoft.graph.c")] C { x: u8 },
            }"#,
        );
        for expected in
            ["variant `A` needs", "already the type of variant `B`", "only one variant can be the catch-all", "must hold the subtype"]
        {
            assert!(found.iter().any(|e| e.contains(expected)), "{expected}: {found:#?}");
        }
    }

    #[test]
    fn one_default_variant_and_never_the_catch_all() {
        let found = errors(
            r#"pub enum T {
                #[odata("microsoft.graph.a", default)] A(A),
                #[odata("microsoft.graph.b", default)] B(B),
                #[odata(other, default)] O(O),
            }"#,
        );
        assert!(found.iter().any(|e| e.contains("only one variant can be the default")), "{found:#?}");
        assert!(found.iter().any(|e| e.contains("the catch-all cannot be the default")), "{found:#?}");
        assert!(errors(r#"pub enum T { #[odata("microsoft.graph.a", default)] A(A), #[odata(other)] O(OtherStruct) }"#).is_empty());
        assert!(errors(r#"pub enum T { #[odata(other)] O(Vec<u8>) }"#).iter().any(|e| e.contains("the catch-all keeps")));
    }

    #[test]
    fn valid_enums_expand_without_errors() {
        assert!(
            errors(r#"pub enum T { #[odata("microsoft.graph.a")] A(A), #[odata(other)] O(serde_json::Map<String, serde_json::Value>) }"#)
                .is_empty()
        );
        assert!(errors(r##"pub enum T { #[odata("#microsoft.graph.a")] A(A) }"##).is_empty());
    }
}
