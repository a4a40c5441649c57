//! Sending one call to Graph: attempts within the retry policy, a token refresh after a
//! `401`, redirects, one tracing span, and the final answer or error.
//!
//! What is sent again depends on whether Graph may already have acted on the request:
//!
//! | outcome of an attempt | resent |
//! |---|---|
//! | `429`, `503`; connect failure; pooled connection closed before writing | every method |
//! | `504` | every method but `POST` (unless the endpoint is idempotent) |
//! | connection broken after writing; answer timed out; body cut short | `GET`, `PUT`, `PATCH`, `DELETE`, idempotent `POST` |
//! | `401` with a token that the provider then replaces | once, with the new token |
//! | anything else | never |

use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::headers::{self, CLIENT_REQUEST_ID, RETRY_ATTEMPT, new_request_id};
use crate::origin;
use crate::pacing::{Feedback, Key, Load};
use crate::request::endpoint::Endpoint;
use crate::retry;
use crate::transport::{self, Delivery, Failure, Reply};
use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION};
use http::{HeaderMap, HeaderValue, StatusCode};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// Redirects followed within one attempt.
const MAX_REDIRECTS: u32 = 5;

/// What the exchange needs to know of the endpoint besides its request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    /// The path template, for logs: it holds no ids.
    pub(crate) template: &'static str,
    /// Whether an attempt of unknown outcome may be sent again.
    pub(crate) idempotent: bool,
    /// What one attempt asks of the pacer: one request, or the items of a `$batch`.
    pub(crate) load: Load<'a>,
}

impl Call<'static> {
    pub(crate) fn of<E: Endpoint + ?Sized>(endpoint: &E) -> Call<'static> {
        let method = if endpoint.method() == crate::protocol::Method::Get { http::Method::GET } else { http::Method::POST };
        let key = Key::of(&method, endpoint.template());
        Call { template: endpoint.template(), idempotent: endpoint.is_idempotent(), load: Load::One(key) }
    }

    /// A GET that is not a declared endpoint (a page of a collection).
    pub(crate) fn page(template: &'static str) -> Call<'static> {
        Call { template, idempotent: true, load: Load::One(Key::of(&http::Method::GET, template)) }
    }
}

/// The final 2xx answer of a call.
pub(crate) struct Exchange {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
    /// The `client-request-id` that was sent.
    pub(crate) client_request_id: HeaderValue,
    /// The method is not `GET`: a failure to read the answer leaves the outcome unknown.
    pub(crate) writes: bool,
}

impl Exchange {
    /// The body did not decode: keeps the status, the ids and the attempts.
    pub(crate) fn decode_error(&self, cause: DecodeError) -> Error {
        let status = self.status.as_u16();
        Error::decode(status, &self.body, cause)
            .with_response(status, &self.headers)
            .with_attempts(self.attempts)
            .with_client_request_id(self.client_request_id.to_str().unwrap_or_default())
            .with_may_have_been_applied(self.writes)
    }
}

/// The last answer of the retry loop, with why it was not retried further.
struct Last {
    answer: Reply,
    attempts: u32,
    note: Option<retry::GiveUp>,
}

/// Why an attempt ended without an answer.
enum Attempt {
    /// Nothing left the client, or the answer was final (a refused redirect): never resent.
    Final(Error),
    /// The transport failed.
    Failed(Failure),
}

impl Client {
    /// Sends a prepared request (adding a `client-request-id` unless it has one) through the
    /// retry policy, inside one tracing span; a non-2xx answer becomes an error.
    pub(crate) async fn exchange(&self, mut prepared: reqwest::Request, call: Call<'_>) -> Result<Exchange, Error> {
        let id = prepared.headers_mut().entry(CLIENT_REQUEST_ID).or_insert_with(new_request_id).clone();
        let writes = prepared.method() != reqwest::Method::GET;
        // The template, never the filled path: ids can be personal data.
        let span = tracing::info_span!(
            "graph_request",
            method = prepared.method().as_str(),
            template = call.template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let outcome = self.send_with_retries(&prepared, call).instrument(span.clone()).await;
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        let id_text = id.to_str().unwrap_or_default();
        let Last { answer, attempts, note } = match outcome {
            Ok(last) => last,
            Err((error, attempts)) => {
                span.record("attempts", attempts);
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                if let Some(request_id) = error.request_id() {
                    span.record("request_id", request_id);
                }
                return Err(error.with_attempts(attempts).with_client_request_id(id_text));
            }
        };
        let Reply { status, headers, body, .. } = answer;
        span.record("status", status.as_u16());
        span.record("attempts", attempts);
        if let Some(request_id) = headers::request_id(&headers) {
            span.record("request_id", request_id);
        }
        if !status.is_success() {
            let unknown = writes && matches!(status.as_u16(), 500 | 502 | 504);
            let mut error = Error::api(status.as_u16(), &body, &headers)
                .with_attempts(attempts)
                .with_client_request_id(id_text)
                .with_may_have_been_applied(unknown);
            if let Some(note) = note {
                error = error.with_retry_note(note);
            }
            return Err(error);
        }
        Ok(Exchange { status, headers, body, attempts, client_request_id: id, writes })
    }

    /// Attempts until an answer that is not a throttle or a passing outage, or the retry
    /// policy or the resend rules say to stop. Every attempt sends the same bytes and the same
    /// `client-request-id`; retries add `Retry-Attempt`.
    async fn send_with_retries(&self, prepared: &reqwest::Request, call: Call<'_>) -> Result<Last, (Error, u32)> {
        let policy = &self.inner.retry;
        let method = prepared.method().as_str();
        // One place among the calls under way, for the whole call: a throttled call keeps it
        // while it waits, so that the herd does not grow.
        let _permit = self.inner.pacer.enter().await.map_err(|error| (error, 0))?;
        let (mut attempts, mut retries, mut failures, mut waited, mut refreshed) = (0u32, 0u32, 0u32, Duration::ZERO, false);
        loop {
            attempts += 1;
            let (answer, token) = match self.attempt(prepared, retries, call).await {
                Ok(answered) => answered,
                Err(Attempt::Final(error)) => return Err((error, attempts)),
                Err(Attempt::Failed(failure)) => {
                    self.inner.pacer.report(call.load, Feedback::Failed);
                    let unknown = failure.delivery == Delivery::MaybeSent;
                    let applied = unknown && method != "GET";
                    if unknown && !call.idempotent {
                        tracing::warn!(
                            method,
                            template = call.template,
                            attempt = attempts,
                            reason = failure.reason,
                            "not resent: Graph may have acted on it"
                        );
                        let error = failure.error.with_retry_note(
                            "not resent: Graph may have received this POST; if sending it twice is safe, declare it `idempotent`",
                        );
                        return Err((error.with_may_have_been_applied(applied), attempts));
                    }
                    retries += 1;
                    failures += 1;
                    match policy.wait(failures, None, waited) {
                        Ok(wait) => {
                            tracing::warn!(
                                method,
                                template = call.template,
                                attempt = attempts,
                                reason = failure.reason,
                                wait_ms = wait.as_millis() as u64,
                                "retrying"
                            );
                            tokio::time::sleep(wait).await;
                            waited += wait;
                            continue;
                        }
                        Err(give_up) => {
                            tracing::warn!(method, template = call.template, attempt = attempts, reason = failure.reason, %give_up, "not retrying");
                            return Err((failure.error.with_retry_note(give_up).with_may_have_been_applied(applied), attempts));
                        }
                    }
                }
            };
            let status = answer.status.as_u16();
            // Graph has not processed a 429 or a 503: those are resent as long as the total
            // wait allows (the number of retries bounds only the other failures), and hold
            // back this client's other requests of the kind too (within the caps: a wait
            // beyond them ends this call and holds back nothing).
            let throttled = matches!(status, 429 | 503);
            let retry_after = if throttled { headers::retry_after(&answer.headers) } else { None };
            self.inner.pacer.report(call.load, if throttled { Feedback::Throttled { retry_after } } else { Feedback::Answered(status) });
            if status == 401
                && !refreshed
                && let Some(rejected) = &token
                && self.token_changes_after(rejected).await
            {
                refreshed = true;
                tracing::warn!(
                    method,
                    template = call.template,
                    attempt = attempts,
                    status,
                    reason = "token rejected",
                    "retrying once with a new token"
                );
                continue;
            }
            let resend = throttled || (status == 504 && call.idempotent);
            if !resend {
                return Ok(Last { answer, attempts, note: None });
            }
            let retry_after = if throttled { retry_after } else { headers::retry_after(&answer.headers) };
            retries += 1;
            let wait = if throttled {
                policy.throttled_wait(retries, retry_after, waited)
            } else {
                failures += 1;
                policy.wait(failures, retry_after, waited)
            };
            match wait {
                Ok(wait) => {
                    let reason = if retry_after.is_some() { "Retry-After" } else { "backoff" };
                    tracing::warn!(
                        method,
                        template = call.template,
                        attempt = attempts,
                        status,
                        reason,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
                Err(give_up) => {
                    tracing::warn!(method, template = call.template, attempt = attempts, status, %give_up, "not retrying");
                    return Ok(Last { answer, attempts, note: Some(give_up) });
                }
            }
        }
    }

    /// One attempt: its turn under the rate limit, then the token, then the request and its
    /// redirects. The token comes last, so that a request that waited does not carry a token
    /// fetched before it waited.
    async fn attempt(
        &self,
        prepared: &reqwest::Request,
        retries: u32,
        call: Call<'_>,
    ) -> Result<(Reply, Option<crate::auth::AccessToken>), Attempt> {
        self.inner.pacer.admit(call.load).await.map_err(Attempt::Final)?;
        let mut request = copy(prepared).map_err(Attempt::Final)?;
        if retries > 0 {
            request.headers_mut().insert(RETRY_ATTEMPT, HeaderValue::from(retries));
        }
        let token = self.authorize(&mut request).await.map_err(Attempt::Final)?;
        let mut answer = transport::execute(&self.inner.http, request).await.map_err(Attempt::Failed)?;
        let mut hops = 0;
        while let Some(location) = redirect_location(&answer) {
            hops += 1;
            if hops > MAX_REDIRECTS {
                let error = Error::redirect(format!("more than {MAX_REDIRECTS} redirects; stopped"));
                return Err(Attempt::Final(error.with_response(answer.status.as_u16(), &answer.headers)));
            }
            let next = self
                .redirected(prepared, &answer, location, retries)
                .await
                .map_err(|error| Attempt::Final(error.with_response(answer.status.as_u16(), &answer.headers)))?;
            answer = transport::execute(&self.inner.http, next).await.map_err(Attempt::Failed)?;
        }
        Ok((answer, token))
    }

    /// The request a redirect asks for, or why it is not sent. `Authorization` goes only to
    /// the original request's origin; a body never goes to another origin; `https` never
    /// becomes `http`; `Cookie` and `Referer` are never sent.
    async fn redirected(
        &self,
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
        let mut next = copy(prepared)?;
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
            self.authorize(&mut next).await?;
        }
        Ok(next)
    }
}

/// A copy of the prepared request for one attempt (the body is shared, not copied).
fn copy(prepared: &reqwest::Request) -> Result<reqwest::Request, Error> {
    prepared.try_clone().ok_or_else(|| Error::invalid_request("the request body cannot be sent again"))
}

/// The `Location` of a redirect this client follows (301, 302, 303, 307, 308).
fn redirect_location(answer: &Reply) -> Option<&str> {
    if !matches!(answer.status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    answer.headers.get(LOCATION).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(status: u16, from: &str, location: &str) -> Reply {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).unwrap());
        Reply { status: StatusCode::from_u16(status).unwrap(), headers, body: Bytes::new(), url: Some(from.parse().unwrap()) }
    }

    #[tokio::test]
    async fn https_never_becomes_http() {
        let client = Client::builder().bearer_token("t").build().unwrap();
        let prepared = reqwest::Request::new(reqwest::Method::GET, "https://graph.microsoft.com/v1.0/me".parse().unwrap());
        for location in ["http://127.0.0.1:9/v1.0/me", "http://graph.microsoft.com/v1.0/me"] {
            let answer = redirect(302, "https://graph.microsoft.com/v1.0/me", location);
            let error = client.redirected(&prepared, &answer, location, 0).await.unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Redirect);
            assert!(error.message().contains("https to http"), "{error}");
        }
        // Relative locations resolve against the answering URL and keep the token.
        let answer = redirect(302, "https://graph.microsoft.com/v1.0/me", "/v1.0/users/1");
        let next = client.redirected(&prepared, &answer, "/v1.0/users/1", 2).await.unwrap();
        assert_eq!(next.url().as_str(), "https://graph.microsoft.com/v1.0/users/1");
        assert!(next.headers().contains_key(http::header::AUTHORIZATION));
        assert_eq!(next.headers().get(RETRY_ATTEMPT).unwrap(), "2");
    }
}
