//! The headers of Graph's protocol that the client writes and reads, in one place: the
//! `User-Agent`, the `client-request-id` each call carries (and how new ones are made),
//! Graph's `request-id`, `Retry-After` (and how it is read) and `Retry-Attempt`.
//!
//! A leaf: it uses nothing else of the crate, so that every part of it may use it.

use http::{HeaderMap, HeaderName, HeaderValue};
use std::time::{Duration, SystemTime};

/// `User-Agent` of every request.
pub(crate) const USER_AGENT: &str = concat!("graph-endpoint/", env!("CARGO_PKG_VERSION"));

/// The id this client gives a call, sent with each of its attempts; Graph echoes it.
pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// Graph's id of the request it answered.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");

/// Which resend of a call an attempt is (absent on the first).
pub(crate) const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");

/// `Accept` of every request, and `Content-Type` of JSON bodies.
pub(crate) const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A fresh `client-request-id`: a UUID v4, formatted without an intermediate `String`. Its
/// random bits come from a fast thread-local generator, not the OS: the id correlates logs,
/// it guards nothing, and a system call per request is measurable in bulk work.
pub(crate) fn new_request_id() -> HeaderValue {
    let mut buffer = uuid::Uuid::encode_buffer();
    let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let text = id.hyphenated().encode_lower(&mut buffer);
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("00000000-0000-0000-0000-000000000000"))
}

/// Graph's `request-id` of an answer, if it sent one.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get(REQUEST_ID).and_then(|v| v.to_str().ok())
}

/// How long an answer asks to wait (`Retry-After`), from now.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(http::header::RETRY_AFTER)?.to_str().ok()?, SystemTime::now())
}

/// Reads a `Retry-After` value: seconds (integer or fractional) or an HTTP date (a date in
/// the past means now). A number of seconds too large for a `Duration` (`1e30`, `inf`) is
/// read as the longest `Duration`: beyond every cap, so that the request it answers is not
/// resent, where reading it as no value at all would resend it on normal backoff. `None` for
/// anything else (negative, `NaN`, text).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_nan() || seconds < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_distinct_v4_uuids() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_request_id().to_str().unwrap().to_owned()).collect();
        assert_eq!(ids.len(), 1000);
        for id in ids.iter().take(10) {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 4, "{id}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 2.128 ", now), Some(Duration::from_millis(2128)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(2));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(2)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        for bad in ["", "-1", "soon", "NaN", "-inf"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
        // Too long for a Duration: the longest one, beyond every cap.
        for huge in ["1e30", "inf", "Infinity", "1e300"] {
            assert_eq!(parse_retry_after(huge, now), Some(Duration::MAX), "{huge}");
        }
        assert_eq!(parse_retry_after("1e19", now), Some(Duration::from_secs(10_000_000_000_000_000_000)));
    }
}
