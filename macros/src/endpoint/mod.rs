//! `#[graph_endpoint]`: a struct (or an enum of alternate routes) into a Microsoft Graph
//! endpoint. The pipeline, in the style of thiserror's:
//!
//! 1. `attr` reads the macro's own syntax: the arguments and variants' routes, and `role`
//!    the fields' `#[graph(...)]`;
//! 2. `valid` checks the item and, through `bind`, binds the template's parameters (parsed by
//!    the `graph-endpoint-template` crate, its errors worded by `query_advice`) to fields,
//!    recording every mistake in one error context and building the checked `model`;
//! 3. `expand` generates the `Endpoint` implementation (with `bounds` for generic items) and
//!    `builder` the typed builder, from the model alone;
//! 4. `fallback` stands in for the implementation when the definition has errors, so that they
//!    are not followed by "trait not implemented" at every use.

mod attr;
mod bind;
mod bounds;
mod builder;
#[cfg(test)]
mod corpus;
mod expand;
mod fallback;
mod model;
mod query_advice;
mod role;
#[cfg(test)]
mod strategies;
mod suggest;
mod valid;

use crate::errors::Errors;
use crate::private::Private;
use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Expands the attribute; errors become spanned `compile_error!`s next to the item.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse_args(args, attr::ArgsPosition::Item, &mut errors);
    let rt = Private::new(args.crate_path.as_ref());
    let mut input: syn::DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(_) => {
            errors.span(
                Span::call_site(),
                "#[graph_endpoint] applies to a struct with named fields, or to an enum with one route per variant",
            );
            let errors = errors.to_compile_errors();
            return quote!(#errors #item);
        }
    };
    let response = args.response.clone();
    let builder_ok = valid::reserved_names(&input, &mut errors);
    let endpoint = valid::endpoint(args, &mut input, &mut errors);
    // A builder whose names clash would only add the compiler's errors to the one above.
    let builder = if builder_ok { builder::builder(&input, endpoint.as_ref(), &rt) } else { quote!() };
    let implementation = match &endpoint {
        Some(endpoint) if errors.is_empty() => expand::endpoint_impl(&input, endpoint, &rt),
        _ => fallback::endpoint_impl(&input, response.as_ref(), &rt),
    };
    let warnings = match &endpoint {
        Some(endpoint) if errors.is_empty() => route_warnings(endpoint),
        _ => quote!(),
    };
    let tracking = crate::routes::tracking();
    let errors = errors.to_compile_errors();
    quote! {
        #errors
        #input
        #implementation
        #builder
        #warnings
        #tracking
    }
}

/// Checks each route of a valid definition against Graph's routes.
fn route_warnings(endpoint: &model::Endpoint) -> TokenStream {
    use crate::routes::Checked;
    fn checked(route: &model::Route, variant: bool) -> Checked<'_> {
        Checked {
            method: route.method,
            template: &route.template,
            literal: &route.template_lit,
            version: route.version,
            unlisted: route.unlisted.as_ref().map(|flag| flag.span()),
            variant,
        }
    }
    let routes: Vec<Checked<'_>> = match &endpoint.shape {
        model::Shape::Struct(route) => vec![checked(route, false)],
        model::Shape::Enum(routes) => routes.iter().map(|(_, route)| checked(route, true)).collect(),
    };
    crate::routes::route_warnings(&routes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn crate_path_is_used_for_every_path() {
        let out = expand_str("GET \"/users/{userId}\", crate = \"::my_sdk::graph\"", "pub struct S { pub user_id: String }");
        assert!(out.contains(":: my_sdk :: graph :: __private"), "{out}");
        assert!(!out.contains(":: graph_endpoint ::"), "{out}");
        // And only for that expansion.
        let out = expand_str("GET \"/users/{userId}\"", "pub struct S { pub user_id: String }");
        assert!(out.contains(":: graph_endpoint :: __private") && !out.contains("my_sdk"), "{out}");
    }

    fn expand_str(args: &str, item: &str) -> String {
        let args: TokenStream = args.parse().expect("arguments lex");
        let item: TokenStream = item.parse().expect("item lexes");
        expand(args, item).to_string()
    }

    /// The messages of the errors an expansion emits, in order.
    fn errors_of(args: &str, item: &str) -> Vec<String> {
        fn walk(tokens: TokenStream, out: &mut Vec<String>) {
            let mut after_compile_error = false;
            for tt in tokens {
                match tt {
                    proc_macro2::TokenTree::Ident(ident) => after_compile_error = ident == "compile_error",
                    proc_macro2::TokenTree::Group(group) if after_compile_error => {
                        if let Ok(lit) = syn::parse2::<syn::LitStr>(group.stream()) {
                            out.push(lit.value());
                        }
                        after_compile_error = false;
                    }
                    proc_macro2::TokenTree::Group(group) => walk(group.stream(), out),
                    proc_macro2::TokenTree::Punct(_) | proc_macro2::TokenTree::Literal(_) => {}
                }
            }
        }
        let args: TokenStream = args.parse().expect("arguments lex");
        let item: TokenStream = item.parse().expect("item lexes");
        let mut out = Vec::new();
        walk(expand(args, item), &mut out);
        out
    }

    /// Template errors and field errors come in the same compile, but a field is only said to
    /// have no role when the template's parameters are all known.
    #[test]
    fn template_and_field_errors_together() {
        let errors =
            errors_of("GET \"/users/{userId}/messages//{messageId}\"", "pub struct S { pub user_id: String, pub subject: String }");
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].contains("empty segment"), "{errors:#?}");
        assert!(errors[1].contains("`{messageId}` has no field"), "{errors:#?}");
        assert!(errors[2].contains("field `subject` has no role"), "{errors:#?}");

        // `{}` may be the parameter `usr_id` is meant for: only the certain error is added.
        let errors = errors_of("GET \"/users/{userId}/{}\"", "pub struct S { pub usr_id: String }");
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[1].contains("`{userId}` has no field") && errors[1].contains("did you mean field `usr_id`"), "{errors:#?}");

        for template in ["beta", "", "https://graph.microsoft.com/v1.0/", "/users/{userId"] {
            let errors = errors_of(&format!("GET {template:?}"), "pub struct S { pub user_id: String }");
            assert_eq!(errors.len(), 1, "{template}: {errors:#?}");
        }
        let errors = errors_of("GET \"beta/users/{userId}\"", "pub struct S { pub id: String, #[graph(path = \"nope\")] pub x: String }");
        assert_eq!(errors.len(), 4, "{errors:#?}");

        // A field whose role could not be read may have been meant for the parameter.
        let errors = errors_of("GET \"/users/{userId}//x\"", "pub struct S { #[graph(pth = \"userId\")] pub user: String }");
        assert_eq!(errors.len(), 2, "{errors:#?}");
    }

    /// A query string in the template is one error, even next to the fields it means; a field
    /// named like an OData option is told its `$` key.
    #[test]
    fn query_string_next_to_its_field() {
        let errors = errors_of("GET \"/users?$filter=x&$top=5\"", "pub struct S { pub filter: Option<String>, pub top: u32 }");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("#[graph(query = \"$filter\")]"), "{errors:#?}");
        let errors = errors_of("GET \"/users\"", "pub struct S { pub filter: Option<String>, pub colour: u8 }");
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("mark it #[graph(query = \"$filter\")]"), "{errors:#?}");
        assert!(errors[1].contains("mark it #[graph(query)]"), "{errors:#?}");
    }

    /// Names the generated code or the builder needs are refused at the field, and a builder
    /// that would clash is not generated at all.
    #[test]
    fn reserved_names() {
        for (item, culprit) in [
            ("pub struct S { #[graph(query)] pub build: String }", "`build`"),
            ("pub struct S { #[graph(query)] pub r#build: String }", "`build`"),
            ("pub struct S { #[graph(query)] pub builder: String }", "`builder`"),
            ("pub struct S { #[graph(query)] pub __path: String }", "`__path`"),
            ("pub struct S { #[graph(query = \"k\")] pub __: String }", "`__`"),
            ("pub enum S { #[graph(GET \"/x\")] A { #[graph(query)] __query: String } }", "`__query`"),
            ("pub struct S { #[graph(query)] pub x: Option<u8>, #[graph(query)] pub maybe_x: Option<u8> }", "`maybe_x`"),
        ] {
            let args = if item.contains("enum") { "" } else { "GET \"/x\"" };
            let errors = errors_of(args, item);
            assert_eq!(errors.len(), 1, "{item}: {errors:#?}");
            assert!(errors[0].contains(culprit), "{item}: {errors:#?}");
        }
        let out = expand_str("GET \"/x\"", "pub struct S { #[graph(query)] pub build: String }");
        assert!(!out.contains("SBuilder"), "{out}");
        // The builder's own type parameters are named after the fields, away from the user's names.
        assert!(errors_of("GET \"/x\"", "pub struct S<__S0> { #[graph(query)] pub a: __S0 }").is_empty());
        let out = expand_str("GET \"/u/{userId}\"", "pub struct S { pub user_id: UserId }");
        assert!(out.contains("UserIdState") && !out.contains("< UserId ,"), "{out}");
        // Names that only look alike are fine.
        assert!(
            errors_of(
                "POST \"/x\"",
                "pub struct S { #[graph(query)] pub maybe_x: u8, #[graph(query)] pub _s0: u8, #[graph(body)] pub body: u8 }"
            )
            .is_empty()
        );
    }

    /// Pasted versions and URLs once made the template parser panic; now they are errors.
    #[test]
    fn version_prefixes_are_errors_not_panics() {
        for template in [
            "beta/users/{userId}",
            "v1.0/me",
            "beta",
            "beta/",
            "/beta/users/{userId}",
            "/v1.0/me",
            "v1.0",
            "https://graph.microsoft.com/v1.0/me",
        ] {
            let out = expand_str(&format!("GET {template:?}"), "pub struct GetUser { pub user_id: String }");
            assert!(out.contains("compile_error"), "{template}: {out}");
            assert!(out.contains("relative to the version root"), "{template}: {out}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whole attribute inputs (well-formed or not, arguments and items alike) expand to
        /// tokens without panicking.
        #[test]
        fn expand_never_panics(args in strategies::arguments(), item in strategies::item()) {
            // rustc lexes before any macro runs: text that does not lex never reaches us.
            let (Ok(args), Ok(item)) = (args.parse::<TokenStream>(), item.parse::<TokenStream>()) else {
                prop_assume!(false);
                unreachable!()
            };
            let out = expand(args, item);
            prop_assert!(out.to_string().parse::<TokenStream>().is_ok());
        }

        /// Well-formed definitions expand without errors, and override `is_idempotent` exactly
        /// when some route is marked.
        #[test]
        fn valid_definitions_expand_cleanly((args, item, idempotent) in strategies::valid_definition()) {
            let errors = errors_of(&args, &item);
            prop_assert!(errors.is_empty(), "{} / {}: {:?}", args, item, errors);
            prop_assert_eq!(expand_str(&args, &item).contains("is_idempotent"), idempotent);
        }
    }
}
