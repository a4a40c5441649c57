//! The calls a user makes: send an endpoint, send it with query options, stream a collection,
//! build the request without sending it.

use super::builder::RequestBuilder;
use super::decode::Answer;
use super::endpoint::Endpoint;
use super::options::Options;
use super::paging::Items;
use super::response::Response;
use crate::call::Call;
use crate::client::Client;
use crate::error::Error;
use crate::headers::{CLIENT_REQUEST_ID, new_request_id};
use crate::model::collection::Collection;
use bytes::Bytes;
use serde::de::DeserializeOwned;

impl Client {
    /// Sends the endpoint's request and decodes the response as the endpoint declares.
    pub async fn send<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.execute(endpoint).await.map(Response::into_inner)
    }

    /// Like [`send`](Self::send), keeping the status and headers with the value.
    pub async fn execute<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<Response<E::Response>, Error> {
        self.execute_with(endpoint, &Options::default()).await
    }

    /// Starts a request with OData query options (`$select`, `$filter`, `$top`, ...) and extra
    /// headers on top of what the endpoint declares.
    pub fn request<'a, E: Endpoint + ?Sized>(&'a self, endpoint: &'a E) -> RequestBuilder<'a, E> {
        RequestBuilder::new(self, endpoint)
    }

    /// Streams the items of a collection endpoint page by page; see [`RequestBuilder::stream`].
    pub fn stream<E, T>(&self, endpoint: &E) -> Items<T>
    where
        E: Endpoint<Response = Collection<T>> + ?Sized,
        T: DeserializeOwned + Send + 'static,
    {
        self.request(endpoint).stream()
    }

    /// Prepares, sends and decodes one call.
    pub(crate) async fn execute_with<E: Endpoint + ?Sized>(&self, endpoint: &E, options: &Options) -> Result<Response<E::Response>, Error> {
        let request = self.prepare(endpoint, options)?;
        let call = Call::one(request.method(), endpoint.template(), endpoint.is_idempotent());
        let exchange = self.exchange(request, call).await?;
        let answer = Answer { status: exchange.status, headers: &exchange.headers, body: &exchange.body };
        match E::decode_response(&answer) {
            Ok(value) => Ok(Response { status: exchange.status.as_u16(), headers: exchange.headers, value }),
            Err(cause) => Err(exchange.decode_error(cause)),
        }
    }

    /// The request the client would send first for an endpoint — method, URL, headers
    /// (`Authorization` included) and body — without sending it: to inspect it, log it
    /// (mind the token) or send it by other means.
    ///
    /// ```
    /// # async fn run() -> Result<(), graph_endpoint::Error> {
    /// use graph_endpoint::{Client, graph_endpoint};
    ///
    /// #[graph_endpoint(GET "/users/{userId}", response = serde_json::Value)]
    /// struct GetUser { user_id: String }
    ///
    /// let client = Client::builder().base_url("http://127.0.0.1:9").bearer_token("t").build()?;
    /// let request = client.build_request(&GetUser { user_id: "adele@contoso.com".into() }).await?;
    /// assert_eq!(request.uri(), "http://127.0.0.1:9/v1.0/users/adele%40contoso.com");
    /// assert_eq!(request.headers()["authorization"], "Bearer t");
    /// # Ok(()) }
    /// # tokio_test_block_on(run()).unwrap();
    /// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    /// # }
    /// ```
    pub async fn build_request<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<http::Request<Bytes>, Error> {
        let mut request = self.prepare(endpoint, &Options::default())?;
        request.headers_mut().entry(CLIENT_REQUEST_ID).or_insert_with(new_request_id);
        self.authorize(&mut request).await?;
        let body = request.body().and_then(|body| body.as_bytes()).map(Bytes::copy_from_slice).unwrap_or_default();
        let uri = request.url().as_str().parse().map_err(|_| Error::invalid_request("the request URL is not a valid URI"))?;
        let mut built = http::Request::new(body);
        *built.method_mut() = request.method().clone();
        *built.uri_mut() = uri;
        *built.headers_mut() = std::mem::take(request.headers_mut());
        Ok(built)
    }
}
