//! Checks a definition at the item level and builds the model: the request line or the
//! variants' routes, `idempotent`, names the generated code reserves. Each route's fields are
//! bound in `bind`. Every mistake is recorded at the user's tokens; the model comes out only
//! when there is none.

use super::attr::{self, Args, ArgsPosition, Method};
use super::bind;
use super::model::{Endpoint, Route, Shape};
use super::role;
use crate::errors::Errors;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericParam, Ident};

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
            let route = bind::route(request, args.version, idempotent, &mut data.fields, &input.ident, errors);
            route.map(|route| Shape::Struct(Route { unlisted: args.unlisted.clone(), ..route }))
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
                let mut unlisted = args.unlisted.clone();
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
                    if let Some(flag) = variant_args.unlisted {
                        if args.unlisted.is_some() {
                            errors.at(
                                &flag,
                                "`unlisted` is already given on the enum, which applies it to every variant; remove one of them",
                            );
                        } else {
                            unlisted = Some(flag);
                        }
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
                if let Some(route) = bind::route(request, version, idempotent, &mut variant.fields, &variant.ident, errors) {
                    routes.push((variant.ident.clone(), Route { unlisted, ..route }));
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
        role::take_field_role(&mut field.attrs, errors);
    }
}
