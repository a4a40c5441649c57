//! A raw-TCP HTTP/1.1 server on 127.0.0.1 for fault-injection tests.
//!
//! Each request that arrives, in arrival order across all connections, takes the
//! next [`Fault`] of a script; once the script is used up every further request
//! gets a fixed fallback fault. Requests are recorded as soon as they are fully
//! read, before the fault is acted on, so a test can count arrivals even when the
//! server closed the connection or never answered.
//!
//! Include it with `#[path = "support/fault_server.rs"] mod fault_server;`.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;

/// What the server does with one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally, keeping the connection open for the next request.
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Read the whole request (headers and body), then close the connection without answering.
    CloseAfterRead,
    /// Read the request, send the status line and headers with `Content-Length: declared`,
    /// then the `sent` bytes of body (`sent.len() < declared`), then close.
    CutBody { status: u16, headers: Vec<(String, String)>, declared: usize, sent: Vec<u8> },
    /// Read the request and never answer; the socket stays open until the client closes it
    /// or the server is dropped. Other connections are not affected.
    Hang,
    /// Answer normally without `Connection: close`, then close the socket at once, so that a
    /// client that pooled the connection finds it closed when it next uses it.
    RespondThenClose { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
}

impl Fault {
    /// `Respond` with `status` and an empty body.
    pub fn status(status: u16) -> Fault {
        Fault::Respond { status, headers: Vec::new(), body: Vec::new() }
    }

    /// `Respond` with `status`, `content-type: application/json` and `body` serialized.
    pub fn json(status: u16, body: serde_json::Value) -> Fault {
        let body = serde_json::to_vec(&body).expect("a JSON value serializes");
        Fault::Respond { status, headers: vec![("content-type".into(), "application/json".into())], body }
    }

    /// `Respond` with `status`, `content-type: text/plain` and `body`.
    pub fn text(status: u16, body: &str) -> Fault {
        Fault::Respond { status, headers: vec![("content-type".into(), "text/plain".into())], body: body.as_bytes().to_vec() }
    }

    /// `CutBody` with no extra headers: announces `declared` body bytes, sends `sent`, closes.
    pub fn cut_body(status: u16, declared: usize, sent: &[u8]) -> Fault {
        assert!(sent.len() < declared, "a cut body sends fewer bytes than it declares");
        Fault::CutBody { status, headers: Vec::new(), declared, sent: sent.to_vec() }
    }

    /// Adds a header to `Respond`, `RespondThenClose` or `CutBody`.
    ///
    /// # Panics
    /// On `CloseAfterRead` and `Hang`, which send no headers.
    pub fn with_header(mut self, name: &str, value: &str) -> Fault {
        match &mut self {
            Fault::Respond { headers, .. } | Fault::RespondThenClose { headers, .. } | Fault::CutBody { headers, .. } => {
                headers.push((name.to_string(), value.to_string()));
            }
            Fault::CloseAfterRead | Fault::Hang => panic!("{self:?} sends no headers"),
        }
        self
    }

    /// Turns `Respond` into `RespondThenClose` with the same status, headers and body.
    ///
    /// # Panics
    /// On any other fault.
    pub fn then_close(self) -> Fault {
        match self {
            Fault::Respond { status, headers, body } => Fault::RespondThenClose { status, headers, body },
            other => panic!("only Respond can be turned into RespondThenClose, not {other:?}"),
        }
    }
}

/// One request as the server read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// The request-target as sent, query included.
    pub path: String,
    /// Header names lower-cased, values trimmed, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body: `Content-Length` bytes, or the decoded chunks of a chunked body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (any case), in order.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    /// The body as UTF-8 (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct State {
    script: VecDeque<Fault>,
    then: Fault,
    requests: Vec<Recorded>,
    connections: usize,
    tasks: Vec<AbortHandle>,
    stopped: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Number of requests recorded, for [`FaultServer::wait_for_requests`].
    count: watch::Sender<usize>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a fully read request and hands out the fault it takes.
    fn record(&self, request: Recorded) -> Fault {
        let mut state = self.lock();
        state.requests.push(request);
        let n = state.requests.len();
        // Sent under the lock so that the watched count never goes backwards.
        self.count.send_replace(n);
        match state.script.pop_front() {
            Some(fault) => fault,
            None => state.then.clone(),
        }
    }
}

/// A scripted HTTP/1.1 server on `127.0.0.1:<ephemeral port>`. Dropping it stops the
/// accept loop and every connection task, which closes hung sockets.
pub struct FaultServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: AbortHandle,
}

impl FaultServer {
    /// Starts the server. Each request that arrives takes the next fault of `script`;
    /// once the script is used up every further request gets `then`.
    pub async fn start(script: Vec<Fault>, then: Fault) -> FaultServer {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address of the listener");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                script: script.into(),
                then,
                requests: Vec::new(),
                connections: 0,
                tasks: Vec::new(),
                stopped: false,
            }),
            count: watch::Sender::new(0),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared))).abort_handle();
        FaultServer { addr, shared, accept }
    }

    /// A server that gives every request `fault`.
    pub async fn always(fault: Fault) -> FaultServer {
        FaultServer::start(Vec::new(), fault).await
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request fully read so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().requests.clone()
    }

    /// Number of requests fully read so far.
    pub fn count(&self) -> usize {
        self.shared.lock().requests.len()
    }

    /// Number of TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.lock().connections
    }

    /// Number of script entries not yet taken.
    pub fn script_left(&self) -> usize {
        self.shared.lock().script.len()
    }

    /// Waits until at least `n` requests have been recorded. Useful after a fault the
    /// client cannot observe the server's side of (such as `Hang`).
    pub async fn wait_for_requests(&self, n: usize) {
        let mut rx = self.shared.count.subscribe();
        // The sender lives in `self.shared`, so it cannot be dropped while we wait.
        let _ = rx.wait_for(|count| *count >= n).await;
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.accept.abort();
        let mut state = self.shared.lock();
        state.stopped = true;
        for task in state.tasks.drain(..) {
            task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _peer)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        shared.lock().connections += 1;
        let task = tokio::spawn(serve_connection(stream, Arc::clone(&shared))).abort_handle();
        let mut state = shared.lock();
        if state.stopped {
            task.abort();
        } else {
            state.tasks.retain(|t| !t.is_finished());
            state.tasks.push(task);
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let mut conn = Conn { stream, buf: Vec::new() };
    // Any I/O or parse error simply ends the connection.
    let _ = conn.serve(&shared).await;
}

struct Conn {
    stream: TcpStream,
    /// Bytes read but not yet consumed: the rest of the current request, or pipelined
    /// bytes of the next one.
    buf: Vec<u8>,
}

impl Conn {
    async fn serve(&mut self, shared: &Shared) -> io::Result<()> {
        while let Some(request) = self.read_request().await? {
            let head_only = request.method.eq_ignore_ascii_case("HEAD");
            let client_closes = request.header("connection").is_some_and(|v| has_token(v, "close"));
            match shared.record(request) {
                Fault::Respond { status, headers, body } => {
                    self.stream.write_all(&response(status, &headers, &body, head_only)).await?;
                    self.stream.flush().await?;
                    if client_closes {
                        return self.close().await;
                    }
                }
                Fault::CloseAfterRead => return self.close().await,
                Fault::CutBody { status, headers, declared, sent } => {
                    let mut out = head(status, &headers, Some(declared));
                    out.extend_from_slice(&sent);
                    self.stream.write_all(&out).await?;
                    return self.close().await;
                }
                Fault::Hang => return self.hang().await,
                Fault::RespondThenClose { status, headers, body } => {
                    self.stream.write_all(&response(status, &headers, &body, head_only)).await?;
                    return self.close().await;
                }
            }
        }
        Ok(())
    }

    /// Sends FIN after everything written; the socket itself closes when the task ends.
    async fn close(&mut self) -> io::Result<()> {
        self.stream.flush().await?;
        self.stream.shutdown().await
    }

    /// Keeps the socket open, discarding whatever arrives, until the peer closes it
    /// (or the task is aborted when the server is dropped).
    async fn hang(&mut self) -> io::Result<()> {
        let mut sink = [0u8; 4096];
        while self.stream.read(&mut sink).await? != 0 {}
        Ok(())
    }

    /// Reads more bytes into `buf`; `Ok(0)` at end of stream.
    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(4096);
        self.stream.read_buf(&mut self.buf).await
    }

    /// Reads more bytes, treating end of stream as an error.
    async fn fill_more(&mut self) -> io::Result<()> {
        if self.fill().await? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed inside a request"));
        }
        Ok(())
    }

    /// Takes the first `n` buffered bytes, reading until there are that many.
    async fn take(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            self.fill_more().await?;
        }
        let rest = self.buf.split_off(n);
        Ok(std::mem::replace(&mut self.buf, rest))
    }

    /// Takes one CRLF-terminated line, without the CRLF.
    async fn line(&mut self) -> io::Result<Vec<u8>> {
        let mut scanned = 0;
        loop {
            if let Some(i) = find(&self.buf[scanned..], b"\r\n") {
                let mut line = self.take(scanned + i + 2).await?;
                line.truncate(line.len() - 2);
                return Ok(line);
            }
            scanned = self.buf.len().saturating_sub(1);
            self.fill_more().await?;
        }
    }

    /// Reads one whole request; `Ok(None)` if the peer closed cleanly between requests.
    async fn read_request(&mut self) -> io::Result<Option<Recorded>> {
        let mut scanned = 0;
        let head_end = loop {
            // Empty lines before a request line are ignored (RFC 9112, 2.2).
            while self.buf.starts_with(b"\r\n") {
                self.buf.drain(..2);
                scanned = 0;
            }
            if let Some(i) = find(&self.buf[scanned..], b"\r\n\r\n") {
                break scanned + i + 4;
            }
            scanned = self.buf.len().saturating_sub(3);
            if self.fill().await? == 0 {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed inside request headers"));
            }
        };
        let head_bytes = self.take(head_end).await?;
        let text = String::from_utf8_lossy(&head_bytes[..head_end - 4]);
        let mut lines = text.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ').filter(|p| !p.is_empty());
        let (Some(method), Some(path), Some(_version)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad(format!("malformed request line {request_line:?}")));
        };
        let mut headers = Vec::new();
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                return Err(bad(format!("malformed header line {line:?}")));
            };
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        let mut request = Recorded { method: method.to_string(), path: path.to_string(), headers, body: Vec::new() };

        let chunked = request
            .header_all("transfer-encoding")
            .iter()
            .flat_map(|v| v.split(','))
            .last()
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("chunked"));
        if chunked {
            request.body = self.read_chunked().await?;
        } else if let Some(length) = request.header("content-length") {
            let length: usize = length.parse().map_err(|_| bad(format!("bad content-length {length:?}")))?;
            request.body = self.take(length).await?;
        }
        Ok(Some(request))
    }

    /// Decodes a chunked body, discarding chunk extensions and trailers.
    async fn read_chunked(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line = self.line().await?;
            let line = String::from_utf8_lossy(&line);
            let size = line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size, 16).map_err(|_| bad(format!("bad chunk size {size:?}")))?;
            if size == 0 {
                while !self.line().await?.is_empty() {}
                return Ok(body);
            }
            body.extend_from_slice(&self.take(size).await?);
            if self.take(2).await? != b"\r\n" {
                return Err(bad("chunk not followed by CRLF".into()));
            }
        }
    }
}

fn bad(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn has_token(value: &str, token: &str) -> bool {
    value.split(',').any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// Statuses that never carry a body.
fn bodiless(status: u16) -> bool {
    (100..200).contains(&status) || status == 204 || status == 304
}

/// Status line and headers, ending with the blank line. `content_length`, when given,
/// replaces any `content-length` among `headers`.
fn head(status: u16, headers: &[(String, String)], content_length: Option<usize>) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status)).into_bytes();
    for (name, value) in headers {
        if content_length.is_some() && name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if let Some(length) = content_length {
        out.extend_from_slice(format!("content-length: {length}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// A whole response. A `content-length` is added from the body unless the caller gave
/// one or the status has no body; the body is left out for bodiless statuses and HEAD.
fn response(status: u16, headers: &[(String, String)], body: &[u8], head_only: bool) -> Vec<u8> {
    let given = headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
    let length = if given || bodiless(status) { None } else { Some(body.len()) };
    let mut out = head(status, headers, length);
    if !head_only && !bodiless(status) {
        out.extend_from_slice(body);
    }
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        507 => "Insufficient Storage",
        509 => "Bandwidth Limit Exceeded",
        _ => "Status",
    }
}
