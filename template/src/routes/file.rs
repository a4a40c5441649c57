//! Route files: the text form of route lists, as Graph's SDK route lists and
//! `graph-endpoint-gen routes` write them.
//!
//! One route a line, tab-separated: `METHOD<TAB>/template`, optionally a third column
//! `v1.0` or `beta` (without it the route is in both versions) and further columns, which are
//! ignored; a line without tabs may use spaces (`GET /users/{id} beta`). Empty lines, lines starting with `#`, and a header line starting with
//! `method<TAB>` are skipped.

use super::{IndexBuilder, Method, RouteIndex, Version};

impl RouteIndex {
    /// Reads a route file (the format its module documents) into an index, or says which lines are
    /// wrong (at most ten, with their line numbers).
    pub fn from_route_file(text: &str, source: &str) -> Result<RouteIndex, Vec<String>> {
        let mut builder = IndexBuilder::new();
        builder.source(source);
        let mut problems = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if let Err(problem) = add_line(&mut builder, line) {
                problems.push(format!("line {}: {problem}", number + 1));
            }
        }
        if problems.is_empty() {
            Ok(builder.finish())
        } else {
            problems.truncate(10);
            Err(problems)
        }
    }
}

fn add_line(builder: &mut IndexBuilder, line: &str) -> Result<(), String> {
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() || line.starts_with('#') || line.to_ascii_lowercase().starts_with("method\t") {
        return Ok(());
    }
    // Tab-separated; a line without tabs may separate its columns with spaces
    // (`GET /users/{id}`, as Graph's reference pages write a request line).
    let mut columns: Box<dyn Iterator<Item = &str>> =
        if line.contains('\t') { Box::new(line.split('\t')) } else { Box::new(line.split_whitespace()) };
    let method = columns.next().unwrap_or_default().trim();
    let method = Method::from_name(method).ok_or_else(|| format!("unknown method `{method}`"))?;
    let template = columns.next().map(str::trim).ok_or("no template after the method")?;
    let version = match columns.next().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(Version::from_name(name).ok_or_else(|| format!("unknown version `{name}` (v1.0 or beta)"))?),
    };
    builder.add(version, method, template)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn lines_columns_and_comments() {
        let text = "# from beta.csdl\nmethod\ttemplate\nGET\t/users/{user-id}\tbeta\npatch\t/users/{user-id}\n\nDELETE\t/groups/{id}\tv1.0\tignored\r\n";
        let index = RouteIndex::from_route_file(text, "test file").unwrap();
        assert_eq!(index.sources(), "test file");
        let user = parse("/users/{id}").unwrap();
        assert!(index.check(Method::Get, &user, Some(Version::Beta)).is_none());
        assert!(index.check(Method::Get, &user, Some(Version::V1)).is_some());
        assert!(index.check(Method::Patch, &user, Some(Version::V1)).is_none());
        assert!(index.check(Method::Patch, &parse("/me").unwrap(), Some(Version::Beta)).is_none());
        assert!(index.check(Method::Delete, &parse("/groups/{g}").unwrap(), None).is_none());
        // Request lines as a page writes them, columns apart by spaces.
        let index = RouteIndex::from_route_file("PATCH /deviceManagement/deviceConfigurations/{id}/assignments beta\n", "x").unwrap();
        let template = parse("/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments").unwrap();
        assert!(index.check(Method::Patch, &template, Some(Version::Beta)).is_none());
    }

    #[test]
    fn wrong_lines_are_named() {
        let problems = RouteIndex::from_route_file("GET\t/a\nFETCH\t/b\nGET\nGET\tc\nGET\t/d\tv2\nGET\t/e//f", "x").unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].starts_with("line 2: unknown method `FETCH`"), "{problems:?}");
        assert!(problems[1].starts_with("line 3: no template"), "{problems:?}");
        assert!(problems[2].starts_with("line 4: `c` does not start"), "{problems:?}");
        assert!(problems[3].contains("unknown version `v2`"), "{problems:?}");
        assert!(problems[4].contains("empty segment"), "{problems:?}");
    }
}
