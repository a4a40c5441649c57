//! "Did you mean": the closest of a few names, when it is close enough to be a typo.

/// The closest candidate, if it is close enough to be a likely typo.
pub fn did_you_mean<I, S>(wanted: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let limit = (wanted.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(&wanted.to_lowercase(), &c.as_ref().to_lowercase()), c.as_ref().to_owned()))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars (names are short).
fn distance(a: &str, b: &str) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("device_configuration_id", ["device_configuraton_id", "body"]).as_deref(), Some("device_configuraton_id"));
        assert_eq!(did_you_mean("user_id", ["body", "filter"]), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
