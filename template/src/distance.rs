//! How far apart two spellings are: for "did you mean" in the attribute's messages and in
//! the route index's nearest routes.

/// The Levenshtein distance between `a` and `b`, over characters: the fewest insertions,
/// deletions and substitutions that turn one into the other.
///
/// ```
/// assert_eq!(graph_endpoint_template::edit_distance("kitten", "sitting"), 3);
/// assert_eq!(graph_endpoint_template::edit_distance("deviceConfigurtions", "deviceConfigurations"), 1);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}
