//! Where a client's `Authorization` comes from: nothing, a fixed token (its header built once,
//! when the client is built), or a token provider asked before every attempt.

use crate::auth::{AccessToken, StaticToken, TokenProvider};
use crate::call::Authorize;
use crate::error::Error;
use http::HeaderValue;
use http::header::AUTHORIZATION;
use std::sync::Arc;

/// The token source a builder was given.
pub(super) enum TokenSource {
    None,
    Static(StaticToken),
    Provider(Arc<dyn TokenProvider>),
}

/// A built client's token source.
pub(super) enum Authorization {
    None,
    /// A fixed token's header, built once.
    Header(HeaderValue),
    Provider(Arc<dyn TokenProvider>),
}

impl Authorization {
    pub(super) fn new(source: TokenSource) -> Result<Authorization, Error> {
        Ok(match source {
            TokenSource::None => Authorization::None,
            // A fixed token's header is built once, not per request.
            TokenSource::Static(token) => Authorization::Header(bearer_header(&token.token_now())?),
            TokenSource::Provider(provider) => Authorization::Provider(provider),
        })
    }

    pub(super) fn is_some(&self) -> bool {
        !matches!(self, Authorization::None)
    }
}

impl Authorize for Authorization {
    type Token = AccessToken;

    async fn authorize(&self, request: &mut reqwest::Request) -> Result<Option<AccessToken>, Error> {
        match self {
            Authorization::None => Ok(None),
            Authorization::Header(value) => {
                request.headers_mut().insert(AUTHORIZATION, value.clone());
                Ok(None)
            }
            Authorization::Provider(tokens) => {
                let token = tokens.token().await?;
                request.headers_mut().insert(AUTHORIZATION, bearer_header(&token)?);
                Ok(Some(token))
            }
        }
    }

    async fn replaced(&self, rejected: &AccessToken) -> bool {
        let Authorization::Provider(tokens) = self else { return false };
        tokens.invalidate(rejected);
        matches!(tokens.token().await, Ok(fresh) if fresh != *rejected)
    }
}

/// `Bearer <token>`, marked sensitive so that it is never logged.
fn bearer_header(token: &AccessToken) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.secret()))
        .map_err(|_| Error::auth("the token contains characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}
