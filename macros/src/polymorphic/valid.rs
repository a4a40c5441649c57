//! Checks the enum into its model, one checked variant per subtype, reporting every mistake
//! of the enum at once.

use super::attr::{Tag, take_tag};
use crate::errors::Errors;
use syn::{DeriveInput, Ident, Type};

/// One variant, checked.
pub struct Variant {
    pub ident: Ident,
    pub ty: Type,
    pub tag: Tag,
}

/// Checks the enum and removes the `#[odata]` attributes. `None` when it is not an enum.
pub fn check(input: &mut DeriveInput, errors: &mut Errors) -> Option<Vec<Variant>> {
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
