//! Fetching a metadata document over HTTPS (plain HTTP only from this machine's loopback).
//!
//! reqwest, with the runtime crate's features (rustls), on a current-thread tokio runtime: the
//! same HTTP stack the workspace builds already, and no second one for a single GET.

use reqwest::Url;
use std::time::Duration;

/// Whether metadata may be read from `url`: `https://` anywhere, `http://` only from a loopback
/// address (a test server), nothing else.
pub fn allowed(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!("`{url}`: plain `http://` is only for this machine's loopback address; use `https://`")),
        other => Err(format!("`{url}`: `{other}://` is no way to read metadata; give an `https://` URL or a file")),
    }
}

/// `127.0.0.0/8`, `::1` or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// GETs `url` and returns the body of a successful answer. Redirects are followed only to
/// URLs that [`allowed`] accepts; a stalled connection ends after a minute without data.
pub fn download(url: &Url) -> Result<Vec<u8>, String> {
    allowed(url)?;
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    runtime.block_on(get(url))
}

async fn get(url: &Url) -> Result<Vec<u8>, String> {
    let redirects = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 10 {
            return attempt.error("more than 10 redirects");
        }
        match allowed(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(why) => attempt.error(format!("refused to follow a redirect: {why}")),
        }
    });
    // TLS through rustls with ring, unless the program has chosen its own provider already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut client = reqwest::Client::builder()
        .user_agent(concat!("graph-endpoint-gen/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(30))
        .read_timeout(Duration::from_secs(60))
        .redirect(redirects);
    if is_loopback(url) {
        // A proxy cannot reach this machine's loopback server.
        client = client.no_proxy();
    }
    let client = client.build().map_err(|e| format!("cannot start the HTTP client: {}", chain(&e)))?;
    let failed = |e: reqwest::Error| format!("cannot download `{url}`: {}", chain(&e));
    let response = client.get(url.clone()).header(reqwest::header::ACCEPT, "application/xml").send().await.map_err(failed)?;
    let status = response.status();
    if !status.is_success() {
        // The start of the body, on one line: often the reason, as Graph's error JSON.
        let body = response.text().await.unwrap_or_default();
        let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let excerpt = match body.char_indices().nth(200) {
            Some((end, _)) => format!(": {}…", &body[..end]),
            None if body.is_empty() => String::new(),
            None => format!(": {body}"),
        };
        return Err(format!("cannot download `{url}`: the server answered {status}{excerpt}"));
    }
    Ok(response.bytes().await.map_err(failed)?.to_vec())
}

/// An error with its causes: reqwest's own message leaves out what went wrong underneath.
fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<(), String> {
        allowed(&Url::parse(url).unwrap())
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(check("https://graph.microsoft.com/beta/$metadata").is_ok());
        assert!(check("https://graph.microsoft.us/v1.0/$metadata").is_ok());
        for url in
            ["http://127.0.0.1:8080/$metadata", "http://127.1.2.3/m", "http://[::1]:9000/m", "http://localhost/m", "http://LOCALHOST:1/m"]
        {
            assert!(check(url).is_ok(), "{url}");
        }
        for url in ["http://graph.microsoft.com/beta/$metadata", "http://10.0.0.1/m", "http://[::2]/m", "http://localhost.example.com/m"] {
            assert!(check(url).unwrap_err().contains("use `https://`"), "{url}");
        }
        assert!(check("ftp://example.com/m").unwrap_err().contains("`ftp://` is no way"));
        assert!(check("file:///tmp/v1.0.csdl").unwrap_err().contains("`file://`"));
    }
}
