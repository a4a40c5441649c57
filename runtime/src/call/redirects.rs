//! Redirects: at most [`MAX_REDIRECTS`] within one attempt. `Authorization` goes only to the
//! original request's origin; a body never goes to another origin; `https` never becomes
//! `http`; `Cookie` and `Referer` are never sent; after a `303` (or a `301`/`302` that turns a
//! `POST` into a `GET`) the original is not sent again.

use super::Authorize;
use super::origin;
use super::transport::{self, Reply};
use crate::error::Error;
use crate::headers::RETRY_ATTEMPT;
use http::HeaderValue;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION};

/// Redirects followed within one attempt.
pub(super) const MAX_REDIRECTS: u32 = 5;

/// The `Location` of a redirect this client follows (301, 302, 303, 307, 308).
pub(super) fn location(answer: &Reply) -> Option<&str> {
    if !matches!(answer.status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    answer.headers.get(LOCATION).and_then(|v| v.to_str().ok())
}

/// The request a redirect asks for, or why it is not sent; `retries` is the attempt's
/// `Retry-Attempt`.
pub(super) async fn redirected<A: Authorize>(
    auth: &A,
    prepared: &reqwest::Request,
    answer: &Reply,
    location: &str,
    retries: u32,
) -> Result<reqwest::Request, Error> {
    let from = answer.url.as_ref().unwrap_or(prepared.url());
    let target = from.join(location).map_err(|e| Error::redirect(format!("the redirect's Location is not a URL ({e})")))?;
    if from.scheme() == "https" && target.scheme() != "https" {
        return Err(Error::redirect("refused a redirect from https to http"));
    }
    origin::check_secure(&target, "the redirect target").map_err(|e| Error::redirect(e.message().to_owned()))?;
    let same_origin = origin::same_origin(prepared.url(), &target);
    let mut next = transport::copy(prepared)?;
    let status = answer.status.as_u16();
    let to_get = status == 303 || (matches!(status, 301 | 302) && next.method() == reqwest::Method::POST);
    if to_get {
        *next.method_mut() = reqwest::Method::GET;
        *next.body_mut() = None;
        next.headers_mut().remove(CONTENT_TYPE);
        next.headers_mut().remove(CONTENT_LENGTH);
    } else if !same_origin && next.body().is_some_and(|body| body.as_bytes().is_none_or(|bytes| !bytes.is_empty())) {
        return Err(Error::redirect(format!(
            "Graph answered {status} to {}://{}; not followed, so the request body was not sent to another origin",
            target.scheme(),
            target.host_str().unwrap_or_default()
        )));
    }
    *next.url_mut() = target;
    next.headers_mut().remove(COOKIE);
    if retries > 0 {
        next.headers_mut().insert(RETRY_ATTEMPT, HeaderValue::from(retries));
    }
    if same_origin {
        auth.authorize(&mut next).await?;
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::header::AUTHORIZATION;
    use http::{HeaderMap, StatusCode};

    /// A fixed token, as a client with `bearer_token("t")` has.
    struct Fixed;

    impl Authorize for Fixed {
        type Token = ();

        async fn authorize(&self, request: &mut reqwest::Request) -> Result<Option<()>, Error> {
            request.headers_mut().insert(AUTHORIZATION, HeaderValue::from_static("Bearer t"));
            Ok(None)
        }

        async fn replaced(&self, _: &()) -> bool {
            false
        }
    }

    fn redirect(status: u16, from: &str, location: &str) -> Reply {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).unwrap());
        Reply { status: StatusCode::from_u16(status).unwrap(), headers, body: Bytes::new(), url: Some(from.parse().unwrap()) }
    }

    #[tokio::test]
    async fn https_never_becomes_http() {
        let prepared = reqwest::Request::new(reqwest::Method::GET, "https://graph.microsoft.com/v1.0/me".parse().unwrap());
        for location in ["http://127.0.0.1:9/v1.0/me", "http://graph.microsoft.com/v1.0/me"] {
            let answer = redirect(302, "https://graph.microsoft.com/v1.0/me", location);
            let error = redirected(&Fixed, &prepared, &answer, location, 0).await.unwrap_err();
            assert_eq!(error.kind(), crate::error::ErrorKind::Redirect);
            assert!(error.message().contains("https to http"), "{error}");
        }
        // Relative locations resolve against the answering URL and keep the token.
        let answer = redirect(302, "https://graph.microsoft.com/v1.0/me", "/v1.0/users/1");
        let next = redirected(&Fixed, &prepared, &answer, "/v1.0/users/1", 2).await.unwrap();
        assert_eq!(next.url().as_str(), "https://graph.microsoft.com/v1.0/users/1");
        assert!(next.headers().contains_key(AUTHORIZATION));
        assert_eq!(next.headers().get(RETRY_ATTEMPT).unwrap(), "2");
    }
}
