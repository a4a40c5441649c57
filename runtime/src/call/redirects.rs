//! Redirects: at most [`MAX_REDIRECTS`] within one attempt. `Authorization` goes only to the
//! original request's origin, and only while the chain has not left it: once a hop went to
//! another origin, no later hop carries the token, even one that comes back (a third party
//! chose its path), and a write sent back that way is refused. A body never goes to another
//! origin; `https` never becomes `http`; `Cookie` and `Referer` are never sent; after a `303`
//! (or a `301`/`302` that turns a `POST` into a `GET`) every later hop is a `GET`, and the
//! original is not sent again: the outcome table judges what follows as received.

use super::Authorize;
use super::origin;
use super::transport::{self, Reply};
use crate::error::Error;
use crate::headers::RETRY_ATTEMPT;
use http::HeaderValue;
use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION};

/// Redirects followed within one attempt.
pub(super) const MAX_REDIRECTS: u32 = 5;

/// The `Location` of a redirect this client follows (301, 302, 303, 307, 308).
pub(super) fn location(answer: &Reply) -> Option<&str> {
    if !matches!(answer.status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    answer.headers.get(LOCATION).and_then(|v| v.to_str().ok())
}

/// What the redirects of one attempt have done so far: each hop is judged against the
/// original request and against the hops before it, never against the last hop alone.
#[derive(Debug, Default)]
pub(super) struct Chain {
    hops: u32,
    /// A hop went to another origin than the original request's: no later hop carries
    /// `Authorization`, even one back at the original origin.
    left_origin: bool,
    /// The status of the redirect that turned the request into a `GET` (`303`, or
    /// `301`/`302` after a `POST`): every later hop is a `GET` too.
    to_get: Option<u16>,
}

impl Chain {
    /// The request the redirect `answer` asks for, or why it is not sent; `retries` is the
    /// attempt's `Retry-Attempt`.
    pub(super) async fn follow<A: Authorize>(
        &mut self,
        auth: &A,
        prepared: &reqwest::Request,
        answer: &Reply,
        location: &str,
        retries: u32,
    ) -> Result<reqwest::Request, Error> {
        self.hops += 1;
        if self.hops > MAX_REDIRECTS {
            return Err(Error::redirect(format!("more than {MAX_REDIRECTS} redirects; stopped")));
        }
        let from = answer.url.as_ref().unwrap_or(prepared.url());
        let target = from.join(location).map_err(|e| Error::redirect(format!("the redirect's Location is not a URL ({e})")))?;
        if from.scheme() == "https" && target.scheme() != "https" {
            return Err(Error::redirect("refused a redirect from https to http"));
        }
        origin::check_secure(&target, "the redirect target").map_err(|e| Error::redirect(e.message().to_owned()))?;
        let same_origin = origin::same_origin(prepared.url(), &target);
        let mut next = transport::copy(prepared)?;
        let status = answer.status.as_u16();
        if status == 303 || (matches!(status, 301 | 302) && next.method() == reqwest::Method::POST) {
            self.to_get.get_or_insert(status);
        }
        if self.to_get.is_some() {
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
        let back_after_leaving = same_origin && self.left_origin;
        if back_after_leaving && !matches!(*next.method(), reqwest::Method::GET | reqwest::Method::HEAD) {
            // Another origin chose where this write goes on Graph's: even without the token,
            // it is not sent (Graph may accept it by other means, such as a cookie or a
            // client certificate of the HTTP client's, and its path is not the caller's).
            return Err(Error::redirect(format!(
                "another origin redirected this {} back to the base URL; refused, and nothing was sent: its target was not chosen by the caller",
                next.method()
            )));
        }
        self.left_origin |= !same_origin;
        *next.url_mut() = target;
        next.headers_mut().remove(COOKIE);
        if retries > 0 {
            next.headers_mut().insert(RETRY_ATTEMPT, HeaderValue::from(retries));
        }
        if same_origin && !self.left_origin {
            auth.authorize(&mut next).await?;
        } else {
            // Not even an `Authorization` the endpoint set itself.
            next.headers_mut().remove(AUTHORIZATION);
        }
        Ok(next)
    }

    /// When a redirect turned a write into a `GET`: its status. Graph has received the write,
    /// which is then never sent again.
    pub(super) fn received_write(&self, prepared: &reqwest::Request) -> Option<u16> {
        self.to_get.filter(|_| prepared.method() != reqwest::Method::GET)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
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
            let error = Chain::default().follow(&Fixed, &prepared, &answer, location, 0).await.unwrap_err();
            assert_eq!(error.kind(), crate::error::ErrorKind::Redirect);
            assert!(error.message().contains("https to http"), "{error}");
        }
        // Relative locations resolve against the answering URL and keep the token.
        let answer = redirect(302, "https://graph.microsoft.com/v1.0/me", "/v1.0/users/1");
        let next = Chain::default().follow(&Fixed, &prepared, &answer, "/v1.0/users/1", 2).await.unwrap();
        assert_eq!(next.url().as_str(), "https://graph.microsoft.com/v1.0/users/1");
        assert!(next.headers().contains_key(AUTHORIZATION));
        assert_eq!(next.headers().get(RETRY_ATTEMPT).unwrap(), "2");
    }

    /// Graph redirects to another origin, which sends the request back to Graph on a path of
    /// its choosing: the hop back carries no token, and a write is refused.
    #[tokio::test]
    async fn a_chain_that_left_the_origin_never_gets_the_token_back() {
        let graph = "https://graph.microsoft.com/v1.0/me";
        for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
            let prepared = reqwest::Request::new(method.clone(), graph.parse().unwrap());
            let mut chain = Chain::default();
            let away =
                chain.follow(&Fixed, &prepared, &redirect(307, graph, "https://b.example/x"), "https://b.example/x", 0).await.unwrap();
            assert!(!away.headers().contains_key(AUTHORIZATION));
            let victim = "https://graph.microsoft.com/v1.0/users/victim";
            let back = chain.follow(&Fixed, &prepared, &redirect(307, "https://b.example/x", victim), victim, 0).await;
            if method == reqwest::Method::GET {
                let back = back.unwrap();
                assert_eq!(back.url().as_str(), victim);
                assert!(!back.headers().contains_key(AUTHORIZATION), "the token went back on a path a third party chose");
            } else {
                let error = back.unwrap_err();
                assert_eq!(error.kind(), crate::error::ErrorKind::Redirect);
                assert!(error.message().contains("back to the base URL"), "{error}");
            }
        }
    }

    /// After a `303` every later hop stays a bodiless `GET`, a `307` included, and the chain
    /// says Graph received the write.
    #[tokio::test]
    async fn once_a_get_always_a_get() {
        let url = "https://graph.microsoft.com/v1.0/me/sendMail";
        let mut prepared = reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap());
        *prepared.body_mut() = Some(reqwest::Body::from("{}"));
        let mut chain = Chain::default();
        assert_eq!(chain.received_write(&prepared), None);
        let first = chain.follow(&Fixed, &prepared, &redirect(303, url, "/v1.0/a"), "/v1.0/a", 0).await.unwrap();
        let second =
            chain.follow(&Fixed, &prepared, &redirect(307, "https://graph.microsoft.com/v1.0/a", "/v1.0/b"), "/v1.0/b", 0).await.unwrap();
        for hop in [first, second] {
            assert_eq!(hop.method(), reqwest::Method::GET);
            assert!(hop.body().is_none());
        }
        assert_eq!(chain.received_write(&prepared), Some(303));
    }
}
