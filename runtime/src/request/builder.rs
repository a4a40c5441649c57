//! The request builder: OData system query options and extra headers on top of what the
//! endpoint declares.

use super::endpoint::Endpoint;
use super::options::Options;
use super::paging::Items;
use super::response::Response;
use crate::client::Client;
use crate::error::Error;
use crate::model::collection::Collection;
use http::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

/// A request with OData query options, from [`Client::request`].
///
/// ```no_run
/// # use graph_endpoint::{Client, Collection, Endpoint};
/// # async fn run<E: Endpoint<Response = Collection<serde_json::Value>>>(client: Client, list_users: E) -> Result<(), graph_endpoint::Error> {
/// let page = client
///     .request(&list_users)
///     .select(["id", "displayName"])
///     .filter("startswith(displayName,'A')")
///     .top(50)
///     .count(true) // adds ConsistencyLevel: eventual
///     .send()
///     .await?;
/// println!("{:?} users in all", page.count);
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<'a, E: ?Sized> {
    client: &'a Client,
    endpoint: &'a E,
    options: Options,
}

impl<E: Endpoint + ?Sized> std::fmt::Debug for RequestBuilder<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.endpoint.method())
            .field("template", &self.endpoint.template())
            .field("query", &self.options.query)
            .field("headers", &self.options.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl<'a, E: Endpoint + ?Sized> RequestBuilder<'a, E> {
    pub(crate) fn new(client: &'a Client, endpoint: &'a E) -> Self {
        RequestBuilder { client, endpoint, options: Options::default() }
    }

    fn option(mut self, key: &'static str, value: String) -> Self {
        self.options.query.retain(|(k, _)| *k != key);
        self.options.query.push((key, value));
        self
    }

    /// `$select=a,b,c`: the properties to return.
    pub fn select<I, S>(self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let list: Vec<String> = properties.into_iter().map(|p| p.as_ref().to_owned()).collect();
        self.option("$select", list.join(","))
    }

    /// `$expand=...`: related entities to include, e.g. `assignments`.
    pub fn expand(self, expand: impl AsRef<str>) -> Self {
        self.option("$expand", expand.as_ref().to_owned())
    }

    /// `$filter=...`, e.g. `displayName eq 'a&b'` (sent percent-encoded).
    pub fn filter(self, filter: impl AsRef<str>) -> Self {
        self.option("$filter", filter.as_ref().to_owned())
    }

    /// `$orderby=...`, e.g. `displayName desc`.
    pub fn orderby(self, orderby: impl AsRef<str>) -> Self {
        self.option("$orderby", orderby.as_ref().to_owned())
    }

    /// `$top=n`: at most `n` items per page.
    pub fn top(self, n: u32) -> Self {
        self.option("$top", n.to_string())
    }

    /// `$skip=n`.
    pub fn skip(self, n: u32) -> Self {
        self.option("$skip", n.to_string())
    }

    /// `$count=true|false`; `true` also sends `ConsistencyLevel: eventual`.
    pub fn count(self, count: bool) -> Self {
        self.option("$count", count.to_string())
    }

    /// `$search=...`, e.g. `"displayName:wifi"` (with the quotes Graph wants); also sends
    /// `ConsistencyLevel: eventual`.
    pub fn search(self, search: impl AsRef<str>) -> Self {
        self.option("$search", search.as_ref().to_owned())
    }

    /// An extra header, e.g. `Prefer`. A name or value HTTP cannot carry fails the send.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(name), Ok(value)) => {
                self.options.headers.insert(name, value);
            }
            _ => self.options.invalid = Some(format!("the header `{name}` cannot be sent: invalid name or value")),
        }
        self
    }

    /// Sends the request and decodes the response as the endpoint declares.
    pub async fn send(self) -> Result<E::Response, Error> {
        self.client.execute_with(self.endpoint, &self.options).await.map(Response::into_inner)
    }

    /// Like [`send`](Self::send), keeping status and headers.
    pub async fn execute(self) -> Result<Response<E::Response>, Error> {
        self.client.execute_with(self.endpoint, &self.options).await
    }

    /// The items of every page, one by one: the next page is fetched only when the consumer
    /// wants more. Each page goes through the retry policy and carries the first request's
    /// headers; a `nextLink` to another scheme, host or port, or one seen before, ends the
    /// stream with an error instead of a request.
    pub fn stream<T>(self) -> Items<T>
    where
        E: Endpoint<Response = Collection<T>>,
        T: DeserializeOwned + Send + 'static,
    {
        Items::start(self.client, self.endpoint, &self.options)
    }
}
