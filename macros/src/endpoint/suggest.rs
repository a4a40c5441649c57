//! "Did you mean": the closest of a few names, when it is close enough to be a typo.

use graph_endpoint_template::edit_distance;

/// The closest candidate, if it is close enough to be a likely typo.
pub fn did_you_mean<I, S>(wanted: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let limit = (wanted.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wanted.to_lowercase(), &c.as_ref().to_lowercase()), c.as_ref().to_owned()))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("device_configuration_id", ["device_configuraton_id", "body"]).as_deref(), Some("device_configuraton_id"));
        assert_eq!(did_you_mean("user_id", ["body", "filter"]), None);
    }
}
