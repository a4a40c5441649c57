//! Binds a route's template parameters to its fields and gives every field its role: by
//! name (`{deviceConfigurationId}` binds `device_configuration_id`) or by `#[graph(...)]`.
//! The template's own errors and the fields' come in one compile: fields are checked against
//! the parameters that could be read, and only what is certain is reported.

use super::attr::{self, Method, RequestLine, Version};
use super::model::{self, Field, FieldsStyle, Role, Route};
use super::query_advice;
use super::role::{self, FieldRole, RoleAttr};
use super::suggest::did_you_mean;
use crate::errors::Errors;
use graph_endpoint_template::{self as template, ErrorKind};
use heck::{ToLowerCamelCase, ToSnakeCase};
use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Fields, Ident, LitStr, Type};

/// A field as read from the item, before binding.
struct RawField {
    ident: Ident,
    ty: Type,
    role: Option<RoleAttr>,
    /// Its `#[graph(...)]` was malformed (and reported): its role is unknown, not missing.
    malformed: bool,
}

pub fn route(
    request: RequestLine,
    version: Option<Version>,
    idempotent: bool,
    fields: &mut Fields,
    owner: &Ident,
    errors: &mut Errors,
) -> Option<Route> {
    let RequestLine { method, template: lit, .. } = request;
    let src = lit.value();
    let parsed = template::parse_lenient(&src);
    for error in &parsed.errors {
        // Spans cannot point inside a string literal on stable Rust: quote the part of the
        // template the error is about, unless the message already names it.
        let message = query_advice::message(error);
        let fragment = src.get(error.at.clone()).unwrap_or_default();
        if fragment.is_empty() || fragment.len() == src.len() || message.contains(&format!("`{fragment}`")) {
            errors.at(&lit, message);
        } else {
            errors.at(&lit, format_args!("{message} (at `{fragment}`)"));
        }
    }

    let (style, raw) = match fields {
        Fields::Named(named) => {
            let raw: Vec<RawField> = named
                .named
                .iter_mut()
                .filter_map(|field| {
                    let before = errors.len();
                    let role = role::take_field_role(&mut field.attrs, errors);
                    let malformed = errors.len() > before;
                    Some(RawField { ident: field.ident.clone()?, ty: field.ty.clone(), role, malformed })
                })
                .collect();
            (FieldsStyle::Named, raw)
        }
        Fields::Unit => (FieldsStyle::Unit, Vec::new()),
        Fields::Unnamed(unnamed) => {
            for field in unnamed.unnamed.iter_mut() {
                role::take_field_role(&mut field.attrs, errors);
            }
            errors.at(
                &*unnamed,
                format_args!("`{owner}` has unnamed fields; graph_endpoint binds fields by name: write `{owner} {{ user_id: String }}` with one named field per template parameter (or `{owner};` when the template has none)"),
            );
            return None;
        }
    };

    if style == FieldsStyle::Unit {
        let params: Vec<String> = parsed.template.params().map(|p| format!("pub {}: String", expected_field(p.name()))).collect();
        if !params.is_empty() {
            errors.at(
                &lit,
                format_args!("the template has parameters but `{owner}` has no fields; write `{owner} {{ {} }}`", params.join(", ")),
            );
            return None;
        }
    }

    // Fields are checked even when the template has errors, against the parameters that
    // could be read, so that both kinds of mistake come in one compile.
    let roles = bind(method, &parsed, &lit, raw, errors)?;
    if !parsed.errors.is_empty() {
        return None;
    }
    Some(Route { method: method?, template: parsed.template, template_lit: lit, version, idempotent, unlisted: None, fields: roles, style })
}

/// The field name a parameter binds: its snake_case form.
pub fn expected_field(param: &str) -> String {
    param.to_snake_case()
}

/// Gives every field its role. `parsed` may have errors: its parameters are then the ones that
/// could be read, and only what is certain is reported. A parameter nobody binds is always
/// certain; a field that binds nothing, or a `path = "..."` that names no parameter, is not
/// when some brace could not be read (the field may be meant for it).
fn bind(method: Option<Method>, parsed: &template::Parsed, lit: &LitStr, raw: Vec<RawField>, errors: &mut Errors) -> Option<Vec<Field>> {
    let params: Vec<&template::Param> = parsed.template.params().collect();
    let complete = parsed.params_complete;
    // A field whose #[graph(...)] could not be read may have meant to bind any parameter.
    let some_role_unread = raw.iter().any(|f| f.malformed);
    let query_string_fields: Vec<String> = parsed
        .errors
        .iter()
        .filter_map(|e| match &e.kind {
            ErrorKind::QueryString(query) => Some(query_advice::query_field_names(query)),
            ErrorKind::AbsoluteUrl { query: Some(query), .. } => Some(query_advice::query_field_names(query)),
            _ => None,
        })
        .flatten()
        .collect();
    // Which field binds each parameter, by index.
    let mut bound: Vec<Option<usize>> = vec![None; params.len()];
    let mut roles: Vec<Option<Role>> = Vec::with_capacity(raw.len());
    let mut body: Option<(Span, &Ident)> = None;
    let mut query_keys: Vec<(String, &Ident)> = Vec::new();
    let mut header_names: Vec<(String, &Ident)> = Vec::new();

    // Explicit roles first, so that name binding only considers what is left.
    for (index, field) in raw.iter().enumerate() {
        let name = field.ident.unraw().to_string();
        let role = match field.role.as_ref().map(|r| &r.role) {
            None => None,
            Some(FieldRole::Path(param)) => {
                let wanted = param.value();
                match params.iter().position(|p| p.name() == wanted) {
                    Some(at) => {
                        if let Some(other) = bound[at] {
                            errors.at(
                                param,
                                format_args!(
                                    "two fields are bound to `{{{wanted}}}`: `{}` and `{}`; bind each parameter once",
                                    raw[other].ident, field.ident
                                ),
                            );
                        }
                        bound[at] = Some(index);
                        Some(Role::Path(wanted))
                    }
                    None if !complete => Some(Role::Path(wanted)),
                    None => {
                        let listed: Vec<String> = params.iter().map(|p| format!("`{{{}}}`", p.name())).collect();
                        let hint = did_you_mean(&wanted, params.iter().map(|p| p.name()))
                            .map(|n| format!("; did you mean `{n}`?"))
                            .unwrap_or_default();
                        let known = if listed.is_empty() {
                            "the template has no parameters".to_owned()
                        } else {
                            format!("its parameters are {}", listed.join(", "))
                        };
                        errors.at(param, format_args!("#[graph(path = \"{wanted}\")] names no parameter of the template; {known}{hint}"));
                        None
                    }
                }
            }
            Some(FieldRole::Query(key)) => {
                let key_text = key.as_ref().map_or_else(|| name.to_lower_camel_case(), LitStr::value);
                let at: &dyn ToTokens = match key {
                    Some(k) => k,
                    None => &field.ident,
                };
                if key_text.is_empty() || key_text.chars().any(|c| c.is_whitespace() || c.is_control() || "&=#?+".contains(c)) {
                    errors.at(
                        at,
                        format_args!(
                            "query key {key_text:?} cannot be sent as written; a key is non-empty and has no whitespace or `& = # ? +`"
                        ),
                    );
                } else if let Some((_, first)) = query_keys.iter().find(|(k, _)| *k == key_text) {
                    errors.at(
                        at,
                        format_args!("the query key `{key_text}` is already used by field `{first}`; each key is set by one field"),
                    );
                }
                query_keys.push((key_text.clone(), &field.ident));
                Some(Role::Query(key_text))
            }
            Some(FieldRole::Header(header)) => {
                let name_text = header.value();
                let lower = name_text.to_ascii_lowercase();
                if name_text.is_empty() || !name_text.bytes().all(is_token_byte) {
                    errors.at(
                        header,
                        format_args!(
                            "{name_text:?} is not a valid HTTP header name; use letters, digits and `-`, e.g. \"ConsistencyLevel\""
                        ),
                    );
                } else if ["authorization", "content-length", "host", "transfer-encoding"].contains(&lower.as_str()) {
                    errors.at(header, format_args!("the `{name_text}` header is set by the client; remove this field (use the client's token provider for authorization)"));
                } else if let Some((_, first)) = header_names.iter().find(|(h, _)| *h == lower) {
                    errors.at(
                        header,
                        format_args!("the header `{name_text}` is already set by field `{first}`; each header is set by one field"),
                    );
                }
                header_names.push((lower.clone(), &field.ident));
                Some(Role::Header(lower))
            }
            Some(FieldRole::Body(content_type)) => {
                let span = field.role.as_ref().map_or_else(|| field.ident.span(), |r| r.span);
                if let Some(method) = method.filter(|m| !attr::allows_body(*m)) {
                    errors.span(
                        span,
                        format_args!("a {} request has no body; remove #[graph(body)] (or use POST, PUT or PATCH if the Graph page shows a request body)", method.name()),
                    );
                }
                if let Some((_, first)) = body {
                    let mut error = syn::Error::new(
                        span,
                        format_args!("only one field can be the body, and `{first}` already is; put both in one struct"),
                    );
                    error.combine(syn::Error::new(body.map_or(span, |b| b.0), "the first body is here"));
                    errors.push(error);
                } else {
                    body = Some((span, &field.ident));
                }
                Some(Role::Body {
                    optional: model::option_inner(&field.ty).is_some(),
                    content_type: content_type.as_ref().map(LitStr::value),
                })
            }
        };
        roles.push(role);
    }

    // Name binding: `{deviceConfigurationId}` binds `device_configuration_id`.
    for (index, field) in raw.iter().enumerate() {
        if field.role.is_some() {
            continue;
        }
        let name = field.ident.unraw().to_string();
        // The snake_case spelling binds first; failing that, a spelling that differs only in
        // case and separators (`mac_o_s_id` for `{macOSId}`), as long as it is unambiguous.
        let exact = params.iter().position(|p| expected_field(p.name()) == name);
        let loose = || {
            let mut candidates = params.iter().enumerate().filter(|(i, p)| bound[*i].is_none() && loosely(p.name()) == loosely(&name));
            match (candidates.next(), candidates.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        };
        let Some(at) = exact.or_else(loose) else { continue };
        if let Some(other) = bound[at] {
            errors.at(
                &field.ident,
                format_args!(
                    "two fields are bound to `{{{}}}`: `{}` and `{}` (by its name); remove one or give this field another role",
                    params[at].name(),
                    raw[other].ident,
                    field.ident
                ),
            );
            roles[index] = Some(Role::Path(params[at].name().to_owned()));
            continue;
        }
        bound[at] = Some(index);
        roles[index] = Some(Role::Path(params[at].name().to_owned()));
    }

    // Parameters nobody binds.
    for (at, param) in params.iter().enumerate() {
        if bound[at].is_some() || some_role_unread {
            continue;
        }
        let expected = expected_field(param.name());
        if let Some(twin) = params[..at].iter().find(|p| expected_field(p.name()) == expected) {
            errors.at(
                lit,
                format_args!(
                    "the parameters `{{{}}}` and `{{{}}}` both map to the field name `{expected}`; rename one, or bind fields explicitly with #[graph(path = \"...\")]",
                    twin.name(), param.name()
                ),
            );
            continue;
        }
        let free = raw.iter().zip(&roles).filter(|(_, role)| role.is_none()).map(|(f, _)| f.ident.to_string());
        let hint = did_you_mean(&expected, free)
            .or_else(|| did_you_mean(&expected, raw.iter().map(|f| f.ident.to_string())))
            .map(|n| format!("; did you mean field `{n}`?"))
            .unwrap_or_default();
        let declare = if is_ident(&expected) {
            format!("add a field `pub {}: String`", as_field_ident(&expected))
        } else {
            format!("add a field bound explicitly: `#[graph(path = \"{}\")] pub value: String`", param.name())
        };
        errors.at(lit, format_args!("the template parameter `{{{}}}` has no field; {declare}{hint}", param.name()));
    }

    // Fields nobody binds, and path-specific type checks.
    let mut out = Vec::with_capacity(raw.len());
    for (field, role) in raw.into_iter().zip(roles) {
        let Some(role) = role else {
            // When some brace of the template could not be read, the field may be meant for
            // it: the template's own errors say what to fix, and "no role" could be wrong.
            let name = field.ident.unraw().to_string();
            // A field named like an option of the template's query string is what that
            // error already tells the author to mark.
            let in_query_string = query_string_fields.contains(&name);
            if field.role.is_none() && !field.malformed && complete && !in_query_string {
                let unbound = params.iter().enumerate().filter(|(at, _)| bound[*at].is_none()).map(|(_, p)| p);
                let hint = did_you_mean(&name, unbound.map(|p| expected_field(p.name())))
                    .map(|n| format!("; did you mean `{n}` (bound to the template parameter of that name)?"))
                    .unwrap_or_default();
                // `filter` is Graph's `$filter`: #[graph(query)] would send `filter=`.
                let query = match query_advice::odata_option(&name) {
                    Some(key) => format!("#[graph(query = \"{key}\")]"),
                    None => "#[graph(query)]".to_owned(),
                };
                errors.at(
                    &field.ident,
                    format_args!(
                        "field `{}` has no role: no template parameter binds it; mark it {query}, #[graph(header = \"...\")] or #[graph(body)], or bind it with #[graph(path = \"...\")]{hint}",
                        field.ident
                    ),
                );
            }
            continue;
        };
        if let Role::Path(param) = &role
            && model::option_inner(&field.ty).is_some()
        {
            errors.at(
                &field.ty,
                format_args!("path parameter `{{{param}}}` cannot be an Option: a URL segment always has a value; use the inner type (e.g. `String`), and a separate endpoint or enum variant for the route without it"),
            );
        }
        out.push(Field { ident: field.ident, ty: field.ty, role });
    }
    if !errors.is_empty() {
        return None;
    }
    Some(out)
}

/// A name without case or separators: `deviceConfiguration-id` and `device_configuration_id`
/// both become `deviceconfigurationid`.
fn loosely(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect()
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether a snake_case name can be written as a field, possibly as a raw identifier.
fn is_ident(name: &str) -> bool {
    !matches!(name, "self" | "Self" | "super" | "crate" | "_" | "") && syn::parse_str::<Ident>(&format!("r#{name}")).is_ok()
}

/// `type` must be written `r#type`.
fn as_field_ident(name: &str) -> String {
    if syn::parse_str::<Ident>(name).is_ok() { name.to_owned() } else { format!("r#{name}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_names() {
        assert_eq!(expected_field("deviceConfigurationId"), "device_configuration_id");
        assert_eq!(expected_field("deviceConfiguration-id"), "device_configuration_id");
        assert_eq!(expected_field("usersId"), "users_id");
        assert_eq!(expected_field("windows81TrustedRootCertificateId"), "windows81_trusted_root_certificate_id");
        assert_eq!(expected_field("period_value"), "period_value");
        assert_eq!(expected_field("id"), "id");
        assert_eq!(expected_field("macOSWiredNetworkConfiguration-id"), "mac_os_wired_network_configuration_id");
        assert_eq!(loosely("macOSWiredNetworkConfiguration-id"), loosely("mac_o_s_wired_network_configuration_id"));
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(as_field_ident("type"), "r#type");
        assert!(is_ident("type"));
        assert!(!is_ident("self"));
    }
}
