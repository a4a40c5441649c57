//! Checks a definition and builds the model: binds template parameters to fields, gives every
//! field its role, and reports everything that is wrong with the item at the user's tokens.

use crate::attr::{self, Args, ArgsPosition, FieldRole, Method, RequestLine, RoleAttr};
use crate::errors::Errors;
use crate::model::{self, Endpoint, Field, FieldsStyle, Role, Route, Shape};
use crate::query_advice;
use graph_endpoint_template::{self as template, ErrorKind};
use heck::{ToLowerCamelCase, ToSnakeCase};
use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericParam, Ident, LitStr, Type};

/// Checks the item (removing the macro's own attributes from it) and returns the model, or
/// `None` when any error was recorded.
pub fn endpoint(args: Args, input: &mut DeriveInput, errors: &mut Errors) -> Option<Endpoint> {
    for attr in attr::take_graph_attrs(&mut input.attrs) {
        errors.at(attr, "#[graph(...)] belongs on fields (and on enum variants); put the request line in #[graph_endpoint(...)]");
    }
    for param in &input.generics.params {
        if let GenericParam::Const(param) = param {
            errors.at(param, "graph_endpoint does not support const generic parameters; use a concrete value or a lifetime/type parameter");
        }
    }
    let shape = match &mut input.data {
        Data::Struct(data) => {
            let Some(request) = args.request else {
                if args.incomplete {
                    strip_fields(&mut data.fields, errors);
                    return None;
                }
                errors.span(
                    Span::call_site(),
                    "missing request line: write the method and path template from the Graph page first, e.g. #[graph_endpoint(GET \"/users/{userId}\")]",
                );
                strip_fields(&mut data.fields, errors);
                return None;
            };
            if let (Some(flag), Some(method)) = (&args.idempotent, request.method) {
                check_idempotent(flag, method, errors);
            }
            let idempotent = args.idempotent.is_some();
            let route = route(request, args.version, idempotent, &mut data.fields, &input.ident, errors);
            route.map(Shape::Struct)
        }
        Data::Enum(data) => {
            if let Some(request) = &args.request {
                errors.at(
                    &request.method_ident,
                    "on an enum, each variant gives its own request line: #[graph(PATCH \"/path\")] on the variant; keep only version, response and idempotent here",
                );
            }
            if data.variants.is_empty() {
                errors.span(
                    data.brace_token.span.join(),
                    "an endpoint enum needs at least one variant, each with #[graph(METHOD \"/path\")]",
                );
            }
            let mut routes = Vec::new();
            // Variants whose routes are not POST, for an enum-wide `idempotent`.
            let mut not_post: Vec<(Ident, Method)> = Vec::new();
            for variant in &mut data.variants {
                let mut request = None;
                let mut version = args.version;
                let mut own_flag: Option<Ident> = None;
                for attr in attr::take_graph_attrs(&mut variant.attrs) {
                    let tokens = match &attr.meta {
                        syn::Meta::List(list) => list.tokens.clone(),
                        _ => {
                            errors.at(&attr, "expected #[graph(METHOD \"/path\")] on an enum variant");
                            continue;
                        }
                    };
                    let variant_args = attr::parse_args(tokens, ArgsPosition::Variant, errors);
                    if let Some(line) = variant_args.request {
                        if request.is_some() {
                            errors.at(&line.method_ident, "this variant already has a request line; give each route its own variant");
                        } else {
                            request = Some(line);
                        }
                    }
                    if variant_args.version.is_some() {
                        version = variant_args.version;
                    }
                    if let Some(flag) = variant_args.idempotent {
                        if own_flag.is_some() {
                            errors.at(&flag, "`idempotent` is given more than once; keep one");
                        } else if args.idempotent.is_some() {
                            errors.at(
                                &flag,
                                "`idempotent` is already given on the enum, which applies it to every variant; remove one of them",
                            );
                        } else {
                            own_flag = Some(flag);
                        }
                    }
                }
                let Some(request) = request else {
                    errors.at(
                        &variant.ident,
                        format_args!("variant `{}` has no route; add #[graph(PATCH \"/path/{{id}}\")] above it", variant.ident),
                    );
                    strip_fields(&mut variant.fields, errors);
                    continue;
                };
                match request.method {
                    Some(Method::Post) | None => {}
                    Some(method) => not_post.push((variant.ident.clone(), method)),
                }
                if let (Some(flag), Some(method)) = (&own_flag, request.method) {
                    check_idempotent(flag, method, errors);
                }
                let idempotent = own_flag.is_some() || args.idempotent.is_some();
                if let Some(route) = route(request, version, idempotent, &mut variant.fields, &variant.ident, errors) {
                    routes.push((variant.ident.clone(), route));
                }
            }
            if let Some(flag) = &args.idempotent
                && !not_post.is_empty()
            {
                let listed: Vec<String> = not_post.iter().map(|(v, m)| format!("`{v}` is {}", m.name())).collect();
                errors.at(
                    flag,
                    format_args!(
                        "`idempotent` on the enum applies to every variant, and not every variant is a POST ({}); GET, PUT, PATCH and DELETE requests are already resent safely, so the flag only applies to POST: put it on the POST variants instead, #[graph(POST \"/path\", idempotent)]",
                        listed.join(", ")
                    ),
                );
            }
            Some(Shape::Enum(routes))
        }
        Data::Union(data) => {
            errors.at(
                data.union_token,
                "graph_endpoint applies to a struct with named fields, or to an enum with one route per variant; not to a union",
            );
            return None;
        }
    }?;
    if !errors.is_empty() {
        return None;
    }
    Some(Endpoint { response: args.response, shape })
}

/// The prefix of every name generated code introduces: its locals and parameters (`__path`,
/// `__query`, `__headers`, `__body`, `__answer`) and the builder's fields (`__required`,
/// `__target`).
const RESERVED_PREFIX: &str = "__";

/// Reports names the generated code cannot live with: fields named like its own locals, and,
/// on a struct, fields whose builder setter would clash with the builder's own methods. Returns whether the builder can be generated.
pub fn reserved_names(input: &DeriveInput, errors: &mut Errors) -> bool {
    let mut builder_ok = true;
    let all_fields: Vec<&syn::Field> = match &input.data {
        Data::Struct(data) => data.fields.iter().collect(),
        Data::Enum(data) => data.variants.iter().flat_map(|v| v.fields.iter()).collect(),
        Data::Union(_) => return false,
    };
    let keep =
        "keep the name Graph uses in the attribute: #[graph(path = \"...\")], #[graph(query = \"...\")] or #[graph(header = \"...\")]";
    for ident in all_fields.iter().filter_map(|f| f.ident.as_ref()) {
        let name = ident.unraw().to_string();
        if name.starts_with(RESERVED_PREFIX) {
            builder_ok = false;
            let instead = match name.trim_start_matches('_') {
                "" => "value",
                rest => rest,
            };
            errors.at(
                ident,
                format_args!("field `{ident}`: names starting with `__` are reserved for the code #[graph_endpoint] generates (`__path`, `__query`, `__headers`, `__body`, ...); rename the field, e.g. `{instead}`, and {keep}"),
            );
        }
    }
    let Data::Struct(data) = &input.data else { return builder_ok };
    let names: Vec<String> = data.fields.iter().filter_map(|f| f.ident.as_ref()).map(|i| i.unraw().to_string()).collect();
    for field in &data.fields {
        let Some(ident) = &field.ident else { continue };
        let name = ident.unraw().to_string();
        match name.as_str() {
            "build" => {
                builder_ok = false;
                errors.at(
                    ident,
                    format_args!("a field cannot be named `build`: its builder setter would clash with `.build()`, which finishes the builder; rename the field, e.g. `build_value`, and {keep}"),
                );
            }
            "builder" => errors.at(
                ident,
                format_args!("a field cannot be named `builder`: `{0}::builder()` starts the builder, and a `.builder(..)` setter would read as if it did too; rename the field, e.g. `builder_value`, and {keep}", input.ident),
            ),
            _ => {}
        }
        if let Some(base) = name.strip_prefix("maybe_")
            && names.iter().any(|n| n == base)
        {
            builder_ok = false;
            errors.at(
                ident,
                format_args!("field `{name}` clashes with field `{base}`: the builder names `maybe_{base}(Option<_>)` the setter of `{base}` that takes an `Option`; rename one of them"),
            );
        }
    }
    builder_ok
}

/// `idempotent` only means something on a POST: every other method is resent anyway.
fn check_idempotent(flag: &Ident, method: Method, errors: &mut Errors) {
    if method != Method::Post {
        errors.at(
            flag,
            format_args!(
                "`idempotent` only applies to POST: a {} request is already resent safely when its outcome is unknown (GET, PUT, PATCH and DELETE all are); remove `idempotent`",
                method.name()
            ),
        );
    }
}

/// Removes `#[graph]` attributes from fields whose route could not be read, still reporting
/// malformed ones.
fn strip_fields(fields: &mut Fields, errors: &mut Errors) {
    for field in fields.iter_mut() {
        attr::take_field_role(&mut field.attrs, errors);
    }
}

/// A field as read from the item, before binding.
struct RawField {
    ident: Ident,
    ty: Type,
    role: Option<RoleAttr>,
    /// Its `#[graph(...)]` was malformed (and reported): its role is unknown, not missing.
    malformed: bool,
}

fn route(
    request: RequestLine,
    version: Option<attr::Version>,
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
                    let role = attr::take_field_role(&mut field.attrs, errors);
                    let malformed = errors.len() > before;
                    Some(RawField { ident: field.ident.clone()?, ty: field.ty.clone(), role, malformed })
                })
                .collect();
            (FieldsStyle::Named, raw)
        }
        Fields::Unit => (FieldsStyle::Unit, Vec::new()),
        Fields::Unnamed(unnamed) => {
            for field in unnamed.unnamed.iter_mut() {
                attr::take_field_role(&mut field.attrs, errors);
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
    Some(Route { method: method?, template: parsed.template, template_lit: lit, version, idempotent, fields: roles, style })
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
                if let Some(method) = method.filter(|m| !m.allows_body()) {
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

/// The closest candidate, if it is close enough to be a likely typo.
pub fn did_you_mean<I, S>(wanted: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let limit = (wanted.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(&wanted.to_lowercase(), &c.as_ref().to_lowercase()), c.as_ref().to_owned()))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars (names are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
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
    fn suggestions() {
        assert_eq!(did_you_mean("device_configuration_id", ["device_configuraton_id", "body"]).as_deref(), Some("device_configuraton_id"));
        assert_eq!(did_you_mean("user_id", ["body", "filter"]), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(as_field_ident("type"), "r#type");
        assert!(is_ident("type"));
        assert!(!is_ident("self"));
    }
}
