//! Code generation from the checked model: the `Endpoint` implementation. Every path is
//! absolute through the facade's `__private` module (`rt`), so the user's crate needs no other
//! dependency and may shadow any std name; and nothing relies on the prelude (no method calls through prelude traits, no bare `Some`/`Ok`), so that it
//! compiles inside `#![no_implicit_prelude]` modules.

use super::attr::{Method, Version};
use super::bounds;
use super::model::{Endpoint, Field, FieldsStyle, Role, Route, Shape};
use crate::private::Private;
use graph_endpoint_template::Piece;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident};

pub fn endpoint_impl(input: &DeriveInput, endpoint: &Endpoint, rt: &Private) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = match &endpoint.response {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    // Raw bytes for `Bytes` and `Vec<u8>`, JSON for anything else: chosen by method
    // resolution on the declared type (see the runtime's `Decode`).
    let decode = match &endpoint.response {
        Some(ty) => quote_spanned!(ty.span()=> {
            #[allow(unused_imports)]
            use #rt::{DecodeJson as _, DecodeRaw as _};
            (&#rt::Decode::<#ty>::new()).decode(__answer)
        }),
        None => quote!(#rt::Result::Ok(())),
    };
    let routes: Vec<(TokenStream, &Route)> = match &endpoint.shape {
        Shape::Struct(route) => vec![(quote!(Self), route)],
        Shape::Enum(variants) => variants.iter().map(|(v, route)| (quote!(Self::#v), route)).collect(),
    };

    let method = dispatch(&routes, none, |route| {
        let m = method_tokens(route.method);
        quote!(#rt::Method::#m)
    });
    let template = dispatch(&routes, none, |route| {
        let lit = &route.template_lit;
        quote!(#lit)
    });
    let version = dispatch(&routes, none, |route| match route.version {
        Some(Version::V1) => quote!(#rt::Option::Some(#rt::ApiVersion::V1)),
        Some(Version::Beta) => quote!(#rt::Option::Some(#rt::ApiVersion::Beta)),
        None => quote!(#rt::Option::None),
    });
    let path = dispatch(&routes, |r| matches!(r, Role::Path(_)), |route| write_path(route, rt));
    let query = dispatch(
        &routes,
        |r| matches!(r, Role::Query(_)),
        |route| {
            let pairs = route.fields_with(|r| matches!(r, Role::Query(_))).map(|field| {
                let Role::Query(key) = &field.role else { return quote!() };
                let f = &field.ident;
                quote_spanned!(field.ty.span()=> #rt::QueryParam::write_query(#f, #key, __query);)
            });
            quote!(#(#pairs)*)
        },
    );
    let headers = dispatch(
        &routes,
        |r| matches!(r, Role::Header(_)),
        |route| {
            let writes = route.fields_with(|r| matches!(r, Role::Header(_))).map(|field| {
                let Role::Header(name) = &field.role else { return quote!() };
                let f = &field.ident;
                quote_spanned!(field.ty.span()=> #rt::HeaderParam::write_header(#f, #name, __headers)?;)
            });
            quote!(#(#writes)* #rt::Result::Ok(()))
        },
    );
    let body = dispatch(
        &routes,
        |r| matches!(r, Role::Body { .. }),
        |route| {
            let Some(Field { ident: f, ty, role: Role::Body { optional, content_type } }) =
                route.fields_with(|r| matches!(r, Role::Body { .. })).next()
            else {
                return quote!(#rt::Result::Ok(()));
            };
            let write = match content_type {
                Some(content_type) => quote_spanned!(ty.span()=> __body.raw(#content_type, value)),
                None => quote_spanned!(ty.span()=> __body.json(value)),
            };
            if *optional {
                quote!(match #f {
                    #rt::Option::Some(value) => #write,
                    #rt::Option::None => #rt::Result::Ok(()),
                })
            } else {
                quote!({
                    let value = #f;
                    #write
                })
            }
        },
    );
    let route_list = routes.iter().map(|(_, route)| {
        let m = method_tokens(route.method);
        let lit = &route.template_lit;
        quote!((#rt::Method::#m, #lit))
    });
    let where_clause = bounds::inferred(&input.generics, where_clause, endpoint, rt);

    // Only with the flag somewhere: otherwise the trait's own answer (not for POST) stands.
    let idempotent = if routes.iter().any(|(_, route)| route.idempotent) {
        let answer = dispatch(&routes, none, |route| {
            let resendable = route.idempotent || route.method != Method::Post;
            quote!(#resendable)
        });
        quote! {
            #[inline]
            fn is_idempotent(&self) -> bool {
                #answer
            }
        }
    } else {
        quote!()
    };

    quote! {
        #[automatically_derived]
        impl #impl_generics #rt::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;

            #[inline]
            fn method(&self) -> #rt::Method {
                #method
            }

            #[inline]
            fn template(&self) -> &'static str {
                #template
            }

            #[inline]
            fn version(&self) -> #rt::Option<#rt::ApiVersion> {
                #version
            }

            #[inline]
            #[allow(unused_variables)]
            fn write_path(&self, __path: &mut #rt::PathWriter<'_>) -> #rt::Result<(), #rt::Error> {
                #path
            }

            #[inline]
            #[allow(unused_variables)]
            fn write_query(&self, __query: &mut #rt::QueryWriter<'_>) {
                #query
            }

            #[inline]
            #[allow(unused_variables)]
            fn write_headers(&self, __headers: &mut #rt::HeaderWriter<'_>) -> #rt::Result<(), #rt::Error> {
                #headers
            }

            #[inline]
            #[allow(unused_variables)]
            fn write_body(&self, __body: &mut #rt::BodyWriter<'_>) -> #rt::Result<(), #rt::Error> {
                #body
            }

            #[inline]
            #[allow(unused_variables, clippy::needless_borrow)]
            fn decode_response(__answer: &#rt::Answer<'_>) -> #rt::Result<Self::Response, #rt::DecodeError> {
                #decode
            }

            #[inline]
            fn routes() -> &'static [(#rt::Method, &'static str)]
            where
                Self: #rt::Sized,
            {
                &[#(#route_list,)*]
            }

            #idempotent
        }
    }
}

/// Which fields a method body uses: they are bound by reference under their own names.
type Pick = fn(&Role) -> bool;

fn none(_: &Role) -> bool {
    false
}

/// A method body that depends on the route (on an enum, one match arm per variant), with the
/// fields that `pick` selects bound by reference.
fn dispatch(routes: &[(TokenStream, &Route)], pick: Pick, body: impl Fn(&Route) -> TokenStream) -> TokenStream {
    if let [(path, route)] = routes {
        let code = body(route);
        let names: Vec<&Ident> = route.fields_with(pick).map(|f| &f.ident).collect();
        if names.is_empty() {
            return code;
        }
        return quote! {
            let #path { #(#names,)* .. } = self;
            #code
        };
    }
    let arms = routes.iter().map(|(path, route)| {
        let code = body(route);
        let names: Vec<&Ident> = route.fields_with(pick).map(|f| &f.ident).collect();
        let pattern = match route.style {
            FieldsStyle::Unit => quote!(#path),
            FieldsStyle::Named => quote!(#path { #(#names,)* .. }),
        };
        quote!(#pattern => { #code })
    });
    quote! {
        match self {
            #(#arms)*
        }
    }
}

fn method_tokens(method: Method) -> Ident {
    let name = match method {
        Method::Get => "Get",
        Method::Post => "Post",
        Method::Put => "Put",
        Method::Patch => "Patch",
        Method::Delete => "Delete",
    };
    Ident::new(name, Span::call_site())
}

fn write_path(route: &Route, rt: &Private) -> TokenStream {
    let steps = route.template.pieces().iter().map(|piece| match piece {
        Piece::Literal(text) => quote!(__path.literal(#text);),
        Piece::Param(param) => {
            // `bind` bound every parameter; an unbound one cannot reach expansion.
            let Some(field) = route.path_field(param.name()) else { return quote!() };
            let f = &field.ident;
            let name = param.name();
            let quoted = param.quoted();
            let whole = param.whole_segment();
            // Spanned at the field's type: a type that cannot be a path parameter is reported there.
            quote_spanned!(field.ty.span()=> __path.param(#name, #f, #quoted, #whole)?;)
        }
    });
    quote!(#(#steps)* #rt::Result::Ok(()))
}
