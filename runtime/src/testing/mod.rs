//! A Graph stand-in for your own tests: a loopback server that answers your endpoint types
//! as the test declares, and records what your code sent.
//!
//! Enable the `testing` feature in your dev-dependencies:
//!
//! ```toml
//! [dev-dependencies]
//! graph-endpoint = { version = "0.1", features = ["testing"] }
//! ```
//!
//! Then a test starts a [`StandIn`], declares how each endpoint type answers
//! ([`StandIn::on`], or [`StandIn::route`] by method and template), hands
//! [`StandIn::client`] to the code under test, and reads back the [`Call`]s it made
//! ([`StandIn::calls`], [`StandIn::assert_calls`]):
//!
//! ```
//! use graph_endpoint::testing::StandIn;
//! use graph_endpoint::{ApiVersion, Client, Error, Method, graph_endpoint};
//! use serde_json::json;
//!
//! #[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}", version = "beta", response = Option<serde_json::Value>)]
//! pub struct UpdateConfiguration {
//!     pub device_configuration_id: String,
//!     #[graph(body)]
//!     pub body: serde_json::Value,
//! }
//!
//! /// The code under test: renames a device configuration.
//! pub async fn rename_policy(client: &Client, id: &str, name: &str) -> Result<(), Error> {
//!     let update = UpdateConfiguration { device_configuration_id: id.to_owned(), body: json!({"displayName": name}) };
//!     client.send(&update).await?;
//!     Ok(())
//! }
//!
//! // In a test file this is `#[tokio::test] async fn renames_the_policy() { ... }`.
//! async fn renames_the_policy() {
//!     let stand_in = StandIn::start().await;
//!     stand_in.on::<UpdateConfiguration>().no_content();
//!
//!     rename_policy(&stand_in.client(), "policy/1", "Wi-Fi (corp)").await.unwrap();
//!
//!     let calls = stand_in.assert_calls::<UpdateConfiguration>(1);
//!     let call = &calls[0];
//!     assert_eq!(call.method(), Method::Patch);
//!     assert_eq!(call.version(), ApiVersion::Beta);
//!     assert_eq!(call.path(), "/beta/deviceManagement/deviceConfigurations/policy%2F1");
//!     assert_eq!(call.path_param("deviceConfigurationId").as_deref(), Some("policy/1"));
//!     assert_eq!(call.json::<serde_json::Value>().unwrap(), json!({"displayName": "Wi-Fi (corp)"}));
//!
//!     // And when Graph says no:
//!     stand_in.on::<UpdateConfiguration>().error(404, "ResourceNotFound", "The policy does not exist.");
//!     let error = rename_policy(&stand_in.client(), "gone", "x").await.unwrap_err();
//!     assert_eq!(error.status(), Some(404));
//!     assert_eq!(error.code(), Some("ResourceNotFound"));
//!     assert!(error.request_id().is_some());
//! }
//!
//! tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(renames_the_policy());
//! ```
//!
//! # Declaring answers
//!
//! | | |
//! |---|---|
//! | `.json(status, body)`, `.respond_json(body)` | JSON (`200` for the latter) |
//! | `.no_content()`, `.status(code)` | no body |
//! | `.error(status, code, message)` | Graph's error JSON with ids, and a `request-id` header |
//! | `.pages(vec![page1, page2])` | a collection whose `@odata.nextLink`s lead back to the stand-in |
//! | `.reply(Reply)`, `.respond_with(\|call\| Reply)` | anything, or an answer made from the call |
//! | `.throttle(n, retry_after)` before one of these | the first `n` calls get `429` with `Retry-After` |
//! | `.delay(d)`, `.times(n)`, `.version(v)` before one of these | wait, answer `n` calls only, one version only |
//!
//! Routes are matched by method and template under `/v1.0` or `/beta`, with any query;
//! **the most recently declared matching route wins**, so later declarations override
//! earlier ones. A request that no route takes is answered `404` with Graph's error JSON
//! (code `StandIn_NoRoute`) whose message names the request's method and path and lists the
//! declared routes, so a missing declaration shows in the error the code under test gets.
//!
//! # `$batch`
//!
//! The stand-in speaks `$batch` (`POST /v1.0/$batch`, `POST /beta/$batch`) as Graph does:
//! each item is answered as the single call it stands for, by the routes declared above
//! (throttling, errors, delays and `times` included), and counts as a call of its endpoint
//! type; `dependsOn` is honoured (`424` after an item that failed); the answers come in a
//! shuffled order ([`StandIn::shuffle_seed`]); an envelope that breaks Graph's rules is
//! refused with Graph's `400`. [`StandIn::batches`] gives the envelopes.
//!
//! # Reading calls back
//!
//! Every request is recorded as a [`Call`], throttled attempts, retries and pages included.
//! [`Call::path_param`] gives a path value as the client had it (percent-decoding and
//! OData's doubled quotes undone), [`Call::query`] a decoded query value, [`Call::header`] a
//! header, [`Call::json`] the body as a type of the test's choosing.
//!
//! The server is [`wiremock`](https://docs.rs/wiremock)'s, on its own thread: the stand-in
//! works under any Tokio runtime, current-thread included.

// What it holds: `server` (the stand-in, its routes and the one dispatch every request goes
// through), `batch` (`$batch` envelopes: Graph's rules, unpacking, dependencies, shuffled
// answers), `reply` (what a route answers), `call` (what was sent), `template` (matching a
// path against a route's template).
//
// May use: client (the stand-in's client), request (endpoint types), call (its retry policy),
// protocol. Nothing else uses it.

mod batch;
mod call;
mod reply;
mod server;
mod template;

pub use call::Call;
pub use reply::Reply;
pub use server::{RouteBuilder, StandIn};
