//! What is generated next to the errors of an invalid definition: a stub `Endpoint`
//! implementation, so that code using the endpoint does not add a cascade of "trait not
//! implemented" errors to the ones that name the real mistake.

use crate::private::Private;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, Type};

pub fn endpoint_impl(input: &DeriveInput, response: Option<&Type>, rt: &Private) -> TokenStream {
    if matches!(input.data, syn::Data::Union(_)) {
        return quote!();
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = response.map_or_else(|| quote!(()), |ty| quote!(#ty));
    quote! {
        #[automatically_derived]
        impl #impl_generics #rt::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            fn method(&self) -> #rt::Method {
                #rt::unreachable!()
            }
            fn template(&self) -> &'static str {
                #rt::unreachable!()
            }
            fn write_path(&self, _: &mut #rt::PathWriter<'_>) -> #rt::Result<(), #rt::Error> {
                #rt::unreachable!()
            }
            fn decode_response(_: &#rt::Answer<'_>) -> #rt::Result<Self::Response, #rt::DecodeError> {
                #rt::unreachable!()
            }
        }
    }
}
