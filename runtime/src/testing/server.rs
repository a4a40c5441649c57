//! The stand-in server, the routes declared on it, and how a request finds its route.

use super::batch;
use super::call::Call;
use super::reply::{self, Reply};
use super::template::Template;
use crate::call::RetryPolicy;
use crate::client::Client;
use crate::client::ClientBuilder;
use crate::protocol::{ApiVersion, Method};
use crate::request::endpoint::Endpoint;
use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// A Graph stand-in on a loopback port, for tests: answers the endpoints a test declares,
/// records every request, and lets the test read them back.
///
/// Routes are matched by method and template under `/v1.0` or `/beta`, with any query.
/// **The most recently declared matching route wins**, so a test can declare a general
/// answer first and override it for one case after. A request no route matches is answered
/// `404` with Graph's error JSON naming its method and path and the declared routes, so that
/// the failure explains itself. See the [module documentation](super) for a full example.
///
/// The server stops when the stand-in is dropped.
pub struct StandIn {
    server: MockServer,
    shared: Arc<Shared>,
}

struct Shared {
    origin: String,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    routes: Vec<Route>,
    calls: Vec<Call>,
    /// The `$batch` envelopes, in order (their items are among `calls`).
    batches: Vec<Call>,
    /// Orders the answers of each `$batch` (with the envelope's number).
    seed: u64,
    /// Every request in order, with the status it was answered: for failure messages.
    log: Vec<String>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere (in a test's closure) leaves the records as they were: still readable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for StandIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state();
        f.debug_struct("StandIn")
            .field("uri", &self.shared.origin)
            .field("routes", &state.routes)
            .field("calls", &state.calls.len())
            .finish()
    }
}

impl StandIn {
    /// The bearer token of [`client`](Self::client).
    pub const TOKEN: &'static str = "stand-in-token";

    /// Starts a stand-in on a free loopback port, with no routes.
    pub async fn start() -> StandIn {
        let server = MockServer::builder().disable_request_recording().start().await;
        let shared = Arc::new(Shared { origin: server.uri(), state: Mutex::default() });
        server.register(Mock::given(wiremock::matchers::any()).respond_with(Dispatch(shared.clone()))).await;
        StandIn { server, shared }
    }

    /// The stand-in's root URL, e.g. `http://127.0.0.1:38211` (no trailing `/`): the base URL
    /// of a client, as `https://graph.microsoft.com` is.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client for the stand-in: bearer token [`StandIn::TOKEN`], `v1.0` by default, the
    /// default retries (3) with a 1 ms backoff base so that retried tests stay fast
    /// (`Retry-After` is still honoured as sent), 30 s per attempt.
    ///
    /// # Panics
    ///
    /// Never in practice: the configuration is fixed and valid.
    pub fn client(&self) -> Client {
        self.client_builder().build().expect("the stand-in's client configuration is valid")
    }

    /// The configuration of [`client`](Self::client), to change before building: another
    /// default version, no retries, a token provider under test.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.uri())
            .bearer_token(Self::TOKEN)
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(5))
            .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
    }

    /// Declares how the routes of endpoint type `E` are answered: every `(method, template)`
    /// of [`Endpoint::routes`] (one for a struct, one per variant for an enum), under either
    /// version unless [`version`](RouteBuilder::version) says otherwise.
    ///
    /// # Panics
    ///
    /// When `E` has no routes (a hand-written `Endpoint` without `routes()`; use
    /// [`route`](Self::route)).
    #[track_caller]
    pub fn on<E: Endpoint>(&self) -> RouteBuilder<'_> {
        RouteBuilder::new(self, Some(std::any::type_name::<E>()), templates_of::<E>())
    }

    /// Declares how `method` on `template` (as an endpoint definition writes it, without the
    /// version: `/users/{userId}`) is answered.
    ///
    /// # Panics
    ///
    /// When the template is malformed (an unclosed `{`, a query, a version prefix).
    #[track_caller]
    pub fn route(&self, method: Method, template: &str) -> RouteBuilder<'_> {
        RouteBuilder::new(self, None, vec![(method, parse(template))])
    }

    /// The calls to endpoint type `E` (by its routes' methods and templates, whichever route
    /// answered them), in the order they arrived, with `E`'s path parameters. Retries and the
    /// pages of a collection are calls of their own.
    ///
    /// A path that several types' templates match (`/users/delta` and `/users/{userId}`)
    /// counts as a call of each.
    ///
    /// # Panics
    ///
    /// When `E` has no routes.
    #[track_caller]
    pub fn calls<E: Endpoint>(&self) -> Vec<Call> {
        self.bound(&templates_of::<E>())
    }

    /// The calls of `method` on `template`, in order, with its path parameters.
    ///
    /// # Panics
    ///
    /// When the template is malformed.
    #[track_caller]
    pub fn calls_to(&self, method: Method, template: &str) -> Vec<Call> {
        self.bound(&[(method, parse(template))])
    }

    /// Every request received under `/v1.0` or `/beta` with one of Graph's methods, in order,
    /// each with the parameters of the route that answered it (none when no route did). The
    /// items of a `$batch` are requests of their own here; the envelopes are in
    /// [`batches`](Self::batches).
    pub fn received(&self) -> Vec<Call> {
        self.shared.state().calls.clone()
    }

    /// The `$batch` requests received (`POST /v1.0/$batch`, `POST /beta/$batch`), in order, as
    /// they arrived: [`Call::json`] reads the envelope, `{"requests": [...]}`.
    ///
    /// The stand-in answers `$batch` as Graph does. It refuses a whole envelope that breaks
    /// Graph's rules with Graph's `400`: more than 20 items, ids not unique (letter case
    /// aside), an absolute `url`, a `body` without a `Content-Type` header, a `POST`, `PUT` or
    /// `PATCH` without a body, a `dependsOn` naming an id not in the envelope. Otherwise it answers each item as the single call it
    /// stands for (the routes declared with [`on`](Self::on) and [`route`](Self::route),
    /// throttling, errors, delays and `times` included), so that [`calls`](Self::calls) and
    /// [`assert_calls`](Self::assert_calls) count items as calls. An item whose `dependsOn`
    /// names an item that failed is not run, and answered `424`. The answers come in a
    /// shuffled order, as Graph's do; [`shuffle_seed`](Self::shuffle_seed) sets the order.
    ///
    /// ```
    /// # use graph_endpoint::testing::StandIn;
    /// # use graph_endpoint::graph_endpoint;
    /// #[graph_endpoint(GET "/users/{userId}", response = serde_json::Value)]
    /// struct GetUser { user_id: String }
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let stand_in = StandIn::start().await;
    /// stand_in.on::<GetUser>().respond_with(|call| {
    ///     graph_endpoint::testing::Reply::json(200, serde_json::json!({"id": call.path_param("userId")}))
    /// });
    /// let users: Vec<GetUser> = (0..25).map(|i| GetUser { user_id: format!("u{i}") }).collect();
    /// let results = stand_in.client().batch(users).await;
    /// assert!(results.iter().all(Result::is_ok));
    /// stand_in.assert_calls::<GetUser>(25);
    /// assert_eq!(stand_in.batches().len(), 2); // 20 + 5
    /// # });
    /// ```
    pub fn batches(&self) -> Vec<Call> {
        self.shared.state().batches.clone()
    }

    /// Sets the seed that orders the answers of each `$batch` (default 0): the same seed
    /// gives the same order for the same envelopes.
    pub fn shuffle_seed(&self, seed: u64) {
        self.shared.state().seed = seed;
    }

    /// Checks that endpoint type `E` was called exactly `expected` times and returns the
    /// calls, as [`calls`](Self::calls) gives them.
    ///
    /// # Panics
    ///
    /// When the count differs, as `assert_eq!` does, listing the calls of `E` and every
    /// request the stand-in received with the status it answered.
    #[track_caller]
    pub fn assert_calls<E: Endpoint>(&self, expected: usize) -> Vec<Call> {
        let name = std::any::type_name::<E>();
        self.assert_count(name, self.calls::<E>(), expected)
    }

    /// Checks that `method` on `template` was called exactly `expected` times and returns
    /// the calls.
    ///
    /// # Panics
    ///
    /// When the count differs (with the same message as [`assert_calls`](Self::assert_calls))
    /// or the template is malformed.
    #[track_caller]
    pub fn assert_calls_to(&self, method: Method, template: &str, expected: usize) -> Vec<Call> {
        self.assert_count(&format!("{method} {template}"), self.calls_to(method, template), expected)
    }

    /// Forgets every route and every recorded call (and `$batch` envelope); keeps the seed.
    pub fn reset(&self) {
        let mut state = self.shared.state();
        let seed = state.seed;
        *state = State { seed, ..State::default() };
    }

    fn bound(&self, routes: &[(Method, Template)]) -> Vec<Call> {
        let state = self.shared.state();
        state.calls.iter().filter_map(|call| routes.iter().find_map(|(method, template)| call.bound_to(*method, template))).collect()
    }

    #[track_caller]
    fn assert_count(&self, what: &str, calls: Vec<Call>, expected: usize) -> Vec<Call> {
        if calls.len() != expected {
            let lines = |items: Vec<String>| {
                if items.is_empty() { " none".to_owned() } else { items.iter().map(|item| format!("\n    {item}")).collect() }
            };
            let log = self.shared.state().log.clone();
            panic!(
                "assertion `left == right` failed: {what} was called {} times, not {expected}\n  left: {}\n right: {expected}\n  calls of {what}:{}\n  every request the stand-in received:{}",
                calls.len(),
                calls.len(),
                lines(calls.iter().map(ToString::to_string).collect()),
                lines(log),
            );
        }
        calls
    }

    fn declare(&self, route: Route) {
        self.shared.state().routes.push(route);
    }
}

#[track_caller]
fn parse(template: &str) -> Template {
    Template::parse(template).unwrap_or_else(|problem| panic!("{problem}"))
}

#[track_caller]
fn templates_of<E: Endpoint>() -> Vec<(Method, Template)> {
    let routes = E::routes();
    if routes.is_empty() {
        panic!(
            "`{}` declares no routes (`Endpoint::routes` is empty), so the stand-in cannot tell its calls; \
             use `StandIn::route(method, template)` or implement `routes`",
            std::any::type_name::<E>()
        );
    }
    routes.iter().map(|&(method, template)| (method, parse(template))).collect()
}

/// A declared route: which requests it takes and how it answers them.
struct Route {
    /// The endpoint type it was declared for, if any.
    label: Option<&'static str>,
    routes: Vec<(Method, Template)>,
    version: Option<ApiVersion>,
    /// Calls still to answer `429` first, and the `Retry-After` they carry.
    throttle: (u32, Duration),
    delay: Option<Duration>,
    /// Answers left before the route stops matching, when limited.
    times: Option<u32>,
    answer: Answer,
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Route {
    /// `call` bound to the template of this route that takes it, if one does.
    fn takes(&self, call: &Call) -> Option<Call> {
        if self.version.is_some_and(|version| version != call.version) || self.times == Some(0) {
            return None;
        }
        self.routes.iter().find_map(|(method, template)| call.bound_to(*method, template))
    }

    /// `PATCH /users/{userId} (my_tests::UpdateUser, beta only)`.
    fn describe(&self) -> String {
        let mut text = self.routes.iter().map(|(method, template)| format!("{method} {}", template.text())).collect::<Vec<_>>().join(" | ");
        let mut notes = Vec::new();
        notes.extend(self.label.map(str::to_owned));
        notes.extend(self.version.map(|version| format!("{version} only")));
        if self.times == Some(0) {
            notes.push("has answered all its calls".to_owned());
        }
        if !notes.is_empty() {
            text.push_str(&format!(" ({})", notes.join(", ")));
        }
        text
    }
}

#[derive(Clone)]
enum Answer {
    Fixed(Reply),
    /// Each page's items as a JSON array.
    Pages(Arc<[Value]>),
    With(Arc<dyn Fn(&Call) -> Reply + Send + Sync>),
}

/// Declares how a route is answered: options first, then one of the answers, which
/// declares it. From [`StandIn::on`] and [`StandIn::route`].
///
/// ```
/// # use graph_endpoint::testing::StandIn;
/// # use graph_endpoint::Method;
/// # use std::time::Duration;
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let stand_in = StandIn::start().await;
/// stand_in
///     .route(Method::Get, "/users/{userId}")
///     .throttle(1, Duration::from_millis(5))
///     .delay(Duration::from_millis(1))
///     .json(200, serde_json::json!({"id": "u-1"}));
/// stand_in.route(Method::Post, "/groups").respond_with(|call| {
///     let name = call.json::<serde_json::Value>().unwrap()["displayName"].clone();
///     graph_endpoint::testing::Reply::json(201, serde_json::json!({"id": "g-1", "displayName": name}))
/// });
/// # });
/// ```
#[must_use = "a route is declared by its answer: call `json`, `respond_json`, `no_content`, `error`, `status`, `pages`, `reply` or `respond_with`"]
pub struct RouteBuilder<'a> {
    stand_in: &'a StandIn,
    label: Option<&'static str>,
    routes: Vec<(Method, Template)>,
    version: Option<ApiVersion>,
    throttle: (u32, Duration),
    delay: Option<Duration>,
    times: Option<u32>,
}

impl fmt::Debug for RouteBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteBuilder")
            .field("endpoint", &self.label)
            .field("routes", &self.routes.iter().map(|(method, template)| format!("{method} {}", template.text())).collect::<Vec<_>>())
            .field("version", &self.version)
            .field("throttle", &self.throttle)
            .field("delay", &self.delay)
            .field("times", &self.times)
            .finish()
    }
}

impl<'a> RouteBuilder<'a> {
    fn new(stand_in: &'a StandIn, label: Option<&'static str>, routes: Vec<(Method, Template)>) -> Self {
        RouteBuilder { stand_in, label, routes, version: None, throttle: (0, Duration::ZERO), delay: None, times: None }
    }

    /// Takes requests under this API version only (default: `v1.0` and `beta`).
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Answers the first `calls` requests with Graph's throttling answer
    /// ([`Reply::throttled`]: `429`, `Retry-After: retry_after`, `TooManyRequests`), then
    /// with the declared answer.
    pub fn throttle(mut self, calls: u32, retry_after: Duration) -> Self {
        self.throttle = (calls, retry_after);
        self
    }

    /// Waits `delay` before every answer of this route (throttling answers included): for
    /// timeouts and concurrency.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers `calls` requests (throttling answers not counted), then stops matching, so
    /// that an earlier route answers the next ones: "fail once, then succeed".
    pub fn times(mut self, calls: u32) -> Self {
        self.times = Some(calls);
        self
    }

    /// Answers `status` with `body` as JSON.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status or `body` does not serialize.
    #[track_caller]
    pub fn json(self, status: u16, body: impl Serialize) {
        self.reply(Reply::json(status, body));
    }

    /// Answers `200 OK` with `body` as JSON.
    ///
    /// # Panics
    ///
    /// When `body` does not serialize.
    #[track_caller]
    pub fn respond_json(self, body: impl Serialize) {
        self.json(200, body);
    }

    /// Answers `204 No Content`.
    pub fn no_content(self) {
        self.reply(Reply::no_content());
    }

    /// Answers `status` with Graph's error JSON ([`Reply::error`]) and a `request-id`.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status.
    #[track_caller]
    pub fn error(self, status: u16, code: &str, message: &str) {
        self.reply(Reply::error(status, code, message));
    }

    /// Answers `status` with no body.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status.
    #[track_caller]
    pub fn status(self, status: u16) {
        self.reply(Reply::status(status));
    }

    /// Answers as a paged collection: page `n` is `{"value": pages[n]}`, each but the last
    /// with an `@odata.nextLink` back at the stand-in (the request's path and query, with
    /// `$skiptoken=n+1`). No pages is one empty page. Every page is a call of its own.
    ///
    /// # Panics
    ///
    /// When an item does not serialize.
    #[track_caller]
    pub fn pages<T: Serialize>(self, pages: Vec<Vec<T>>) {
        let pages: Vec<Value> = pages
            .iter()
            .map(|page| serde_json::to_value(page).unwrap_or_else(|e| panic!("a page item does not serialize as JSON: {e}")))
            .collect();
        self.answer(Answer::Pages(pages.into()));
    }

    /// Answers with `reply`.
    pub fn reply(self, reply: Reply) {
        self.answer(Answer::Fixed(reply));
    }

    /// Answers each call with what `respond` makes of it (the call's path parameters are
    /// those of this route). It runs on the stand-in's server thread: a panic in it breaks
    /// the connection, and the client sees a transport error.
    pub fn respond_with(self, respond: impl Fn(&Call) -> Reply + Send + Sync + 'static) {
        self.answer(Answer::With(Arc::new(respond)));
    }

    fn answer(self, answer: Answer) {
        let RouteBuilder { stand_in, label, routes, version, throttle, delay, times } = self;
        stand_in.declare(Route { label, routes, version, throttle, delay, times, answer });
    }
}

/// Answers every request the server receives.
struct Dispatch(Arc<Shared>);

impl Respond for Dispatch {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let client_request_id = request.headers.get("client-request-id").and_then(|value| value.to_str().ok());
        let seen = match request.url.query() {
            Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
            None => format!("{} {}", request.method, request.url.path()),
        };
        let (reply, delay, items) = match call_of(request) {
            Err(reply) => (reply, None, Vec::new()),
            Ok(call) => match batch::batch_version(&call.path).filter(|_| call.method == Method::Post) {
                Some(version) if !self.routed(&call) => self.batch(version, call),
                batch => {
                    // A route declared for `$batch` answers it; the envelope is still one.
                    if batch.is_some() {
                        self.0.state().batches.push(call.clone());
                    }
                    let (reply, delay) = self.dispatch(call);
                    (reply, delay, Vec::new())
                }
            },
        };
        let mut response = reply.render(client_request_id);
        if let Some(delay) = delay {
            response = response.set_delay(delay);
        }
        let mut state = self.0.state();
        state.log.push(format!("{seen} -> {}", reply.status_code()));
        state.log.extend(items);
        response
    }
}

impl Dispatch {
    /// Whether a declared route takes `call` (a test may answer `$batch` itself).
    fn routed(&self, call: &Call) -> bool {
        self.0.state().routes.iter().any(|route| route.takes(call).is_some())
    }

    /// A `$batch` envelope: recorded, checked, and its items answered one by one through
    /// [`dispatch`](Self::dispatch).
    fn batch(&self, version: ApiVersion, envelope: Call) -> (Reply, Option<Duration>, Vec<String>) {
        let seed = {
            let mut state = self.0.state();
            state.batches.push(envelope.clone());
            state.seed ^ (state.batches.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        };
        let answered = batch::answer(version, &envelope.body, &envelope.headers, seed, &mut |call| self.dispatch(call));
        (answered.reply, answered.delay, answered.log)
    }

    /// Answers one request, a single call or an item of a `$batch`: records it, finds the
    /// most recent route that takes it, and answers as that route declares (throttling,
    /// `times` and delay included). Every request the stand-in answers goes through here.
    fn dispatch(&self, call: Call) -> (Reply, Option<Duration>) {
        let mut state = self.0.state();
        let taken = state.routes.iter().enumerate().rev().find_map(|(i, route)| route.takes(&call).map(|found| (i, found)));
        let Some((index, call)) = taken else {
            state.calls.push(call.clone());
            let declared = state.routes.iter().rev().map(Route::describe).collect::<Vec<_>>();
            let declared = if declared.is_empty() {
                "No route is declared".to_owned()
            } else {
                format!("Declared routes, the most recent first: {}", declared.join("; "))
            };
            let message = format!("The stand-in has no route for {call}. {declared}. Declare one with StandIn::on or StandIn::route.");
            return (Reply::error(404, "StandIn_NoRoute", &message), None);
        };
        state.calls.push(call.clone());
        let route = &mut state.routes[index];
        let delay = route.delay;
        if route.throttle.0 > 0 {
            route.throttle.0 -= 1;
            return (Reply::throttled(route.throttle.1), delay);
        }
        if let Some(times) = &mut route.times {
            *times -= 1;
        }
        let answer = route.answer.clone();
        drop(state);
        let reply = match answer {
            Answer::Fixed(reply) => reply,
            Answer::Pages(pages) => reply::page(&pages, &self.0.origin, &call),
            Answer::With(respond) => respond(&call),
        };
        (reply, delay)
    }
}

/// The request as a [`Call`], or the stand-in's answer when it is not one Graph would take.
fn call_of(request: &wiremock::Request) -> Result<Call, Reply> {
    let Some(method) = graph_method(&request.method) else {
        let message =
            format!("The stand-in answers GET, POST, PUT, PATCH and DELETE; it received {} {}.", request.method, request.url.path());
        return Err(Reply::error(405, "StandIn_MethodNotAllowed", &message));
    };
    let path = request.url.path();
    let Some(version) = version_of(path) else {
        let message = format!("The stand-in has no route for {method} {path}: Graph paths start with /v1.0 or /beta.");
        return Err(Reply::error(404, "StandIn_NoRoute", &message));
    };
    Ok(Call {
        method,
        version,
        path: path.to_owned(),
        query: request.url.query().map(str::to_owned),
        headers: request.headers.clone(),
        body: Bytes::copy_from_slice(&request.body),
        template: None,
        params: Vec::new(),
    })
}

fn graph_method(method: &http::Method) -> Option<Method> {
    Some(match method.as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        _ => return None,
    })
}

/// The version a raw path is under: its first segment, `v1.0` or `beta`.
fn version_of(path: &str) -> Option<ApiVersion> {
    [ApiVersion::V1, ApiVersion::Beta].into_iter().find(|version| {
        path.strip_prefix('/').and_then(|rest| rest.strip_prefix(version.as_str())).is_some_and(|rest| rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_whole_first_segments() {
        assert_eq!(version_of("/v1.0/users"), Some(ApiVersion::V1));
        assert_eq!(version_of("/beta/users"), Some(ApiVersion::Beta));
        assert_eq!(version_of("/beta"), None);
        assert_eq!(version_of("/betamax/users"), None);
        assert_eq!(version_of("/users"), None);
    }
}
