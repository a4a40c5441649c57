//! The outcome table: what an attempt came to, for a request of a given kind and idempotence,
//! decides whether it is sent again and whether Graph may have acted on it. Single calls and
//! the items of a `$batch` answer are both judged by it.
//!
//! The rule is whether Graph may already have acted on the request:
//!
//! | outcome of an attempt | sent again | may have been applied |
//! |---|---|---|
//! | `429`, `503` (Graph's contract: not processed) | every method, after `Retry-After`, within the throttled caps | no |
//! | `504` | every method but a non-idempotent `POST`, with backoff | if a write |
//! | `500`, `502` | never | if a write |
//! | any other answer | never | no |
//! | failed before the request was written (connect error, pooled connection found closed) | every method, with backoff | no |
//! | failed after it may have been written (broken connection, timeout, answer cut short) | `GET`, `PUT`, `PATCH`, `DELETE`, idempotent `POST`, with backoff | if a write |
//!
//! A `401` whose token the provider then replaces is sent once more, with the new token: that
//! is the call path's, not an outcome of the request.

use super::transport::Delivery;

/// What an attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempted {
    /// Graph answered with this status.
    Answered(u16),
    /// No answer: the transport failed, before or after the request may have been written.
    Failed(Delivery),
}

/// Whether an attempt is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resend {
    /// No: the answer is final.
    No,
    /// No, although the failure may pass: Graph may have acted on the request, and sending it
    /// twice is not safe (a `POST` not declared idempotent).
    Unsafe,
    /// Yes: Graph has not processed it. After its `Retry-After`, within the throttled caps;
    /// pacing holds back the client's other requests of its kind meanwhile.
    Throttled,
    /// Yes, with backoff, within the retry policy's `max_retries`.
    Retry,
}

/// What the table says of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) resend: Resend,
    /// If it fails for good: whether Graph may have acted on it nevertheless.
    pub(crate) may_have_been_applied: bool,
}

/// Judges an attempt of a request that writes (any method but `GET`) or not, and that may be
/// sent twice or not.
pub(crate) fn judge(attempted: Attempted, write: bool, idempotent: bool) -> Verdict {
    let (resend, unknown) = match attempted {
        Attempted::Answered(429 | 503) => (Resend::Throttled, false),
        Attempted::Answered(504) => (if idempotent { Resend::Retry } else { Resend::No }, true),
        Attempted::Answered(500 | 502) => (Resend::No, true),
        Attempted::Answered(_) => (Resend::No, false),
        Attempted::Failed(Delivery::NotSent) => (Resend::Retry, false),
        Attempted::Failed(Delivery::MaybeSent) => (if idempotent { Resend::Retry } else { Resend::Unsafe }, true),
    };
    Verdict { resend, may_have_been_applied: unknown && write }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table above, row by row, for a `GET`, a `PATCH`, a `POST` and an idempotent `POST`.
    #[test]
    fn the_table() {
        use Resend::*;
        // (write, idempotent): GET, PATCH, POST, idempotent POST.
        let methods = [(false, true), (true, true), (true, false), (true, true)];
        let rows: [(Attempted, [Resend; 4], [bool; 4]); 9] = [
            (Attempted::Answered(429), [Throttled; 4], [false; 4]),
            (Attempted::Answered(503), [Throttled; 4], [false; 4]),
            (Attempted::Answered(504), [Retry, Retry, No, Retry], [false, true, true, true]),
            (Attempted::Answered(500), [No; 4], [false, true, true, true]),
            (Attempted::Answered(502), [No; 4], [false, true, true, true]),
            (Attempted::Answered(200), [No; 4], [false; 4]),
            (Attempted::Answered(404), [No; 4], [false; 4]),
            (Attempted::Failed(Delivery::NotSent), [Retry; 4], [false; 4]),
            (Attempted::Failed(Delivery::MaybeSent), [Retry, Retry, Unsafe, Retry], [false, true, true, true]),
        ];
        for (attempted, resends, applied) in rows {
            for (i, (write, idempotent)) in methods.into_iter().enumerate() {
                let verdict = judge(attempted, write, idempotent);
                assert_eq!(verdict, Verdict { resend: resends[i], may_have_been_applied: applied[i] }, "{attempted:?}, method {i}");
            }
        }
    }
}
