//! Code generation from the checked model: the `Endpoint` implementation and, for structs,
//! the typed builder. Every path is absolute through `::graph_endpoint::__private`, so the
//! user's crate needs no other dependency and may shadow any std name; and nothing relies on
//! the prelude (no method calls through prelude traits, no bare `Some`/`Ok`), so that it
//! compiles inside `#![no_implicit_prelude]` modules.

use crate::attr::{Method, Version};
use crate::model::{self, Endpoint, Field, FieldsStyle, Role, Route, Shape};
use crate::template::Piece;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, Type};

/// The runtime as generated code reaches it.
pub fn rt() -> TokenStream {
    quote!(::graph_endpoint::__private)
}

pub fn endpoint_impl(input: &DeriveInput, endpoint: &Endpoint) -> TokenStream {
    let rt = rt();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = match &endpoint.response {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let decode = match &endpoint.response {
        Some(ty) => quote_spanned!(ty.span()=> #rt::decode_json::<#ty>(body)),
        None => quote!(#rt::ignore_body(body)),
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
    let path = dispatch(&routes, |r| matches!(r, Role::Path(_)), write_path);
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
        |route| match route.fields_with(|r| matches!(r, Role::Body { .. })).next() {
            Some(field @ Field { role: Role::Body { optional: true }, .. }) => {
                let f = &field.ident;
                quote_spanned!(field.ty.span()=> match #f {
                    #rt::Option::Some(value) => #rt::write_json_body(value, __body),
                    #rt::Option::None => #rt::Result::Ok(false),
                })
            }
            Some(field) => {
                let f = &field.ident;
                quote_spanned!(field.ty.span()=> #rt::write_json_body(#f, __body))
            }
            None => quote!(#rt::Result::Ok(false)),
        },
    );

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
            fn write_body(&self, __body: &mut #rt::Vec<u8>) -> #rt::Result<bool, #rt::Error> {
                #body
            }

            #[inline]
            fn decode_response(body: &[u8]) -> #rt::Result<Self::Response, #rt::DecodeError> {
                #decode
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

fn write_path(route: &Route) -> TokenStream {
    let rt = rt();
    let steps = route.template.pieces.iter().map(|piece| match piece {
        Piece::Literal(text) => quote!(__path.literal(#text);),
        Piece::Param(param) => {
            // `check` bound every parameter; an unbound one cannot reach expansion.
            let Some(field) = route.path_field(&param.name) else { return quote!() };
            let f = &field.ident;
            let name = &param.name;
            let quoted = param.quoted;
            let whole = param.whole_segment;
            // Spanned at the field's type: a type that cannot be a path parameter is reported there.
            quote_spanned!(field.ty.span()=> __path.param(#name, #f, #quoted, #whole)?;)
        }
    });
    quote!(#(#steps)* #rt::Result::Ok(()))
}

/// The typed builder of a struct: `Type::builder()`, one setter per field, and `build()` only
/// once every required (non-`Option`) field is set. Each required field is one type parameter
/// whose state is either the field's marker (unset) or `Set<T>`: setters cost one impl each.
pub fn builder(input: &DeriveInput) -> TokenStream {
    let syn::Data::Struct(data) = &input.data else { return quote!() };
    // Named fields all have an identifier; keeping only those makes the name and type lists
    // below the same length by construction.
    let named: Vec<&syn::Field> = match &data.fields {
        syn::Fields::Named(named) => named.named.iter().filter(|f| f.ident.is_some()).collect(),
        syn::Fields::Unit => Vec::new(),
        syn::Fields::Unnamed(_) => return quote!(),
    };
    let rt = rt();
    let vis = &input.vis;
    let ident = &input.ident;
    let builder = format_ident!("{}Builder", ident);
    let markers = format_ident!("__{}Fields", ident);
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let params: Vec<&syn::GenericParam> = input.generics.params.iter().collect();
    let args: Vec<TokenStream> = input
        .generics
        .params
        .iter()
        .map(|p| match p {
            syn::GenericParam::Lifetime(l) => {
                let l = &l.lifetime;
                quote!(#l)
            }
            syn::GenericParam::Type(t) => {
                let t = &t.ident;
                quote!(#t)
            }
            syn::GenericParam::Const(c) => {
                let c = &c.ident;
                quote!(#c)
            }
        })
        .collect();
    let params_no_defaults: Vec<TokenStream> = params
        .iter()
        .map(|p| match p {
            syn::GenericParam::Type(t) => {
                let (i, b) = (&t.ident, &t.bounds);
                if b.is_empty() { quote!(#i) } else { quote!(#i: #b) }
            }
            syn::GenericParam::Const(c) => {
                let (i, t) = (&c.ident, &c.ty);
                quote!(const #i: #t)
            }
            other => quote!(#other),
        })
        .collect();

    let required: Vec<&syn::Field> = named.iter().copied().filter(|f| model::option_inner(&f.ty).is_none()).collect();
    let optional: Vec<&syn::Field> = named.iter().copied().filter(|f| model::option_inner(&f.ty).is_some()).collect();
    let states: Vec<Ident> = (0..required.len()).map(|i| format_ident!("__S{}", i)).collect();
    let marker_names: Vec<Ident> = required.iter().filter_map(|f| f.ident.clone()).collect();
    let opt_names: Vec<&Ident> = optional.iter().filter_map(|f| f.ident.as_ref()).collect();
    let opt_types: Vec<&Type> = optional.iter().map(|f| &f.ty).collect();
    let req_names: Vec<&Ident> = required.iter().filter_map(|f| f.ident.as_ref()).collect();
    let req_types: Vec<&Type> = required.iter().map(|f| &f.ty).collect();
    let target = quote!(#ident #ty_generics);
    let phantom = quote!(#rt::PhantomData<fn() -> #target>);
    let states_idx: Vec<syn::Index> = (0..required.len()).map(syn::Index::from).collect();
    let construct = match data.fields {
        syn::Fields::Unit => quote!(#ident),
        _ => quote!(#ident { #(#req_names: #rt::Required::take(__required.#states_idx),)* #(#opt_names: self.#opt_names,)* }),
    };

    let setters = required.iter().zip(&req_names).zip(&marker_names).enumerate().map(|(k, ((field, name), marker))| {
        let ty = &field.ty;
        let others: Vec<&Ident> = states.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, s)| s).collect();
        let before: Vec<TokenStream> =
            states.iter().enumerate().map(|(i, s)| if i == k { quote!(#markers::#marker) } else { quote!(#s) }).collect();
        let after: Vec<TokenStream> =
            states.iter().enumerate().map(|(i, s)| if i == k { quote!(#rt::Set<#ty>) } else { quote!(#s) }).collect();
        let moved: Vec<TokenStream> = states_idx
            .iter()
            .enumerate()
            .map(|(i, idx)| if i == k { quote!(#rt::Set(#rt::Into::into(value))) } else { quote!(self.__required.#idx) })
            .collect();
        let doc = format!("Sets `{}` (required).", syn::ext::IdentExt::unraw(*name));
        quote! {
            impl<#(#params_no_defaults,)* #(#others,)*> #builder<#(#args,)* #(#before,)*> #where_clause {
                #[doc = #doc]
                #[inline]
                pub fn #name(self, value: impl #rt::Into<#ty>) -> #builder<#(#args,)* #(#after,)*> {
                    #builder {
                        __required: (#(#moved,)*),
                        #(#opt_names: self.#opt_names,)*
                        __target: #rt::PhantomData,
                    }
                }
            }
        }
    });
    let opt_setters = optional.iter().map(|field| {
        let name = &field.ident;
        let ty = &field.ty;
        let doc = format!(
            "Sets `{}` (optional; `None` by default).",
            name.as_ref().map(syn::ext::IdentExt::unraw).map(|i| i.to_string()).unwrap_or_default()
        );
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #name(mut self, value: impl #rt::Into<#ty>) -> Self {
                self.#name = #rt::Into::into(value);
                self
            }
        }
    });
    let builder_doc = format!("A typed builder for [`{ident}`]: set every required field, then call `.build()`.");
    let fn_doc = format!("Starts a typed builder for [`{ident}`]. `.build()` only compiles once every required field is set.");
    let markers_doc = format!("Markers for the unset required fields of [`{builder}`].");
    let marker_docs =
        marker_names.iter().map(|m| format!("The required field `{0}` is not set yet: call `.{0}(...)`.", syn::ext::IdentExt::unraw(m)));
    let defaults = states.iter().zip(&marker_names).map(|(s, m)| quote!(#s = #markers::#m));
    let bounds = states.iter().zip(&req_types).map(|(s, t)| quote!(#s: #rt::Required<#t>));
    let initial = marker_names.iter().map(|m| quote!(#markers::#m));

    quote! {
        #[doc = #markers_doc]
        #[doc(hidden)]
        #[allow(non_camel_case_types, non_snake_case, missing_docs, unreachable_pub)]
        #vis mod #markers {
            #(
                #[doc = #marker_docs]
                pub struct #marker_names;
            )*
        }

        #[doc = #builder_doc]
        #[must_use = "call `.build()` to get the endpoint"]
        #vis struct #builder<#(#params,)* #(#defaults,)*> #where_clause {
            __required: (#(#states,)*),
            #(#opt_names: #opt_types,)*
            __target: #phantom,
        }

        #[automatically_derived]
        impl #impl_generics #target #where_clause {
            #[doc = #fn_doc]
            #[inline]
            #vis fn builder() -> #builder<#(#args,)*> {
                #builder {
                    __required: (#(#initial,)*),
                    #(#opt_names: #rt::Default::default(),)*
                    __target: #rt::PhantomData,
                }
            }
        }

        #(#setters)*

        impl<#(#params_no_defaults,)* #(#states,)*> #builder<#(#args,)* #(#states,)*> #where_clause {
            #(#opt_setters)*

            /// Builds the endpoint. Compiles only once every required field is set.
            #[inline]
            pub fn build(self) -> #target
            where
                #(#bounds,)*
            {
                let __required = self.__required;
                #construct
            }
        }
    }
}
