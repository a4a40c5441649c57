//! Building an index from routes: a trie keyed by normalised segments, laid out with each
//! node's children contiguous and sorted so that lookups are binary searches.

use super::{Method, Methods, Node, RouteIndex, Version};
use crate::shape::normalise_segment;
use std::collections::HashMap;

/// Collects routes into a [`RouteIndex`].
#[derive(Debug, Default)]
pub struct IndexBuilder {
    nodes: Vec<TrieNode>,
    sources: Vec<String>,
}

#[derive(Debug, Default)]
struct TrieNode {
    /// The first spelling seen for this node's segment.
    spelling: String,
    methods: Methods,
    children: HashMap<String, usize>,
}

impl IndexBuilder {
    /// An empty index.
    pub fn new() -> IndexBuilder {
        IndexBuilder { nodes: vec![TrieNode::default()], sources: Vec::new() }
    }

    /// Records where routes came from (kept in the index, one line each).
    pub fn source(&mut self, line: &str) {
        self.sources.push(line.replace('\n', " "));
    }

    /// Adds a route; `None` adds it to both versions. The template is relative to the version
    /// root (`/users/{user-id}/messages`); a first segment `me` is stored as `users/{user-id}`.
    pub fn add(&mut self, version: Option<Version>, method: Method, template: &str) -> Result<(), String> {
        let Some(path) = template.strip_prefix('/') else {
            return Err(format!("`{template}` does not start with `/`"));
        };
        if path.is_empty() || path.split('/').any(str::is_empty) {
            return Err(format!("`{template}` has an empty segment"));
        }
        let mut segments: Vec<&str> = path.split('/').collect();
        if segments[0].eq_ignore_ascii_case("me") {
            segments.splice(0..1, ["users", "{user-id}"]);
        }
        let mut node = 0;
        for segment in segments {
            let key = normalise_segment(segment);
            node = match self.nodes[node].children.get(&key) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(TrieNode { spelling: segment.to_owned(), ..TrieNode::default() });
                    self.nodes[node].children.insert(key, child);
                    child
                }
            };
        }
        for version in Version::ALL.into_iter().filter(|v| version.is_none_or(|given| given == *v)) {
            self.nodes[node].methods = self.nodes[node].methods.with(version, method);
        }
        Ok(())
    }

    /// The index: string table sorted, each node's children contiguous and sorted by key.
    pub fn finish(self) -> RouteIndex {
        let mut spellings: Vec<&str> = self.nodes.iter().skip(1).map(|n| n.spelling.as_str()).collect();
        spellings.sort_unstable();
        spellings.dedup();
        let ids: HashMap<&str, u32> = spellings.iter().enumerate().map(|(i, s)| (*s, i as u32)).collect();
        let mut nodes = vec![Node { label: 0, methods: self.nodes[0].methods, first_child: 0, child_count: 0 }];
        // Breadth first: a node's children are appended together when the node is visited.
        let mut queue = vec![0usize];
        let mut position = 0;
        while position < queue.len() {
            let old = queue[position];
            let mut children: Vec<(&String, usize)> = self.nodes[old].children.iter().map(|(k, c)| (k, *c)).collect();
            children.sort_unstable_by(|a, b| a.0.cmp(b.0));
            nodes[position].first_child = nodes.len() as u32;
            nodes[position].child_count = children.len() as u32;
            for (_, child) in children {
                let trie = &self.nodes[child];
                nodes.push(Node { label: ids[trie.spelling.as_str()], methods: trie.methods, first_child: 0, child_count: 0 });
                queue.push(child);
            }
            position += 1;
        }
        let keys = spellings.iter().map(|s| normalise_segment(s).into_boxed_str()).collect();
        RouteIndex { spellings: spellings.into_iter().map(Box::from).collect(), keys, nodes, sources: self.sources.join("\n") }
    }
}
