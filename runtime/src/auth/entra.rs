//! Sending a token request and reading the answer, for every credential: an HTTP client with
//! bounded connect and total times that follows no redirects, Entra's error JSON turned into
//! an error with the `AADSTS` code, and lifetimes read from numbers or strings.

use super::AccessToken;
use crate::call::http_builder;
use crate::call::read::{self, Unread};
use crate::error::{Error, clean};
use serde::Deserialize;
use serde_json::Value;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};
use url::Url;

/// Connecting to a token endpoint may take at most this long (within the request's timeout).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The most bytes read of a token endpoint's answer: a token answer is a few KiB.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

/// The client assertion type of a signed JWT (certificates, federated tokens).
pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The client credentials form with a client assertion instead of a secret.
pub(crate) fn assertion_form(client_id: &str, scope: &str, assertion: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_id", client_id)
        .append_pair("client_assertion_type", JWT_BEARER)
        .append_pair("client_assertion", assertion)
        .append_pair("scope", scope)
        .finish()
}

/// The HTTP client of one credential, built on first use. Not shared between credentials:
/// a pooled connection belongs to the async runtime that opened it.
#[derive(Clone, Default)]
pub(crate) struct TokenHttp {
    client: OnceLock<reqwest::Client>,
    /// Never through a proxy (managed identity endpoints are local to the host).
    direct: bool,
}

impl std::fmt::Debug for TokenHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHttp")
    }
}

impl TokenHttp {
    /// A client that ignores proxy settings: the endpoint is on the host itself.
    pub(crate) fn direct() -> Self {
        TokenHttp { client: OnceLock::new(), direct: true }
    }

    fn client(&self) -> Result<&reqwest::Client, Error> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        // No redirects (one would carry the secret), no Referer, no decompression.
        let mut builder = http_builder()?.connect_timeout(CONNECT_TIMEOUT);
        if self.direct {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| Error::config("the HTTP client for token requests could not be built").with_source(e))?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Sends `request` (built on this client) within `timeout` and reads a token answer.
    async fn send(&self, request: reqwest::RequestBuilder, url: &Url, timeout: Duration) -> Result<AccessToken, TokenRequestError> {
        let endpoint = endpoint_name(url);
        let failed = |error| TokenRequestError { error, status: None, not_json: false };
        let mut response = request.timeout(timeout).send().await.map_err(|e| failed(transport_error(e, &endpoint, timeout)))?;
        let status = response.status();
        let body = read::body(&mut response, MAX_ANSWER_BYTES).await.map_err(|unread| match unread {
            Unread::Failed(e) => failed(transport_error(e, &endpoint, timeout)),
            Unread::TooLong => failed(Error::limit(format!(
                "the token endpoint {endpoint} answered {status} with more than {MAX_ANSWER_BYTES} bytes; it was not read further"
            ))),
        })?;
        let not_json = || serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err();
        if !status.is_success() {
            return Err(TokenRequestError {
                error: token_error(status.as_u16(), &body),
                status: Some(status.as_u16()),
                not_json: not_json(),
            });
        }
        read_token(&body).map_err(|problem| TokenRequestError {
            error: Error::auth(format!("the token endpoint {endpoint} answered {status} but {problem}")),
            status: Some(status.as_u16()),
            not_json: not_json(),
        })
    }

    /// A form POST to a token endpoint.
    pub(crate) async fn post_form(&self, url: &Url, form: String, timeout: Duration) -> Result<AccessToken, Error> {
        let request = self
            .client()?
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form);
        self.send(request, url, timeout).await.map_err(|failure| failure.error)
    }

    /// A GET (managed identity endpoints), with extra headers; a failure keeps the status the
    /// endpoint answered with.
    pub(crate) async fn get(&self, url: &Url, headers: &[(&str, &str)], timeout: Duration) -> Result<AccessToken, TokenRequestError> {
        let client = self.client().map_err(|error| TokenRequestError { error, status: None, not_json: false })?;
        let mut request = client.get(url.clone()).header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request, url, timeout).await
    }
}

/// A token request that gave no token: why, and the status when the endpoint answered.
#[derive(Debug)]
pub(crate) struct TokenRequestError {
    pub(crate) error: Error,
    pub(crate) status: Option<u16>,
    /// The endpoint answered, and not with JSON: whatever answered is no token endpoint of
    /// Azure's (another cloud's metadata service, a captive proxy's page).
    pub(crate) not_json: bool,
}

/// `https://login.microsoftonline.com/contoso/oauth2/v2.0/token` without its query: safe to
/// show.
fn endpoint_name(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.to_string()
}

fn transport_error(error: reqwest::Error, endpoint: &str, timeout: Duration) -> Error {
    let error = error.without_url();
    if error.is_timeout() {
        Error::timeout(format!("the token request to {endpoint} took longer than {:.1} s", timeout.as_secs_f64())).with_source(error)
    } else {
        Error::auth(format!("the token request to {endpoint} failed")).with_source(error)
    }
}

/// A token answer: `access_token` with `expires_in` (seconds from now) or `expires_on`
/// (seconds since the epoch), each a number or a string.
fn read_token(body: &[u8]) -> Result<AccessToken, String> {
    let answer: Value = serde_json::from_slice(body).map_err(|e| format!("its body is not JSON: {e}"))?;
    let Some(secret) = answer.get("access_token").or_else(|| answer.get("accessToken")).and_then(Value::as_str) else {
        return Err("its body has no `access_token`".to_owned());
    };
    if secret.is_empty() {
        return Err("its `access_token` is empty".to_owned());
    }
    let expires_at = match (answer.get("expires_in").and_then(seconds), answer.get("expires_on").and_then(seconds)) {
        (Some(lifetime), _) => Some(SystemTime::now().checked_add(Duration::try_from_secs_f64(lifetime).unwrap_or(Duration::MAX))),
        (None, Some(at)) => Some(SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(at).unwrap_or(Duration::MAX))),
        (None, None) => None,
    };
    // An absurd expiry overflows to `None`: unknown, which the cache bounds.
    Ok(AccessToken::new(secret).with_expires_at(expires_at.flatten()))
}

/// A count of seconds as a number or a numeric string; negative counts as zero.
pub(crate) fn seconds(value: &Value) -> Option<f64> {
    let n = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n.max(0.0))
}

#[derive(Deserialize)]
struct TokenError {
    error: Option<String>,
    error_description: Option<String>,
    #[serde(default)]
    error_codes: Vec<u64>,
}

/// `invalid_client: AADSTS7000215: Invalid client secret provided. ...` on one line, with the
/// `AADSTS` code as the error's code.
pub(crate) fn token_error(status: u16, body: &[u8]) -> Error {
    // Entra's text is shown on one line, without control characters or terminal escapes, and
    // bounded: a proxy's error page or a hostile endpoint must not write into the app's logs.
    match serde_json::from_slice::<TokenError>(body) {
        Ok(TokenError { error: Some(error), error_description, error_codes }) => {
            let (error, description) = (clean(&error, 128), clean(&error_description.unwrap_or_default(), DESCRIPTION_LIMIT));
            let code = aadsts_code(&description).or_else(|| error_codes.first().map(|c| format!("AADSTS{c}"))).unwrap_or(error.clone());
            Error::auth(format!("the token endpoint refused the request ({status}): {error}: {description}")).with_code(code)
        }
        _ => Error::auth(format!(
            "the token endpoint answered {status}: {}",
            clean(&String::from_utf8_lossy(&body[..body.len().min(SNIPPET_BYTES)]), SNIPPET_BYTES)
        )),
    }
}

/// How much of Entra's `error_description` an error keeps (its trace and correlation ids fit).
const DESCRIPTION_LIMIT: usize = 1_024;
/// How much of a token answer that is not Entra's JSON an error keeps.
const SNIPPET_BYTES: usize = 200;

/// The first `AADSTS` followed by digits in `text`.
fn aadsts_code(text: &str) -> Option<String> {
    let start = text.find("AADSTS")?;
    let digits = text[start + 6..].bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0).then(|| text[start..start + 6 + digits].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_errors_become_one_line_with_their_code() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: abc\r\nCorrelation ID: def","error_codes":[7000215]}"#;
        let error = token_error(401, body);
        assert_eq!(error.code(), Some("AADSTS7000215"));
        assert_eq!(
            error.message(),
            "the token endpoint refused the request (401): invalid_client: AADSTS7000215: Invalid client secret provided. Trace ID: abc Correlation ID: def"
        );
        let error = token_error(400, br#"{"error":"invalid_scope","error_codes":[70011]}"#);
        assert_eq!(error.code(), Some("AADSTS70011"));
        assert_eq!(token_error(400, br#"{"error":"invalid_grant"}"#).code(), Some("invalid_grant"));
        assert_eq!(token_error(502, b"<html>\n bad gateway</html>").code(), None);
    }

    #[test]
    fn token_errors_carry_no_control_characters_or_escapes() {
        let body = b"{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: bad\\u001b[31m red\\r\\nInjected: line\"}";
        let error = token_error(401, body);
        assert_eq!(error.message(), "the token endpoint refused the request (401): invalid_client: AADSTS7000215: bad red Injected: line");
        let error = token_error(502, b"<html>\x1b]0;title\x07\r\nproxy \x1b[2Jerror</html>");
        assert!(!error.message().chars().any(char::is_control), "{:?}", error.message());
    }

    #[test]
    fn lifetimes_as_numbers_or_strings() {
        let in_an_hour = |body: &str| {
            let token = read_token(body.as_bytes()).unwrap();
            let left = token.expires_at().unwrap().duration_since(SystemTime::now()).unwrap();
            assert!(left > Duration::from_secs(3590) && left <= Duration::from_secs(3600), "{body}: {left:?}");
        };
        in_an_hour(r#"{"access_token":"t","expires_in":3600}"#);
        in_an_hour(r#"{"access_token":"t","expires_in":"3600"}"#);
        let on = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() + 3600;
        in_an_hour(&format!(r#"{{"access_token":"t","expires_on":"{on}"}}"#));
        in_an_hour(&format!(r#"{{"access_token":"t","expires_on":{on}}}"#));
        for odd in [r#""expires_in":-5"#, r#""expires_in":0"#, r#""expires_in":1e300"#, r#""expires_in":"soon""#, r#""x":1"#] {
            let token = read_token(format!(r#"{{"access_token":"t",{odd}}}"#).as_bytes()).unwrap();
            assert_eq!(token.secret(), "t", "{odd}");
        }
        assert!(read_token(br#"{"token_type":"Bearer"}"#).is_err());
        assert!(read_token(br#"{"access_token":""}"#).is_err());
        assert!(read_token(b"<html>").is_err());
    }
}
