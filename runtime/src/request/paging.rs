//! The stream of a paged collection's items, following `@odata.nextLink` through the
//! client's call path.

use super::decode::decode_json;
use super::endpoint::Endpoint;
use super::options::Options;
use crate::auth::BoxFuture;
use crate::call::{Call, Exchange};
use crate::client::Client;
use crate::error::Error;
use crate::headers::CLIENT_REQUEST_ID;
use crate::model::collection::Collection;
use futures_core::Stream;
use http::HeaderMap;
use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Url;
use serde::de::DeserializeOwned;
use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

/// The items of a paged collection, from [`Client::stream`] or
/// [`RequestBuilder::stream`](crate::request::RequestBuilder::stream): a `Stream` of `Result<T, Error>`.
///
/// ```no_run
/// # use graph_endpoint::{Client, Collection, Endpoint};
/// # async fn run<E: Endpoint<Response = Collection<serde_json::Value>>>(client: Client, list: E) -> Result<(), graph_endpoint::Error> {
/// let mut items = client.stream(&list);
/// while let Some(item) = items.next_item().await {
///     println!("{:?}", item?);
/// }
/// println!("next time, start from {:?}", items.delta_link());
/// # Ok(()) }
/// ```
#[must_use = "a stream fetches nothing until it is polled"]
pub struct Items<T> {
    client: Client,
    template: &'static str,
    /// The first request's headers, sent again with every page.
    headers: HeaderMap,
    buffer: VecDeque<T>,
    fetching: Option<BoxFuture<'static, Result<Collection<T>, Error>>>,
    next_link: Option<String>,
    seen: HashSet<String>,
    failed: Option<Error>,
    finished: bool,
    pages: u32,
    count: Option<u64>,
    delta_link: Option<String>,
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("template", &self.template)
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .field("fetching", &self.fetching.is_some())
            .field("finished", &self.finished)
            .field("count", &self.count)
            .field("delta_link", &self.delta_link)
            .finish()
    }
}

// No field is ever pinned in place: the page future is boxed.
impl<T> Unpin for Items<T> {}

impl<T: DeserializeOwned + Send + 'static> Items<T> {
    pub(crate) fn start<E: Endpoint<Response = Collection<T>> + ?Sized>(client: &Client, endpoint: &E, options: &Options) -> Self {
        let mut items = Items {
            client: client.clone(),
            template: endpoint.template(),
            headers: HeaderMap::new(),
            buffer: VecDeque::new(),
            fetching: None,
            next_link: None,
            seen: HashSet::new(),
            failed: None,
            finished: false,
            pages: 0,
            count: None,
            delta_link: None,
        };
        match client.prepare(endpoint, options) {
            Ok(request) => {
                items.seen.insert(request.url().as_str().to_owned());
                items.headers = request.headers().clone();
                for per_request in [AUTHORIZATION, CLIENT_REQUEST_ID, CONTENT_TYPE, CONTENT_LENGTH] {
                    items.headers.remove(per_request);
                }
                let (client, call) = (items.client.clone(), Call::page(items.template));
                items.fetching = Some(Box::pin(async move { page(client.exchange(request, call).await?) }));
            }
            Err(error) => items.failed = Some(error),
        }
        items
    }

    /// The next item, or `None` after the last one (or after an error).
    pub async fn next_item(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item of every page.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next_item().await {
            all.push(item?);
        }
        Ok(all)
    }

    /// Starts fetching `link`, or explains why it must not be fetched.
    fn follow(&mut self, link: String) -> Result<(), Error> {
        let url = Url::parse(&link).map_err(|e| Error::invalid_request(format!("@odata.nextLink is not a URL ({e})")))?;
        if !self.client.same_origin(&url) {
            return Err(Error::invalid_request(format!(
                "@odata.nextLink points at {}://{}, not at the client's base URL ({}); it was not followed, so the token was not sent there",
                url.scheme(),
                url.host_str().map(|h| format!("{h}:{}", url.port_or_known_default().unwrap_or(0))).unwrap_or_default(),
                self.client.base_url()
            )));
        }
        if !self.seen.insert(link) {
            return Err(Error::invalid_request(format!(
                "@odata.nextLink repeats a page already fetched (after {} pages); stopped instead of looping",
                self.pages
            )));
        }
        let mut request = self.client.request_to(reqwest::Method::GET, url);
        request.headers_mut().extend(self.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
        let (client, call) = (self.client.clone(), Call::page(self.template));
        self.fetching = Some(Box::pin(async move { page(client.exchange(request, call).await?) }));
        Ok(())
    }
}

impl<T> Items<T> {
    /// `@odata.count` of the first page, when `$count=true` was asked.
    pub fn count(&self) -> Option<u64> {
        self.count
    }

    /// The `@odata.deltaLink` of the last page, once the stream has reached it.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }

    /// How many pages have been fetched so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }
}

fn page<T: DeserializeOwned>(exchange: Exchange) -> Result<Collection<T>, Error> {
    decode_json::<Collection<T>>(&exchange.body).map_err(|e| exchange.decode_error(e))
}

impl<T: DeserializeOwned + Send + 'static> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.failed.take() {
                this.finished = true;
                this.fetching = None;
                return Poll::Ready(Some(Err(error)));
            }
            if let Some(fetching) = &mut this.fetching {
                let page = match fetching.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(page) => page,
                };
                this.fetching = None;
                match page {
                    Ok(page) => {
                        this.pages += 1;
                        if this.pages == 1 {
                            this.count = page.count;
                        }
                        if page.delta_link.is_some() {
                            this.delta_link = page.delta_link;
                        }
                        this.buffer.extend(page.value);
                        this.next_link = page.next_link;
                    }
                    Err(error) => this.failed = Some(error),
                }
                continue;
            }
            if this.finished {
                return Poll::Ready(None);
            }
            match this.next_link.take() {
                Some(link) => {
                    if let Err(error) = this.follow(link) {
                        this.failed = Some(error);
                    }
                }
                None => {
                    this.finished = true;
                    return Poll::Ready(None);
                }
            }
        }
    }
}
