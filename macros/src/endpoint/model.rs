//! The checked model of an endpoint definition: what `valid` produces and `expand` consumes.
//! Everything here is already valid; no error can come out of expansion.

use super::attr::{Method, Version};
use graph_endpoint_template::Template;
use syn::{Ident, LitStr, Type};

pub struct Endpoint {
    pub response: Option<Type>,
    pub shape: Shape,
}

pub enum Shape {
    Struct(Route),
    /// One route per variant.
    Enum(Vec<(Ident, Route)>),
}

/// How a struct or variant writes its fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FieldsStyle {
    Named,
    Unit,
}

pub struct Route {
    pub method: Method,
    pub template: Template,
    pub template_lit: LitStr,
    pub version: Option<Version>,
    /// A POST marked `idempotent`: it may be resent when an attempt's outcome is unknown.
    pub idempotent: bool,
    /// `unlisted` as written (on the item or the variant): the route is not checked against
    /// Graph's route index.
    pub unlisted: Option<Ident>,
    pub fields: Vec<Field>,
    pub style: FieldsStyle,
}

pub struct Field {
    pub ident: Ident,
    pub ty: Type,
    pub role: Role,
}

pub enum Role {
    /// Fills the template parameter of this name.
    Path(String),
    /// A query pair with this key.
    Query(String),
    /// A request header, its name already lower-cased.
    Header(String),
    /// The body; `optional` when the field is an `Option` (no body when `None`). JSON, or with
    /// a `content_type`, the field's bytes as they are.
    Body { optional: bool, content_type: Option<String> },
}

impl Route {
    pub fn fields_with<'a>(&'a self, pick: impl Fn(&Role) -> bool + 'a) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| pick(&f.role))
    }

    pub fn path_field(&self, param: &str) -> Option<&Field> {
        self.fields.iter().find(|f| matches!(&f.role, Role::Path(p) if p == param))
    }
}

/// `Option<T>`, `std::option::Option<T>` or `core::option::Option<T>`, read syntactically:
/// the macro cannot resolve names, and these spellings are what users write.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Option", &[&["std", "option"], &["core", "option"]])
}

/// `Vec<T>`, `std::vec::Vec<T>` or `alloc::vec::Vec<T>`, read syntactically.
pub fn vec_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Vec", &[&["std", "vec"], &["alloc", "vec"]])
}

/// The one type argument of `name<T>` or `a::b::name<T>` for one of the `prefixes`.
fn generic_inner<'a>(ty: &'a Type, name: &str, prefixes: &[&[&str]]) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<_> = path.path.segments.iter().collect();
    let names: Vec<String> = segments.iter().map(|s| s.ident.to_string()).collect();
    let matches = match names.split_last() {
        Some((last, [])) => last == name,
        Some((last, prefix)) => {
            last == name && prefixes.iter().any(|p| p.len() == prefix.len() && p.iter().zip(prefix).all(|(a, b)| *a == b.as_str()))
        }
        None => false,
    };
    if !matches {
        return None;
    }
    match &segments.last()?.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}
