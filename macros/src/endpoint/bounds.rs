//! Trait bounds inferred for a generic endpoint, as serde's derives infer theirs: a field
//! whose type mentions a type parameter needs what its role needs (`PathParam`, `QueryParam`,
//! `HeaderParam`, `Serialize` for a JSON body, `RawBody` for bytes), and a response type that
//! mentions one needs `DeserializeOwned` (both through the runtime's own names for them, which
//! keeps serde's traits out of the facade's paths).

use super::model::{self, Endpoint, Role, Shape};
use crate::private::Private;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashSet;
use syn::{Generics, Type, WhereClause};

/// The endpoint impl's where clause: the user's own predicates, then the inferred ones.
pub fn inferred(generics: &Generics, where_clause: Option<&WhereClause>, endpoint: &Endpoint, rt: &Private) -> TokenStream {
    let params: HashSet<String> = generics.type_params().map(|p| p.ident.to_string()).collect();
    let own: Vec<&syn::WherePredicate> = where_clause.map(|w| w.predicates.iter().collect()).unwrap_or_default();
    if params.is_empty() {
        return if own.is_empty() { quote!() } else { quote!(where #(#own,)*) };
    }
    let mut predicates: Vec<TokenStream> = own.iter().map(|p| quote!(#p)).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut add = |ty: &Type, bound: TokenStream| {
        if mentions(ty, &params) {
            let predicate = quote!(#ty: #bound);
            if seen.insert(predicate.to_string()) {
                predicates.push(predicate);
            }
        }
    };
    let routes: Vec<&model::Route> = match &endpoint.shape {
        Shape::Struct(route) => vec![route],
        Shape::Enum(variants) => variants.iter().map(|(_, route)| route).collect(),
    };
    for route in routes {
        for field in &route.fields {
            match &field.role {
                Role::Path(_) => add(&field.ty, quote!(#rt::PathParam)),
                Role::Query(_) => add(&field.ty, quote!(#rt::QueryParam)),
                Role::Header(_) => add(&field.ty, quote!(#rt::HeaderParam)),
                Role::Body { optional, content_type } => {
                    let inner = if *optional { model::option_inner(&field.ty).unwrap_or(&field.ty) } else { &field.ty };
                    match content_type {
                        Some(_) => add(inner, quote!(#rt::RawBody)),
                        None => add(inner, quote!(#rt::JsonBody)),
                    }
                }
            }
        }
    }
    if let Some(response) = &endpoint.response {
        add(response, quote!(#rt::JsonResponse));
    }
    quote!(where #(#predicates,)*)
}

/// Whether `ty` names one of `params` anywhere (`T`, `Vec<T>`, `Option<Box<T>>`, ...).
fn mentions(ty: &Type, params: &HashSet<String>) -> bool {
    fn walk(tokens: TokenStream, params: &HashSet<String>) -> bool {
        tokens.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(ident) => params.contains(&ident.to_string()),
            proc_macro2::TokenTree::Group(group) => walk(group.stream(), params),
            _ => false,
        })
    }
    walk(quote!(#ty), params)
}
