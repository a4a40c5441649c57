//! From the metadata and a list of types to Rust source: which types are generated, as what
//! (a struct, a polymorphic enum over a struct of the base's own properties, an enum, a flags
//! set), what each property's Rust type is, and the file around them. The items themselves are
//! written by the `structs`, `poly` and `enums` modules.

use crate::csdl::{Kind, Metadata, TypeDef, TypeRef};
use crate::cycles::strongly_connected;
use crate::docs::separate_items;
use crate::endpoint::{self, Endpoint};
use crate::names::TypeNames;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The types asked for, as the user names them (`managedDevice`, `microsoft.graph.user`).
    pub types: Vec<String>,
    /// Every entity and complex type of the metadata (and so every enum they use).
    pub all_types: bool,
    /// The Graph API version the metadata describes, and the generated endpoints' version:
    /// `v1.0` or `beta`.
    pub version: String,
    /// Types with derived types become `#[graph_endpoint::polymorphic]` enums, one variant per
    /// generated subtype, a default variant for a base that is not abstract (Graph sends a value
    /// of the type itself without `@odata.type`) and a catch-all typed with the base's own
    /// properties. Off: every type is a struct that keeps `@odata.type`, and a subtype's own
    /// properties in `additional`.
    pub polymorphic: bool,
    /// A polymorphic enum lists every subtype the metadata has, not only the generated ones.
    pub all_subtypes: bool,
    /// Navigation properties become fields (for `$expand`), and their types are generated.
    pub with_navigation: bool,
    /// No `additional` map: a property the metadata does not declare is an error when read
    /// (open types, whose dynamic properties are their point, keep the map).
    pub strict: bool,
    /// `"METHOD /path"` lines to emit `#[graph_endpoint]` definitions for.
    pub endpoints: Vec<String>,
    /// The metadata file's name, for the header.
    pub metadata_name: String,
    /// The metadata's size and checksum line, for the header.
    pub metadata_digest: String,
    /// The arguments to regenerate the file with, for the header.
    pub command_line: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            types: Vec::new(),
            all_types: false,
            version: "v1.0".into(),
            polymorphic: true,
            all_subtypes: false,
            with_navigation: false,
            strict: false,
            endpoints: Vec::new(),
            metadata_name: "metadata.csdl".into(),
            metadata_digest: String::new(),
            command_line: String::new(),
        }
    }
}

/// The generated file and what it holds.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The formatted source, header included.
    pub code: String,
    /// Structs generated.
    pub structs: usize,
    /// Enums (of `EnumType`s) generated.
    pub enums: usize,
    /// Polymorphic enums generated.
    pub polymorphic: usize,
    /// Endpoint definitions generated.
    pub endpoints: usize,
}

/// Graph types that the crate models by hand, used wherever a property has that type instead
/// of a generated model, so that there is one model of each: the Graph name and the Rust path.
pub const BUILT_IN: &[(&str, &str)] =
    &[("microsoft.graph.deviceAndAppManagementAssignmentTarget", "::graph_endpoint::intune::AssignmentTarget")];

/// Graph's "any JSON" type: an empty complex type that stands for whatever Graph puts there
/// (workbook range values, formulas, a table row's cells).
pub const JSON_TYPES: &[&str] = &["microsoft.graph.Json"];

/// Generates the file for `opts` from `meta`.
pub fn generate(meta: &Metadata, opts: &Options) -> Result<Generated, String> {
    if opts.version != "v1.0" && opts.version != "beta" {
        return Err(format!("unknown version `{}`: use `v1.0` or `beta`", opts.version));
    }
    let mut errors = Vec::new();
    let mut roots = Vec::new();
    for t in &opts.types {
        match meta.find(t) {
            Ok(def) => roots.push(def.full_name()),
            Err(e) => errors.push(e),
        }
    }
    if opts.all_types {
        roots.extend(meta.types.values().filter(|d| d.kind != Kind::Enum).map(TypeDef::full_name));
    }
    let mut endpoints = Vec::new();
    for spec in &opts.endpoints {
        match endpoint::resolve(meta, spec) {
            Ok(e) => {
                roots.extend(e.types());
                endpoints.push(e);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    if roots.is_empty() && endpoints.is_empty() {
        return Err("nothing to generate: name at least one type (or --endpoint, or --all)".into());
    }
    roots.retain(|r| !is_special(r));
    let generator = Gen::new(meta, opts, roots);
    generator.render(&endpoints)
}

/// A type that is not generated: Json, or modelled by the crate.
fn is_special(full: &str) -> bool {
    JSON_TYPES.contains(&full) || BUILT_IN.iter().any(|(graph, _)| *graph == full)
}

/// One field of a generated struct, as its type and name come out of the metadata.
#[derive(Debug, Clone)]
pub(crate) struct FieldInfo<'a> {
    /// The property's name as Graph spells it.
    pub graph: &'a str,
    /// The Rust field name.
    pub name: String,
    /// The Rust type without `Option`, `Vec` and `Box`.
    pub inner: String,
    /// `Collection(...)`.
    pub collection: bool,
    /// Held in a `Box` (a cycle of types holding each other by value).
    pub boxed: bool,
    /// A number, read and written through the number helpers (which accept the forms Graph
    /// writes and write back the form read).
    pub number: Number,
    /// The property as declared (type, nullability, description).
    pub ty: &'a TypeRef,
    pub nullable: bool,
    pub description: Option<&'a str>,
    /// `Some(contains_target)` for navigation properties.
    pub navigation: Option<bool>,
}

/// Whether a property is a number, and which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Number {
    /// Not a number.
    No,
    /// `Edm.Byte`, `SByte`, `Int16`, `Int32`, `Int64`.
    Int,
    /// `Edm.Single`, `Double`, `Decimal`.
    Float,
}

/// The names a struct's own members take before any property: a property named like one of
/// them gets a suffix, so that every struct names these alike.
pub(crate) const RESERVED_FIELDS: &[&str] = &["odata_type", "odata_etag", "odata_id", "additional", "annotations"];

pub(crate) struct Gen<'a> {
    pub meta: &'a Metadata,
    pub opts: &'a Options,
    pub names: TypeNames,
    /// Every entity, complex and enum type generated.
    pub set: BTreeSet<String>,
    /// Polymorphic enums: each base with its generated subtypes (the base not included).
    pub poly: BTreeMap<String, Vec<String>>,
    /// `(type, property)` fields held in a `Box`.
    pub boxed: HashSet<(String, String)>,
}

impl<'a> Gen<'a> {
    fn new(meta: &'a Metadata, opts: &'a Options, roots: Vec<String>) -> Gen<'a> {
        let names = TypeNames::new(meta);
        let mut set = BTreeSet::new();
        // Types named as a root or as a property's type: those that become polymorphic enums
        // (a type pulled in only as a subtype of one is a variant, not an enum of its own).
        let mut referenced: HashSet<String> = roots.iter().cloned().collect();
        let mut work = roots;
        while let Some(t) = work.pop() {
            if is_special(&t) || !set.insert(t.clone()) {
                continue;
            }
            let def = &meta.types[&t];
            if def.kind == Kind::Enum {
                continue;
            }
            let mut uses: Vec<&String> = meta.all_properties(def).into_iter().map(|p| &p.ty.name).collect();
            if opts.with_navigation {
                uses.extend(meta.all_navigation(def).into_iter().map(|p| &p.ty.name));
            }
            for u in uses {
                if meta.types.contains_key(u) && !is_special(u) {
                    referenced.insert(u.clone());
                    work.push(u.clone());
                }
            }
            if opts.polymorphic && opts.all_subtypes && referenced.contains(&t) {
                work.extend(meta.all_subtypes(&t));
            }
        }
        let mut poly = BTreeMap::new();
        if opts.polymorphic {
            for t in &set {
                let def = &meta.types[t];
                if def.kind == Kind::Enum || !meta.derived.contains_key(t) || !referenced.contains(t) {
                    continue;
                }
                let variants: Vec<String> = meta.all_subtypes(t).into_iter().filter(|s| set.contains(s)).collect();
                poly.insert(t.clone(), variants);
            }
        }
        let mut generator = Gen { meta, opts, names, set, poly, boxed: HashSet::new() };
        generator.boxed = generator.find_cycles();
        generator
    }

    /// The name of the struct of a generated entity or complex type's own properties: the
    /// type's name, or `…Base` when the type's name is its polymorphic enum's.
    pub fn struct_name(&self, full: &str) -> &str {
        if self.poly.contains_key(full) { self.names.base_struct(full) } else { self.names.primary(full) }
    }

    /// The Rust type a property of type `full` has (before `Option`/`Vec`).
    pub fn type_name(&self, full: &str) -> String {
        if let Some((_, path)) = BUILT_IN.iter().find(|(graph, _)| *graph == full) {
            return path.to_string();
        }
        if JSON_TYPES.contains(&full) {
            return "serde_json::Value".into();
        }
        let def = &self.meta.types[full];
        match def.kind {
            Kind::Enum if def.is_flags => self.names.flags(full).to_string(),
            _ => self.names.primary(full).to_string(),
        }
    }

    /// Whether the struct of `def` keeps the properties it does not declare.
    pub fn keeps_additional(&self, def: &TypeDef) -> bool {
        !self.opts.strict || def.open || (!self.opts.polymorphic && self.meta.derived.contains_key(&def.full_name()))
    }

    /// The fields of the struct of `def`, named (the reserved members taken first).
    pub fn fields(&self, def: &'a TypeDef) -> Vec<FieldInfo<'a>> {
        let mut names = crate::names::FieldNames::default();
        for reserved in RESERVED_FIELDS {
            names.take(reserved);
        }
        let full = def.full_name();
        let mut out = Vec::new();
        let mut push = |graph: &'a str, ty: &'a TypeRef, nullable: bool, description: Option<&'a str>, navigation: Option<bool>| {
            let (inner, number) = self.inner_type(&ty.name);
            let boxed = !ty.collection && self.boxed.contains(&(full.clone(), graph.to_string()));
            out.push(FieldInfo {
                graph,
                name: names.field(graph),
                inner,
                collection: ty.collection,
                boxed,
                number,
                ty,
                nullable,
                description,
                navigation,
            });
        };
        for p in self.meta.all_properties(def) {
            push(&p.name, &p.ty, p.nullable, p.description.as_deref(), None);
        }
        if self.opts.with_navigation {
            for p in self.meta.all_navigation(def) {
                push(&p.name, &p.ty, true, p.description.as_deref(), Some(p.contains_target));
            }
        }
        out
    }

    /// The Rust type for a type name (a property's type, without `Option`/`Vec`), and whether
    /// it is a number.
    pub fn inner_type(&self, name: &str) -> (String, Number) {
        let plain = |s: &str| (s.to_string(), Number::No);
        let int = |s: &str| (s.to_string(), Number::Int);
        match name {
            "Edm.String" | "Edm.Guid" | "Edm.DateTimeOffset" | "Edm.Date" | "Edm.TimeOfDay" | "Edm.Duration" | "Edm.Binary" => {
                plain("String")
            }
            "Edm.Boolean" => plain("bool"),
            "Edm.Byte" => int("u8"),
            "Edm.SByte" => int("i8"),
            "Edm.Int16" => int("i16"),
            "Edm.Int32" => int("i32"),
            "Edm.Int64" => int("i64"),
            "Edm.Single" => ("f32".into(), Number::Float),
            "Edm.Double" | "Edm.Decimal" => ("f64".into(), Number::Float),
            _ if self.meta.types.contains_key(name) => plain(&self.type_name(name)),
            // Edm.Stream, Edm.Untyped, Edm.PrimitiveType, geography types, unknown names.
            _ => plain("serde_json::Value"),
        }
    }

    /// Struct fields that must be boxed: a value (not `Vec`) edge inside a cycle of types that
    /// contain each other by value (`Option<T>` has the size of `T`).
    fn find_cycles(&self) -> HashSet<(String, String)> {
        // Nodes: a struct per generated entity/complex type ("S"), an enum per polymorphic base ("E").
        let mut ids: HashMap<(char, String), usize> = HashMap::new();
        let mut keys: Vec<(char, String)> = Vec::new();
        fn id(k: (char, String), ids: &mut HashMap<(char, String), usize>, keys: &mut Vec<(char, String)>) -> usize {
            *ids.entry(k.clone()).or_insert_with(|| {
                keys.push(k);
                keys.len() - 1
            })
        }
        let mut field_edges: Vec<(usize, usize, String, String)> = Vec::new();
        for t in &self.set {
            let def = &self.meta.types[t];
            if def.kind == Kind::Enum {
                continue;
            }
            let s = id(('S', t.clone()), &mut ids, &mut keys);
            let mut targets: Vec<(&String, &TypeRef)> = self.meta.all_properties(def).into_iter().map(|p| (&p.name, &p.ty)).collect();
            if self.opts.with_navigation {
                targets.extend(self.meta.all_navigation(def).into_iter().map(|p| (&p.name, &p.ty)));
            }
            for (name, ty) in targets {
                let Some(target) = self.meta.types.get(&ty.name) else { continue };
                if ty.collection || target.kind == Kind::Enum || is_special(&ty.name) {
                    continue;
                }
                let kind = if self.poly.contains_key(&ty.name) { 'E' } else { 'S' };
                let n = id((kind, ty.name.clone()), &mut ids, &mut keys);
                field_edges.push((s, n, t.clone(), name.clone()));
            }
        }
        let mut edges: Vec<Vec<usize>> = Vec::new();
        for (base, variants) in &self.poly {
            let e = id(('E', base.clone()), &mut ids, &mut keys);
            for v in variants.iter().chain([base]) {
                let s = id(('S', v.clone()), &mut ids, &mut keys);
                edges.resize(keys.len(), Vec::new());
                edges[e].push(s);
            }
        }
        edges.resize(keys.len(), Vec::new());
        for (s, n, _, _) in &field_edges {
            edges[*s].push(*n);
        }
        let component = strongly_connected(&edges);
        field_edges.into_iter().filter(|(s, n, _, _)| component[*s] == component[*n]).map(|(_, _, t, p)| (t, p)).collect()
    }

    fn render(&self, endpoints: &[Endpoint]) -> Result<Generated, String> {
        let mut items: Vec<(String, String)> = Vec::new();
        let (mut structs, mut enums) = (0, 0);
        for t in &self.set {
            let def = &self.meta.types[t];
            match def.kind {
                Kind::Enum => {
                    enums += 1;
                    items.push((self.names.primary(t).to_string(), self.enum_item(def)));
                    if def.is_flags {
                        items.push((self.names.flags(t).to_string(), self.flags_item(def)));
                    }
                }
                _ => {
                    structs += 1;
                    let name = self.struct_name(t);
                    items.push((name.to_string(), self.struct_item(def, name)));
                }
            }
        }
        for (base, variants) in &self.poly {
            items.push((self.names.primary(base).to_string(), self.poly_item(base, variants)));
        }
        items.sort_by(|a, b| a.0.cmp(&b.0));
        let mut code = String::new();
        let mut taken = HashSet::new();
        for e in endpoints {
            code.push_str(&endpoint::render(e, self, &mut taken));
        }
        for (_, item) in &items {
            code.push_str(item);
        }
        let file = syn::parse_file(&code).map_err(|e| format!("internal error: the generated code does not parse ({e})"))?;
        let body = prettyplease::unparse(&file);
        let mut out = String::new();
        let _ = writeln!(out, "// @generated by graph-endpoint-gen from Microsoft Graph's metadata: do not edit by hand.");
        let _ = writeln!(
            out,
            "// Metadata: {} (Graph {}, CSDL {}{})",
            self.opts.metadata_name, self.opts.version, self.meta.edmx_version, self.opts.metadata_digest
        );
        let _ = writeln!(
            out,
            "// Holds {structs} structs, {enums} enums, {} polymorphic enums and {} endpoints.",
            self.poly.len(),
            endpoints.len()
        );
        let _ = writeln!(out, "// Needs the dependencies graph-endpoint, serde (with \"derive\") and serde_json.");
        let _ = writeln!(out, "// Regenerate: cargo run -p graph-endpoint-gen -- {}", self.opts.command_line);
        out.push('\n');
        out.push_str(&separate_items(&body));
        Ok(Generated { code: out, structs, enums, polymorphic: self.poly.len(), endpoints: endpoints.len() })
    }
}
