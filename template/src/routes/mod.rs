//! The route index: which `METHOD /path` routes Graph has, in which version, and what is
//! nearest to one it lacks.
//!
//! An index is a trie of normalised segments (the keys of [`Shape`](crate::Shape): letter case,
//! parameter names, `microsoft.graph.` and a function's empty `()` set aside, `/me` read as
//! `/users/{id}`), each node holding the methods its path offers in v1.0 and in beta. It is
//! built from route lists ([`IndexBuilder`], [`RouteIndex::from_route_file`]), stored in a
//! compact binary form ([`RouteIndex::encode`], [`RouteIndex::decode`]) and asked about one
//! definition at a time ([`RouteIndex::check`]). Spellings of Graph's reference pages that the
//! SDKs' lists write otherwise (`users('{id}')`, `/me/drive/items/{id}`, `root:/{path}:`) are
//! tried as the lists write them.
//!
//! ```
//! use graph_endpoint_template::parse;
//! use graph_endpoint_template::routes::{IndexBuilder, Method, Version};
//!
//! let mut builder = IndexBuilder::new();
//! builder.add(Some(Version::V1), Method::Get, "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}").unwrap();
//! builder.add(Some(Version::Beta), Method::Get, "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}").unwrap();
//! let index = builder.finish();
//!
//! let listed = parse("/deviceManagement/deviceConfigurations/{id}").unwrap();
//! assert!(index.check(Method::Get, &listed, Some(Version::Beta)).is_none());
//! let typo = parse("/deviceManagement/deviceConfigurtions/{id}").unwrap();
//! let finding = index.check(Method::Get, &typo, None).unwrap();
//! assert!(finding.message().contains("did you mean `/deviceManagement/deviceConfigurations/{id}`"));
//! ```

mod alias;
mod build;
mod check;
mod codec;
mod file;
mod nearest;

pub use build::IndexBuilder;
pub use check::{Finding, FindingKind};

/// An HTTP method Graph's routes offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Every method, in the order messages list them.
    pub const ALL: [Method; 5] = [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete];

    /// `GET`, `POST`, ...
    pub fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method named so, in any letter case.
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name().eq_ignore_ascii_case(name))
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A Graph API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `v1.0`
    V1,
    /// `beta`
    Beta,
}

impl Version {
    /// Both versions.
    pub const ALL: [Version; 2] = [Version::V1, Version::Beta];

    /// `v1.0` or `beta`.
    pub fn name(self) -> &'static str {
        match self {
            Version::V1 => "v1.0",
            Version::Beta => "beta",
        }
    }

    /// The version named so.
    pub fn from_name(name: &str) -> Option<Version> {
        Version::ALL.into_iter().find(|v| v.name() == name)
    }

    /// The other one.
    pub fn other(self) -> Version {
        match self {
            Version::V1 => Version::Beta,
            Version::Beta => Version::V1,
        }
    }

    /// How far a version's method bits are shifted in a node's [`Methods`].
    fn shift(self) -> u16 {
        match self {
            Version::V1 => 0,
            Version::Beta => 8,
        }
    }
}

/// The methods a path offers, per version: a bit per (version, method).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Methods(u16);

impl Methods {
    fn with(self, version: Version, method: Method) -> Methods {
        Methods(self.0 | (method.bit() << version.shift()))
    }

    fn offers(self, version: Version, method: Method) -> bool {
        self.0 & (method.bit() << version.shift()) != 0
    }

    fn any_in(self, version: Version) -> bool {
        self.0 & (0x1f << version.shift()) != 0
    }

    fn any(self) -> bool {
        self.0 != 0
    }

    /// The methods offered in `version`, in [`Method::ALL`]'s order.
    fn in_version(self, version: Version) -> Vec<Method> {
        Method::ALL.into_iter().filter(|m| self.offers(version, *m)).collect()
    }
}

/// One node of the trie: the segment that leads to it and the methods its path offers. Its
/// children are contiguous in [`RouteIndex::nodes`], sorted by key.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index into the string table: the segment as one route list spelled it.
    label: u32,
    methods: Methods,
    first_child: u32,
    child_count: u32,
}

/// A route index: see the [module](self) documentation.
#[derive(Debug, Clone)]
pub struct RouteIndex {
    /// Segment spellings (`deviceConfigurations`, `{deviceConfiguration-id}`), sorted.
    spellings: Vec<Box<str>>,
    /// Each spelling's normalised key (`deviceconfigurations`, `{}`).
    keys: Vec<Box<str>>,
    /// `nodes[0]` is the root (the empty path).
    nodes: Vec<Node>,
    /// Where the routes came from: one line per source.
    sources: String,
}

impl RouteIndex {
    /// Where the routes came from, one line per source (repository, commit, rows).
    pub fn sources(&self) -> &str {
        &self.sources
    }

    /// How many paths offer at least one method.
    pub fn route_paths(&self) -> usize {
        self.nodes.iter().filter(|n| n.methods.any()).count()
    }

    fn key(&self, node: u32) -> &str {
        &self.keys[self.nodes[node as usize].label as usize]
    }

    fn spelling(&self, node: u32) -> &str {
        &self.spellings[self.nodes[node as usize].label as usize]
    }

    fn children(&self, node: u32) -> std::ops::Range<u32> {
        let n = self.nodes[node as usize];
        n.first_child..n.first_child + n.child_count
    }

    /// The child of `node` whose key is `key`. An operation of Graph's own namespace written
    /// with it (`microsoft.graph.delta()`, as reference pages do) is also found without it
    /// (`delta()`, as the SDKs' lists have it), casts keeping theirs (`graph.iosLobApp`).
    fn child(&self, node: u32, key: &str) -> Option<u32> {
        let range = self.children(node);
        let slice = &self.nodes[range.start as usize..range.end as usize];
        let find = |key: &str| slice.binary_search_by(|n| (*self.keys[n.label as usize]).cmp(key)).ok();
        let found = find(key).or_else(|| key.strip_prefix("graph.").filter(|name| !name.contains('.')).and_then(find));
        found.map(|i| range.start + i as u32)
    }

    /// The node `keys` lead to from `from`.
    fn walk<'k>(&self, from: u32, keys: impl IntoIterator<Item = &'k str>) -> Option<u32> {
        keys.into_iter().try_fold(from, |node, key| self.child(node, key))
    }
}

#[cfg(test)]
mod tests;
