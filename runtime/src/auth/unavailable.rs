//! A credential that cannot be used where the program runs (nothing configured for it, nothing
//! listening, no program installed), as opposed to one that was tried and failed.
//! [`DefaultCredential`](super::DefaultCredential) passes over the first kind only, as the
//! Azure SDKs' chains pass over `CredentialUnavailable` errors and stop at any other.
//!
//! The mark is the error's source, of a type of its own: the chain tells the two kinds apart by
//! type, never by message text, and the mark survives the token cache's shared results.

use crate::error::Error;
use std::fmt;

/// The source of an error whose credential is unavailable here; its own source is the cause,
/// when there is one.
#[derive(Debug)]
struct Unavailable(Option<Box<dyn std::error::Error + Send + Sync>>);

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the credential is not available here")
    }
}

impl std::error::Error for Unavailable {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.as_deref().map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

/// Marks `error` (which must have no source of its own) as saying its credential is
/// unavailable here.
pub(crate) fn unavailable(error: Error) -> Error {
    error.with_source(Unavailable(None))
}

/// Marks `error` as saying its credential is unavailable here, because of `cause`.
pub(crate) fn unavailable_because(error: Error, cause: impl std::error::Error + Send + Sync + 'static) -> Error {
    error.with_source(Unavailable(Some(Box::new(cause))))
}

/// Whether `error` says its credential is unavailable here (rather than that it failed).
pub(crate) fn is_unavailable(error: &Error) -> bool {
    std::error::Error::source(error).is_some_and(|source| source.is::<Unavailable>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_is_found_by_type_and_keeps_the_cause() {
        assert!(!is_unavailable(&Error::auth("refused")));
        assert!(!is_unavailable(&Error::auth("refused").with_source(std::io::Error::other("x"))));
        assert!(is_unavailable(&unavailable(Error::config("AZURE_CLIENT_ID is not set"))));
        let cause = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = unavailable_because(Error::auth("az was not found"), cause);
        assert!(is_unavailable(&error.clone()), "clones keep the mark");
        let mark = std::error::Error::source(&error).unwrap();
        assert_eq!(mark.source().unwrap().to_string(), "no such file");
    }
}
