//! Spellings of one route that Graph's reference pages use and its SDKs' route lists do not,
//! tried when a path as written is not in the index:
//!
//! - a key in parentheses, `users('{id}')` or `groups({id})`, is the key segment `users/{id}`;
//! - a drive reached through its owner, `/me/drive/…`, `/sites/{id}/drive/…`,
//!   `/groups/{id}/drive/…`, is `/drives/{id}/…` (the lists address drive items only there);
//! - colon addressing, `…/root:/{path}:/…`, names one item: `…/items/{id}/…`;
//! - `…/drive/root/children` and the like are an item's: `/drives/{id}/items/{id}/children`.

/// The alternative key lists for `keys` (normalised segments), most likely first; empty when
/// no rule applies.
pub(super) fn alternatives(keys: &[&str]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    let original = keys.clone();
    keys = keys.into_iter().flat_map(key_in_parentheses).collect();
    keys = colon_addressing(keys);
    if let Some(at) = keys.iter().rposition(|k| k == "drive").filter(|at| *at + 1 < keys.len()) {
        let mut rooted = vec!["drives".to_owned(), "{}".to_owned()];
        rooted.extend_from_slice(&keys[at + 1..]);
        keys = rooted;
    }
    if keys != original {
        out.push(keys.clone());
    }
    // `drives/{}/root/children`: the root folder is an item like any other.
    if keys.len() > 3 && keys[0] == "drives" && keys[2] == "root" && keys[3] != "content" {
        let mut item = keys[..2].to_vec();
        item.extend(["items".to_owned(), "{}".to_owned()]);
        item.extend_from_slice(&keys[3..]);
        out.push(item);
    }
    out
}

/// `users('{}')` → `users`, `{}`.
fn key_in_parentheses(key: String) -> Vec<String> {
    for suffix in ["('{}')", "({})"] {
        if let Some(name) = key.strip_suffix(suffix).filter(|name| !name.is_empty() && !name.contains(['(', '{'])) {
            return vec![name.to_owned(), "{}".to_owned()];
        }
    }
    vec![key]
}

/// `root:`, `{}:` (a path between colons) → `items`, `{}`.
fn colon_addressing(keys: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(keys.len());
    let mut iter = keys.into_iter().peekable();
    while let Some(key) = iter.next() {
        if key == "root:" && iter.peek().is_some_and(|next| next.ends_with(':')) {
            iter.next();
            out.extend(["items".to_owned(), "{}".to_owned()]);
        } else {
            out.push(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alts(path: &str) -> Vec<String> {
        let keys: Vec<&str> = path.split('/').skip(1).collect();
        alternatives(&keys).into_iter().map(|k| format!("/{}", k.join("/"))).collect()
    }

    #[test]
    fn rewrites() {
        assert_eq!(alts("/users('{}')/messages"), ["/users/{}/messages"]);
        assert_eq!(alts("/users/{}/drive/items/{}/children"), ["/drives/{}/items/{}/children"]);
        assert_eq!(alts("/sites/{}/drive/root:/{}:/content"), ["/drives/{}/items/{}/content"]);
        assert_eq!(alts("/users/{}/drive/root/children"), ["/drives/{}/root/children", "/drives/{}/items/{}/children"]);
        assert_eq!(alts("/drive/root/content"), ["/drives/{}/root/content"]);
        assert!(alts("/users/{}/drive").is_empty());
        assert!(alts("/reports/getreport(period='{}')").is_empty());
    }
}
