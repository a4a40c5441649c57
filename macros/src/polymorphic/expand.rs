//! Generates `Serialize`, `Deserialize` and the runtime's `Polymorphic` impl from the checked
//! variants.

use super::attr::Tag;
use super::valid::Variant;
use crate::private::Private;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

pub fn generate(input: &DeriveInput, variants: &[Variant], rt: &Private) -> TokenStream {
    let rt = quote!(#rt::polymorphic);
    let ident = &input.ident;
    let expecting = format!("a `{ident}` (an object with `@odata.type`)");
    let known: Vec<String> = variants
        .iter()
        .filter_map(|v| match &v.tag {
            Tag::Type(name, _) => Some(format!("#{name}")),
            Tag::Other => None,
        })
        .collect();
    // The default variant reads the annotation with the rest of the object and writes itself:
    // its type keeps `@odata.type` as it was read (present or not), so both round-trip.
    let arms = variants.iter().filter_map(|v| {
        let Tag::Type(name, is_default) = &v.tag else { return None };
        let (variant, ty) = (&v.ident, &v.ty);
        let rest = if *is_default { quote!(rest.with_tag()) } else { quote!(rest.without_tag()) };
        Some(quote_spanned!(ty.span()=> #name => #rt::Result::map(<#ty as #rt::Deserialize<'de>>::deserialize(#rest), Self::#variant),))
    });
    let untagged = variants.iter().find(|v| matches!(v.tag, Tag::Type(_, true))).map(|v| {
        let (variant, ty) = (&v.ident, &v.ty);
        quote! {
            fn untagged<'de, A: #rt::MapAccess<'de>>(rest: #rt::Rest<'de, A>) -> #rt::Result<Self, A::Error> {
                #rt::Result::map(<#ty as #rt::Deserialize<'de>>::deserialize(rest), Self::#variant)
            }
        }
    });
    let fallback = match variants.iter().find(|v| matches!(v.tag, Tag::Other)) {
        Some(v) => {
            let (variant, ty) = (&v.ident, &v.ty);
            quote!(_ => #rt::Result::map(<#ty as #rt::Deserialize<'de>>::deserialize(rest.with_tag()), Self::#variant),)
        }
        None => quote!(_ => #rt::Result::Err(rest.unknown(odata_type, #expecting, &[#(#known),*])),),
    };
    let writes = variants.iter().map(|v| {
        let variant = &v.ident;
        match &v.tag {
            Tag::Type(name, false) => {
                let tag = format!("#{name}");
                quote!(Self::#variant(value) => #rt::serialize_tagged(serializer, #tag, value),)
            }
            Tag::Type(_, true) | Tag::Other => {
                let ty = &v.ty;
                quote!(Self::#variant(value) => <#ty as #rt::Serialize>::serialize(value, serializer),)
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #rt::Polymorphic for #ident {
            const EXPECTING: &'static str = #expecting;

            fn from_parts<'de, A: #rt::MapAccess<'de>>(odata_type: &str, rest: #rt::Rest<'de, A>) -> #rt::Result<Self, A::Error> {
                match odata_type {
                    #(#arms)*
                    #fallback
                }
            }

            #untagged
        }

        #[automatically_derived]
        impl<'de> #rt::Deserialize<'de> for #ident {
            fn deserialize<D: #rt::Deserializer<'de>>(deserializer: D) -> #rt::Result<Self, D::Error> {
                #rt::deserialize::<Self, D>(deserializer)
            }
        }

        #[automatically_derived]
        impl #rt::Serialize for #ident {
            fn serialize<S: #rt::Serializer>(&self, serializer: S) -> #rt::Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                }
            }
        }
    }
}
