//! Asking the index about one definition: listed, or a [`Finding`] saying what is wrong and
//! what is near.

use super::alias::alternatives;
use super::nearest::{Asked, Candidate};
use super::{Method, Methods, RouteIndex, Version};
use crate::template::Template;

/// What the index says about a route it does not list for the method and version asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    kind: FindingKind,
    message: String,
    suggestions: Vec<String>,
}

/// Which way a route is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FindingKind {
    /// The path is known in the version, with other methods.
    MethodNotOffered,
    /// The path (with the method) is known in the other version only.
    OtherVersion,
    /// The path is not known: the message names the nearest known routes.
    NotListed,
}

impl Finding {
    /// Which way the route is missing.
    pub fn kind(&self) -> FindingKind {
        self.kind
    }

    /// The whole message, for a warning.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The known paths the message suggests, as the user wrote theirs with one segment changed
    /// (empty when the message suggests none).
    pub fn suggestions(&self) -> &[String] {
        &self.suggestions
    }
}

/// How many "did you mean" routes a message names.
const SUGGESTIONS: usize = 3;

impl RouteIndex {
    /// Checks `method template` in `version` (`None`: the client's default, v1.0). `None` when
    /// the index lists the route; else what is wrong and what is near.
    pub fn check(&self, method: Method, template: &Template, version: Option<Version>) -> Option<Finding> {
        let shape = template.shape();
        let keys: Vec<&str> = shape.segments().collect();
        let mut written: Vec<String> = template.segments().iter().map(|s| s.text()).collect();
        if keys.len() == written.len() + 1 {
            // `/me/...`: one written segment for the two keys `users`, `{}`.
            written.insert(1, String::new());
        }
        let asked = Asked { keys: &keys, written: &written };
        let wanted = version.unwrap_or(Version::V1);
        let path = template.render();
        let found = |keys: &[&str]| self.walk(0, keys.iter().copied()).map(|n| self.nodes[n as usize].methods).filter(|m| m.any());
        let mut node = found(&keys);
        if node.is_none_or(|m| !m.offers(wanted, method)) {
            for alternative in alternatives(&keys) {
                let alternative: Vec<&str> = alternative.iter().map(String::as_str).collect();
                match found(&alternative) {
                    Some(m) if m.offers(wanted, method) => return None,
                    Some(m) if node.is_none() => node = Some(m),
                    _ => {}
                }
            }
        }
        if let Some(methods) = node {
            if methods.offers(wanted, method) {
                return None;
            }
            if methods.any_in(wanted) {
                return Some(self.method_not_offered(&asked, &path, method, version, methods));
            }
            return Some(other_version(&path, method, version, methods));
        }
        let rank = |m: Methods| -> Option<u8> {
            if m.offers(wanted, method) {
                Some(0)
            } else if m.any_in(wanted) {
                Some(1)
            } else {
                m.any().then_some(2)
            }
        };
        let candidates = self.nearest(&asked, rank, SUGGESTIONS);
        let route = format!("`{} {path}`", method.name());
        if candidates.is_empty() {
            let (prefix, at, names) = self.nearest_children(&asked, SUGGESTIONS);
            let next = written.get(at).filter(|w| !w.is_empty()).or_else(|| written.get(at + 1)).cloned().unwrap_or_default();
            let known = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            let message = if prefix == "/" {
                format!(
                    "{route} is not a route Graph's route index knows: no known route starts with `{next}`; known first segments include {known}"
                )
            } else if names.is_empty() {
                format!("{route} is not a route Graph's route index knows: nothing known follows `{prefix}`")
            } else {
                format!(
                    "{route} is not a route Graph's route index knows: nothing known follows `{prefix}` with `{next}`; known there: {known}"
                )
            };
            return Some(Finding { kind: FindingKind::NotListed, message, suggestions: Vec::new() });
        }
        let listed: Vec<String> = candidates.iter().map(|c| self.describe(c, wanted)).collect();
        let message = format!("{route} is not a route Graph's route index knows; did you mean {}?", or_list(&listed));
        Some(Finding { kind: FindingKind::NotListed, message, suggestions: candidates.into_iter().map(|c| c.path).collect() })
    }

    fn method_not_offered(&self, asked: &Asked<'_>, path: &str, method: Method, version: Option<Version>, methods: Methods) -> Finding {
        let wanted = version.unwrap_or(Version::V1);
        let offered = names(&methods.in_version(wanted));
        let mut message = format!("{} is not offered on `{path}`; it offers {offered}", method.name());
        if version.is_none() && wanted == Version::V1 {
            message.push_str(" (in v1.0, the default version)");
        }
        let other = wanted.other();
        if methods.offers(other, method) {
            message.push_str(&format!("; {} has {} there: {}", other.name(), method.name(), use_version(other, version)));
        }
        // A path one `{id}` away often offers it: PATCH on a collection is PATCH on an item.
        let rank = |m: Methods| m.offers(wanted, method).then_some(0);
        let near: Vec<Candidate> = self.nearest(asked, rank, 2).into_iter().filter(|c| c.cost <= 1).collect();
        if !near.is_empty() {
            let paths: Vec<String> = near.iter().map(|c| format!("`{}`", c.path)).collect();
            message.push_str(&format!("; {} is offered on {}", method.name(), or_list(&paths)));
        }
        Finding { kind: FindingKind::MethodNotOffered, message, suggestions: near.into_iter().map(|c| c.path).collect() }
    }

    fn describe(&self, candidate: &Candidate, wanted: Version) -> String {
        let methods = self.nodes[candidate.node as usize].methods;
        if methods.any_in(wanted) {
            format!("`{}` ({})", candidate.path, names(&methods.in_version(wanted)))
        } else {
            let other = wanted.other();
            format!("`{}` ({} only: {})", candidate.path, other.name(), names(&methods.in_version(other)))
        }
    }
}

fn other_version(path: &str, method: Method, version: Option<Version>, methods: Methods) -> Finding {
    let other = version.unwrap_or(Version::V1).other();
    let message = if methods.offers(other, method) {
        format!("`{} {path}` is only in {}: {}", method.name(), other.name(), use_version(other, version))
    } else {
        format!("`{path}` is only in {}, which offers {} on it, not {}", other.name(), names(&methods.in_version(other)), method.name())
    };
    Finding { kind: FindingKind::OtherVersion, message, suggestions: Vec::new() }
}

/// "add `version = "beta"`" when no version is given, "write ..." when another one is.
fn use_version(version: Version, given: Option<Version>) -> String {
    let verb = if given.is_some() { "write" } else { "add" };
    format!("{verb} `version = \"{}\"`", version.name())
}

fn names(methods: &[Method]) -> String {
    methods.iter().map(|m| m.name()).collect::<Vec<_>>().join(", ")
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
