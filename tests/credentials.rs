//! Each credential against a loopback stand-in that checks the request as Microsoft Entra, an
//! identity endpoint or the Azure CLI would see it: client assertions decoded and their PS256
//! signatures verified with the certificate, managed identity in both shapes, the federated
//! token file read again at each refresh, the CLI run as a stand-in script, and the default
//! chain. Nothing here leaves the loopback interface.
//!
//! Environment variables are process-wide: every test that sets or reads them (including by
//! making a credential that reads them) holds the `ENV` lock for its whole length, and the
//! guard restores each variable it changed.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use graph_endpoint::auth::{
    AccessToken, AzureCliCredential, ClientCertificateCredential, DefaultCredential, ManagedIdentityCredential, TokenProvider,
    WorkloadIdentityCredential,
};
use graph_endpoint::endpoint::{Answer, DecodeError, PathWriter, decode_json};
use graph_endpoint::{Client, Endpoint, ErrorKind, Method};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// `GET /me`, written by hand so that these tests need only the runtime.
struct GetMe;

impl Endpoint for GetMe {
    type Response = Value;
    fn method(&self) -> Method {
        Method::Get
    }
    fn template(&self) -> &'static str {
        "/me"
    }
    fn write_path(&self, path: &mut PathWriter<'_>) -> Result<(), graph_endpoint::Error> {
        path.literal("/me");
        Ok(())
    }
    fn decode_response(answer: &Answer<'_>) -> Result<Value, DecodeError> {
        decode_json(answer.body)
    }
}

const TENANT: &str = "tenant-1";
const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
const TOKEN_PATH: &str = "/tenant-1/oauth2/v2.0/token";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const GRAPH: &str = "https://graph.microsoft.com";

const CERT: &str = include_str!("data/credentials/client-cert.pem");
const CHAIN: &str = include_str!("data/credentials/client-chain.pem");
const CA: &str = include_str!("data/credentials/ca.pem");
const PKCS8: &str = include_str!("data/credentials/client-key-pkcs8.pem");
const PKCS1: &str = include_str!("data/credentials/client-key-pkcs1.pem");
const COMBINED: &str = include_str!("data/credentials/client-combined.pem");

/// Every variable a credential here reads.
const VARIABLES: [&str; 10] = [
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_AUTHORITY_HOST",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "PATH",
    "TZ",
];

static ENV: Mutex<()> = Mutex::new(());

/// The environment lock, held for a whole test; restores every variable it changed.
struct Env {
    saved: Vec<(&'static str, Option<OsString>)>,
    _lock: MutexGuard<'static, ()>,
}

impl Env {
    /// Takes the lock and clears the credential variables (PATH and TZ are kept).
    fn lock() -> Env {
        let lock = ENV.lock().unwrap_or_else(PoisonError::into_inner);
        let mut env = Env { saved: Vec::new(), _lock: lock };
        for name in VARIABLES.iter().filter(|n| !matches!(**n, "PATH" | "TZ")) {
            env.remove(name);
        }
        env
    }

    fn save(&mut self, name: &'static str) {
        if !self.saved.iter().any(|(n, _)| *n == name) {
            self.saved.push((name, std::env::var_os(name)));
        }
    }

    fn set(&mut self, name: &'static str, value: impl AsRef<std::ffi::OsStr>) {
        self.save(name);
        // SAFETY: every test of this binary that touches the environment holds `ENV`.
        unsafe { std::env::set_var(name, value) };
    }

    fn remove(&mut self, name: &'static str) {
        self.save(name);
        // SAFETY: as above.
        unsafe { std::env::remove_var(name) };
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for (name, value) in self.saved.drain(..) {
            // SAFETY: the lock is still held: it is dropped after this.
            match value {
                Some(value) => unsafe { std::env::set_var(name, value) },
                None => unsafe { std::env::remove_var(name) },
            }
        }
    }
}

/// A directory of its own under the system temp dir, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("graph-endpoint-credentials-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes an executable shell script.
    #[cfg(unix)]
    fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let file = self.path(name);
        std::fs::write(&file, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
        file
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn token_answer(access_token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"token_type": "Bearer", "access_token": access_token, "expires_in": 3599}))
}

fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body).into_owned().collect()
}

fn query(request: &Request) -> HashMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

fn epoch_now() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs()
}

fn seconds_left(token: &AccessToken) -> u64 {
    token.expires_at().expect("an expiry").duration_since(SystemTime::now()).map(|d| d.as_secs()).unwrap_or(0)
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// Client certificates
// ---------------------------------------------------------------------------------------------

fn der_certificates(pem: &str) -> Vec<Vec<u8>> {
    CertificateDer::pem_slice_iter(pem.as_bytes()).map(|c| c.unwrap().to_vec()).collect()
}

/// A client assertion taken apart and checked as Entra checks it: PS256 over header and claims
/// with the certificate's public key, the certificate named by `x5t#S256`.
fn check_assertion(assertion: &str, certificate_pem: &str, audience: &str) -> (Value, Value) {
    let parts: Vec<&str> = assertion.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWS in compact form");
    let decode = |part: &str| -> Value { serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap() };
    let (header, claims) = (decode(parts[0]), decode(parts[1]));
    let leaf = der_certificates(certificate_pem).remove(0);

    assert_eq!(header["alg"], "PS256");
    assert_eq!(header["typ"], "JWT");
    let thumbprint = URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, &leaf));
    assert_eq!(header["x5t#S256"], thumbprint.as_str());
    assert!(header.get("x5t").is_none(), "no SHA-1 thumbprint");

    assert_eq!(claims["aud"], audience);
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    assert!(uuid::Uuid::parse_str(claims["jti"].as_str().unwrap()).is_ok(), "{claims}");
    let (nbf, iat, exp) = (claims["nbf"].as_u64().unwrap(), claims["iat"].as_u64().unwrap(), claims["exp"].as_u64().unwrap());
    let now = epoch_now();
    assert!(nbf <= now && nbf + 60 >= now, "nbf {nbf} now {now}");
    assert!(iat <= now && exp > now);
    assert!(exp - nbf <= 600, "exp at most ten minutes ahead: {claims}");

    let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    let certificate = CertificateDer::from(leaf.as_slice());
    let certificate = webpki::EndEntityCert::try_from(&certificate).unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    certificate
        .verify_signature(webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY, signed.as_bytes(), &signature)
        .expect("the assertion is signed PS256 with the certificate's key");
    (header, claims)
}

async fn entra_issuing_tokens() -> MockServer {
    let entra = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer("cert-token")).mount(&entra).await;
    entra
}

#[tokio::test]
async fn certificate_assertions_are_ps256_jwts_entra_can_verify() {
    for (name, certificate, key) in [("PKCS#8", CERT, PKCS8), ("PKCS#1", CERT, PKCS1), ("combined", COMBINED, COMBINED)] {
        let entra = entra_issuing_tokens().await;
        let credential = ClientCertificateCredential::from_pem(TENANT, CLIENT_ID, certificate, key).unwrap().authority(entra.uri());
        let audience = format!("{}{TOKEN_PATH}", entra.uri());
        assert_eq!(credential.token_url(), audience);

        let first = credential.token().await.unwrap();
        assert_eq!(first.secret(), "cert-token", "{name}");
        credential.invalidate(&first);
        credential.token().await.unwrap();

        let requests = entra.received_requests().await.unwrap();
        assert_eq!(requests.len(), 2, "{name}: one request per token");
        let mut ids = HashSet::new();
        for request in &requests {
            assert_eq!(request.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
            let form = form(request);
            assert_eq!(form["grant_type"], "client_credentials");
            assert_eq!(form["client_id"], CLIENT_ID);
            assert_eq!(form["scope"], format!("{GRAPH}/.default"));
            assert_eq!(form["client_assertion_type"], JWT_BEARER);
            assert!(!form.contains_key("client_secret"));
            let (header, claims) = check_assertion(&form["client_assertion"], certificate, &audience);
            assert!(header.get("x5c").is_none(), "{name}: no chain unless asked");
            ids.insert(claims["jti"].as_str().unwrap().to_owned());
        }
        assert_eq!(ids.len(), 2, "{name}: each assertion has its own jti");
    }
}

#[tokio::test]
async fn the_certificate_chain_is_sent_as_x5c_when_asked() {
    let entra = entra_issuing_tokens().await;
    let credential =
        ClientCertificateCredential::from_pem(TENANT, CLIENT_ID, CHAIN, PKCS8).unwrap().send_certificate_chain(true).authority(entra.uri());
    credential.token().await.unwrap();
    let request = &entra.received_requests().await.unwrap()[0];
    let (header, _) = check_assertion(&form(request)["client_assertion"], CHAIN, &format!("{}{TOKEN_PATH}", entra.uri()));
    let expected: Vec<String> = der_certificates(CERT).iter().chain(&der_certificates(CA)).map(|der| STANDARD.encode(der)).collect();
    assert_eq!(header["x5c"], json!(expected), "standard base64 DER, leaf first");
}

#[tokio::test]
async fn a_client_sends_the_certificate_token_to_graph() {
    let entra = entra_issuing_tokens().await;
    let graph = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"}))).mount(&graph).await;
    let credential = ClientCertificateCredential::from_pem(TENANT, CLIENT_ID, CERT, PKCS8).unwrap().authority(entra.uri());
    let client = Client::builder().base_url(graph.uri()).token_provider(credential).build().unwrap();
    client.send(&GetMe).await.unwrap();
    client.send(&GetMe).await.unwrap();
    assert_eq!(entra.received_requests().await.unwrap().len(), 1, "the token is cached");
    for request in graph.received_requests().await.unwrap() {
        assert_eq!(request.headers.get("authorization").unwrap(), "Bearer cert-token");
    }
}

#[test]
fn garbage_pems_are_config_errors_that_echo_nothing() {
    let garbage =
        "-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD\n-----END PRIVATE KEY-----\n";
    for (certificate, key) in
        [(CERT, garbage), (CERT, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), ("MIIDazCCAlOgAwIBAgIUJ", PKCS8), (CERT, &PKCS8[..400])]
    {
        let error = ClientCertificateCredential::from_pem(TENANT, CLIENT_ID, certificate, key).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        let shown = format!("{error} {error:?}");
        for input in [certificate, key] {
            for line in input.lines().filter(|l| l.len() >= 16 && !l.starts_with("-----")) {
                assert!(!shown.contains(line) && !shown.contains(&line[..16]), "{shown}");
            }
        }
    }
}

#[test]
fn certificate_debug_shows_no_key_material() {
    let credential = ClientCertificateCredential::from_pem(TENANT, CLIENT_ID, COMBINED, COMBINED).unwrap();
    let shown = format!("{credential:?}");
    for line in COMBINED.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!shown.contains(line), "{shown}");
    }
}

// ---------------------------------------------------------------------------------------------
// Managed identity
// ---------------------------------------------------------------------------------------------

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn app_service_identity_endpoint_with_its_header() {
    let mut env = Env::lock();
    let expires_on = epoch_now() + 3600;
    for (expires, client_id) in [(json!(expires_on.to_string()), None), (json!(expires_on), Some("user-assigned-id"))] {
        let identity = MockServer::start().await;
        let answer = json!({"access_token": "app-service-token", "expires_on": expires, "resource": GRAPH, "token_type": "Bearer"});
        Mock::given(method("GET"))
            .and(path("/msi/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .mount(&identity)
            .await;
        env.set("IDENTITY_ENDPOINT", format!("{}/msi/token", identity.uri()));
        env.set("IDENTITY_HEADER", "identity-header-value");
        let credential = match client_id {
            Some(id) => ManagedIdentityCredential::user_assigned(id),
            None => ManagedIdentityCredential::system(),
        };
        assert!(!format!("{credential:?}").contains("identity-header-value"));
        let token = credential.token().await.unwrap();
        assert_eq!(token.secret(), "app-service-token");
        assert!((3590..=3600).contains(&seconds_left(&token)), "expires_on {expires}");

        let request = &identity.received_requests().await.unwrap()[0];
        assert_eq!(request.headers.get("x-identity-header").unwrap(), "identity-header-value");
        assert!(request.headers.get("metadata").is_none());
        let query = query(request);
        assert_eq!(query["api-version"], "2019-08-01");
        assert_eq!(query["resource"], GRAPH);
        assert_eq!(query.get("client_id").map(String::as_str), client_id);
        assert_eq!(query.len(), 2 + usize::from(client_id.is_some()));
    }
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn imds_with_the_metadata_header_system_and_user_assigned() {
    let _env = Env::lock();
    for (client_id, lifetime) in [(None, json!("3599")), (Some("user-assigned-id"), json!(3599))] {
        let imds = MockServer::start().await;
        let expires_on = (epoch_now() + 3599).to_string();
        let answer = json!({
            "access_token": "imds-token", "expires_in": lifetime, "expires_on": expires_on, "ext_expires_in": "3599",
            "not_before": "0", "resource": GRAPH, "token_type": "Bearer"
        });
        Mock::given(method("GET"))
            .and(path("/metadata/identity/oauth2/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .mount(&imds)
            .await;
        let credential = match client_id {
            Some(id) => ManagedIdentityCredential::user_assigned(id),
            None => ManagedIdentityCredential::system(),
        }
        .endpoint(format!("{}/metadata/identity/oauth2/token", imds.uri()));
        let token = credential.token().await.unwrap();
        assert_eq!(token.secret(), "imds-token");
        assert!((3589..=3599).contains(&seconds_left(&token)));

        let request = &imds.received_requests().await.unwrap()[0];
        assert_eq!(request.headers.get("metadata").unwrap(), "true");
        assert!(request.headers.get("x-identity-header").is_none());
        let query = query(request);
        assert_eq!(query["api-version"], "2018-02-01");
        assert_eq!(query["resource"], GRAPH);
        assert_eq!(query.get("client_id").map(String::as_str), client_id);
    }
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn imds_refusals_and_clouds() {
    let _env = Env::lock();
    let imds = MockServer::start().await;
    let refusal = json!({"error": "invalid_request", "error_description": "Identity not found"});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_json(refusal)).mount(&imds).await;
    let credential = ManagedIdentityCredential::user_assigned("nobody")
        .endpoint(format!("{}/metadata/identity/oauth2/token", imds.uri()))
        .cloud(graph_endpoint::NationalCloud::China);
    let error = credential.token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.message().contains("Identity not found"), "{error}");
    let request = &imds.received_requests().await.unwrap()[0];
    assert_eq!(query(request)["resource"], "https://microsoftgraph.chinacloudapi.cn");
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn a_client_sends_the_managed_identity_token_to_graph() {
    let _env = Env::lock();
    let imds = MockServer::start().await;
    Mock::given(method("GET")).respond_with(token_answer("imds-token")).mount(&imds).await;
    let graph = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&graph).await;
    let credential = ManagedIdentityCredential::system().endpoint(format!("{}/metadata/identity/oauth2/token", imds.uri()));
    let client = Client::builder().base_url(graph.uri()).token_provider(credential).build().unwrap();
    client.send(&GetMe).await.unwrap();
    assert_eq!(graph.received_requests().await.unwrap()[0].headers.get("authorization").unwrap(), "Bearer imds-token");
}

// ---------------------------------------------------------------------------------------------
// Workload identity
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_federated_token_file_is_read_again_at_each_refresh() {
    let dir = TempDir::new();
    let file = dir.path("azure-identity-token");
    std::fs::write(&file, "federated-token-1\n").unwrap();
    let entra = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer("workload-token")).mount(&entra).await;
    let credential = WorkloadIdentityCredential::new(TENANT, CLIENT_ID, &file).authority(entra.uri());

    let first = credential.token().await.unwrap();
    assert_eq!(first.secret(), "workload-token");
    std::fs::write(&file, "federated-token-2").unwrap();
    assert_eq!(credential.token().await.unwrap(), first, "cached: the file is not read per call");
    credential.invalidate(&first);
    credential.token().await.unwrap();

    let requests = entra.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for (request, assertion) in requests.iter().zip(["federated-token-1", "federated-token-2"]) {
        let form = form(request);
        assert_eq!(form["client_assertion"], assertion);
        assert_eq!(form["client_assertion_type"], JWT_BEARER);
        assert_eq!(form["grant_type"], "client_credentials");
        assert_eq!(form["client_id"], CLIENT_ID);
        assert_eq!(form["scope"], format!("{GRAPH}/.default"));
    }
}

/// A FIFO at `path` (made with `mkfifo(3)`, not a forked `mkfifo`: see the Azure CLI section).
#[cfg(target_os = "linux")]
fn make_fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `name` is a NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "{}", std::io::Error::last_os_error());
}

/// Runs `task` on a runtime of one thread (in a thread of its own) beside a second task that
/// only sets a flag; gives what `task` gave and whether the second task ran before `task`
/// ended. If anything held the runtime's one thread, the second task could not run; if a
/// thread of the runtime stayed blocked, shutting it down would not return and this fails.
#[cfg(target_os = "linux")]
fn on_one_thread<T: Send + 'static, F: std::future::Future<Output = T>>(task: impl FnOnce() -> F + Send + 'static) -> (T, bool) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let outcome = runtime.block_on(async {
            let ran = Arc::new(AtomicBool::new(false));
            let other = tokio::spawn({
                let ran = ran.clone();
                async move { ran.store(true, Ordering::SeqCst) }
            });
            let output = task().await;
            let ran_meanwhile = ran.load(Ordering::SeqCst);
            other.await.unwrap();
            (output, ran_meanwhile)
        });
        // Shutting the runtime down waits for its blocking threads: none may be left reading.
        drop(runtime);
        let _ = done.send(outcome);
    });
    finished.recv_timeout(Duration::from_secs(60)).expect("the task ended and the runtime shut down")
}

// Linux semantics: a FIFO that no writer ever opened is not readable (BSDs report it at its
// end at once, which fails as an empty file).
#[cfg(target_os = "linux")]
#[test]
fn a_token_file_that_is_a_fifo_nobody_writes_times_out_without_holding_the_runtime_thread() {
    let dir = TempDir::new();
    let fifo = dir.path("azure-identity-token");
    make_fifo(&fifo);
    let credential = WorkloadIdentityCredential::new(TENANT, CLIENT_ID, &fifo)
        .authority(format!("http://127.0.0.1:{}", closed_port()))
        .timeout(Duration::from_millis(500));
    let (result, ran_meanwhile) = on_one_thread(move || async move { credential.token().await });
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.message().contains("azure-identity-token"), "{error}");
    assert!(ran_meanwhile, "another task ran on the runtime's one thread while the file was awaited");
}

#[cfg(target_os = "linux")]
#[test]
fn a_certificate_file_that_is_a_fifo_ends_the_chain_without_holding_the_runtime_thread() {
    let mut env = Env::lock();
    let dir = TempDir::new();
    let fifo = dir.path("certificate.pem");
    make_fifo(&fifo);
    env.set("AZURE_TENANT_ID", TENANT);
    env.set("AZURE_CLIENT_ID", CLIENT_ID);
    env.set("AZURE_CLIENT_CERTIFICATE_PATH", &fifo);
    let credential = local_default(&dir).timeout(Duration::from_millis(500));
    let (result, ran_meanwhile) = on_one_thread(move || async move { credential.token().await });
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.message().contains("AZURE_CLIENT_CERTIFICATE_PATH"), "{error}");
    assert!(ran_meanwhile, "another task ran on the runtime's one thread while the file was awaited");
}

#[tokio::test]
async fn a_token_file_larger_than_64_kib_is_refused_without_a_request() {
    let dir = TempDir::new();
    let file = dir.path("azure-identity-token");
    std::fs::write(&file, "a".repeat(64 * 1024 + 1)).unwrap();
    let entra = entra_issuing_tokens().await;
    let credential = WorkloadIdentityCredential::new(TENANT, CLIENT_ID, &file).authority(entra.uri());
    let error = credential.token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.message().contains("larger than 64 KiB") && error.message().contains("azure-identity-token"), "{error}");
    assert!(entra.received_requests().await.unwrap().is_empty());

    // At the limit, it is sent whole.
    std::fs::write(&file, "a".repeat(64 * 1024)).unwrap();
    credential.token().await.unwrap();
    assert_eq!(form(&entra.received_requests().await.unwrap()[0])["client_assertion"].len(), 64 * 1024);
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn workload_identity_from_the_environment() {
    let mut env = Env::lock();
    let error = WorkloadIdentityCredential::from_env().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    for name in ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"] {
        assert!(error.message().contains(name), "{error}");
    }
    let dir = TempDir::new();
    let file = dir.path("token");
    std::fs::write(&file, "federated-token").unwrap();
    env.set("AZURE_TENANT_ID", TENANT);
    env.set("AZURE_FEDERATED_TOKEN_FILE", &file);
    let error = WorkloadIdentityCredential::from_env().unwrap_err();
    assert_eq!(error.message(), "AZURE_CLIENT_ID is not set");

    let entra = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer("workload-token")).mount(&entra).await;
    env.set("AZURE_CLIENT_ID", CLIENT_ID);
    env.set("AZURE_AUTHORITY_HOST", format!("{}/", entra.uri()));
    let credential = WorkloadIdentityCredential::from_env().unwrap();
    assert_eq!(credential.token_file(), file.as_path());
    assert_eq!(credential.token().await.unwrap().secret(), "workload-token");
    assert_eq!(form(&entra.received_requests().await.unwrap()[0])["client_assertion"], "federated-token");
}

// ---------------------------------------------------------------------------------------------
// Azure CLI (a stand-in script; every test that runs one holds the environment lock, so that
// no other test forks while a script is being written)
// ---------------------------------------------------------------------------------------------

/// A stand-in `az` that records its arguments and `TZ`, and prints a token.
#[cfg(unix)]
fn fake_az(dir: &TempDir, name: &str, token: &str) -> PathBuf {
    let expires_on = epoch_now() + 3000;
    let answer = json!({
        "accessToken": token, "expiresOn": "2000-01-01 00:00:00.000000", "expires_on": expires_on,
        "subscription": "sub", "tenant": TENANT, "tokenType": "Bearer"
    });
    let log = dir.path("calls");
    dir.script(name, &format!("echo \"$* TZ=$TZ\" >> '{}'\ncat <<'JSON'\n{answer}\nJSON", log.display()))
}

#[cfg(unix)]
fn calls(dir: &TempDir) -> Vec<String> {
    std::fs::read_to_string(dir.path("calls")).map(|log| log.lines().map(str::to_owned).collect()).unwrap_or_default()
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn the_azure_cli_gives_its_token() {
    let _env = Env::lock();
    let dir = TempDir::new();
    let az = fake_az(&dir, "az", "cli-token");
    let credential = AzureCliCredential::new().program(&az).tenant("contoso.onmicrosoft.com");
    let token = credential.token().await.unwrap();
    assert_eq!(token.secret(), "cli-token");
    assert!((2990..=3000).contains(&seconds_left(&token)), "expires_on wins over expiresOn");
    assert_eq!(credential.token().await.unwrap(), token);
    assert_eq!(
        calls(&dir),
        [format!("account get-access-token --resource {GRAPH} --output json --tenant contoso.onmicrosoft.com TZ=UTC")],
        "run once, as documented"
    );
    assert!(!format!("{credential:?}").contains("cli-token"));
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn an_old_azure_cli_gives_expires_on_as_local_time() {
    let _env = Env::lock();
    let dir = TempDir::new();
    // An old CLI prints only `expiresOn`, in local time: the stand-in prints it as `date` does
    // under the TZ it was given.
    let az = dir.script(
        "az",
        "printf '{\"accessToken\":\"old-cli-token\",\"expiresOn\":\"%s\"}' \"$(date -d @$(($(date +%s) + 1800)) '+%Y-%m-%d %H:%M:%S.000000')\"",
    );
    let token = AzureCliCredential::new().program(&az).token().await.unwrap();
    assert_eq!(token.secret(), "old-cli-token");
    assert!((1790..=1800).contains(&seconds_left(&token)), "{:?}", token.expires_at());
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn the_azure_cli_is_found_on_path() {
    let mut env = Env::lock();
    let dir = TempDir::new();
    fake_az(&dir, "az", "path-token");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir.0.clone()];
    paths.extend(std::env::split_paths(&path));
    env.set("PATH", std::env::join_paths(paths).unwrap());
    assert_eq!(AzureCliCredential::new().token().await.unwrap().secret(), "path-token");
    assert_eq!(calls(&dir).len(), 1);
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn azure_cli_failures_are_clear_auth_errors() {
    let _env = Env::lock();
    let dir = TempDir::new();

    let not_logged_in = dir.script("not-logged-in", "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1");
    let error = AzureCliCredential::new().program(&not_logged_in).token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.message().contains("not signed in") && error.message().contains("az login"), "{error}");

    let missing = dir.path("no-such-az");
    let error = AzureCliCredential::new().program(&missing).token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.message().contains("not found"), "{error}");

    let broken = dir.script("broken", "echo 'ERROR: The command failed with an unexpected error.' >&2\nexit 2");
    let error = AzureCliCredential::new().program(&broken).token().await.unwrap_err();
    assert!(error.message().contains("unexpected error") && error.message().contains('2'), "{error}");

    let chatty = dir.script("chatty", "echo 'eyJ0eXAi.not-json'");
    let error = AzureCliCredential::new().program(&chatty).token().await.unwrap_err();
    assert!(!format!("{error} {error:?}").contains("eyJ0eXAi"), "{error}");

    let error = AzureCliCredential::new().program(&chatty).tenant("a b; rm -rf /").token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn the_azure_cli_runs_without_the_apps_secrets() {
    let mut env = Env::lock();
    let dir = TempDir::new();
    let secrets = [
        ("AZURE_CLIENT_SECRET", "s3cret-client"),
        ("AZURE_CLIENT_CERTIFICATE_PASSWORD", "s3cret-certificate-password"),
        ("AZURE_PASSWORD", "s3cret-password"),
        ("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/s3cret-token-file"),
        ("IDENTITY_HEADER", "s3cret-identity-header"),
        ("MSI_SECRET", "s3cret-msi"),
        ("AZURE_STORAGE_KEY", "s3cret-storage-key"),
        ("DATABASE_PASSWORD", "s3cret-database"),
    ];
    for (name, value) in secrets {
        env.set(name, value);
    }
    let needed = [
        ("HOME", dir.0.to_str().unwrap().to_owned()),
        ("AZURE_CONFIG_DIR", dir.path(".azure").to_str().unwrap().to_owned()),
        ("HTTPS_PROXY", "http://proxy.internal:3128".to_owned()),
        ("NO_PROXY", "localhost,127.0.0.1".to_owned()),
        ("LANG", "C.UTF-8".to_owned()),
        ("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/corporate.pem".to_owned()),
    ];
    for (name, value) in &needed {
        env.set(name, value);
    }
    let dump = dir.path("environment");
    let az = dir.script(
        "az",
        &format!("env > '{}'\necho '{{\"accessToken\":\"cli-token\",\"expires_on\":{}}}'", dump.display(), epoch_now() + 3000),
    );

    assert_eq!(AzureCliCredential::new().program(&az).token().await.unwrap().secret(), "cli-token");
    let seen: HashMap<String, String> = std::fs::read_to_string(&dump)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    for (name, value) in secrets {
        assert!(!seen.contains_key(name), "{name} reached az");
        assert!(!seen.values().any(|v| v.contains(value)), "the value of {name} reached az");
    }
    for (name, value) in &needed {
        assert_eq!(seen.get(*name), Some(value), "az needs {name}");
    }
    assert_eq!(seen.get("PATH").map(OsString::from), std::env::var_os("PATH"), "az finds its Python on PATH");
    assert_eq!(seen.get("TZ").map(String::as_str), Some("UTC"));
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn a_hung_azure_cli_is_stopped_at_the_timeout() {
    let _env = Env::lock();
    let dir = TempDir::new();
    let hung = dir.script("hung", "exec sleep 30");
    let started = Instant::now();
    let error = AzureCliCredential::new().program(&hung).timeout(Duration::from_millis(500)).token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.message().contains("Azure CLI"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// The default chain
// ---------------------------------------------------------------------------------------------

/// A chain whose managed identity and Azure CLI steps stay local whatever happens: a closed
/// loopback port for the metadata service, no `az`.
fn local_default(dir: &TempDir) -> DefaultCredential {
    DefaultCredential::new()
        .managed_identity_endpoint(format!("http://127.0.0.1:{}/metadata/identity/oauth2/token", closed_port()))
        .azure_cli_program(dir.path("no-such-az"))
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn when_every_step_is_unavailable_one_error_names_each_and_why() {
    let _env = Env::lock();
    let dir = TempDir::new();
    let credential = local_default(&dir).timeout(Duration::from_secs(5));
    let started = Instant::now();
    let error = credential.token().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "no IMDS fails fast: {:?}", started.elapsed());
    assert_eq!(error.kind(), ErrorKind::Auth);
    let message = error.message();
    assert!(message.starts_with("no credential is available"), "{message}");
    for part in [
        "environment: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH are not set",
        "workload identity: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE are not set",
        "managed identity: no managed identity endpoint at http://127.0.0.1:",
        "Azure CLI: the Azure CLI (",
    ] {
        assert!(message.contains(part), "{part:?} missing from {message}");
    }
    assert_eq!(credential.selected(), None);
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn the_first_step_that_gives_a_token_is_remembered() {
    let _env = Env::lock();
    let dir = TempDir::new();
    let az = fake_az(&dir, "az", "cli-token");
    let imds = MockServer::start().await;
    Mock::given(method("GET")).respond_with(token_answer("imds-token")).up_to_n_times(1).mount(&imds).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string("IMDS is restarting")).mount(&imds).await;
    let credential =
        DefaultCredential::new().managed_identity_endpoint(format!("{}/metadata/identity/oauth2/token", imds.uri())).azure_cli_program(&az);

    let first = credential.token().await.unwrap();
    assert_eq!(first.secret(), "imds-token");
    assert_eq!(credential.selected(), Some("managed identity"));
    assert_eq!(credential.token().await.unwrap(), first);
    assert_eq!(imds.received_requests().await.unwrap().len(), 1);

    // Refused by Graph: the refresh goes to the managed identity again, whose failure is the
    // answer; the chain is not walked again.
    credential.invalidate(&first);
    let error = credential.token().await.unwrap_err();
    assert!(error.message().contains("IMDS is restarting"), "{error}");
    assert_eq!(credential.selected(), Some("managed identity"));
    assert!(calls(&dir).is_empty(), "the Azure CLI is never run");
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn the_environment_step_uses_a_secret_or_a_certificate_file() {
    let mut env = Env::lock();
    let entra = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer("env-token")).mount(&entra).await;
    env.set("AZURE_TENANT_ID", TENANT);
    env.set("AZURE_CLIENT_ID", CLIENT_ID);
    env.set("AZURE_CLIENT_SECRET", "env-s3cret");
    let dir = TempDir::new();
    let credential = local_default(&dir).authority(entra.uri());
    assert!(!format!("{credential:?}").contains("env-s3cret"));
    assert_eq!(credential.token().await.unwrap().secret(), "env-token");
    assert_eq!(credential.selected(), Some("environment"));
    assert_eq!(form(&entra.received_requests().await.unwrap()[0])["client_secret"], "env-s3cret");

    env.remove("AZURE_CLIENT_SECRET");
    let combined = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/credentials/client-combined.pem");
    env.set("AZURE_CLIENT_CERTIFICATE_PATH", &combined);
    let credential = local_default(&dir).authority(entra.uri());
    assert_eq!(credential.token().await.unwrap().secret(), "env-token");
    let request = &entra.received_requests().await.unwrap()[1];
    check_assertion(&form(request)["client_assertion"], COMBINED, &format!("{}{TOKEN_PATH}", entra.uri()));
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn the_chain_moves_on_to_workload_identity() {
    let mut env = Env::lock();
    let dir = TempDir::new();
    let file = dir.path("token");
    std::fs::write(&file, "federated-token").unwrap();
    let entra = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer("workload-token")).mount(&entra).await;
    env.set("AZURE_TENANT_ID", TENANT);
    env.set("AZURE_CLIENT_ID", CLIENT_ID);
    env.set("AZURE_FEDERATED_TOKEN_FILE", &file);
    env.set("AZURE_AUTHORITY_HOST", entra.uri());
    let credential = local_default(&dir);
    assert_eq!(credential.token().await.unwrap().secret(), "workload-token");
    assert_eq!(credential.selected(), Some("workload identity"));
}

/// A chain whose managed identity step finds nothing listening and whose Azure CLI step is a
/// stand-in `az` that gives `cli-token` and logs each run.
#[cfg(unix)]
fn default_with_az(dir: &TempDir) -> DefaultCredential {
    let az = fake_az(dir, "az", "cli-token");
    DefaultCredential::new()
        .managed_identity_endpoint(format!("http://127.0.0.1:{}/metadata/identity/oauth2/token", closed_port()))
        .azure_cli_program(az)
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn a_brief_503_from_entra_for_the_apps_secret_does_not_switch_to_the_azure_cli() {
    let mut env = Env::lock();
    let dir = TempDir::new();
    let entra = MockServer::start().await;
    let unavailable = json!({"error": "temporarily_unavailable", "error_description": "AADSTS90033: A transient error has occurred."});
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_json(unavailable))
        .up_to_n_times(1)
        .mount(&entra)
        .await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer("env-token")).mount(&entra).await;
    env.set("AZURE_TENANT_ID", TENANT);
    env.set("AZURE_CLIENT_ID", CLIENT_ID);
    env.set("AZURE_CLIENT_SECRET", "env-s3cret");
    let credential = default_with_az(&dir).authority(entra.uri());

    let error = credential.token().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert_eq!(error.code(), Some("AADSTS90033"), "the secret's own error: {error}");
    assert!(error.message().contains("503"), "{error}");
    assert_eq!(credential.selected(), None);
    assert!(calls(&dir).is_empty(), "the developer's `az` login is never used in the app's place");

    // Entra is back: the next request asks for the app's token again.
    assert_eq!(credential.token().await.unwrap().secret(), "env-token");
    assert_eq!(credential.selected(), Some("environment"));
    assert_eq!(entra.received_requests().await.unwrap().len(), 2);
    assert!(calls(&dir).is_empty());
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn a_step_that_is_set_up_and_fails_ends_the_chain_with_its_own_error() {
    let mut env = Env::lock();
    let refused =
        json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": [7000215]});
    let entra_answering = |answer: ResponseTemplate| async move {
        let entra = MockServer::start().await;
        Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(answer).mount(&entra).await;
        entra
    };
    // Each case: the environment it sets, the chain, and a check of the error.
    type Check = Box<dyn Fn(&graph_endpoint::Error)>;
    for case in ["refused secret", "5xx", "timeout", "unreadable certificate", "missing token file", "identity endpoint 500", "IMDS 500"] {
        for name in VARIABLES.iter().filter(|n| !matches!(**n, "PATH" | "TZ")) {
            env.remove(name);
        }
        let dir = TempDir::new();
        let (credential, check, _server): (DefaultCredential, Check, MockServer) = match case {
            "refused secret" | "5xx" | "timeout" => {
                let answer = match case {
                    "refused secret" => ResponseTemplate::new(401).set_body_json(refused.clone()),
                    "5xx" => ResponseTemplate::new(500).set_body_string("upstream down"),
                    _ => token_answer("late").set_delay(Duration::from_secs(30)),
                };
                let entra = entra_answering(answer).await;
                env.set("AZURE_TENANT_ID", TENANT);
                env.set("AZURE_CLIENT_ID", CLIENT_ID);
                env.set("AZURE_CLIENT_SECRET", "env-s3cret");
                let credential = default_with_az(&dir).authority(entra.uri()).timeout(Duration::from_millis(500));
                let check: Check = match case {
                    "refused secret" => Box::new(|e| assert_eq!(e.code(), Some("AADSTS7000215"), "{e}")),
                    "5xx" => Box::new(|e| assert!(e.message().contains("500") && e.message().contains("upstream down"), "{e}")),
                    _ => Box::new(|e| assert_eq!(e.kind(), ErrorKind::Timeout, "{e}")),
                };
                (credential, check, entra)
            }
            "unreadable certificate" | "missing token file" => {
                env.set("AZURE_TENANT_ID", TENANT);
                env.set("AZURE_CLIENT_ID", CLIENT_ID);
                let missing = dir.path(if case == "missing token file" { "no-token" } else { "no-cert.pem" });
                let check: Check = if case == "missing token file" {
                    env.set("AZURE_FEDERATED_TOKEN_FILE", &missing);
                    Box::new(|e| assert!(e.message().contains("no-token") && e.kind() == ErrorKind::Auth, "{e}"))
                } else {
                    env.set("AZURE_CLIENT_CERTIFICATE_PATH", &missing);
                    Box::new(|e| assert!(e.message().contains("no-cert.pem") && e.kind() == ErrorKind::Config, "{e}"))
                };
                (default_with_az(&dir), check, MockServer::start().await)
            }
            "identity endpoint 500" => {
                let identity = MockServer::start().await;
                Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string("identity down")).mount(&identity).await;
                env.set("IDENTITY_ENDPOINT", format!("{}/msi/token", identity.uri()));
                env.set("IDENTITY_HEADER", "identity-header-value");
                let az = fake_az(&dir, "az", "cli-token");
                let check: Check = Box::new(|e| assert!(e.message().contains("identity down"), "{e}"));
                (DefaultCredential::new().azure_cli_program(az), check, identity)
            }
            _ => {
                let imds = MockServer::start().await;
                Mock::given(method("GET"))
                    // Azure's metadata service answers its errors in JSON.
                    .respond_with(
                        ResponseTemplate::new(500).set_body_json(json!({"error": "unknown", "error_description": "IMDS is restarting"})),
                    )
                    .mount(&imds)
                    .await;
                let az = fake_az(&dir, "az", "cli-token");
                let credential = DefaultCredential::new()
                    .managed_identity_endpoint(format!("{}/metadata/identity/oauth2/token", imds.uri()))
                    .azure_cli_program(az);
                let check: Check = Box::new(|e| assert!(e.message().contains("IMDS is restarting"), "{e}"));
                (credential, check, imds)
            }
        };
        let error = credential.token().await.unwrap_err();
        assert!(!error.message().starts_with("no credential is available"), "{case}: {error}");
        check(&error);
        assert_eq!(credential.selected(), None, "{case}");
        assert!(calls(&dir).is_empty(), "{case}: the chain went on to the Azure CLI");
    }
}

#[cfg(unix)]
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn unavailable_steps_pass_to_the_next() {
    let mut env = Env::lock();
    // Half an app registration (no secret, no certificate, no token file) and nothing
    // listening at the metadata service: every step before the Azure CLI is unavailable.
    env.set("AZURE_TENANT_ID", TENANT);
    env.set("AZURE_CLIENT_ID", CLIENT_ID);
    let dir = TempDir::new();
    let credential = default_with_az(&dir);
    assert_eq!(credential.token().await.unwrap().secret(), "cli-token");
    assert_eq!(credential.selected(), Some("Azure CLI"));
    assert_eq!(calls(&dir).len(), 1);

    // A metadata service that answers 400: no identity is assigned to this resource.
    let imds = MockServer::start().await;
    let refusal = json!({"error": "invalid_request", "error_description": "Identity not found"});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_json(refusal)).mount(&imds).await;
    let dir = TempDir::new();
    let az = fake_az(&dir, "az", "cli-token");
    let credential =
        DefaultCredential::new().managed_identity_endpoint(format!("{}/metadata/identity/oauth2/token", imds.uri())).azure_cli_program(az);
    assert_eq!(credential.token().await.unwrap().secret(), "cli-token");
    assert_eq!(credential.selected(), Some("Azure CLI"));
    assert_eq!(imds.received_requests().await.unwrap().len(), 1);

    // Something that is not Azure's metadata service at its address (another cloud's, a
    // proxy's page) answers without JSON: no managed identity here either.
    for answer in [ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"), ResponseTemplate::new(200).set_body_string("ok")] {
        let other = MockServer::start().await;
        Mock::given(method("GET")).respond_with(answer).mount(&other).await;
        let dir = TempDir::new();
        let az = fake_az(&dir, "az", "cli-token");
        let credential = DefaultCredential::new()
            .managed_identity_endpoint(format!("{}/metadata/identity/oauth2/token", other.uri()))
            .azure_cli_program(az);
        assert_eq!(credential.token().await.unwrap().secret(), "cli-token");
        assert_eq!(credential.selected(), Some("Azure CLI"));
    }
}
