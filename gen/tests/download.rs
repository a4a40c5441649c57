//! `--metadata URL`: the binary downloads the document once, keeps it with its date in the
//! cache (`XDG_CACHE_HOME`, set for each run), and reads it from there until `--refresh`.
//! Every URL is on a server this test starts on loopback.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// An HTTP/1.1 server on `127.0.0.1` that answers each request with what `respond` makes of
/// its path, and records the paths asked for.
struct Server {
    addr: SocketAddr,
    paths: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(respond: impl Fn(&str) -> String + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let paths = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (paths.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let Some(path) = read_request_path(&mut stream) else { continue };
                seen.lock().unwrap().push(path.clone());
                let _ = stream.write_all(respond(&path).as_bytes());
            }
        });
        Server { addr, paths, stop, thread: Some(thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn paths(&self) -> Vec<String> {
        self.paths.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The path of the request line, after reading the head (a GET has no body).
fn read_request_path(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buffer).ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    head.lines().next()?.split(' ').nth(1).map(str::to_string)
}

fn answer(status: &str, headers: &str, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
}

fn fixture() -> String {
    std::fs::read_to_string(common::BETA_FIXTURE).unwrap()
}

fn csdl() -> String {
    answer("200 OK", "Content-Type: application/xml\r\n", &fixture())
}

/// An empty cache folder of this test's own.
fn cache_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("download-cache").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs the binary with `XDG_CACHE_HOME=cache`, generating the beta fixture's assignment.
fn generate(url: &str, cache: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graph-endpoint-gen"))
        .args(["--metadata", url, "--version", "beta", "deviceConfigurationAssignment"])
        .args(extra)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The cached documents in `cache`.
fn cached_documents(cache: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(cache.join("graph-endpoint-gen")) else { return Vec::new() };
    entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "csdl")).collect()
}

#[test]
fn a_url_is_downloaded_once_and_then_read_from_the_cache_with_its_date() {
    let server = Server::start(|_| csdl());
    let cache = cache_dir("once");
    let url = server.url("/beta/$metadata");

    let first = generate(&url, &cache, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(server.paths(), ["/beta/$metadata"]);
    assert!(stderr(&first).contains(&format!("downloaded {url}, cached as ")), "{}", stderr(&first));
    let code = stdout(&first);
    assert!(code.contains("pub struct DeviceConfigurationAssignment {"), "{code}");
    // The header names the URL and the download's date.
    let header = code.lines().nth(1).unwrap();
    assert!(header.starts_with(&format!("// Metadata: {url} (Graph beta, CSDL 4.0, {} bytes, FNV-1a ", fixture().len())), "{header}");
    let date = header.split(", downloaded ").nth(1).unwrap().trim_end_matches(')');
    assert!(date.ends_with(" GMT"), "{date}");
    let documents = cached_documents(&cache);
    assert_eq!(documents.len(), 1, "{documents:?}");
    assert_eq!(std::fs::read_to_string(&documents[0]).unwrap(), fixture(), "kept as sent");

    // Again: no request, the cached copy with the date it was downloaded, the same output.
    let second = generate(&url, &cache, &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(server.paths().len(), 1, "read from the cache");
    assert!(stderr(&second).contains(&format!("using {url} as downloaded on {date} (cached as ")), "{}", stderr(&second));
    assert!(stderr(&second).contains("--refresh downloads it again"));
    assert_eq!(stdout(&second), code);

    // `--refresh` downloads it again.
    let refreshed = generate(&url, &cache, &["--refresh"]);
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));
    assert_eq!(server.paths().len(), 2);
    assert!(stderr(&refreshed).contains(&format!("downloaded {url}, cached as ")));
    assert!(!stdout(&refreshed).contains("--refresh"), "the regenerate line leaves `--refresh` out");

    // Another URL is another entry.
    let other = generate(&server.url("/v1.0/$metadata"), &cache, &[]);
    assert!(other.status.success(), "{}", stderr(&other));
    assert_eq!(server.paths().len(), 3);
    assert_eq!(cached_documents(&cache).len(), 2);
}

#[test]
fn error_answers_and_documents_that_are_not_csdl_are_not_cached() {
    let server = Server::start(|path| match path {
        "/unavailable" => answer("503 Service Unavailable", "Retry-After: 10\r\n", "try later"),
        "/missing" => answer("404 Not Found", "", ""),
        _ => answer("200 OK", "Content-Type: text/html\r\n", "<html><body>Sign in</body></html>"),
    });
    let cache = cache_dir("errors");

    let unavailable = generate(&server.url("/unavailable"), &cache, &[]);
    assert!(!unavailable.status.success());
    let message = stderr(&unavailable);
    assert!(message.contains(&format!("cannot download `{}`", server.url("/unavailable"))), "{message}");
    assert!(message.contains("503 Service Unavailable: try later"), "{message}");

    let missing = generate(&server.url("/missing"), &cache, &[]);
    assert!(stderr(&missing).contains("404 Not Found"), "{}", stderr(&missing));

    let html = generate(&server.url("/page"), &cache, &[]);
    assert!(!html.status.success());
    assert!(stderr(&html).contains("is no CSDL metadata document"), "{}", stderr(&html));
    assert!(stderr(&html).contains("quote the URL so that a shell keeps `$metadata`"), "{}", stderr(&html));
    let sign_in = generate(&server.url("/v1.0/$metadata"), &cache, &[]);
    assert!(stderr(&sign_in).contains("is no CSDL metadata document"), "{}", stderr(&sign_in));
    assert!(!stderr(&sign_in).contains("quote the URL"), "the URL has `$metadata`: {}", stderr(&sign_in));

    assert!(cached_documents(&cache).is_empty(), "nothing kept: {:?}", cached_documents(&cache));
    // Each run asked again: nothing was remembered.
    let again = generate(&server.url("/page"), &cache, &[]);
    assert!(!again.status.success());
    assert_eq!(server.paths(), ["/unavailable", "/missing", "/page", "/v1.0/$metadata", "/page"]);
}

#[test]
fn redirects_are_followed_only_to_https_or_loopback() {
    let server = Server::start(|path| match path {
        "/old" => answer("301 Moved Permanently", "Location: /beta/$metadata\r\n", ""),
        // `.invalid` never resolves: the redirect must be refused before any connection.
        "/elsewhere" => answer("302 Found", "Location: http://graph.invalid/beta/$metadata\r\n", ""),
        _ => csdl(),
    });
    let cache = cache_dir("redirects");

    let moved = generate(&server.url("/old"), &cache, &[]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    assert_eq!(server.paths(), ["/old", "/beta/$metadata"]);
    // Cached under the URL asked for.
    let again = generate(&server.url("/old"), &cache, &[]);
    assert!(again.status.success());
    assert_eq!(server.paths().len(), 2);

    let refused = generate(&server.url("/elsewhere"), &cache, &[]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(message.contains("refused to follow a redirect"), "{message}");
    assert!(message.contains("http://graph.invalid/beta/$metadata"), "{message}");
    assert_eq!(cached_documents(&cache).len(), 1);
}

#[test]
fn plain_http_is_refused_for_other_machines() {
    let cache = cache_dir("plain-http");
    let output = generate("http://graph.microsoft.com/beta/$metadata", &cache, &[]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    assert!(stderr(&output).contains("plain `http://` is only for this machine's loopback address"), "{}", stderr(&output));
    assert!(!cache.exists(), "no cache folder made");
}
