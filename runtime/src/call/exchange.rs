//! Sending one call: attempts within the retry policy, a token refresh after a `401`,
//! redirects, one tracing span, and the final answer or error. What is sent again is the
//! outcome table's to say (see `outcome`).

use super::outcome::{self, Attempted, Resend};
use super::redirects::{self, Chain};
use super::transport::{self, Delivery, Failure, Reply};
use super::{Authorize, Caller};
use crate::deadline::within;
use crate::error::{DecodeError, Error, GiveUp};
use crate::headers::{self, CLIENT_REQUEST_ID, RETRY_ATTEMPT, new_request_id};
use crate::pacing::{Feedback, Key, Load};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};
use std::time::Instant;
use tracing::Instrument;

/// What the exchange needs to know of a call besides its request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    /// The path template, for logs: it holds no ids.
    template: &'static str,
    /// Whether an attempt of unknown outcome may be sent again.
    idempotent: bool,
    /// What one attempt asks of the pacer: one request, or the items of a `$batch`.
    load: Load<'a>,
    /// When the call began, if before this request (a `$batch` chunk's follow-up round):
    /// `max_total` counts from then.
    began: Option<tokio::time::Instant>,
}

impl Call<'static> {
    /// One request of an endpoint with this method and template.
    pub(crate) fn one(method: &http::Method, template: &'static str, idempotent: bool) -> Call<'static> {
        Call { template, idempotent, load: Load::One(Key::of(method, template)), began: None }
    }

    /// A GET that is not a declared endpoint (a page of a collection).
    pub(crate) fn page(template: &'static str) -> Call<'static> {
        Call::one(&http::Method::GET, template, true)
    }
}

impl<'a> Call<'a> {
    /// A `$batch` request carrying items with these keys; idempotent when every item is.
    pub(crate) fn batch(keys: &'a [Key], idempotent: bool) -> Call<'a> {
        Call { template: "/$batch", idempotent, load: Load::Items(keys), began: None }
    }

    /// The same call, begun at `began` (its `max_total` counts from then).
    pub(crate) fn began(self, began: tokio::time::Instant) -> Call<'a> {
        Call { began: Some(began), ..self }
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
        Error::decode(status, cause)
            .with_response(status, &self.headers)
            .with_attempts(self.attempts)
            .with_client_request_id(self.client_request_id.to_str().unwrap_or_default())
            .with_may_have_been_applied(self.writes)
    }
}

/// The last answer of the retry loop, with why it was not sent again.
struct Last {
    answer: Reply,
    attempts: u32,
    note: Option<GiveUp>,
}

/// Why an attempt ended without an answer.
enum Attempt {
    /// Nothing left the client, or the answer was final (a refused redirect): never resent.
    Final(Error),
    /// The transport failed.
    Failed(Failure),
}

impl Caller {
    /// Sends a prepared request (adding a `client-request-id` unless it has one) through the
    /// retry policy, inside one tracing span; a non-2xx answer becomes an error.
    pub(crate) async fn exchange<A: Authorize>(&self, auth: &A, mut prepared: reqwest::Request, call: Call<'_>) -> Result<Exchange, Error> {
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
        let outcome = self.send_with_retries(auth, &prepared, call).instrument(span.clone()).await;
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
            let verdict = outcome::judge(Attempted::Answered(status.as_u16()), writes, call.idempotent);
            let mut error = Error::api(status.as_u16(), &body, &headers)
                .with_attempts(attempts)
                .with_client_request_id(id_text)
                .with_may_have_been_applied(verdict.may_have_been_applied);
            if let Some(note) = note {
                error = error.with_give_up(note);
            }
            return Err(error);
        }
        Ok(Exchange { status, headers, body, attempts, client_request_id: id, writes })
    }

    /// Attempts until the outcome table says to stop, or the retry policy does. Every attempt
    /// sends the same bytes and the same `client-request-id`; retries add `Retry-Attempt`.
    async fn send_with_retries<A: Authorize>(&self, auth: &A, prepared: &reqwest::Request, call: Call<'_>) -> Result<Last, (Error, u32)> {
        let policy = &self.retry;
        let method = prepared.method().as_str();
        let write = prepared.method() != reqwest::Method::GET;
        // One place among the calls under way, for the whole call: a throttled call keeps it
        // while it waits, so that the herd does not grow.
        // Every wait and attempt counts against max_total from here: no wait that would end
        // past it is begun, and whatever waits before sending ends there.
        let started = call.began.unwrap_or_else(tokio::time::Instant::now);
        let deadline = started.checked_add(policy.max_total_cap());
        let _permit = within(deadline, self.pacer.enter())
            .await
            .unwrap_or_else(|| Err(out_of_time("a place among the client's max_concurrency calls")))
            .map_err(|error| (error, 0))?;
        let (mut attempts, mut retries, mut failures, mut refreshed) = (0u32, 0u32, 0u32, false);
        loop {
            attempts += 1;
            let (answer, token) = match self.attempt(auth, prepared, retries, call, deadline).await {
                Ok(answered) => answered,
                Err(Attempt::Final(error)) => return Err((error, attempts)),
                Err(Attempt::Failed(failure)) => {
                    self.pacer.report(call.load, Feedback::Failed);
                    let verdict = outcome::judge(Attempted::Failed(failure.delivery), write, call.idempotent);
                    let applied = verdict.may_have_been_applied;
                    match verdict.resend {
                        Resend::Retry | Resend::Throttled => {}
                        Resend::No => return Err((failure.error.with_may_have_been_applied(applied), attempts)),
                        Resend::Unsafe => {
                            tracing::warn!(
                                method,
                                template = call.template,
                                attempt = attempts,
                                reason = failure.reason,
                                "not resent: Graph may have acted on it"
                            );
                            let error = failure.error.with_give_up(GiveUp::MayHaveActed);
                            return Err((error.with_may_have_been_applied(applied), attempts));
                        }
                    }
                    retries += 1;
                    failures += 1;
                    match policy.wait(failures, None, started.elapsed()) {
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
                            continue;
                        }
                        Err(give_up) => {
                            tracing::warn!(method, template = call.template, attempt = attempts, reason = failure.reason, %give_up, "not retrying");
                            return Err((failure.error.with_give_up(give_up).with_may_have_been_applied(applied), attempts));
                        }
                    }
                }
            };
            let status = answer.status.as_u16();
            let verdict = outcome::judge(Attempted::Answered(status), write, call.idempotent);
            // A throttled answer holds back this client's other requests of its kind too
            // (within the caps: a wait beyond them ends this call and holds back nothing).
            let retry_after = match verdict.resend {
                Resend::Throttled | Resend::Retry => headers::retry_after(&answer.headers),
                Resend::No | Resend::Unsafe => None,
            };
            let feedback = match verdict.resend {
                Resend::Throttled => Feedback::Throttled { retry_after },
                _ => Feedback::Answered(status),
            };
            self.pacer.report(call.load, feedback);
            if status == 401
                && !refreshed
                && deadline.is_none_or(|deadline| tokio::time::Instant::now() < deadline)
                && let Some(rejected) = &token
                && auth.replaced(rejected).await
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
            retries += 1;
            let wait = match verdict.resend {
                // Graph has not processed it: resent as long as the total wait allows (the
                // number of retries bounds only the other failures).
                Resend::Throttled => policy.throttled_wait(retries, retry_after, started.elapsed()),
                Resend::Retry => {
                    failures += 1;
                    policy.wait(failures, retry_after, started.elapsed())
                }
                Resend::No | Resend::Unsafe => return Ok(Last { answer, attempts, note: None }),
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
                }
                Err(give_up) => {
                    tracing::warn!(method, template = call.template, attempt = attempts, status, %give_up, "not retrying");
                    return Ok(Last { answer, attempts, note: Some(give_up) });
                }
            }
        }
    }

    /// One attempt: the gate, then the token, then its turn with the pacer (the learned rate
    /// and the rate limit), taken at the moment of sending, then the request and its
    /// redirects. A token that is slow to come delays nothing already counted; a request that
    /// waited for its turn takes the token again (from the cache) so that it never carries
    /// one fetched long before it was sent.
    async fn attempt<A: Authorize>(
        &self,
        auth: &A,
        prepared: &reqwest::Request,
        retries: u32,
        call: Call<'_>,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<(Reply, Option<A::Token>), Attempt> {
        // Every wait before sending ends at the deadline; the moment a rate-limit place is
        // counted is never cut short, so a place is not spent on a request that stays home.
        self.pacer.pass_gate(call.load, deadline).await.map_err(Attempt::Final)?;
        let mut request = transport::copy(prepared).map_err(Attempt::Final)?;
        if retries > 0 {
            request.headers_mut().insert(RETRY_ATTEMPT, HeaderValue::from(retries));
        }
        let mut token = within(deadline, auth.authorize(&mut request))
            .await
            .unwrap_or_else(|| Err(out_of_time("its token")))
            .map_err(Attempt::Final)?;
        if self.pacer.take_turn(call.load, deadline).await.map_err(Attempt::Final)? {
            token = auth.authorize(&mut request).await.map_err(Attempt::Final)?;
        }
        let mut answer = transport::execute(&self.http, request, self.max_response_bytes).await.map_err(Attempt::Failed)?;
        let mut chain = Chain::default();
        // Once a redirect has turned the write into a GET, Graph has received it: whatever
        // follows short of a success is judged so (never resent, may have been applied).
        let after = |chain: &Chain, error: Error, reason| match chain.received_write(prepared) {
            Some(status) => {
                Attempt::Failed(Failure { error: error.with_give_up(GiveUp::Received { status }), delivery: Delivery::Received, reason })
            }
            None => Attempt::Final(error),
        };
        while let Some(location) = redirects::location(&answer) {
            let next = chain
                .follow(auth, prepared, &answer, location, retries)
                .await
                .map_err(|error| after(&chain, error.with_response(answer.status.as_u16(), &answer.headers), "redirect refused"))?;
            answer = match transport::execute(&self.http, next, self.max_response_bytes).await {
                Ok(answer) => answer,
                Err(failure) if chain.received_write(prepared).is_some() => return Err(after(&chain, failure.error, failure.reason)),
                Err(failure) => return Err(Attempt::Failed(failure)),
            };
        }
        if !answer.status.is_success() && chain.received_write(prepared).is_some() {
            let error = Error::api(answer.status.as_u16(), &answer.body, &answer.headers);
            return Err(after(&chain, error, "the GET after a redirect failed"));
        }
        Ok((answer, token))
    }
}

/// A call whose `max_total` ran out while it waited for `what`, before its request left.
fn out_of_time(what: &str) -> Error {
    Error::timeout(format!("the call's max_total ran out while it waited for {what}; not sent"))
}
