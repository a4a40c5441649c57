//! The part of an OData CSDL (XML) document that the generator reads: schemas and their
//! aliases, entity, complex and enum types, their properties and navigation properties,
//! descriptions, bound actions and functions, and the entity container.

use std::collections::{BTreeMap, HashMap};

/// What kind of schema type a [`TypeDef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<EntityType>`
    Entity,
    /// `<ComplexType>`
    Complex,
    /// `<EnumType>`
    Enum,
}

/// A reference to a type: `Edm.String`, `microsoft.graph.entity`, `Collection(...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRef {
    /// The fully qualified name, aliases resolved (`Edm.*` for primitives).
    pub name: String,
    /// Whether the declaration was `Collection(...)`.
    pub collection: bool,
}

/// A structural property.
#[derive(Debug, Clone)]
pub struct Property {
    /// The name as Graph spells it.
    pub name: String,
    /// The declared type.
    pub ty: TypeRef,
    /// `Nullable` (the CSDL default is `true`).
    pub nullable: bool,
    /// `Org.OData.Core.V1.Description`, if any.
    pub description: Option<String>,
}

/// A navigation property.
#[derive(Debug, Clone)]
pub struct NavProperty {
    /// The name as Graph spells it.
    pub name: String,
    /// The target type.
    pub ty: TypeRef,
    /// `ContainsTarget="true"`: the targets live under this entity.
    pub contains_target: bool,
    /// `Org.OData.Core.V1.Description`, if any.
    pub description: Option<String>,
}

/// A member of an enum type.
#[derive(Debug, Clone)]
pub struct Member {
    /// The name, which is also the JSON value.
    pub name: String,
    /// `Org.OData.Core.V1.Description`, if any.
    pub description: Option<String>,
}

/// An entity, complex or enum type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The schema namespace (`microsoft.graph`, `microsoft.graph.security`, ...).
    pub namespace: String,
    /// The name inside the namespace.
    pub name: String,
    /// Entity, complex or enum.
    pub kind: Kind,
    /// The fully qualified base type.
    pub base: Option<String>,
    /// `Abstract="true"`.
    pub is_abstract: bool,
    /// `OpenType="true"`.
    pub open: bool,
    /// `HasStream="true"`.
    pub has_stream: bool,
    /// `IsFlags="true"` (enums).
    pub is_flags: bool,
    /// Own structural properties, in document order.
    pub properties: Vec<Property>,
    /// Own navigation properties, in document order.
    pub navigation: Vec<NavProperty>,
    /// Members (enums).
    pub members: Vec<Member>,
    /// `Org.OData.Core.V1.Description`, if any.
    pub description: Option<String>,
}

impl TypeDef {
    /// `namespace.name`.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.namespace, self.name)
    }
}

/// A parameter of an action or function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The name as Graph spells it (a body property, or a function's argument).
    pub name: String,
    /// The declared type.
    pub ty: TypeRef,
    /// `Nullable` (the CSDL default is `true`).
    pub nullable: bool,
}

/// A bound action or function: `POST /deviceManagement/deviceConfigurations/{id}/assign`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The schema namespace.
    pub namespace: String,
    /// The name inside the namespace (`assign`).
    pub name: String,
    /// `<Action>` (called with POST, may change things) or `<Function>` (called with GET).
    pub action: bool,
    /// The binding parameter's type: what the path before the operation addresses.
    pub binding: TypeRef,
    /// The other parameters, in order: an action's body, a function's arguments.
    pub parameters: Vec<Parameter>,
    /// `<ReturnType>`, if any.
    pub returns: Option<TypeRef>,
}

/// An entity set or singleton of the entity container.
#[derive(Debug, Clone)]
pub struct ContainerItem {
    /// The first path segment (`users`, `deviceManagement`).
    pub name: String,
    /// The fully qualified entity type.
    pub ty: String,
    /// Entity sets are collections, singletons are not.
    pub collection: bool,
}

/// A parsed metadata document.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `Version` of `<edmx:Edmx>`.
    pub edmx_version: String,
    /// Every entity, complex and enum type by fully qualified name.
    pub types: BTreeMap<String, TypeDef>,
    /// Entity sets and singletons by name.
    pub container: BTreeMap<String, ContainerItem>,
    /// Fully qualified name of each type → the fully qualified names of its direct subtypes.
    pub derived: BTreeMap<String, Vec<String>>,
    /// Bound actions and functions, in document order.
    pub operations: Vec<Operation>,
}

const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
const LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";

impl Metadata {
    /// Parses a CSDL XML document.
    pub fn parse(xml: &str) -> Result<Metadata, String> {
        let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        let doc = roxmltree::Document::parse_with_options(xml, options).map_err(|e| format!("the metadata is not well-formed XML: {e}"))?;
        let root = doc.root_element();
        if root.tag_name().name() != "Edmx" {
            return Err(format!("the metadata's root element is <{}>, not <edmx:Edmx>", root.tag_name().name()));
        }
        let schemas: Vec<_> = root.descendants().filter(|n| n.is_element() && n.tag_name().name() == "Schema").collect();
        if schemas.is_empty() {
            return Err("the metadata has no <Schema>".into());
        }
        let mut aliases = HashMap::new();
        for schema in &schemas {
            let ns = schema.attribute("Namespace").ok_or("a <Schema> has no Namespace")?;
            aliases.insert(ns.to_string(), ns.to_string());
            if let Some(alias) = schema.attribute("Alias") {
                aliases.insert(alias.to_string(), ns.to_string());
            }
        }
        let resolver = Resolver { aliases };
        let mut meta = Metadata { edmx_version: root.attribute("Version").unwrap_or("").to_string(), ..Default::default() };
        // Descriptions given out of line: `<Annotations Target="ns.type/property">`.
        let mut out_of_line: HashMap<String, String> = HashMap::new();
        for schema in &schemas {
            let ns = schema.attribute("Namespace").unwrap_or_default();
            for node in schema.children().filter(|n| n.is_element()) {
                match node.tag_name().name() {
                    "EntityType" | "ComplexType" | "EnumType" => {
                        let def = parse_type(ns, node, &resolver)?;
                        meta.types.insert(def.full_name(), def);
                    }
                    "Action" | "Function" if node.attribute("IsBound") == Some("true") => {
                        if let Some(op) = parse_operation(ns, node, &resolver) {
                            meta.operations.push(op);
                        }
                    }
                    "Annotations" => {
                        if let (Some(target), Some(text)) = (node.attribute("Target"), description_of(node)) {
                            out_of_line.insert(resolver.target(target), text);
                        }
                    }
                    "EntityContainer" => {
                        for item in node.children().filter(|n| n.is_element()) {
                            let (collection, attr) = match item.tag_name().name() {
                                "EntitySet" => (true, "EntityType"),
                                "Singleton" => (false, "Type"),
                                _ => continue,
                            };
                            let (Some(name), Some(ty)) = (item.attribute("Name"), item.attribute(attr)) else { continue };
                            meta.container.insert(
                                name.to_string(),
                                ContainerItem { name: name.to_string(), ty: resolver.type_ref(ty).name, collection },
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        for (full, def) in meta.types.iter_mut() {
            if def.description.is_none() {
                def.description = out_of_line.get(full).cloned();
            }
            for p in &mut def.properties {
                if p.description.is_none() {
                    p.description = out_of_line.get(&format!("{full}/{}", p.name)).cloned();
                }
            }
            for p in &mut def.navigation {
                if p.description.is_none() {
                    p.description = out_of_line.get(&format!("{full}/{}", p.name)).cloned();
                }
            }
            for m in &mut def.members {
                if m.description.is_none() {
                    m.description = out_of_line.get(&format!("{full}/{}", m.name)).cloned();
                }
            }
        }
        for (full, def) in &meta.types {
            if let Some(base) = &def.base {
                meta.derived.entry(base.clone()).or_default().push(full.clone());
            }
        }
        Ok(meta)
    }

    /// Finds a type by the name a user gives: fully qualified (`microsoft.graph.managedDevice`,
    /// or with an alias, `graph.managedDevice`), or short (`managedDevice`), which is looked up in
    /// `microsoft.graph` first and then in every other namespace (where it must be unique).
    pub fn find(&self, name: &str) -> Result<&TypeDef, String> {
        let name = name.trim().trim_start_matches('#');
        if let Some(def) = self.types.get(name) {
            return Ok(def);
        }
        if let Some(def) = self.types.get(&format!("microsoft.graph.{name}")) {
            return Ok(def);
        }
        if let Some((alias, short)) = name.rsplit_once('.')
            && let Some(def) = self.types.values().find(|d| d.name == short && d.namespace.ends_with(&format!(".{alias}")))
        {
            return Ok(def);
        }
        let matches: Vec<&TypeDef> = self.types.values().filter(|d| d.name == name).collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => {
                let lower = name.to_ascii_lowercase();
                let close: Vec<String> =
                    self.types.values().filter(|d| d.name.to_ascii_lowercase() == lower).map(TypeDef::full_name).collect();
                if close.is_empty() {
                    Err(format!("no entity, complex or enum type named `{name}` in the metadata"))
                } else {
                    Err(format!("no type named `{name}` in the metadata (names are case-sensitive); did you mean {}?", close.join(", ")))
                }
            }
            many => Err(format!(
                "`{name}` names several types; give the full name: {}",
                many.iter().map(|d| d.full_name()).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// The chain from the type itself up to its root base type.
    pub fn ancestry<'a>(&'a self, def: &'a TypeDef) -> Vec<&'a TypeDef> {
        let mut chain = vec![def];
        let mut current = def;
        while let Some(base) = current.base.as_ref().and_then(|b| self.types.get(b)) {
            if chain.iter().any(|d| std::ptr::eq(*d, base)) {
                break;
            }
            chain.push(base);
            current = base;
        }
        chain
    }

    /// Whether `def` is `ancestor` or derives from it.
    pub fn derives_from(&self, def: &TypeDef, ancestor: &str) -> bool {
        self.ancestry(def).iter().any(|d| d.full_name() == ancestor)
    }

    /// Every type deriving from `full` (transitively), sorted by name.
    pub fn all_subtypes(&self, full: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![full.to_string()];
        while let Some(t) = stack.pop() {
            for sub in self.derived.get(&t).into_iter().flatten() {
                if !out.contains(sub) {
                    out.push(sub.clone());
                    stack.push(sub.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// Structural properties of the type and its base types, root first; a property a
    /// derived type declares again replaces the inherited one in place.
    pub fn all_properties<'a>(&'a self, def: &'a TypeDef) -> Vec<&'a Property> {
        let mut out: Vec<&Property> = Vec::new();
        for d in self.ancestry(def).into_iter().rev() {
            for p in &d.properties {
                match out.iter_mut().find(|q| q.name == p.name) {
                    Some(slot) => *slot = p,
                    None => out.push(p),
                }
            }
        }
        out
    }

    /// Navigation properties of the type and its base types, root first.
    pub fn all_navigation<'a>(&'a self, def: &'a TypeDef) -> Vec<&'a NavProperty> {
        let mut out: Vec<&NavProperty> = Vec::new();
        for d in self.ancestry(def).into_iter().rev() {
            for p in &d.navigation {
                match out.iter_mut().find(|q| q.name == p.name) {
                    Some(slot) => *slot = p,
                    None => out.push(p),
                }
            }
        }
        out
    }
}

struct Resolver {
    aliases: HashMap<String, String>,
}

impl Resolver {
    fn qualified(&self, name: &str) -> String {
        if name.starts_with("Edm.") {
            return name.to_string();
        }
        match name.rsplit_once('.') {
            Some((ns, short)) => match self.aliases.get(ns) {
                Some(full) => format!("{full}.{short}"),
                None => name.to_string(),
            },
            None => name.to_string(),
        }
    }

    fn type_ref(&self, raw: &str) -> TypeRef {
        let raw = raw.trim();
        match raw.strip_prefix("Collection(").and_then(|r| r.strip_suffix(')')) {
            Some(inner) => TypeRef { name: self.qualified(inner.trim()), collection: true },
            None => TypeRef { name: self.qualified(raw), collection: false },
        }
    }

    /// `alias.type/member` → `namespace.type/member`.
    fn target(&self, raw: &str) -> String {
        match raw.split_once('/') {
            Some((ty, rest)) => format!("{}/{rest}", self.qualified(ty)),
            None => self.qualified(raw),
        }
    }
}

fn is_description(term: &str) -> Option<bool> {
    // Terms may be written with an alias of the Core vocabulary (`Core.Description`).
    let short = term.rsplit('.').next().unwrap_or(term);
    match short {
        "Description" if term == DESCRIPTION || term.ends_with("Core.Description") => Some(true),
        "LongDescription" if term == LONG_DESCRIPTION || term.ends_with("Core.LongDescription") => Some(false),
        _ => None,
    }
}

/// The `Description` annotation directly under `node` (else its `LongDescription`).
fn description_of(node: roxmltree::Node) -> Option<String> {
    let mut long = None;
    for a in node.children().filter(|n| n.is_element() && n.tag_name().name() == "Annotation") {
        let Some(kind) = a.attribute("Term").and_then(is_description) else { continue };
        let text = a
            .attribute("String")
            .map(str::to_string)
            .or_else(|| a.children().find(|c| c.tag_name().name() == "String").and_then(|c| c.text()).map(str::to_string));
        let Some(text) = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) else { continue };
        if kind {
            return Some(text);
        }
        long.get_or_insert(text);
    }
    long
}

/// A bound `<Action>` or `<Function>`; `None` without a name or a binding parameter.
fn parse_operation(ns: &str, node: roxmltree::Node, resolver: &Resolver) -> Option<Operation> {
    let name = node.attribute("Name")?;
    let mut parameters = node.children().filter(|n| n.is_element() && n.tag_name().name() == "Parameter").map(|p| Parameter {
        name: p.attribute("Name").unwrap_or_default().to_string(),
        ty: resolver.type_ref(p.attribute("Type").unwrap_or("Edm.Untyped")),
        nullable: p.attribute("Nullable") != Some("false"),
    });
    let binding = parameters.next()?.ty;
    let parameters = parameters.collect();
    let returns = node
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "ReturnType")
        .and_then(|r| r.attribute("Type"))
        .map(|t| resolver.type_ref(t));
    Some(Operation {
        namespace: ns.to_string(),
        name: name.to_string(),
        action: node.tag_name().name() == "Action",
        binding,
        parameters,
        returns,
    })
}

fn parse_type(ns: &str, node: roxmltree::Node, resolver: &Resolver) -> Result<TypeDef, String> {
    let kind = match node.tag_name().name() {
        "EntityType" => Kind::Entity,
        "ComplexType" => Kind::Complex,
        _ => Kind::Enum,
    };
    let name = node.attribute("Name").ok_or_else(|| format!("a <{}> in {ns} has no Name", node.tag_name().name()))?;
    let flag = |attr: &str| node.attribute(attr) == Some("true");
    let mut def = TypeDef {
        namespace: ns.to_string(),
        name: name.to_string(),
        kind,
        base: node.attribute("BaseType").map(|b| resolver.qualified(b)),
        is_abstract: flag("Abstract"),
        open: flag("OpenType"),
        has_stream: flag("HasStream"),
        is_flags: flag("IsFlags"),
        properties: Vec::new(),
        navigation: Vec::new(),
        members: Vec::new(),
        description: description_of(node),
    };
    for child in node.children().filter(|n| n.is_element()) {
        let Some(child_name) = child.attribute("Name") else { continue };
        match child.tag_name().name() {
            "Property" => def.properties.push(Property {
                name: child_name.to_string(),
                ty: resolver.type_ref(child.attribute("Type").unwrap_or("Edm.Untyped")),
                nullable: child.attribute("Nullable") != Some("false"),
                description: description_of(child),
            }),
            "NavigationProperty" => def.navigation.push(NavProperty {
                name: child_name.to_string(),
                ty: resolver.type_ref(child.attribute("Type").unwrap_or("Edm.Untyped")),
                contains_target: child.attribute("ContainsTarget") == Some("true"),
                description: description_of(child),
            }),
            "Member" => def.members.push(Member { name: child_name.to_string(), description: description_of(child) }),
            _ => {}
        }
    }
    Ok(def)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color"><Member Name="red" Value="0" /></EnumType>
      <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
      <EntityType Name="thing" BaseType="graph.entity">
        <Property Name="colors" Type="Collection(graph.color)">
          <Annotation Term="Org.OData.Core.V1.Description" String="Inline." />
        </Property>
        <Property Name="id" Type="Edm.String" />
        <NavigationProperty Name="parts" Type="Collection(graph.thing)" ContainsTarget="true" />
      </EntityType>
      <Action Name="reset" IsBound="true"><Parameter Name="bindingParameter" Type="graph.thing" /><Parameter Name="hard" Type="Edm.Boolean" Nullable="false" /><ReturnType Type="Collection(graph.color)" /></Action>
      <EntityContainer Name="GraphService"><EntitySet Name="things" EntityType="microsoft.graph.thing" /></EntityContainer>
      <Annotations Target="graph.thing/parts"><Annotation Term="Org.OData.Core.V1.Description" String="Out of line." /></Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

    #[test]
    fn aliases_descriptions_and_inheritance() {
        let meta = Metadata::parse(SMALL).unwrap();
        let thing = meta.find("thing").unwrap();
        assert_eq!(thing.base.as_deref(), Some("microsoft.graph.entity"));
        assert_eq!(thing.properties[0].ty, TypeRef { name: "microsoft.graph.color".into(), collection: true });
        assert_eq!(thing.properties[0].description.as_deref(), Some("Inline."));
        assert_eq!(thing.navigation[0].description.as_deref(), Some("Out of line."));
        assert!(thing.navigation[0].contains_target);
        let all: Vec<_> = meta.all_properties(thing).iter().map(|p| (p.name.as_str(), p.nullable)).collect();
        assert_eq!(all, [("id", true), ("colors", true)]);
        assert_eq!(meta.derived["microsoft.graph.entity"], ["microsoft.graph.thing"]);
        assert!(meta.container["things"].collection);
        assert!(meta.find("Thing").unwrap_err().contains("did you mean microsoft.graph.thing"));
        let reset = &meta.operations[0];
        assert!(reset.action);
        assert_eq!(reset.binding, TypeRef { name: "microsoft.graph.thing".into(), collection: false });
        assert_eq!((reset.parameters[0].name.as_str(), reset.parameters[0].nullable), ("hard", false));
        assert_eq!(reset.returns, Some(TypeRef { name: "microsoft.graph.color".into(), collection: true }));
    }
}
