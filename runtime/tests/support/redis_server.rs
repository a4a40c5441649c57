//! A real `redis-server` for tests and benchmarks: started on a free loopback port, without
//! persistence, ready once it answers `PING`, killed when dropped. Standard library only, so
//! that the runtime's tests and the facade's benchmarks can both include it by path.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to answer its first `PING`.
const READY_WITHIN: Duration = Duration::from_secs(10);

pub struct RedisServer {
    child: Child,
    port: u16,
    password: Option<String>,
}

impl RedisServer {
    /// A server on a free loopback port.
    pub fn start() -> RedisServer {
        RedisServer::start_with(None, None)
    }

    /// A server that requires `password`.
    pub fn with_password(password: &str) -> RedisServer {
        RedisServer::start_with(None, Some(password))
    }

    /// A server on `port` (to bring one back where another was).
    pub fn on_port(port: u16) -> RedisServer {
        RedisServer::start_with(Some(port), None)
    }

    fn start_with(port: Option<u16>, password: Option<&str>) -> RedisServer {
        // A free port can be taken by someone else before the server binds it: try a few.
        let mut last = String::new();
        for _ in 0..5 {
            let port = port.unwrap_or_else(free_port);
            let mut command = Command::new("redis-server");
            command
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(std::env::temp_dir())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            if let Some(password) = password {
                command.args(["--requirepass", password]);
            }
            let child = match command.spawn() {
                Ok(child) => child,
                Err(e) => panic!("cannot start redis-server ({e}): install it, e.g. `apt-get install -y redis-server`"),
            };
            let mut server = RedisServer { child, port, password: password.map(str::to_owned) };
            match server.wait_ready() {
                Ok(()) => return server,
                Err(e) => last = e,
            }
        }
        panic!("redis-server did not start: {last}");
    }

    /// Polls `PING` until the server answers, it exits, or the bound passes.
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status} (port {} taken?)", self.port));
            }
            match self.try_command(&["PING"]) {
                Ok(reply) if reply == "+PONG" || reply.starts_with("-NOAUTH") => return Ok(()),
                _ if Instant::now() >= deadline => {
                    return Err(format!("no PONG on port {} within {READY_WITHIN:?}", self.port));
                }
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    /// Stops the server without closing its connections (`SIGSTOP`): it accepts and reads, and
    /// answers nothing until [`resume`](Self::resume).
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill").args([signal, &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success(), "kill {signal} {}", self.child.id());
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:port/` with the password, if any.
    pub fn url(&self) -> String {
        match &self.password {
            Some(password) => format!("redis://:{password}@127.0.0.1:{}/", self.port),
            None => format!("redis://127.0.0.1:{}/", self.port),
        }
    }

    /// Runs one command and returns the first line of its answer (`:1`, `+OK`, `-ERR ...`).
    pub fn command(&self, args: &[&str]) -> String {
        self.try_command(args).unwrap_or_else(|e| panic!("redis command {args:?}: {e}"))
    }

    /// The integer answer of a command (`EXISTS`, `PTTL`, `ZCARD`, `DBSIZE`).
    pub fn integer(&self, args: &[&str]) -> i64 {
        let reply = self.command(args);
        reply.strip_prefix(':').and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{args:?} answered {reply:?}"))
    }

    fn try_command(&self, args: &[&str]) -> Result<String, String> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(1)).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).map_err(|e| e.to_string())?;
        let mut request = Vec::new();
        let mut send = |args: &[&str]| {
            request.extend(format!("*{}\r\n", args.len()).into_bytes());
            for arg in args {
                request.extend(format!("${}\r\n{arg}\r\n", arg.len()).into_bytes());
            }
        };
        if let Some(password) = &self.password {
            send(&["AUTH", password]);
        }
        send(args);
        stream.write_all(&request).map_err(|e| e.to_string())?;
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        if self.password.is_some() {
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            line.clear();
        }
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if line.is_empty() {
            return Err("connection closed".into());
        }
        Ok(line.trim_end().to_owned())
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nobody listens on (at the moment it is returned).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}
