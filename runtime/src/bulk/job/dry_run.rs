//! A job's requests as they would go, nothing sent.

use crate::client::Client;
use crate::headers::{CLIENT_REQUEST_ID, new_request_id};
use crate::request::endpoint::Endpoint;
use crate::request::options::Options;
use bytes::Bytes;
use std::fmt;

/// Every item's request as it would go, one per item, nothing sent: from
/// [`Job::dry_run`](super::Job::dry_run).
///
/// Each is the request a single call would send first — method, URL, headers and body —
/// without `Authorization` (no token is fetched). An item that cannot be prepared (an empty
/// path value, a body that does not serialize) is left out, with a `tracing` warning that
/// names its index and why.
#[must_use = "an iterator does nothing unless consumed"]
pub struct DryRun<'a, I> {
    client: &'a Client,
    items: I,
    index: usize,
}

impl<I> fmt::Debug for DryRun<'_, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DryRun").field("index", &self.index).finish_non_exhaustive()
    }
}

impl<'a, I> DryRun<'a, I> {
    pub(crate) fn new(client: &'a Client, items: I) -> DryRun<'a, I> {
        DryRun { client, items, index: 0 }
    }
}

impl<I> Iterator for DryRun<'_, I>
where
    I: Iterator,
    I::Item: Endpoint,
{
    type Item = http::Request<Bytes>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let endpoint = self.items.next()?;
            let index = self.index;
            self.index += 1;
            match self.client.prepare(&endpoint, &Options::default()) {
                Ok(request) => return Some(as_http(request)),
                Err(error) => tracing::warn!(target: "graph_endpoint::job", index, %error, "dry run: the item cannot be prepared"),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.items.size_hint().1)
    }
}

fn as_http(mut request: reqwest::Request) -> http::Request<Bytes> {
    request.headers_mut().entry(CLIENT_REQUEST_ID).or_insert_with(new_request_id);
    let body = request.body().and_then(|body| body.as_bytes()).map(Bytes::copy_from_slice).unwrap_or_default();
    let mut built = http::Request::new(body);
    *built.method_mut() = request.method().clone();
    // A URL reqwest parsed is a valid URI.
    *built.uri_mut() = request.url().as_str().parse().unwrap_or_default();
    *built.headers_mut() = std::mem::take(request.headers_mut());
    built
}
