//! The typed builder of a struct: `Type::builder()`, one setter per field, and `build()` only
//! once every required field is set. Each required field is one type parameter whose state is
//! either the field's marker (unset) or `Set<T>`: setters cost one impl each.
//!
//! - A required field's setter takes `impl Into<T>`.
//! - An `Option<T>` field is `None` until set; its setter takes `impl Into<T>`, and
//!   `maybe_<field>(Option<T>)` sets it from an `Option`.
//! - A `Vec<T>` query field is empty until set; its setter takes any iterator of `impl Into<T>`.

use super::model::{self, Endpoint, Role, Shape};
use crate::private::Private;
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::HashSet;
use syn::ext::IdentExt;
use syn::{DeriveInput, Ident, Type};

/// How a field is set.
enum Kind<'a> {
    Required,
    /// `Option<T>`, with `T`.
    Optional(&'a Type),
    /// A `Vec<T>` query field, with `T`.
    List(&'a Type),
}

struct Field<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    kind: Kind<'a>,
}

pub fn builder(input: &DeriveInput, endpoint: Option<&Endpoint>, rt: &Private) -> TokenStream {
    let syn::Data::Struct(data) = &input.data else { return quote!() };
    let named: Vec<&syn::Field> = match &data.fields {
        syn::Fields::Named(named) => named.named.iter().collect(),
        syn::Fields::Unit => Vec::new(),
        syn::Fields::Unnamed(_) => return quote!(),
    };
    // Vec fields default to empty only where the checked model says they are query fields.
    let list_fields: HashSet<&Ident> = match endpoint.map(|e| &e.shape) {
        Some(Shape::Struct(route)) => {
            route.fields_with(|r| matches!(r, Role::Query(_))).filter(|f| model::vec_inner(&f.ty).is_some()).map(|f| &f.ident).collect()
        }
        _ => HashSet::new(),
    };
    let fields: Vec<Field> = named
        .iter()
        .filter_map(|f| {
            let ident = f.ident.as_ref()?;
            let kind = match (model::option_inner(&f.ty), model::vec_inner(&f.ty)) {
                (Some(inner), _) => Kind::Optional(inner),
                (None, Some(inner)) if list_fields.contains(ident) => Kind::List(inner),
                _ => Kind::Required,
            };
            Some(Field { ident, ty: &f.ty, kind })
        })
        .collect();

    let vis = &input.vis;
    let ident = &input.ident;
    let builder = format_ident!("{}Builder", ident);
    let markers = format_ident!("__{}Fields", ident);
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let params: Vec<&syn::GenericParam> = input.generics.params.iter().collect();
    let args: Vec<TokenStream> = params.iter().map(|p| generic_arg(p)).collect();
    let params_no_defaults: Vec<TokenStream> = params.iter().map(|p| param_without_default(p)).collect();

    let required: Vec<&Field> = fields.iter().filter(|f| matches!(f.kind, Kind::Required)).collect();
    let others: Vec<&Field> = fields.iter().filter(|f| !matches!(f.kind, Kind::Required)).collect();
    let states = state_names(input, &required);
    let req_names: Vec<&Ident> = required.iter().map(|f| f.ident).collect();
    let req_types: Vec<&Type> = required.iter().map(|f| f.ty).collect();
    let other_names: Vec<&Ident> = others.iter().map(|f| f.ident).collect();
    let other_types: Vec<&Type> = others.iter().map(|f| f.ty).collect();
    let target = quote!(#ident #ty_generics);
    let phantom = quote!(#rt::PhantomData<fn() -> #target>);
    let states_idx: Vec<syn::Index> = (0..required.len()).map(syn::Index::from).collect();
    let construct = match data.fields {
        syn::Fields::Unit => quote!(#ident),
        _ => quote!(#ident { #(#req_names: #rt::Required::take(__required.#states_idx),)* #(#other_names: self.#other_names,)* }),
    };

    let setters = required.iter().zip(&states).enumerate().map(|(k, (field, _))| {
        let (name, ty) = (field.ident, field.ty);
        let free: Vec<&Ident> = states.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, s)| s).collect();
        let before: Vec<TokenStream> =
            states.iter().enumerate().map(|(i, s)| if i == k { quote!(#markers::#name) } else { quote!(#s) }).collect();
        let after: Vec<TokenStream> =
            states.iter().enumerate().map(|(i, s)| if i == k { quote!(#rt::Set<#ty>) } else { quote!(#s) }).collect();
        let moved: Vec<TokenStream> = states_idx
            .iter()
            .enumerate()
            .map(|(i, idx)| if i == k { quote!(#rt::Set(#rt::Into::into(value))) } else { quote!(self.__required.#idx) })
            .collect();
        let doc = format!("Sets `{}` (required).", name.unraw());
        quote! {
            impl<#(#params_no_defaults,)* #(#free,)*> #builder<#(#args,)* #(#before,)*> #where_clause {
                #[doc = #doc]
                #[inline]
                pub fn #name(self, value: impl #rt::Into<#ty>) -> #builder<#(#args,)* #(#after,)*> {
                    #builder {
                        __required: (#(#moved,)*),
                        #(#other_names: self.#other_names,)*
                        __target: #rt::PhantomData,
                    }
                }
            }
        }
    });
    let other_setters = others.iter().map(|field| {
        let name = field.ident;
        let shown = name.unraw();
        match field.kind {
            Kind::Optional(inner) => {
                let maybe = format_ident!("maybe_{}", shown);
                let doc = format!("Sets `{shown}` (optional; unset by default).");
                let maybe_doc = format!("Sets `{shown}` from an `Option`: `None` leaves it unset.");
                quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(mut self, value: impl #rt::Into<#inner>) -> Self {
                        self.#name = #rt::Option::Some(#rt::Into::into(value));
                        self
                    }

                    #[doc = #maybe_doc]
                    #[inline]
                    pub fn #maybe(mut self, value: #rt::Option<#inner>) -> Self {
                        self.#name = value;
                        self
                    }
                }
            }
            Kind::List(inner) => {
                let doc = format!("Sets `{shown}` (empty by default, and then left out of the query).");
                quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(mut self, values: impl #rt::IntoIterator<Item = impl #rt::Into<#inner>>) -> Self {
                        self.#name = #rt::Iterator::collect(#rt::Iterator::map(#rt::IntoIterator::into_iter(values), #rt::Into::into));
                        self
                    }
                }
            }
            Kind::Required => quote!(),
        }
    });
    let builder_doc = format!("A typed builder for [`{ident}`]: set every required field, then call `.build()`.");
    let fn_doc = format!("Starts a typed builder for [`{ident}`]. `.build()` only compiles once every required field is set.");
    let markers_doc = format!("Markers for the unset required fields of [`{builder}`].");
    let marker_docs = req_names.iter().map(|m| format!("The required field `{0}` is not set yet: call `.{0}(...)`.", m.unraw()));
    let defaults = states.iter().zip(&req_names).map(|(s, m)| quote!(#s = #markers::#m));
    let bounds = states.iter().zip(&req_types).map(|(s, t)| quote!(#s: #rt::Required<#t>));
    let initial = req_names.iter().map(|m| quote!(#markers::#m));

    quote! {
        #[doc = #markers_doc]
        #[doc(hidden)]
        #[allow(non_camel_case_types, non_snake_case, missing_docs, unreachable_pub)]
        #vis mod #markers {
            #(
                #[doc = #marker_docs]
                pub struct #req_names;
            )*
        }

        #[doc = #builder_doc]
        #[must_use = "call `.build()` to get the endpoint"]
        #[allow(non_camel_case_types)]
        #vis struct #builder<#(#params,)* #(#defaults,)*> #where_clause {
            __required: (#(#states,)*),
            #(#other_names: #other_types,)*
            __target: #phantom,
        }

        #[automatically_derived]
        impl #impl_generics #target #where_clause {
            #[doc = #fn_doc]
            #[inline]
            #vis fn builder() -> #builder<#(#args,)*> {
                #builder {
                    __required: (#(#initial,)*),
                    #(#other_names: #rt::Default::default(),)*
                    __target: #rt::PhantomData,
                }
            }
        }

        #(#setters)*

        #[allow(non_camel_case_types)]
        impl<#(#params_no_defaults,)* #(#states,)*> #builder<#(#args,)* #(#states,)*> #where_clause {
            #(#other_setters)*

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

/// The builder's type parameter of each required field, named after the field so that the
/// builder reads well in docs (`GetUserBuilder<UserId = …>`), and renamed when that name is
/// taken by anything the struct's own types or generics mention.
fn state_names(input: &DeriveInput, required: &[&Field]) -> Vec<Ident> {
    let mut taken: HashSet<String> = HashSet::new();
    collect_idents(quote!(#input), &mut taken);
    taken.insert(format!("{}Builder", input.ident));
    taken.insert(format!("__{}Fields", input.ident));
    let mut names = Vec::with_capacity(required.len());
    for field in required {
        let base = field.ident.unraw().to_string().to_upper_camel_case();
        let base = if base.is_empty() { "Field".to_owned() } else { base };
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name) || syn::parse_str::<Ident>(&name).is_err() {
            name = if n == 1 { format!("{base}State") } else { format!("{base}State{n}") };
            n += 1;
        }
        taken.insert(name.clone());
        names.push(Ident::new(&name, proc_macro2::Span::call_site()));
    }
    names
}

fn collect_idents(tokens: TokenStream, out: &mut HashSet<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(ident) => {
                out.insert(ident.unraw().to_string());
            }
            proc_macro2::TokenTree::Group(group) => collect_idents(group.stream(), out),
            _ => {}
        }
    }
}

fn generic_arg(param: &syn::GenericParam) -> TokenStream {
    match param {
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
    }
}

fn param_without_default(param: &syn::GenericParam) -> TokenStream {
    match param {
        syn::GenericParam::Type(t) => {
            let (i, b) = (&t.ident, &t.bounds);
            if b.is_empty() { quote!(#i) } else { quote!(#i: #b) }
        }
        syn::GenericParam::Const(c) => {
            let (i, t) = (&c.ident, &c.ty);
            quote!(const #i: #t)
        }
        other => quote!(#other),
    }
}
