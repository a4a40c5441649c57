//! Field roles: what a field's `#[graph(...)]` says it is (a path parameter bound by name, a
//! query option, a header or the body). Syntax only, as in `attr`.

use super::attr::take_graph_attrs;
use crate::errors::Errors;
use proc_macro2::Span;
use syn::{Attribute, LitStr, Token};

/// The role a `#[graph(...)]` attribute gives a field.
pub enum FieldRole {
    /// `#[graph(path = "name")]`
    Path(LitStr),
    /// `#[graph(query)]` or `#[graph(query = "$filter")]`
    Query(Option<LitStr>),
    /// `#[graph(header = "ConsistencyLevel")]`
    Header(LitStr),
    /// `#[graph(body)]`, or `#[graph(body, content_type = "application/octet-stream")]` for
    /// bytes sent as they are.
    Body(Option<LitStr>),
}

/// A field role with the tokens that wrote it.
pub struct RoleAttr {
    pub role: FieldRole,
    pub span: Span,
}

const FIELD_ROLES: &str =
    "expected `path = \"name\"`, `query`, `query = \"key\"`, `header = \"Name\"`, `body` or `body, content_type = \"type/subtype\"`";

/// Reads the `#[graph(...)]` attributes of a field, removing them from `attrs`.
pub fn take_field_role(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> Option<RoleAttr> {
    let mut role: Option<RoleAttr> = None;
    let mut content_type: Option<LitStr> = None;
    for attr in take_graph_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident() else {
                return Err(meta.error(FIELD_ROLES));
            };
            let span = key.span();
            let new = match key.to_string().as_str() {
                "path" => FieldRole::Path(meta.value()?.parse()?),
                "query" => FieldRole::Query(if meta.input.peek(Token![=]) { Some(meta.value()?.parse()?) } else { None }),
                "header" => FieldRole::Header(meta.value()?.parse()?),
                "body" => FieldRole::Body(None),
                "content_type" | "content-type" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    if content_type.is_some() {
                        return Err(syn::Error::new(span, "`content_type` is given more than once; keep one"));
                    }
                    if let Some(problem) = media_type_problem(&lit.value()) {
                        errors.at(&lit, problem);
                    }
                    content_type = Some(lit);
                    return Ok(());
                }
                other => {
                    let hint = match other {
                        "skip" | "default" => "; every field must be sent: give it a role or remove it",
                        "json" | "payload" => "; did you mean `body`?",
                        "param" | "segment" => "; did you mean `path = \"name\"`?",
                        _ => "",
                    };
                    // Consume a value if one follows, so the next key still parses.
                    if meta.input.peek(Token![=]) {
                        let _: syn::Expr = meta.value()?.parse()?;
                    }
                    return Err(meta.error(format_args!("unknown field role `{other}`; {FIELD_ROLES}{hint}")));
                }
            };
            if let Some(previous) = &role {
                let mut error = syn::Error::new(span, "a field has exactly one role; remove all but one of path, query, header, body");
                error.combine(syn::Error::new(previous.span, "the other role is given here"));
                return Err(error);
            }
            role = Some(RoleAttr { role: new, span });
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    if let Some(lit) = content_type {
        match &mut role {
            Some(RoleAttr { role: FieldRole::Body(slot), .. }) => *slot = Some(lit),
            _ => errors.at(
                &lit,
                "`content_type` says how a body is sent: write it next to `body`, as #[graph(body, content_type = \"application/octet-stream\")]",
            ),
        }
    }
    role
}

/// Why a `content_type` cannot be sent as a `Content-Type` header, if it cannot.
fn media_type_problem(text: &str) -> Option<String> {
    let Some((kind, subtype)) = text.split_once('/') else {
        return Some(format!("{text:?} is not a media type; write one such as \"application/octet-stream\" or \"text/csv\""));
    };
    let visible = text.bytes().all(|b| (0x20..0x7f).contains(&b));
    if kind.trim().is_empty() || subtype.trim().is_empty() || !visible {
        return Some(format!("{text:?} is not a media type; write one such as \"application/octet-stream\" or \"text/csv\""));
    }
    None
}
