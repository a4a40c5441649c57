//! "Did you mean": the known routes one segment away from a path the index lacks.
//!
//! Nearness is counted in segments, not characters of the whole path: a candidate is the
//! path with one segment replaced (by a known segment within a typo's edit distance of it),
//! removed, or inserted, that leads to a route the index has. Costs: a replacement costs the
//! edit distance of the two segments (letter case and parameter names aside), inserting or
//! removing a parameter costs 1 (a forgotten or extra `{id}`), a literal segment 2. Cheaper
//! first; among equals, routes that offer the method in the version asked for first.

use super::{Methods, RouteIndex};

/// A known route near the one asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Candidate {
    pub cost: usize,
    /// 0: offers the method in the version; 1: the version has the path; 2: only the other
    /// version has it.
    pub rank: u8,
    pub node: u32,
    /// The path as the user wrote it, with the index's spelling where it differs.
    pub path: String,
}

/// The user's segments: normalised keys and how they were written, aligned (`/me` is the two
/// keys `users`, `{}`, written `me` and nothing).
pub(super) struct Asked<'a> {
    pub keys: &'a [&'a str],
    pub written: &'a [String],
}

const PARAM: &str = "{}";

impl RouteIndex {
    /// Candidates one segment edit away, best first, at most `limit`; `rank` says how well a
    /// route's methods fit (`None`: not a candidate).
    pub(super) fn nearest(&self, asked: &Asked<'_>, rank: impl Fn(Methods) -> Option<u8>, limit: usize) -> Vec<Candidate> {
        let keys = asked.keys;
        let mut found: Vec<Candidate> = Vec::new();
        let mut consider = |cost: usize, node: Option<u32>, at: usize, edit: Edit<'_>| {
            let Some(node) = node else { return };
            let Some(rank) = rank(self.nodes[node as usize].methods) else { return };
            if found.iter().any(|c| c.node == node) {
                return;
            }
            found.push(Candidate { cost, rank, node, path: render(asked.written, at, edit) });
        };
        let mut prefix = Some(0u32);
        for at in 0..=keys.len() {
            let Some(node) = prefix else { break };
            // Insert a segment before `at`.
            for child in self.children(node) {
                let key = self.key(child);
                let cost = if key == PARAM { 1 } else { 2 };
                consider(cost, self.walk(child, keys[at..].iter().copied()), at, Edit::Insert(self.spelling(child)));
            }
            if at < keys.len() {
                // Remove the segment at `at`.
                let cost = if keys[at] == PARAM { 1 } else { 2 };
                consider(cost, self.walk(node, keys[at + 1..].iter().copied()), at, Edit::Remove);
                // Replace it.
                for child in self.children(node) {
                    let key = self.key(child);
                    if key == keys[at] {
                        continue;
                    }
                    let Some(distance) = typo_distance(keys[at], key) else { continue };
                    consider(distance, self.walk(child, keys[at + 1..].iter().copied()), at, Edit::Replace(self.spelling(child)));
                }
                prefix = self.child(node, keys[at]);
            }
        }
        found.sort_by(|a, b| (a.cost, a.rank, &a.path).cmp(&(b.cost, b.rank, &b.path)));
        found.truncate(limit);
        found
    }

    /// Where the asked path leaves the index: the longest known prefix (as written) and the
    /// known segments after it nearest to the asked one (at most `limit`), when no candidate
    /// is one edit away; and where the asked path leaves it.
    pub(super) fn nearest_children(&self, asked: &Asked<'_>, limit: usize) -> (String, usize, Vec<String>) {
        let mut node = 0u32;
        let mut at = 0;
        while at < asked.keys.len() {
            match self.child(node, asked.keys[at]) {
                Some(child) => node = child,
                None => break,
            }
            at += 1;
        }
        let prefix = render(&asked.written[..at], at, Edit::Remove);
        let Some(wanted) = asked.keys.get(at) else { return (prefix, at, Vec::new()) };
        // Close to a typo first; otherwise the first few, alphabetically (`assign`,
        // `assignments` rather than far-fetched likenesses).
        let mut children: Vec<(usize, &str)> =
            self.children(node).map(|c| (typo_distance(wanted, self.key(c)).unwrap_or(usize::MAX), self.spelling(c))).collect();
        children.sort();
        let names = children.into_iter().take(limit).map(|(_, s)| s.to_owned()).collect();
        (prefix, at, names)
    }
}

#[derive(Clone, Copy)]
enum Edit<'a> {
    Insert(&'a str),
    Remove,
    Replace(&'a str),
}

/// The written path with one edit at `at`.
fn render(written: &[String], at: usize, edit: Edit<'_>) -> String {
    let mut segments: Vec<&str> = Vec::with_capacity(written.len() + 1);
    for (i, segment) in written.iter().enumerate() {
        if i == at {
            match edit {
                Edit::Insert(new) => {
                    segments.push(new);
                    segments.push(segment);
                }
                Edit::Replace(new) => segments.push(new),
                Edit::Remove => {}
            }
        } else {
            segments.push(segment);
        }
    }
    if let (Edit::Insert(new), true) = (edit, at == written.len()) {
        segments.push(new);
    }
    // `/me` is written as one segment for two keys: a `users/{id}` spelled out again where an
    // edit touched it would read oddly, so the user's `me` stays as it is.
    let mut out = String::new();
    for segment in segments.into_iter().filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The edit distance of two segments when it is small enough to be a typo: at most 2, or a
/// third of the longer one.
fn typo_distance(a: &str, b: &str) -> Option<usize> {
    if a == PARAM || b == PARAM {
        return None;
    }
    let longest = a.len().max(b.len());
    if a.len().abs_diff(b.len()) > (longest / 3).max(2) {
        return None;
    }
    let d = crate::edit_distance(a, b);
    (d <= 2 || d * 3 <= longest).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_distances() {
        assert_eq!(typo_distance("deviceconfigurtions", "deviceconfigurations"), Some(1));
        assert_eq!(typo_distance("assignments", "assignment"), Some(1));
        assert_eq!(typo_distance("users", "groups"), None);
        assert_eq!(typo_distance("{}", "me"), None);
    }

    #[test]
    fn rendering_an_edit() {
        let written: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(render(&written, 1, Edit::Replace("x")), "/a/x/c");
        assert_eq!(render(&written, 1, Edit::Remove), "/a/c");
        assert_eq!(render(&written, 1, Edit::Insert("{id}")), "/a/{id}/b/c");
        assert_eq!(render(&written, 3, Edit::Insert("$count")), "/a/b/c/$count");
        let me: Vec<String> = ["me", "", "messages"].map(String::from).to_vec();
        assert_eq!(render(&me, 2, Edit::Replace("mailFolders")), "/me/mailFolders");
    }
}
