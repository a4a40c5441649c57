//! What a [`RequestBuilder`](crate::request::RequestBuilder) adds to an endpoint's own
//! request: OData system query options and extra headers.

use super::encode::QueryWriter;
use crate::error::Error;
use http::{HeaderMap, HeaderName, HeaderValue};

const CONSISTENCY_LEVEL: HeaderName = HeaderName::from_static("consistencylevel");

/// What a request builder adds to the endpoint's own request.
#[derive(Default, Debug)]
pub(crate) struct Options {
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: HeaderMap,
    /// A header that could not be built, reported when the request is sent.
    pub(crate) invalid: Option<String>,
}

impl Options {
    /// Appends the options after the endpoint's own pairs; a key both set is an error.
    pub(crate) fn write_query(&self, query: &mut QueryWriter<'_>) -> Result<(), Error> {
        for (key, value) in &self.query {
            if query.keys().any(|k| k.eq_ignore_ascii_case(key)) {
                return Err(Error::invalid_request(format!(
                    "`{key}` is set twice: by a field of the endpoint and by the request builder; keep one"
                )));
            }
            query.pair(key, value);
        }
        Ok(())
    }

    /// Adds the builder's headers after the endpoint's, and `ConsistencyLevel: eventual` for
    /// `$search` and `$count` unless it is already set.
    pub(crate) fn write_headers(&self, headers: &mut HeaderMap) -> Result<(), Error> {
        if let Some(invalid) = &self.invalid {
            return Err(Error::invalid_request(invalid.clone()));
        }
        for (name, value) in &self.headers {
            if headers.contains_key(name) {
                return Err(Error::invalid_request(format!(
                    "the header `{name}` is set twice: by a field of the endpoint and by the request builder; keep one"
                )));
            }
            headers.insert(name.clone(), value.clone());
        }
        let advanced = self.query.iter().any(|(key, value)| *key == "$search" || (*key == "$count" && value == "true"));
        if advanced && !headers.contains_key(CONSISTENCY_LEVEL) {
            headers.insert(CONSISTENCY_LEVEL, HeaderValue::from_static("eventual"));
        }
        Ok(())
    }
}
