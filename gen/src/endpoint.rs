//! `--endpoint "PATCH /path"`: what a Graph path addresses, found by walking the metadata from
//! the entity container (entity sets and singletons) through navigation properties, key
//! segments and type casts to a type, or to a bound action or function; and the
//! `#[graph_endpoint]` definition for it.

use crate::csdl::{Kind, Metadata, Operation, TypeRef};
use crate::generate::Gen;
use graph_endpoint_template::Segment;
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;
use std::fmt::Write as _;

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A resolved endpoint line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// The path template as given.
    pub path: String,
    /// The fully qualified entity (or complex) type the path addresses.
    pub ty: String,
    /// Whether the path addresses a collection of `ty`.
    pub collection: bool,
    /// Whether the path ends in `/$value` (the media content of `ty`).
    pub media: bool,
    /// The bound action or function the path ends in, if it does (`ty` is then its binding).
    pub operation: Option<Operation>,
    /// The `{name}` parameters, in order.
    pub params: Vec<String>,
    /// How each segment was resolved, for the doc comment.
    pub trail: Vec<String>,
}

impl Endpoint {
    /// The metadata types the definition needs generated: the addressed type, or an
    /// operation's parameter and return types.
    pub fn types(&self) -> Vec<String> {
        match &self.operation {
            None => vec![self.ty.clone()],
            Some(op) => op
                .parameters
                .iter()
                .map(|p| &p.ty)
                .chain(&op.returns)
                .filter(|t| !t.name.starts_with("Edm."))
                .map(|t| t.name.clone())
                .collect(),
        }
    }
}

/// Resolves `"METHOD /path"` against the metadata.
pub fn resolve(meta: &Metadata, spec: &str) -> Result<Endpoint, String> {
    let fail = |why: String| format!("cannot resolve endpoint `{spec}`: {why}");
    let (method, path) = spec.trim().split_once(char::is_whitespace).ok_or_else(|| fail("write it as \"METHOD /path\"".into()))?;
    let method = method.to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return Err(fail(format!("unknown method `{method}` (use one of {})", METHODS.join(", "))));
    }
    let path = path.trim();
    let template = graph_endpoint_template::parse(path)
        .map_err(|errors| fail(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
    let params = template.params().map(|p| p.name().to_owned()).collect();
    let all = template.segments();
    let mut segments = all.iter();
    let mut trail = Vec::new();
    let first = segments.next().ok_or_else(|| fail("the path names no entity set or singleton (as `/users`)".into()))?;
    let (first_name, first_key) = split_key(first);
    let item = meta.container.get(&first_name).ok_or_else(|| {
        fail(format!("`{first_name}` is no entity set or singleton of the metadata's entity container (a path starts at one, as `/users` or `/deviceManagement`)"))
    })?;
    let mut ty = item.ty.clone();
    let mut collection = item.collection;
    trail.push(format!("`{first_name}` ({} of `{ty}`)", if collection { "entity set" } else { "singleton" }));
    if first_key {
        if !collection {
            return Err(fail(format!("`{}` keys a singleton", first.text())));
        }
        collection = false;
        trail.push("key".into());
    }
    let mut media = false;
    let mut operation: Option<Operation> = None;
    for part in segments {
        let segment = part.text();
        let segment = segment.as_str();
        if media {
            return Err(fail("nothing may follow `$value`".into()));
        }
        if let Some(op) = &operation {
            let kind = if op.action { "action" } else { "function" };
            return Err(fail(format!("nothing may follow the {kind} `{}` (`{segment}`)", op.name)));
        }
        if part.param().is_some() {
            if !collection {
                return Err(fail(format!("key segment `{segment}` after a single-valued `{ty}` (a key picks one item of a collection)")));
            }
            collection = false;
            trail.push("key".into());
            continue;
        }
        match segment {
            "$value" => {
                media = true;
                trail.push("`$value` (media content)".into());
                continue;
            }
            "$count" | "$ref" => {
                return Err(fail(format!("`{segment}` segments are not resolved to a model; write this definition by hand")));
            }
            _ => {}
        }
        let (name, keyed) = split_key(part);
        let name = name.as_str();
        let declared = meta.types.get(&ty).is_some_and(|d| {
            meta.all_navigation(d).iter().any(|n| n.name == name) || meta.all_properties(d).iter().any(|p| p.name == name)
        });
        if !declared && let Some(op) = find_operation(meta, &ty, collection, segment) {
            let op = op.map_err(&fail)?;
            let (kind, wanted) = if op.action { ("action", "POST") } else { ("function", "GET") };
            if method != wanted {
                return Err(fail(format!("`{}` is an {kind}: call it with {wanted}, not {method}", op.name)));
            }
            trail.push(format!("{kind} `{}.{}`", op.namespace, op.name));
            operation = Some(op);
            continue;
        }
        if name.contains('.') && !keyed {
            // A type cast: `microsoft.graph.windows10GeneralConfiguration`.
            let cast = meta.find(name).map_err(|e| fail(format!("type cast `{name}`: {e}")))?;
            let current = &meta.types[&ty];
            if !meta.derives_from(cast, &ty) {
                return Err(fail(format!("type cast `{name}`: `{}` does not derive from `{}`", cast.full_name(), current.full_name())));
            }
            ty = cast.full_name();
            trail.push(format!("cast to `{ty}`"));
            continue;
        }
        let current = &meta.types[&ty];
        if let Some(nav) = meta.all_navigation(current).into_iter().find(|n| n.name == name) {
            if collection {
                return Err(fail(format!("`{name}` follows the collection `{ty}` without a key: add a `{{id}}` segment before it")));
            }
            ty = nav.ty.name.clone();
            collection = nav.ty.collection;
            let contained = if nav.contains_target { "contained " } else { "" };
            trail.push(format!("`{name}` ({contained}{} `{ty}`)", if collection { "collection of" } else { "single" }));
        } else if let Some(prop) = meta.all_properties(current).into_iter().find(|p| p.name == name) {
            match meta.types.get(&prop.ty.name) {
                Some(def) if def.kind != Kind::Enum && !collection => {
                    ty = prop.ty.name.clone();
                    collection = prop.ty.collection;
                    trail.push(format!("`{name}` (property of type `{ty}`)"));
                }
                _ => return Err(fail(format!("`{name}` is a property of `{ty}` whose type has no model (`{}`)", prop.ty.name))),
            }
        } else {
            let declared_on: Vec<String> =
                meta.all_subtypes(&ty).into_iter().filter(|s| meta.types[s].navigation.iter().any(|n| n.name == name)).collect();
            let hint = if declared_on.is_empty() {
                if segment.contains('(') { " (nor a bound action or function of it)".to_string() } else { String::new() }
            } else {
                let shown: Vec<&str> = declared_on.iter().take(6).map(String::as_str).collect();
                let more =
                    if declared_on.len() > shown.len() { format!(" and {} more", declared_on.len() - shown.len()) } else { String::new() };
                format!(
                    "; it is declared on the derived types {}{more}: add a type cast segment before it (as `/{}/{name}`)",
                    shown.join(", "),
                    declared_on[0]
                )
            };
            return Err(fail(format!("`{name}` is no navigation property of `{ty}`{hint}")));
        }
        if keyed {
            if !collection {
                return Err(fail(format!("`{segment}` keys the single-valued `{name}`")));
            }
            collection = false;
            trail.push("key".into());
        }
    }
    Ok(Endpoint { method, path: path.to_string(), ty, collection, media, operation, params, trail })
}

/// The bound operation `segment` names on a `ty` (a collection of it if `collection`): `assign`,
/// `microsoft.graph.assign`, `getReport(period='{period}')`, `delta()`. Bindings to a base type
/// apply to its subtypes; of overloaded functions, the one whose parameters the segment names.
/// `None` when no operation has that name.
fn find_operation(meta: &Metadata, ty: &str, collection: bool, segment: &str) -> Option<Result<Operation, String>> {
    let (qualified, arguments) = match segment.split_once('(') {
        Some((name, rest)) => (name, Some(rest.strip_suffix(')').unwrap_or(rest))),
        None => (segment, None),
    };
    let (namespace, name) = match qualified.rsplit_once('.') {
        Some((ns, name)) => (Some(ns), name),
        None => (None, qualified),
    };
    let def = meta.types.get(ty)?;
    let ancestry: Vec<String> = meta.ancestry(def).iter().map(|d| d.full_name()).collect();
    let candidates: Vec<&Operation> = meta
        .operations
        .iter()
        .filter(|op| op.name == name)
        .filter(|op| namespace.is_none_or(|ns| op.namespace == ns || op.namespace.ends_with(&format!(".{ns}")) || ns == "graph"))
        .filter(|op| op.binding.collection == collection && ancestry.contains(&op.binding.name))
        .collect();
    if candidates.is_empty() {
        let elsewhere = meta.operations.iter().any(|op| op.name == name);
        if !elsewhere {
            return None;
        }
        let shape = if collection { "a collection of" } else { "a single" };
        return Some(Err(format!("`{name}` is an operation of Graph, but not one bound to {shape} `{ty}`")));
    }
    let named: Vec<&str> = arguments
        .map(|a| a.split(',').filter_map(|arg| arg.split_once('=').map(|(k, _)| k.trim())).filter(|k| !k.is_empty()).collect())
        .unwrap_or_default();
    // The binding closest to `ty` first (an operation of a subtype before its base's).
    let distance = |op: &Operation| ancestry.iter().position(|a| *a == op.binding.name).unwrap_or(usize::MAX);
    let mut candidates = candidates;
    candidates.sort_by_key(|op| distance(op));
    let fits = |op: &&Operation| {
        let params: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
        named.iter().all(|n| params.contains(n)) && op.parameters.iter().filter(|p| !p.nullable).all(|p| named.contains(&p.name.as_str()))
    };
    let chosen = if candidates[0].action { candidates[0] } else { candidates.iter().copied().find(fits).unwrap_or(candidates[0]) };
    Some(Ok(chosen.clone()))
}

/// `name('{id}')`, `name({id})` and `name(key='{id}')` → (`name`, keyed); a segment without
/// a parameter in parentheses (`getReport(period='D7')`, `assign`) is not keyed.
fn split_key(segment: &Segment<'_>) -> (String, bool) {
    match segment.call() {
        Some((name, _)) if segment.params().next().is_some() => (name, true),
        _ => (segment.text(), false),
    }
}

/// The `#[graph_endpoint]` definition of `e` (and the body and answer structs of an
/// operation), with the types and version of `generator`. `taken` keeps struct names unique
/// across the file.
pub(crate) fn render(e: &Endpoint, generator: &Gen, taken: &mut HashSet<String>) -> String {
    let version = generator.opts.version.as_str();
    let unique = |wanted: String, taken: &mut HashSet<String>| {
        let mut name = wanted.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        name
    };
    let mut extra = String::new();
    let (name, body, response, what) = match &e.operation {
        None => {
            let ty = generator.type_name(&e.ty);
            let (verb, subject) = match (e.method.as_str(), e.collection, e.media) {
                ("GET", _, true) => ("Get", format!("{ty}Content")),
                ("PUT", _, true) => ("Upload", format!("{ty}Content")),
                ("GET", true, _) => ("List", plural(&ty)),
                ("GET", false, _) => ("Get", ty.clone()),
                ("POST", _, _) => ("Create", ty.clone()),
                ("PUT", _, _) => ("Replace", ty.clone()),
                ("DELETE", _, _) => ("Delete", ty.clone()),
                _ => ("Update", ty.clone()),
            };
            let name = unique(format!("{verb}{}", subject.to_upper_camel_case()), taken);
            let (body, response) = match (e.method.as_str(), e.media) {
                ("GET", true) => (None, Some("graph_endpoint::Bytes".to_string())),
                ("PUT", true) => (
                    Some("#[graph(body, content_type = \"application/octet-stream\")]\npub content: graph_endpoint::Bytes,".to_string()),
                    None,
                ),
                ("GET", false) if e.collection => (None, Some(format!("graph_endpoint::Collection<{ty}>"))),
                ("GET", false) => (None, Some(ty.clone())),
                ("DELETE", _) => (None, None),
                _ => (Some(format!("#[graph(body)]\npub body: {ty},")), Some(format!("Option<{ty}>"))),
            };
            let what = if e.collection && !e.media { format!("a collection of `{}`", e.ty) } else { format!("`{}`", e.ty) };
            (name, body, response, what)
        }
        Some(op) => {
            let wanted = if op.action {
                format!("{}{}", op.name.to_upper_camel_case(), generator.type_name(&e.ty).to_upper_camel_case())
            } else {
                op.name.to_upper_camel_case()
            };
            let name = unique(wanted, taken);
            let body_params: Vec<_> = if op.action { op.parameters.iter().collect() } else { Vec::new() };
            let body = if body_params.is_empty() {
                None
            } else {
                let body_name = unique(format!("{name}Body"), taken);
                let _ = writeln!(
                    extra,
                    "#[doc = {:?}]",
                    format!(" The body of [`{name}`]: the parameters of the action `{}.{}`.", op.namespace, op.name)
                );
                extra.push_str("#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]\n");
                let _ = writeln!(extra, "pub struct {body_name} {{");
                let mut fields = crate::names::FieldNames::default();
                for p in &body_params {
                    let field = fields.field(&p.name);
                    let inner = generator.inner_type(&p.ty.name).0;
                    let ty = if p.ty.collection { format!("Option<Vec<{inner}>>") } else { format!("Option<{inner}>") };
                    let shown = if p.ty.collection { format!("Collection({})", p.ty.name) } else { p.ty.name.clone() };
                    let required = if p.nullable { "" } else { ", required" };
                    let _ = writeln!(
                        extra,
                        "#[doc = {:?}]\n#[serde(rename = {:?}, default, skip_serializing_if = \"Option::is_none\")]\npub {field}: {ty},",
                        format!(" `{}`: `{shown}`{required}.", p.name),
                        p.name
                    );
                }
                extra.push_str("}\n");
                Some(format!("#[graph(body)]\npub body: {body_name},"))
            };
            let response = op.returns.as_ref().map(|r| {
                let answer = if r.name == "Edm.Stream" {
                    "graph_endpoint::Bytes".to_string()
                } else if r.collection {
                    format!("graph_endpoint::Collection<{}>", generator.inner_type(&r.name).0)
                } else if generator.meta.types.get(&r.name).is_some_and(|d| d.kind != Kind::Enum) {
                    generator.inner_type(&r.name).0
                } else {
                    // A single primitive or enum value comes as `{"value": ...}`.
                    let answer = unique(format!("{name}Answer"), taken);
                    let inner = generator.inner_type(&r.name).0;
                    let _ = writeln!(extra, "#[doc = {:?}]", format!(" The answer of [`{name}`]: `{}` as `{{\"value\": ...}}`.", r.name));
                    extra.push_str("#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]\n");
                    let _ = writeln!(
                        extra,
                        "pub struct {answer} {{\n#[doc = \" The value.\"]\n#[serde(default)]\npub value: Option<{inner}>,\n#[doc = \" The answer's annotations (`@odata.context`).\"]\n#[serde(flatten)]\npub annotations: serde_json::Map<String, serde_json::Value>,\n}}"
                    );
                    answer
                };
                if op.action && answer != "graph_endpoint::Bytes" { format!("Option<{answer}>") } else { answer }
            });
            let kind = if op.action { "action" } else { "function" };
            let returns = match &op.returns {
                Some(TypeRef { name, collection: true }) => format!(", answering a collection of `{name}`"),
                Some(TypeRef { name, .. }) => format!(", answering `{name}`"),
                None => String::new(),
            };
            (name, body, response, format!("the {kind} `{}.{}` bound to `{}`{returns}", op.namespace, op.name, e.ty))
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "#[doc = {:?}]", format!(" `{} {}` (Graph {version}): {what}.", e.method, e.path));
    out.push_str("#[doc = \"\"]\n");
    let _ = writeln!(out, "#[doc = {:?}]", format!(" Resolved through {}.", e.trail.join(" → ")));
    if e.operation.as_ref().is_some_and(|op| op.action) {
        out.push_str(
            "#[doc = \" An action: never resent after a failure that may have reached Graph (it is not declared `idempotent`).\"]\n",
        );
    } else if e.method != "GET" && e.collection && !e.media {
        let _ = writeln!(
            out,
            "#[doc = {:?}]",
            " The path names a collection; the body is one item of it, as Graph's reference page writes it."
        );
    }
    let mut args = format!("{} {:?}, version = {version:?}", e.method, e.path);
    if let Some(r) = &response {
        let _ = write!(args, ", response = {r}");
    }
    let _ = writeln!(out, "#[graph_endpoint::graph_endpoint({args})]");
    out.push_str("#[derive(Debug, Clone)]\n");
    let _ = writeln!(out, "pub struct {name} {{");
    for p in &e.params {
        let _ = writeln!(out, "#[doc = {:?}]\npub {}: String,", format!(" Binds `{{{p}}}`."), p.to_snake_case());
    }
    if let Some(b) = body {
        let _ = writeln!(out, "{b}");
    }
    out.push_str("}\n");
    out.push_str(&extra);
    out
}

fn plural(word: &str) -> String {
    if let Some(stem) = word.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return format!("{stem}ies");
    }
    if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        return format!("{word}es");
    }
    format!("{word}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(segment: &str) -> (String, bool) {
        let template = graph_endpoint_template::parse(&format!("/{segment}")).unwrap();
        split_key(&template.segments()[0])
    }

    #[test]
    fn keys_and_parameters() {
        assert_eq!(key("users('{id}')"), ("users".into(), true));
        assert_eq!(key("applications(appId='{appId}')"), ("applications".into(), true));
        assert_eq!(key("getReport(period='D7')"), ("getReport(period='D7')".into(), false));
        assert_eq!(key("getReport(period='{period}')"), ("getReport".into(), true));
        assert_eq!(plural("Policy"), "Policies");
        assert_eq!(plural("Day"), "Days");
        assert_eq!(plural("Status"), "Statuses");
    }
}
