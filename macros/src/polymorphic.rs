//! `#[graph_endpoint::polymorphic]`: an enum of `@odata.type` subtypes, one newtype variant
//! per subtype, at most one catch-all that keeps any other subtype whole, and at most one
//! default variant that reads an object without `@odata.type` (a value of a declared type that
//! is not abstract, which Graph sends without the annotation). The pipeline is
//! the attribute's: read the enum into a checked model (reporting every mistake at once), then
//! generate `Serialize`, `Deserialize` and the runtime's `Polymorphic` impl.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Attribute, DeriveInput, Ident, LitStr, Type};

/// One variant, checked.
struct Variant {
    ident: Ident,
    ty: Type,
    tag: Tag,
}

enum Tag {
    /// `#[odata("microsoft.graph.x")]`: the type name without `#`; `default` when written
    /// `#[odata("microsoft.graph.x", default)]`.
    Type(String, bool),
    /// `#[odata(other)]`
    Other,
}

/// Expands the attribute; errors become spanned `compile_error!`s next to the item.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let crate_path = parse_args(args, &mut errors);
    let mut input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(_) => {
            errors.span(Span::call_site(), "#[polymorphic] applies to an enum with one newtype variant per `@odata.type`");
            let errors = errors.to_compile_errors();
            return quote!(#errors #item);
        }
    };
    let variants = check(&mut input, &mut errors);
    let implementation = match variants {
        Some(variants) if errors.is_empty() => {
            let facade = crate_path.map_or_else(|| quote!(::graph_endpoint), |path| quote!(#path));
            generate(&input, &variants, &quote!(#facade::__private::polymorphic))
        }
        _ => quote!(),
    };
    let errors = errors.to_compile_errors();
    quote! {
        #errors
        #input
        #implementation
    }
}

/// `crate = "path"`, the only argument.
fn parse_args(args: TokenStream, errors: &mut Errors) -> Option<syn::Path> {
    let mut crate_path = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            let lit: LitStr = meta.value()?.parse()?;
            match lit.parse::<syn::Path>() {
                Ok(path) if crate_path.is_none() => crate_path = Some(path),
                Ok(_) => errors.at(&lit, "`crate` is given more than once; keep one"),
                Err(_) => {
                    errors.at(&lit, format_args!("{:?} is not a path; write e.g. `crate = \"::my_sdk::graph_endpoint\"`", lit.value()))
                }
            }
            Ok(())
        } else {
            Err(meta.error("#[polymorphic] takes no arguments but `crate = \"path::to::graph_endpoint\"`; the subtypes go on the variants: #[odata(\"microsoft.graph.x\")]"))
        }
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    crate_path
}

/// Checks the enum and removes the `#[odata]` attributes. `None` when it is not an enum.
fn check(input: &mut DeriveInput, errors: &mut Errors) -> Option<Vec<Variant>> {
    let name = input.ident.clone();
    if !input.generics.params.is_empty() {
        errors.at(&input.generics, "a polymorphic enum cannot be generic: name the subtypes' own types in its variants");
    }
    let syn::Data::Enum(data) = &mut input.data else {
        errors.span(
            input.ident.span(),
            format_args!("#[polymorphic] applies to an enum: write `pub enum {name} {{ #[odata(\"microsoft.graph.x\")] X(X), #[odata(other)] Other(serde_json::Value) }}`"),
        );
        return None;
    };
    if data.variants.is_empty() {
        errors.span(input.ident.span(), "a polymorphic enum needs at least one variant, e.g. #[odata(\"microsoft.graph.x\")] X(X)");
    }
    let mut variants: Vec<Variant> = Vec::new();
    let mut other: Option<Ident> = None;
    let mut default: Option<Ident> = None;
    for variant in &mut data.variants {
        let tag = take_tag(&mut variant.attrs, &variant.ident, errors);
        let ty = match &variant.fields {
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => fields.unnamed.first().map(|f| f.ty.clone()),
            _ => {
                let ident = &variant.ident;
                errors.at(
                    &variant.ident,
                    format_args!("variant `{ident}` must hold the subtype's type as its one field: write `{ident}({ident})` (a struct with the subtype's properties)"),
                );
                None
            }
        };
        let (Some(tag), Some(ty)) = (tag, ty) else { continue };
        match &tag {
            Tag::Other => {
                if let Some(first) = &other {
                    let mut error = syn::Error::new(
                        variant.ident.span(),
                        format_args!("only one variant can be the catch-all, and `{first}` already is"),
                    );
                    error.combine(syn::Error::new(first.span(), "the first catch-all is here"));
                    errors.push(error);
                } else if !is_object_type(&ty) {
                    errors.at(
                        &ty,
                        "the catch-all keeps any other subtype whole: declare it as `serde_json::Value`, `serde_json::Map<String, serde_json::Value>` or a struct that keeps `@odata.type` and the properties it does not declare",
                    );
                } else {
                    other = Some(variant.ident.clone());
                }
            }
            Tag::Type(name, is_default) => {
                if *is_default {
                    if let Some(first) = &default {
                        let mut error = syn::Error::new(
                            variant.ident.span(),
                            format_args!("only one variant can be the default, and `{first}` already is"),
                        );
                        error.combine(syn::Error::new(first.span(), "the first default is here"));
                        errors.push(error);
                    } else {
                        default = Some(variant.ident.clone());
                    }
                }
                if let Some(first) = variants.iter().find(|v| matches!(&v.tag, Tag::Type(t, _) if t == name)) {
                    let mut error = syn::Error::new(
                        variant.ident.span(),
                        format_args!("`{name}` is already the type of variant `{}`; each `@odata.type` names one variant", first.ident),
                    );
                    error.combine(syn::Error::new(first.ident.span(), "first given here"));
                    errors.push(error);
                }
            }
        }
        variants.push(Variant { ident: variant.ident.clone(), ty, tag });
    }
    Some(variants)
}

/// Reads and removes a variant's `#[odata(...)]`.
fn take_tag(attrs: &mut Vec<Attribute>, variant: &Ident, errors: &mut Errors) -> Option<Tag> {
    let (odata, rest): (Vec<_>, Vec<_>) = std::mem::take(attrs).into_iter().partition(|a| a.path().is_ident("odata"));
    *attrs = rest;
    let mut tag: Option<Tag> = None;
    for attr in &odata {
        if tag.is_some() {
            errors.at(attr, format_args!("variant `{variant}` has more than one #[odata(...)]; keep one"));
            continue;
        }
        let parsed = attr.parse_args_with(|input: syn::parse::ParseStream| {
            let head = if input.peek(LitStr) { Err(input.parse::<LitStr>()?) } else { Ok(input.parse::<Ident>()?) };
            let mut flags = Vec::new();
            while !input.is_empty() {
                input.parse::<syn::Token![,]>()?;
                if input.is_empty() {
                    break;
                }
                flags.push(input.parse::<Ident>()?);
            }
            Ok((head, flags))
        });
        match parsed {
            Ok((Ok(ident), flags)) if ident == "other" => {
                for flag in &flags {
                    if flag == "default" {
                        errors.at(
                            flag,
                            "the catch-all cannot be the default: put `default` on the variant of the declared type, #[odata(\"microsoft.graph.x\", default)]",
                        );
                    } else {
                        errors.at(flag, format_args!("unknown option `{flag}`: #[odata(other)] takes none"));
                    }
                }
                tag = Some(Tag::Other);
            }
            Ok((Ok(ident), _)) => errors.at(
                &ident,
                format_args!("expected a type name in quotes, #[odata(\"microsoft.graph.x\")], or #[odata(other)]; found `{ident}`"),
            ),
            Ok((Err(lit), flags)) => {
                let mut is_default = false;
                for flag in &flags {
                    if flag == "default" && !is_default {
                        is_default = true;
                    } else if flag == "default" {
                        errors.at(flag, "`default` is given twice; keep one");
                    } else {
                        errors.at(
                            flag,
                            format_args!("unknown option `{flag}`: the one option of a variant is `default`, #[odata(\"microsoft.graph.x\", default)]"),
                        );
                    }
                }
                match type_name(&lit.value()) {
                    Ok(name) => tag = Some(Tag::Type(name, is_default)),
                    Err(problem) => errors.at(&lit, problem),
                }
            }
            Err(_) => errors.at(attr, "expected #[odata(\"microsoft.graph.x\")] or #[odata(other)]"),
        }
    }
    if odata.is_empty() {
        errors.at(
            variant,
            format_args!(
                "variant `{variant}` needs its `@odata.type`: #[odata(\"microsoft.graph.x\")], or #[odata(other)] for the catch-all"
            ),
        );
    }
    tag
}

/// The type name as Graph writes it, without `#`; or why it is not one.
pub fn type_name(text: &str) -> Result<String, String> {
    let name = text.trim().strip_prefix('#').unwrap_or(text.trim());
    let valid = !name.is_empty()
        && name.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_'))
        && name.contains('.');
    if !valid {
        return Err(format!(
            "{text:?} is not a qualified type name; write the `@odata.type` with its namespace, e.g. \"microsoft.graph.groupAssignmentTarget\""
        ));
    }
    Ok(name.to_owned())
}

/// Whether the catch-all's type can hold an object, read syntactically: `serde_json::Value`,
/// `serde_json::Map<..>` or a named type (a struct), but no primitive, string, sequence,
/// `Option`, tuple, reference or array.
fn is_object_type(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else { return false };
    const NOT_OBJECTS: &[&str] = &[
        "String", "str", "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
        "f64", "Vec", "VecDeque", "Option", "Box", "Rc", "Arc", "Cow", "HashSet", "BTreeSet",
    ];
    path.qself.is_none() && !NOT_OBJECTS.iter().any(|name| last.ident == name)
}

fn generate(input: &DeriveInput, variants: &[Variant], rt: &TokenStream) -> TokenStream {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(item: &str) -> Vec<String> {
        let out = expand(TokenStream::new(), item.parse().unwrap()).to_string();
        out.match_indices("compile_error").map(|(i, _)| out[i..].split('"').nth(1).unwrap_or("").to_owned()).collect()
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("#microsoft.graph.x").unwrap(), "microsoft.graph.x");
        assert_eq!(type_name("microsoft.graph.groupAssignmentTarget").unwrap(), "microsoft.graph.groupAssignmentTarget");
        for bad in ["", "#", "groupAssignmentTarget", "microsoft..x", "microsoft.graph.a b", "microsoft.graph."] {
            assert!(type_name(bad).is_err(), "{bad}");
        }
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
