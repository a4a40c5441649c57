//! How an endpoint becomes a request: the URL from the client's base, the version and the
//! endpoint's path and query; the endpoint's headers; its body.

use super::body::{Body, BodyWriter};
use super::encode::{HeaderWriter, PathWriter, QueryWriter};
use super::endpoint::Endpoint;
use super::options::Options;
use crate::client::Client;
use crate::error::Error;
use crate::headers::APPLICATION_JSON;
use crate::protocol::Method;
use bytes::Bytes;
use http::HeaderValue;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Url;

impl Client {
    /// The request without `Authorization` (which may change between attempts).
    pub(crate) fn prepare<E: Endpoint + ?Sized>(&self, endpoint: &E, options: &Options) -> Result<reqwest::Request, Error> {
        let version = endpoint.version().unwrap_or(self.default_version()).as_str();
        let base = self.base_url();
        let mut url = String::with_capacity(base.len() + 1 + version.len() + 2 * endpoint.template().len());
        url.push_str(base);
        url.push('/');
        url.push_str(version);
        endpoint.write_path(&mut PathWriter::new(&mut url))?;
        let mut query = QueryWriter::new(&mut url);
        endpoint.write_query(&mut query);
        options.write_query(&mut query)?;
        let url = Url::parse(&url).map_err(|e| Error::invalid_request(format!("the request URL is not valid: {e}")))?;

        let mut request = self.request_to(reqwest_method(endpoint.method()), url);
        let headers = request.headers_mut();
        endpoint.write_headers(&mut HeaderWriter::new(headers))?;
        options.write_headers(headers)?;

        // serde_json's own `to_vec` starts at 128 bytes too: most Graph bodies need one growth.
        let mut buffer = Vec::with_capacity(128);
        let mut writer = BodyWriter::new(&mut buffer);
        endpoint.write_body(&mut writer)?;
        // The endpoint's own Content-Type, if it set one, wins over the body's.
        let (content_type, body) = match writer.finish() {
            Body::None => {
                if matches!(endpoint.method(), Method::Post | Method::Put | Method::Patch) {
                    // Graph answers 411 Length Required to a bodiless POST without Content-Length.
                    request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                }
                return Ok(request);
            }
            Body::Json => (APPLICATION_JSON, Bytes::from(buffer)),
            Body::Raw { content_type, bytes } => {
                let value = HeaderValue::from_str(&content_type).map_err(|_| Error::invalid_request("invalid Content-Type"))?;
                (value, bytes.unwrap_or_else(|| Bytes::from(buffer)))
            }
        };
        request.headers_mut().entry(CONTENT_TYPE).or_insert(content_type);
        *request.body_mut() = Some(body.into());
        Ok(request)
    }
}

fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}
