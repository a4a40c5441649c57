//! A successful answer: the decoded value with its status and headers.

use http::HeaderMap;

/// A decoded response with its status and headers, from [`Client::execute`](crate::Client::execute).
///
/// ```no_run
/// # async fn run(client: graph_endpoint::Client) -> Result<(), graph_endpoint::Error> {
/// use graph_endpoint::graph_endpoint;
///
/// #[graph_endpoint(POST "/deviceManagement/reports/exportJobs", version = "beta", response = Option<serde_json::Value>)]
/// struct ExportJob {
///     #[graph(body)]
///     body: serde_json::Value,
/// }
///
/// let response = client.execute(&ExportJob { body: serde_json::json!({"reportName": "Devices"}) }).await?;
/// if response.status() == 202 {
///     println!("poll {:?} in {:?}", response.location(), response.retry_after());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) value: T,
}

impl<T> Response<T> {
    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (`request-id`, `client-request-id`, `Location`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Graph's `request-id` header, if present.
    pub fn request_id(&self) -> Option<&str> {
        crate::headers::request_id(&self.headers)
    }

    /// The `Location` header: where a `201 Created` resource or a `202 Accepted` operation's
    /// status can be found.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(http::header::LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The `Retry-After` header of a `202 Accepted` answer: when to look at the operation's
    /// status again.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        crate::headers::retry_after(&self.headers)
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, by value.
    pub fn into_inner(self) -> T {
        self.value
    }
}
