//! What a finished job comes to: counts, error codes, and one line per item written to a
//! spool file as the job goes (so that a report of 100,000 items holds no more memory than one
//! of 10), copied out by [`Report::write_json_lines`].

use super::driver::{Event, Finished, JobStream};
use super::resume::kind_name;
use crate::error::{Error, ErrorKind};
use crate::request::endpoint::Endpoint;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// What a job came to, from [`Job::run`](super::Job::run).
///
/// The item counts partition the job's items: each is exactly one of succeeded, failed,
/// unverified, not sent or skipped.
#[derive(Debug)]
pub struct Report {
    succeeded: usize,
    failed: usize,
    unverified: usize,
    not_sent: usize,
    skipped: usize,
    throttled: usize,
    requests: usize,
    elapsed: Duration,
    by_code: BTreeMap<String, usize>,
    lines: Mutex<Lines>,
}

impl Report {
    /// Items answered with a success.
    pub fn succeeded(&self) -> usize {
        self.succeeded
    }

    /// Items that failed: Graph's error, a transport failure, a request refused before
    /// sending (not the unverified ones, not those never sent).
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// Writes an earlier run sent without learning what came of them, not sent again
    /// ([`ErrorKind::Unverified`](crate::ErrorKind::Unverified)): to check by hand.
    pub fn unverified(&self) -> usize {
        self.unverified
    }

    /// Items never sent ([`ErrorKind::NotSent`](crate::ErrorKind::NotSent)): after a failure
    /// in an [in-order](super::Job::in_order) job, or in a `$batch` request that never left.
    pub fn not_sent(&self) -> usize {
        self.not_sent
    }

    /// Items an earlier run applied (per the journal), not sent again.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Answers (and `$batch` items) Graph throttled (`429`, `503`); each was sent again within
    /// the client's retry policy.
    pub fn throttled(&self) -> usize {
        self.throttled
    }

    /// HTTP requests sent: `$batch` requests or single calls, retries included.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// How long the job took.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Failed, unverified and unsent items by error code: Graph's `code`, or for an error
    /// without one its kind (`Transport`, `Timeout`, `NotSent`, `Unverified`, ...).
    pub fn by_code(&self) -> &BTreeMap<String, usize> {
        &self.by_code
    }

    /// Writes one JSON object per line and item, in the order items finished: `index`, `key`,
    /// `status`, `code`, `message`, `request-id`, `client-request-id` and `outcome`
    /// (`succeeded`, `failed`, `unverified`, `not_sent` or `skipped`); a field without a value
    /// is `null`. The file is created or truncated.
    pub fn write_json_lines(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let failed =
            |e: std::io::Error| Error::config(format!("the report could not be written to `{}`: {e}", path.display())).with_source(e);
        let mut out = BufWriter::new(File::create(path).map_err(failed)?);
        let mut lines = self.lines.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &mut *lines {
            Lines::Memory(bytes) => out.write_all(bytes).map_err(failed)?,
            Lines::File(file) => {
                file.seek(SeekFrom::Start(0)).map_err(failed)?;
                std::io::copy(&mut Read::by_ref(file), &mut out).map_err(failed)?;
            }
        }
        out.flush().map_err(failed)
    }
}

/// Where the lines are kept: an unnamed temporary file, or memory when none can be made.
#[derive(Debug)]
enum Lines {
    File(File),
    Memory(Vec<u8>),
}

/// One line of the report.
#[derive(Serialize)]
struct Line<'a> {
    index: usize,
    key: Option<&'a str>,
    status: Option<u16>,
    code: Option<&'a str>,
    message: Option<&'a str>,
    #[serde(rename = "request-id")]
    request_id: Option<&'a str>,
    #[serde(rename = "client-request-id")]
    client_request_id: Option<&'a str>,
    outcome: &'static str,
}

/// Drives the stream to its end, writing the lines and counting the codes.
pub(crate) async fn run<'a, E>(mut stream: JobStream<'a, E>) -> Result<Report, Error>
where
    E: Endpoint + Send + Sync + 'a,
    E::Response: Send + 'a,
{
    let mut out = spool();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    while let Some(event) = std::future::poll_fn(|cx| stream.poll_event(cx)).await {
        let event = event?;
        let line = match &event {
            Event::Skipped { index, key, status, request_id, client_request_id } => Line {
                index: *index,
                key: key.as_deref(),
                status: *status,
                code: None,
                message: None,
                request_id: request_id.as_deref(),
                client_request_id: client_request_id.as_deref(),
                outcome: "skipped",
            },
            Event::Finished(Finished { item, status, request_id, client_request_id }) => {
                let error = item.result.as_ref().err();
                let code = error.map(|error| error.code().unwrap_or(kind_name(error.kind())));
                if let Some(code) = code {
                    *by_code.entry(code.to_owned()).or_default() += 1;
                }
                let line = Line {
                    index: item.index,
                    key: item.key.as_deref(),
                    status: *status,
                    code,
                    message: error.map(Error::message).filter(|m| !m.is_empty()),
                    request_id: request_id.as_deref(),
                    client_request_id: client_request_id.as_deref(),
                    outcome: outcome(error),
                };
                write_line(&mut out, &line);
                continue;
            }
        };
        write_line(&mut out, &line);
    }
    let progress = stream.progress();
    let lines = match out {
        Out::File(writer) => match writer.into_inner() {
            Ok(file) => Lines::File(file),
            Err(e) => return Err(Error::config(format!("the report's lines could not be kept: {}", e.error()))),
        },
        Out::Memory(bytes) => Lines::Memory(bytes),
    };
    Ok(Report {
        succeeded: progress.succeeded,
        failed: progress.failed,
        unverified: progress.unverified,
        not_sent: progress.not_sent,
        skipped: progress.skipped,
        throttled: progress.throttled,
        requests: progress.requests,
        elapsed: progress.elapsed,
        by_code,
        lines: Mutex::new(lines),
    })
}

fn outcome(error: Option<&Error>) -> &'static str {
    match error.map(Error::kind) {
        None => "succeeded",
        Some(ErrorKind::Unverified) => "unverified",
        Some(ErrorKind::NotSent) => "not_sent",
        Some(_) => "failed",
    }
}

enum Out {
    File(BufWriter<File>),
    Memory(Vec<u8>),
}

fn write_line(out: &mut Out, line: &Line<'_>) {
    // Serializing a struct of strings and numbers cannot fail; a full disk shows when the
    // lines are copied out.
    let _ = match out {
        Out::File(writer) => serde_json::to_writer(&mut *writer, line).map_err(drop).and_then(|()| writer.write_all(b"\n").map_err(drop)),
        Out::Memory(bytes) => serde_json::to_writer(&mut *bytes, line).map_err(drop).map(|()| bytes.push(b'\n')),
    };
}

/// Where the lines go: an unnamed temporary file (on Unix), else memory.
fn spool() -> Out {
    match temporary_file() {
        Ok(file) => Out::File(BufWriter::new(file)),
        Err(error) => {
            tracing::debug!(target: "graph_endpoint::job", %error, "no temporary file for the report's lines: kept in memory");
            Out::Memory(Vec::new())
        }
    }
}

/// A file readable by its owner only, unnamed once open: its lines go when the report does,
/// whatever happens to the process.
#[cfg(unix)]
fn temporary_file() -> std::io::Result<File> {
    let name = format!("graph-endpoint-report-{}-{}.jsonl", std::process::id(), uuid::Uuid::new_v4().simple());
    let path = std::env::temp_dir().join(name);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

#[cfg(not(unix))]
fn temporary_file() -> std::io::Result<File> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "an open file cannot be unnamed here"))
}
