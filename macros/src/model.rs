//! The checked model of an endpoint definition: what `check` produces and `expand` consumes.
//! Everything here is already valid; no error can come out of expansion.

use crate::attr::{Method, Version};
use crate::template::Template;
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
    /// The JSON body; `optional` when the field is an `Option` (no body when `None`).
    Body { optional: bool },
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
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<_> = path.path.segments.iter().collect();
    let names: Vec<String> = segments.iter().map(|s| s.ident.to_string()).collect();
    let is_option = match names.as_slice() {
        [one] => one == "Option",
        [a, b, c] => (a == "std" || a == "core") && b == "option" && c == "Option",
        _ => false,
    };
    if !is_option {
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
