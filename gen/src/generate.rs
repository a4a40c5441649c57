//! From the metadata and a list of types to Rust source: structs, enums, polymorphic enums,
//! flags sets, and endpoint definitions.

use crate::csdl::{Kind, Metadata, TypeDef, TypeRef};
use crate::endpoint::{self, Endpoint};
use crate::names::{self, FieldNames, TypeNames, VariantNames};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The types asked for, as the user names them (`managedDevice`, `microsoft.graph.user`).
    pub types: Vec<String>,
    /// Every entity and complex type of the metadata (and so every enum they use).
    pub all_types: bool,
    /// The Graph API version the metadata describes: `v1.0` or `beta`.
    pub version: String,
    /// Abstract types with derived types become `#[graph_endpoint::polymorphic]` enums (Graph
    /// always tags a value of one with its subtype's `@odata.type`). Other types with derived
    /// types stay structs that keep `@odata.type` and a subtype's own properties: Graph leaves
    /// `@odata.type` out for a value of the declared type itself, and a polymorphic enum cannot
    /// read an object without it. Off: every type is such a struct, and properties are typed
    /// as the declared type.
    pub polymorphic: bool,
    /// A polymorphic enum lists every subtype the metadata has, not only the generated ones.
    pub all_subtypes: bool,
    /// Navigation properties become fields (for `$expand`), and their types are generated.
    pub with_navigation: bool,
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
                roots.push(e.ty.clone());
                endpoints.push(e);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    if roots.is_empty() {
        return Err("nothing to generate: name at least one type (or --endpoint, or --all)".into());
    }
    let generator = Gen::new(meta, opts, roots);
    generator.render(&endpoints)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Float {
    No,
    Yes,
}

/// What a struct of a type is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The type as a property, a body or a response holds it: with `@odata.type`.
    Standalone,
    /// A variant of a polymorphic enum: never declares `@odata.type` (the enum writes it).
    Variant,
}

struct Gen<'a> {
    meta: &'a Metadata,
    opts: &'a Options,
    names: TypeNames,
    set: BTreeSet<String>,
    /// Polymorphic enums: each abstract base with its variants' types (itself first).
    poly: BTreeMap<String, Vec<String>>,
    /// Types with derived types kept as structs with `@odata.type` and `subtype_properties`.
    tagged: BTreeSet<String>,
    /// Types that are a variant of a polymorphic enum.
    variant_structs: HashSet<String>,
    boxed: HashSet<(String, String)>,
}

impl<'a> Gen<'a> {
    fn new(meta: &'a Metadata, opts: &'a Options, roots: Vec<String>) -> Gen<'a> {
        let names = TypeNames::new(meta);
        let mut set = BTreeSet::new();
        // Types named as a root or as a property's type: those that become polymorphic enums
        // (a type pulled in only as a subtype of one stays a struct).
        let mut referenced: HashSet<String> = roots.iter().cloned().collect();
        let mut work = roots;
        while let Some(t) = work.pop() {
            if !set.insert(t.clone()) {
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
                if meta.types.contains_key(u) {
                    referenced.insert(u.clone());
                    work.push(u.clone());
                }
            }
            // Only abstract bases become enums: their subtypes are what `--all-subtypes` lists.
            if opts.polymorphic && opts.all_subtypes && def.is_abstract {
                work.extend(meta.all_subtypes(&t));
            }
        }
        let mut poly = BTreeMap::new();
        let mut tagged = BTreeSet::new();
        let mut variant_structs = HashSet::new();
        for t in &set {
            let def = &meta.types[t];
            if def.kind == Kind::Enum || !meta.derived.contains_key(t) || !referenced.contains(t) {
                continue;
            }
            // A non-abstract base may be sent as itself, and then Graph writes no `@odata.type`,
            // which a polymorphic enum cannot read: it stays a struct that keeps the subtype's
            // properties.
            if !opts.polymorphic || !def.is_abstract {
                tagged.insert(t.clone());
                continue;
            }
            let mut variants = vec![t.clone()];
            variants.extend(meta.all_subtypes(t).into_iter().filter(|s| set.contains(s)));
            variant_structs.extend(variants.iter().cloned());
            poly.insert(t.clone(), variants);
        }
        let mut generator = Gen { meta, opts, names, set, poly, tagged, variant_structs, boxed: HashSet::new() };
        generator.boxed = generator.find_cycles();
        generator
    }

    /// The structs of a generated entity or complex type: what each is for, and its name. A
    /// polymorphic base has the struct of its own properties (the enum takes its name); a
    /// tagged base that is also a variant has one struct for each role.
    fn structs_of(&self, full: &str) -> Vec<(Role, &str)> {
        if self.poly.contains_key(full) {
            return vec![(Role::Variant, self.names.base_struct(full))];
        }
        let variant = self.variant_structs.contains(full);
        match (self.tagged.contains(full), variant) {
            (true, true) => vec![(Role::Standalone, self.names.primary(full)), (Role::Variant, self.names.base_struct(full))],
            (false, true) => vec![(Role::Variant, self.names.primary(full))],
            (_, false) => vec![(Role::Standalone, self.names.primary(full))],
        }
    }

    /// The struct a variant of type `full` holds.
    fn variant_struct(&self, full: &str) -> &str {
        if self.poly.contains_key(full) || self.tagged.contains(full) { self.names.base_struct(full) } else { self.names.primary(full) }
    }

    /// The Rust type a property of type `full` has (before `Option`/`Vec`).
    fn type_name(&self, full: &str) -> String {
        let def = &self.meta.types[full];
        match def.kind {
            Kind::Enum if def.is_flags => self.names.flags(full).to_string(),
            _ => self.names.primary(full).to_string(),
        }
    }

    /// The properties a struct of `def` gets: structural, then navigation if asked.
    fn fields_of(&self, def: &'a TypeDef) -> Vec<FieldSource<'a>> {
        let mut out: Vec<FieldSource> = self
            .meta
            .all_properties(def)
            .into_iter()
            .map(|p| FieldSource {
                name: &p.name,
                ty: &p.ty,
                nullable: p.nullable,
                description: p.description.as_deref(),
                navigation: None,
            })
            .collect();
        if self.opts.with_navigation {
            out.extend(self.meta.all_navigation(def).into_iter().map(|p| FieldSource {
                name: &p.name,
                ty: &p.ty,
                nullable: true,
                description: p.description.as_deref(),
                navigation: Some(p.contains_target),
            }));
        }
        out
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
        // A tagged base that is also a variant has a second struct ("V"), with the same fields.
        let variant_node = |t: &String| if self.tagged.contains(t) && self.variant_structs.contains(t) { 'V' } else { 'S' };
        let mut edges: Vec<Vec<usize>> = Vec::new();
        let mut field_edges: Vec<(usize, usize, String, String)> = Vec::new();
        for t in &self.set {
            let def = &self.meta.types[t];
            if def.kind == Kind::Enum {
                continue;
            }
            let mut nodes = vec![id(('S', t.clone()), &mut ids, &mut keys)];
            if variant_node(t) == 'V' {
                nodes.push(id(('V', t.clone()), &mut ids, &mut keys));
            }
            for f in self.fields_of(def) {
                let Some(target) = self.meta.types.get(&f.ty.name) else { continue };
                if f.ty.collection || target.kind == Kind::Enum {
                    continue;
                }
                let kind = if self.poly.contains_key(&f.ty.name) { 'E' } else { 'S' };
                let n = id((kind, f.ty.name.clone()), &mut ids, &mut keys);
                for &s in &nodes {
                    field_edges.push((s, n, t.clone(), f.name.to_string()));
                }
            }
        }
        for (base, variants) in &self.poly {
            let e = id(('E', base.clone()), &mut ids, &mut keys);
            for v in variants {
                let s = id((variant_node(v), v.clone()), &mut ids, &mut keys);
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
        let mut uses_float = false;
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
                    for (role, name) in self.structs_of(t) {
                        structs += 1;
                        let (code, float) = self.struct_item(def, role, name);
                        uses_float |= float == Float::Yes;
                        items.push((name.to_string(), code));
                    }
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
            let ty = self.type_name(&e.ty);
            code.push_str(&endpoint::render(e, &ty, &self.opts.version, &mut taken));
        }
        for (_, item) in &items {
            code.push_str(item);
        }
        if uses_float {
            code.push_str(FLOAT_HELPERS);
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

    fn struct_item(&self, def: &TypeDef, role: Role, name: &str) -> (String, Float) {
        let full = def.full_name();
        let mut out = String::new();
        let mut docs: Vec<String> = description_lines(def.description.as_deref());
        if !docs.is_empty() {
            docs.push(String::new());
        }
        let kind = if def.kind == Kind::Entity { "entity type" } else { "complex type" };
        let mut about = format!("Graph {kind} `{full}`");
        let ancestry = self.meta.ancestry(def);
        if ancestry.len() > 1 {
            let chain: Vec<String> = ancestry[1..].iter().map(|d| format!("`{}`", d.full_name())).collect();
            let _ = write!(about, ", derived from {} (their properties included)", chain.join(" ← "));
        }
        about.push('.');
        docs.push(about);
        let mut notes = Vec::new();
        if def.is_abstract {
            notes.push("Abstract: Graph sends one of its subtypes.".to_string());
        }
        let primary = self.names.primary(&full);
        if self.poly.contains_key(&full) {
            notes.push(format!("The properties of the type itself; [`{primary}`] is the type with its subtypes."));
        } else if self.tagged.contains(&full) && role == Role::Variant {
            notes.push(format!(
                "The properties of the type itself, as a variant of a polymorphic enum holds them; [`{primary}`] is the type as a property holds it."
            ));
        } else if self.tagged.contains(&full) && self.opts.polymorphic {
            notes.push(
                "Not a polymorphic enum: Graph sends a value of this (not abstract) type itself without `@odata.type`, which a \
                 `#[graph_endpoint::polymorphic]` enum cannot read. A subtype's own properties are kept in `subtype_properties`."
                    .to_string(),
            );
        }
        if def.open {
            notes.push("Open type: properties the metadata does not declare are not kept.".to_string());
        }
        if def.has_stream {
            notes.push("Media entity: its content is read and written through the `/$value` path.".to_string());
        }
        if !notes.is_empty() {
            docs.push(String::new());
            docs.extend(notes);
        }
        out.push_str(&doc_attrs(&docs));
        out.push_str("#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]\n");
        let _ = writeln!(out, "pub struct {name} {{");
        let mut fields = FieldNames::default();
        let sources = self.fields_of(def);
        let mut rendered = Vec::new();
        let mut float_used = Float::No;
        for f in &sources {
            let field = fields.field(f.name);
            let (field_code, float) = self.field(&full, &field, f);
            if float == Float::Yes {
                float_used = Float::Yes;
            }
            rendered.push(field_code);
        }
        if role == Role::Standalone {
            let field = fields.take("odata_type");
            let _ = writeln!(
                out,
                "#[doc = \" The `@odata.type` annotation: Graph's name of the concrete type (`#{full}` or a subtype's), written with `#`.\"]\n\
                 #[serde(rename = \"@odata.type\", skip_serializing_if = \"Option::is_none\")]\npub {field}: Option<::graph_endpoint::ODataType>,"
            );
        }
        for r in rendered {
            out.push_str(&r);
        }
        if role == Role::Standalone && self.tagged.contains(&full) {
            // Not an enum, so a property of this type may hold a subtype: its own properties
            // are kept here, so that the value round-trips unchanged.
            let field = fields.take("subtype_properties");
            let _ = writeln!(
                out,
                "#[doc = \" Properties of a subtype (told by `@odata.type`) that this type does not declare, kept as received.\"]\n\
                 #[serde(flatten)]\npub {field}: serde_json::Map<String, serde_json::Value>,"
            );
        }
        out.push_str("}\n");
        (out, float_used)
    }

    fn field(&self, owner: &str, field: &str, f: &FieldSource) -> (String, Float) {
        let mut docs = description_lines(f.description);
        if !docs.is_empty() {
            docs.push(String::new());
        }
        let shown = if f.ty.collection { format!("Collection({})", f.ty.name) } else { f.ty.name.clone() };
        let mut about = format!("`{}`: `{shown}`", f.name);
        if !f.nullable {
            about.push_str(", never null in responses");
        }
        match f.navigation {
            Some(true) => about.push_str(", contained navigation property (returned with `$expand`)"),
            Some(false) => about.push_str(", navigation property (returned with `$expand`)"),
            None => {}
        }
        about.push('.');
        docs.push(about);
        let (mut inner, float) = self.inner_type(&f.ty.name);
        if !f.ty.collection && self.boxed.contains(&(owner.to_string(), f.name.to_string())) {
            inner = format!("Box<{inner}>");
        }
        let ty = if f.ty.collection { format!("Option<Vec<{inner}>>") } else { format!("Option<{inner}>") };
        let mut serde = Vec::new();
        if field.trim_start_matches("r#") != f.name {
            serde.push(format!("rename = {:?}", f.name));
        }
        if float == Float::Yes {
            let helper = if f.ty.collection { "edm_float::vec" } else { "edm_float::option" };
            serde.push("default".into());
            serde.push(format!("with = {helper:?}"));
        }
        serde.push("skip_serializing_if = \"Option::is_none\"".into());
        let code = format!("{}#[serde({})]\npub {field}: {ty},\n", doc_attrs(&docs), serde.join(", "));
        (code, float)
    }

    /// The Rust type for a type name (a property's type, without `Option`/`Vec`).
    fn inner_type(&self, name: &str) -> (String, Float) {
        let plain = |s: &str| (s.to_string(), Float::No);
        match name {
            "Edm.String" | "Edm.Guid" | "Edm.DateTimeOffset" | "Edm.Date" | "Edm.TimeOfDay" | "Edm.Duration" | "Edm.Binary" => {
                plain("String")
            }
            "Edm.Boolean" => plain("bool"),
            "Edm.Byte" => plain("u8"),
            "Edm.SByte" => plain("i8"),
            "Edm.Int16" => plain("i16"),
            "Edm.Int32" => plain("i32"),
            "Edm.Int64" => plain("i64"),
            "Edm.Single" => ("f32".into(), Float::Yes),
            "Edm.Double" | "Edm.Decimal" => ("f64".into(), Float::Yes),
            _ if self.meta.types.contains_key(name) => (self.type_name(name), Float::No),
            // Edm.Stream, Edm.Untyped, Edm.PrimitiveType, geography types, unknown names.
            _ => plain("serde_json::Value"),
        }
    }

    fn enum_item(&self, def: &TypeDef) -> String {
        let full = def.full_name();
        let name = self.names.primary(&full);
        let mut docs = description_lines(def.description.as_deref());
        if !docs.is_empty() {
            docs.push(String::new());
        }
        let flags = if def.is_flags { format!(" (flags: a property holds a set, [`{}`])", self.names.flags(&full)) } else { String::new() };
        docs.push(format!("Graph enum type `{full}`{flags}. A value this list lacks is kept as `Unrecognized`."));
        let mut out = doc_attrs(&docs);
        out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
        let _ = writeln!(out, "pub enum {name} {{");
        let mut variants = VariantNames::default();
        variants.reserve("Unrecognized");
        let mut pairs = Vec::new();
        for m in &def.members {
            let v = variants.variant(&m.name);
            let mut docs = description_lines(m.description.as_deref());
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.push(format!("`{}`", m.name));
            out.push_str(&doc_attrs(&docs));
            let _ = writeln!(out, "{v},");
            pairs.push((v, m.name.clone()));
        }
        out.push_str(
            "#[doc = \" A value the metadata did not list (Graph adds values over time), as Graph wrote it.\"]\nUnrecognized(String),\n}\n",
        );
        let as_str: String = pairs.iter().map(|(v, g)| format!("Self::{v} => {g:?},")).collect();
        let from: String = pairs.iter().map(|(v, g)| format!("{g:?} => Self::{v},")).collect();
        let _ = write!(
            out,
            "impl {name} {{
                #[doc = \" The value as Graph writes it.\"]
                pub fn as_str(&self) -> &str {{ match self {{ {as_str} Self::Unrecognized(other) => other }} }}
            }}
            impl ::core::convert::From<&str> for {name} {{
                fn from(value: &str) -> Self {{ match value {{ {from} other => Self::Unrecognized(other.to_string()) }} }}
            }}
            impl ::core::fmt::Display for {name} {{
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{ f.write_str(self.as_str()) }}
            }}
            impl serde::Serialize for {name} {{
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {{
                    serializer.serialize_str(self.as_str())
                }}
            }}
            impl<'de> serde::Deserialize<'de> for {name} {{
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {{
                    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from(value.as_str()))
                }}
            }}
            "
        );
        out
    }

    fn flags_item(&self, def: &TypeDef) -> String {
        let full = def.full_name();
        let name = self.names.flags(&full);
        let member = self.names.primary(&full);
        let mut out = doc_attrs(&[format!(
            "A set of [`{member}`] values (flags enum `{full}`), written as Graph writes it: comma-separated (`\"a,b\"`)."
        )]);
        let _ = write!(
            out,
            "#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
            pub struct {name}(pub Vec<{member}>);
            impl serde::Serialize for {name} {{
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {{
                    let parts: Vec<&str> = self.0.iter().map({member}::as_str).collect();
                    serializer.serialize_str(&parts.join(\",\"))
                }}
            }}
            impl<'de> serde::Deserialize<'de> for {name} {{
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {{
                    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self(value.split(',').map(str::trim).filter(|part| !part.is_empty()).map({member}::from).collect()))
                }}
            }}
            "
        );
        out
    }

    fn poly_item(&self, base: &str, variants: &[String]) -> String {
        let def = &self.meta.types[base];
        let name = self.names.primary(base);
        let mut docs = description_lines(def.description.as_deref());
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(format!(
            "Graph type `{base}` with its subtypes, told apart by `@odata.type`; any other subtype is kept whole in `Other`."
        ));
        let missing: Vec<String> = self.meta.all_subtypes(base).into_iter().filter(|s| !variants.contains(s)).collect();
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(8).map(|s| format!("`{s}`")).collect();
            let more = if missing.len() > shown.len() { format!(" and {} more", missing.len() - shown.len()) } else { String::new() };
            docs.push(String::new());
            docs.push(format!(
                "Subtypes in the metadata without a variant here (they land in `Other`): {}{more}. Name them to the generator, or pass `--all-subtypes`.",
                shown.join(", ")
            ));
        }
        let mut out = doc_attrs(&docs);
        out.push_str("#[graph_endpoint::polymorphic]\n#[derive(Debug, Clone, PartialEq)]\n#[allow(clippy::large_enum_variant)]\n");
        let _ = writeln!(out, "pub enum {name} {{");
        let mut names = VariantNames::default();
        names.reserve("Base");
        names.reserve("Other");
        let wanted = variant_names(name, variants.iter().map(|v| (v == base, self.names.primary(v))));
        for (v, wanted) in variants.iter().zip(wanted) {
            let variant = if v == base { wanted } else { names.variant(&wanted) };
            let own = if v == base { " itself".to_string() } else { String::new() };
            let _ = writeln!(out, "#[doc = \" `{v}`{own}.\"]\n#[odata({v:?})]\n{variant}({}),", self.variant_struct(v));
        }
        out.push_str("#[doc = \" Any other subtype, kept as received (it round-trips unchanged).\"]\n#[odata(other)]\nOther(serde_json::Value),\n}\n");
        out
    }
}

/// The variant names of the enum `base` over `(is_base, subtype)`: `Base` for the base itself,
/// each subtype's name less the words it shares with the base's, or the whole name where the
/// short one would be `Base`, `Other` or another variant's (`drive` and `driveItem` of
/// `baseItem`: `Drive` and `DriveItem`, not `Drive2`).
fn variant_names<'n>(base: &str, variants: impl Iterator<Item = (bool, &'n str)>) -> Vec<String> {
    let variants: Vec<(bool, &str)> = variants.collect();
    let short: Vec<String> =
        variants.iter().map(|&(is_base, sub)| if is_base { "Base".to_string() } else { names::subtype_variant(base, sub) }).collect();
    variants
        .iter()
        .zip(&short)
        .map(|(&(is_base, sub), wanted)| {
            let taken = wanted == "Base" || wanted == "Other" || short.iter().filter(|s| *s == wanted).count() > 1;
            if !is_base && taken { sub.to_string() } else { wanted.clone() }
        })
        .collect()
}

struct FieldSource<'a> {
    name: &'a str,
    ty: &'a TypeRef,
    nullable: bool,
    description: Option<&'a str>,
    /// `Some(contains_target)` for navigation properties.
    navigation: Option<bool>,
}

/// Tarjan's strongly connected components, iteratively: the component of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let (mut next_index, mut next_component) = (0, 0);
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some(&mut (v, ref mut child)) = call.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *child < edges[v].len() {
                let w = edges[v][*child];
                *child += 1;
                if index[w] == usize::MAX {
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// The description as doc lines: trimmed (no indented code blocks), code fences, brackets and
/// angle brackets escaped (no doctests, links or HTML tags from prose), bare URLs in `<>`.
pub fn description_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    text.lines()
        .map(str::trim)
        .map(|line| {
            let escaped = line
                .replace('\\', "\\\\")
                .replace("```", "\\`\\`\\`")
                .replace('[', "\\[")
                .replace(']', "\\]")
                .replace('<', "\\<")
                .replace('>', "\\>");
            escaped.split(' ').map(wrap_url).collect::<Vec<_>>().join(" ")
        })
        .collect::<Vec<_>>()
        .into_iter()
        .skip_while(String::is_empty)
        .collect()
}

/// A blank line between top-level items (which are the only lines that start unindented).
fn separate_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous_closed = false;
    for line in code.lines() {
        let starts_item = ["///", "#[", "pub ", "impl", "mod ", "fn "].iter().any(|p| line.starts_with(p));
        if previous_closed && starts_item {
            out.push('\n');
        }
        previous_closed = !line.starts_with(char::is_whitespace) && (line.ends_with('}') || line.ends_with(';'));
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A word with a URL in it, the URL put in `<>` (rustdoc's `bare_urls`).
fn wrap_url(word: &str) -> String {
    let Some(start) = word.find("https://").or_else(|| word.find("http://")) else { return word.to_string() };
    let rest = &word[start..];
    let url = rest.trim_end_matches(['.', ',', ';', ':', ')', '\\', ']']);
    format!("{}<{url}>{}", &word[..start], &rest[url.len()..])
}

/// `#[doc = " line"]` attributes (one per line; an empty string is a paragraph break).
fn doc_attrs(lines: &[String]) -> String {
    lines.iter().map(|l| if l.is_empty() { "#[doc = \"\"]\n".to_string() } else { format!("#[doc = {:?}]\n", format!(" {l}")) }).collect()
}

/// Serde helpers for `Edm.Single`, `Edm.Double` and `Edm.Decimal`, which Graph may write as the
/// strings `"NaN"`, `"INF"` and `"-INF"` (and decimals as numeric strings).
const FLOAT_HELPERS: &str = r#"
#[doc = " Serde helpers for `Edm.Single`/`Edm.Double`/`Edm.Decimal`: reads numbers and the strings Graph uses for"]
#[doc = " special values (`\"NaN\"`, `\"INF\"`, `\"-INF\"`, numeric strings); writes finite values as numbers and the others as those strings."]
#[allow(dead_code)]
mod edm_float {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub trait Float: Copy {
        fn from_f64(value: f64) -> Self;
        fn to_f64(self) -> f64;
        fn write<S: Serializer>(self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>;
    }

    impl Float for f32 {
        fn from_f64(value: f64) -> Self {
            value as f32
        }
        fn to_f64(self) -> f64 {
            f64::from(self)
        }
        fn write<S: Serializer>(self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
            serializer.serialize_f32(self)
        }
    }

    impl Float for f64 {
        fn from_f64(value: f64) -> Self {
            value
        }
        fn to_f64(self) -> f64 {
            self
        }
        fn write<S: Serializer>(self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
            serializer.serialize_f64(self)
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Number(f64),
        Text(String),
    }

    struct Out<T>(T);

    impl<T: Float> Serialize for Out<T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
            let value = self.0.to_f64();
            if value.is_nan() {
                serializer.serialize_str("NaN")
            } else if value == f64::INFINITY {
                serializer.serialize_str("INF")
            } else if value == f64::NEG_INFINITY {
                serializer.serialize_str("-INF")
            } else {
                self.0.write(serializer)
            }
        }
    }

    struct In<T>(T);

    impl<'de, T: Float> Deserialize<'de> for In<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
            let value = match Wire::deserialize(deserializer)? {
                Wire::Number(value) => value,
                Wire::Text(text) => match text.as_str() {
                    "NaN" => f64::NAN,
                    "INF" | "Infinity" => f64::INFINITY,
                    "-INF" | "-Infinity" => f64::NEG_INFINITY,
                    other => other.parse().map_err(|_| serde::de::Error::custom(format_args!("expected a number, got {other:?}")))?,
                },
            };
            Ok(In(T::from_f64(value)))
        }
    }

    pub mod option {
        use super::{Float, In, Out};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<T: Float, S: Serializer>(value: &Option<T>, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
            value.map(Out).serialize(serializer)
        }

        pub fn deserialize<'de, T: Float, D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Option<T>, D::Error> {
            Ok(Option::<In<T>>::deserialize(deserializer)?.map(|v| v.0))
        }
    }

    pub mod vec {
        use super::{Float, In, Out};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<T: Float, S: Serializer>(value: &Option<Vec<T>>, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
            value.as_ref().map(|v| v.iter().copied().map(Out).collect::<Vec<_>>()).serialize(serializer)
        }

        pub fn deserialize<'de, T: Float, D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Option<Vec<T>>, D::Error> {
            Ok(Option::<Vec<In<T>>>::deserialize(deserializer)?.map(|v| v.into_iter().map(|x| x.0).collect()))
        }
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_tamed() {
        let lines = description_lines(Some("  See [docs](https://x.y/z). Use <b>bold</b>\n    code block\n```rust"));
        assert_eq!(lines, ["See \\[docs\\](<https://x.y/z>). Use \\<b\\>bold\\</b\\>", "code block", "\\`\\`\\`rust"]);
    }

    #[test]
    fn variant_names_shorten_unless_two_would_meet() {
        let names = variant_names(
            "BaseItem",
            [(true, "BaseItem"), (false, "Drive"), (false, "DriveItem"), (false, "SharedDriveItem"), (false, "List"), (false, "Site")]
                .into_iter(),
        );
        assert_eq!(names, ["Base", "Drive", "DriveItem", "SharedDrive", "List", "Site"]);
        // A subtype whose short name would be `Base` or `Other` keeps its whole name.
        let names = variant_names("Item", [(true, "Item"), (false, "BaseItem"), (false, "OtherItem"), (false, "MailItem")].into_iter());
        assert_eq!(names, ["Base", "BaseItem", "OtherItem", "Mail"]);
    }

    #[test]
    fn components() {
        // 0 → 1 → 2 → 0 is a cycle, 3 hangs off it, 4 loops on itself.
        let c = strongly_connected(&[vec![1], vec![2], vec![0, 3], vec![], vec![4]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
        assert_ne!(c[4], c[3]);
    }
}
