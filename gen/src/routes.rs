//! `graph-endpoint-gen routes`: the request routes a metadata document defines, as a route file
//! the attribute can verify definitions against (`GRAPH_ENDPOINT_ROUTES=routes.tsv`).
//!
//! Walked from the entity container: entity sets (`GET`/`POST` on the set, `GET`/`PATCH`/
//! `DELETE` on an item, `$count`), singletons (`GET`/`PATCH`), navigation properties
//! (containment: the target's routes as on an entity set, followed further; without
//! containment: the target addressed and referenced, `$ref`, `$count`, not followed), casts to
//! derived types (`graph.x`, and the navigation a derived type adds), bound actions (`POST`) and
//! functions (`GET`, with their arguments), media (`$value`) and stream properties. Containment
//! is followed to a bounded depth, and a type at most twice on one path, as Graph's SDKs do.
//! Through a cast (one per path, not to a type with an entity set of its own) the navigation the
//! derived type adds is followed too, a referenced entity's one level further: reference pages
//! document `…/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/{id}`.

use crate::csdl::{Metadata, NavProperty, Operation, TypeDef};
use graph_endpoint_template::routes::Method;
use std::collections::{BTreeSet, HashMap};

/// How far the walk goes.
#[derive(Debug, Clone, Copy)]
pub struct RouteOptions {
    /// Navigation steps followed from an entity set or singleton.
    pub depth: usize,
    /// How often one entity type may occur on one path (a folder in a folder: 2).
    pub repeats: usize,
}

impl Default for RouteOptions {
    fn default() -> RouteOptions {
        RouteOptions { depth: 5, repeats: 2 }
    }
}

/// Every `(template, method)` the metadata defines, sorted.
pub fn routes(meta: &Metadata, options: RouteOptions) -> BTreeSet<(String, Method)> {
    let mut walker = Walker { meta, options, out: BTreeSet::new(), single_ops: HashMap::new(), collection_ops: HashMap::new() };
    for op in &meta.operations {
        let map = if op.binding.collection { &mut walker.collection_ops } else { &mut walker.single_ops };
        map.entry(op.binding.name.clone()).or_default().push(op);
    }
    for item in meta.container.values() {
        let path = Path::root(&item.name);
        let Some(def) = meta.types.get(&item.ty) else { continue };
        let mut types = vec![item.ty.clone()];
        if item.collection {
            walker.collection(&path, def, Target::Owned, &mut types, 0);
        } else {
            walker.single(&path, def, Single::Singleton, &mut types, 0);
        }
    }
    walker.out
}

struct Walker<'m> {
    meta: &'m Metadata,
    options: RouteOptions,
    out: BTreeSet<(String, Method)>,
    single_ops: HashMap<String, Vec<&'m Operation>>,
    collection_ops: HashMap<String, Vec<&'m Operation>>,
}

/// Marks a path that went through a cast, in the walk's stack of types.
const CAST: &str = "#cast";

/// Whether a collection's items are its own (an entity set, containment) or references.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Owned,
    Referenced,
}

/// What a single entity path is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Single {
    Singleton,
    /// An item of an owned collection, or a contained single-valued navigation.
    Owned,
    /// An item of a referenced collection.
    Referenced,
}

/// A template being built, with the key names used so far (`{user-id}`, `{user-id1}`).
#[derive(Clone)]
struct Path {
    text: String,
    keys: Vec<String>,
}

impl Path {
    fn root(name: &str) -> Path {
        Path { text: format!("/{name}"), keys: Vec::new() }
    }

    fn join(&self, segment: &str) -> Path {
        Path { text: format!("{}/{segment}", self.text), keys: self.keys.clone() }
    }

    /// `/{type-id}`, numbered when the path has one already.
    fn key(&self, def: &TypeDef) -> Path {
        let base = format!("{}-id", def.name);
        let used = self.keys.iter().filter(|k| k.strip_prefix(&base).is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))).count();
        let name = if used == 0 { base } else { format!("{base}{used}") };
        let mut path = self.join(&format!("{{{name}}}"));
        path.keys.push(name);
        path
    }
}

impl<'m> Walker<'m> {
    fn add(&mut self, path: &Path, methods: &[Method]) {
        for method in methods {
            self.out.insert((path.text.clone(), *method));
        }
    }

    fn collection(&mut self, path: &Path, def: &'m TypeDef, target: Target, types: &mut Vec<String>, depth: usize) {
        match target {
            Target::Owned => self.add(path, &[Method::Get, Method::Post]),
            Target::Referenced => {
                self.add(path, &[Method::Get]);
                self.add(&path.join("$ref"), &[Method::Get, Method::Post, Method::Delete]);
            }
        }
        self.add(&path.join("$count"), &[Method::Get]);
        self.operations(path, def, true);
        for sub in self.subtypes(def) {
            let cast = path.join(&format!("graph.{}", sub.name));
            self.add(&cast, &[Method::Get]);
            self.add(&cast.join("$count"), &[Method::Get]);
        }
        let item = path.key(def);
        let single = if target == Target::Owned { Single::Owned } else { Single::Referenced };
        self.single(&item, def, single, types, depth);
    }

    fn single(&mut self, path: &Path, def: &'m TypeDef, kind: Single, types: &mut Vec<String>, depth: usize) {
        match kind {
            Single::Singleton => self.add(path, &[Method::Get, Method::Patch]),
            Single::Owned => self.add(path, &[Method::Get, Method::Patch, Method::Delete]),
            Single::Referenced => {
                self.add(path, &[Method::Get]);
                self.add(&path.join("$ref"), &[Method::Delete]);
            }
        }
        // A referenced entity's own navigation is followed only where a derived type led to
        // it (`…/graph.iosScepCertificateProfile/rootCertificate/assignments`, as reference
        // pages document it); elsewhere it is addressed where it is owned.
        let through_cast = types.iter().any(|t| t == CAST);
        if kind != Single::Referenced {
            self.entity_parts(path, def, true, types, depth, None);
        } else {
            // One level further at most, the referenced entity's own parts, unless it is
            // addressed under an entity set of its own.
            let follow = through_cast && !self.has_own_set(def);
            self.entity_parts(path, def, follow, types, depth.max(self.options.depth.saturating_sub(1)), None);
        }
        // The navigation a derived type adds is followed through one cast per path, and not
        // for a type that has an entity set of its own (a user among a group's members is
        // addressed under `/users`).
        for sub in self.subtypes(def) {
            let cast = path.join(&format!("graph.{}", sub.name));
            self.add(&cast, &[Method::Get]);
            if kind != Single::Referenced && !through_cast && !self.has_own_set(sub) {
                types.push(CAST.to_owned());
                self.entity_parts(&cast, sub, true, types, depth, Some(def));
                types.pop();
            }
        }
    }

    /// Media, stream properties, bound operations and navigation of an entity at `path`
    /// (for a cast, only what `sub` adds to `base`).
    fn entity_parts(
        &mut self,
        path: &Path,
        def: &'m TypeDef,
        follow: bool,
        types: &mut Vec<String>,
        depth: usize,
        base: Option<&'m TypeDef>,
    ) {
        let meta = self.meta;
        let inherited = |name: &str| base.is_some_and(|b| meta.ancestry(b).iter().any(|d| d.full_name() == name));
        if meta.ancestry(def).iter().any(|d| d.has_stream) && base.is_none() {
            self.add(&path.join("$value"), &[Method::Get, Method::Put]);
        }
        for property in meta.all_properties(def) {
            if property.ty.name == "Edm.Stream" && base.is_none_or(|b| !meta.all_properties(b).iter().any(|p| p.name == property.name)) {
                self.add(&path.join(&property.name), &[Method::Get, Method::Put]);
            }
        }
        for ancestor in meta.ancestry(def) {
            if !inherited(&ancestor.full_name()) {
                self.operations_of(path, &ancestor.full_name(), false);
            }
        }
        if !follow || depth >= self.options.depth {
            return;
        }
        let navigation: Vec<&'m NavProperty> = meta.all_navigation(def);
        for nav in navigation {
            // Through a cast, only what the derived type adds.
            if base.is_some_and(|b| meta.all_navigation(b).iter().any(|n| n.name == nav.name)) {
                continue;
            }
            self.navigation(path, nav, types, depth + 1);
        }
    }

    fn navigation(&mut self, path: &Path, nav: &'m NavProperty, types: &mut Vec<String>, depth: usize) {
        let Some(def) = self.meta.types.get(&nav.ty.name) else { return };
        let path = path.join(&nav.name);
        if !nav.contains_target {
            if nav.ty.collection {
                self.collection(&path, def, Target::Referenced, types, depth);
            } else {
                self.add(&path, &[Method::Get]);
                self.add(&path.join("$ref"), &[Method::Get, Method::Put, Method::Delete]);
                if types.iter().any(|t| t == CAST) && !self.has_own_set(def) {
                    self.entity_parts(&path, def, true, types, depth.max(self.options.depth.saturating_sub(1)), None);
                }
            }
            return;
        }
        if types.iter().filter(|t| **t == nav.ty.name).count() >= self.options.repeats {
            return;
        }
        types.push(nav.ty.name.clone());
        if nav.ty.collection {
            self.collection(&path, def, Target::Owned, types, depth);
        } else {
            self.single(&path, def, Single::Owned, types, depth);
        }
        types.pop();
    }

    fn has_own_set(&self, def: &TypeDef) -> bool {
        let name = def.full_name();
        self.meta.container.values().any(|item| item.ty == name)
    }

    fn subtypes(&self, def: &TypeDef) -> Vec<&'m TypeDef> {
        self.meta.all_subtypes(&def.full_name()).iter().filter_map(|name| self.meta.types.get(name)).collect()
    }

    /// The operations bound to `def` or a base type of it.
    fn operations(&mut self, path: &Path, def: &TypeDef, collection: bool) {
        for ancestor in self.meta.ancestry(def) {
            self.operations_of(path, &ancestor.full_name(), collection);
        }
    }

    fn operations_of(&mut self, path: &Path, type_name: &str, collection: bool) {
        let map = if collection { &self.collection_ops } else { &self.single_ops };
        let Some(ops) = map.get(type_name) else { return };
        let segments: Vec<(String, Method)> =
            ops.iter().map(|op| (segment(op), if op.action { Method::Post } else { Method::Get })).collect();
        for (segment, method) in segments {
            self.add(&path.join(&segment), &[method]);
        }
    }
}

/// An operation's segment: `assign`, `delta()`, `getReport(period='{period}')`; Graph's own
/// namespace left out, others kept (`microsoft.graph.security.applyHold`).
fn segment(op: &Operation) -> String {
    let name = if op.namespace == "microsoft.graph" { op.name.clone() } else { format!("{}.{}", op.namespace, op.name) };
    if op.action {
        return name;
    }
    let arguments: Vec<String> = op
        .parameters
        .iter()
        .map(|p| if p.ty.name == "Edm.String" { format!("{0}='{{{0}}}'", p.name) } else { format!("{0}={{{0}}}", p.name) })
        .collect();
    format!("{name}({})", arguments.join(","))
}
