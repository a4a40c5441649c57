//! Bulk jobs: thousands of one endpoint through `$batch` (or single calls), results as they
//! come, progress, a journal that survives a crash, a dry run and a report.
//!
//! ```no_run
//! # use graph_endpoint::{Client, Error, graph_endpoint};
//! # #[graph_endpoint(PATCH "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}", version = "beta")]
//! # pub struct UpdateAssignment { pub device_configuration_id: String, pub device_configuration_assignment_id: String, #[graph(body)] pub body: serde_json::Value }
//! # async fn run(client: Client, updates: Vec<UpdateAssignment>) -> Result<(), Error> {
//! let job = client
//!     .job(updates)                                     // any IntoIterator<Item = UpdateAssignment>
//!     .key(|u: &UpdateAssignment| u.device_configuration_assignment_id.clone())
//!     .on_progress(|p: &graph_endpoint::job::Progress| eprintln!("{}/{:?} done", p.done(), p.total()));
//! let report: graph_endpoint::job::Report = job.run().await?;    // or `.stream()`: items as they finish
//! println!("{} applied, {} to check", report.succeeded(), report.unverified());
//! report.write_json_lines("assignments-2026-12-07.jsonl")?;
//! # Ok(()) }
//! ```
//!
//! - **Lazy**: the items are taken from the iterator only as their chunk leaves (chunks of at
//!   most 20, at most 4 in flight, 1 [in order](Job::in_order)), so memory depends on what is
//!   in flight, not on the number of items.
//! - **Results as they come**: [`Job::stream`] yields each [`JobItem`] as its chunk finishes;
//!   [`Job::run`] drives the job to its end and returns a [`Report`]. Either ends with an
//!   `Err` only when the job itself cannot go on (its journal cannot be opened, is held by
//!   another job, or fails); each item's own failure is in its `result`.
//! - **Progress**: [`Job::on_progress`] is called as items finish, at most every 100 ms (on
//!   Tokio's clock), and once more when the job ends; a `tracing` event (target
//!   `graph_endpoint::job`, level INFO) goes out at the same pace.
//! - **Dry run**: [`Job::dry_run`] gives every request as it would go, and sends nothing.
//! - **Journal** (feature `journal`): `.journal(path)` records every item by its
//!   [key](Job::key) before its request leaves and after its answer, so that running the same
//!   job again skips what was applied, sends again what is safe to send again, and reports
//!   the rest as [`ErrorKind::Unverified`](crate::ErrorKind::Unverified) without sending it.
//!   The journal's schema and what is synced when are documented below.
//!
//! # Resuming with a journal
//!
//! | recorded by an earlier run | this run |
//! |---|---|
//! | nothing, or `failed` (Graph did not act on it) | sent |
//! | `applied` | skipped: not sent, not yielded, counted in [`Report::skipped`] |
//! | `sending` or `unknown`, idempotent endpoint (GET, PUT, PATCH, DELETE, idempotent POST) | sent again |
//! | `sending` or `unknown`, any other (a POST) | not sent: an error of [`ErrorKind::Unverified`](crate::ErrorKind::Unverified) with the recorded ids, to check by hand |
//!
//! A key that comes twice in one run is an error of its second item (not sent): a journal
//! keeps one record per key.
//!
//! # The journal
//!
#![doc = include_str!("../journal.md")]

// What it holds: here, the builder; `item`, what the stream yields; `progress`, what the
// callback sees and how often; `report`, the counts and the lines of a finished job; `driver`,
// the stream that takes items, sends chunks and records them; `send`, one chunk through
// `$batch` or single calls; `resume`, what an earlier run's record means for an item;
// `dry_run`, the requests without sending.
//
// May use: bulk's journal and batch, client, call (its tally), request, error.

mod driver;
mod dry_run;
mod item;
mod progress;
mod report;
mod resume;
mod send;

pub use driver::JobStream;
pub use dry_run::DryRun;
pub use item::JobItem;
pub use progress::Progress;
pub use report::Report;

use crate::client::Client;
use crate::error::Error;
use crate::request::endpoint::Endpoint;
use std::fmt;
use std::future::Future;

/// How a job knows an item: its key, for the journal and the report.
pub(crate) type KeyFn<'a, E> = Box<dyn Fn(&E) -> String + Send + Sync + 'a>;
/// What a job calls with its progress.
pub(crate) type ProgressFn<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;

/// A bulk job, from [`Client::job`]: set it up, then [`run`](Self::run) it, [`stream`](Self::stream)
/// its results, or look at its requests with [`dry_run`](Self::dry_run).
#[must_use = "a job does nothing until it is run or streamed"]
pub struct Job<'a, E, I> {
    client: &'a Client,
    items: I,
    key: Option<KeyFn<'a, E>>,
    #[cfg(feature = "journal")]
    journal: Option<std::path::PathBuf>,
    on_progress: Option<ProgressFn<'a>>,
    singles: bool,
    in_order: bool,
}

impl<E, I> fmt::Debug for Job<'_, E, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Job");
        d.field("key", &self.key.is_some());
        #[cfg(feature = "journal")]
        d.field("journal", &self.journal);
        d.field("on_progress", &self.on_progress.is_some()).field("singles", &self.singles).field("in_order", &self.in_order);
        d.finish_non_exhaustive()
    }
}

impl Client {
    /// A bulk job over any iterable of one endpoint type, taken lazily: see [`crate::job`].
    pub fn job<I>(&self, items: I) -> Job<'_, I::Item, I::IntoIter>
    where
        I: IntoIterator,
        I::Item: Endpoint,
    {
        Job {
            client: self,
            items: items.into_iter(),
            key: None,
            #[cfg(feature = "journal")]
            journal: None,
            on_progress: None,
            singles: false,
            in_order: false,
        }
    }
}

impl<'a, E, I> Job<'a, E, I>
where
    E: Endpoint + Send + Sync + 'a,
    E::Response: Send + 'a,
    I: Iterator<Item = E> + Send + 'a,
{
    /// How an item is known: its key appears in each [`JobItem`], in the report's lines, and
    /// is what the journal (`.journal(path)`, feature `journal`) records it by (so it must be unique in the job
    /// and the same from one run to the next: an id, never a position).
    pub fn key<K: Into<String>>(mut self, key: impl Fn(&E) -> K + Send + Sync + 'a) -> Self {
        self.key = Some(Box::new(move |item| key(item).into()));
        self
    }

    /// Records the job in a SQLite file at `path` (created if needed), so that running the
    /// same job again resumes it: see [resuming](crate::job#resuming-with-a-journal). Needs
    /// [`key`](Self::key). While the job runs, the file is held: another job opening it fails
    /// at once.
    #[cfg(feature = "journal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "journal")))]
    pub fn journal(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.journal = Some(path.as_ref().to_owned());
        self
    }

    /// Called with the job's [`Progress`] as items finish, at most every 100 ms, and once more
    /// when the job ends. It runs on the job's task between two steps of the job: keep it
    /// short (a progress bar's update); requests already on their way go on meanwhile.
    pub fn on_progress(mut self, progress: impl FnMut(&Progress) + Send + 'a) -> Self {
        self.on_progress = Some(Box::new(progress));
        self
    }

    /// Sends each item as a single call instead of in `$batch` requests (each through the
    /// client's retries and pacing, as [`Client::send`] would).
    pub fn singles(mut self) -> Self {
        self.singles = true;
        self
    }

    /// Sends the items one after another (`$batch` items chained with `dependsOn`, one chunk
    /// at a time): once an item has failed, no later item is sent, each reported as not sent.
    pub fn in_order(mut self) -> Self {
        self.in_order = true;
        self
    }

    /// Every item's request as it would go — method, URL, headers (without `Authorization`)
    /// and body — one per item, nothing sent. An item that cannot be prepared (an empty path
    /// value, a body that does not serialize) is left out, with a `tracing` warning.
    pub fn dry_run(self) -> DryRun<'a, I> {
        DryRun::new(self.client, self.items)
    }

    /// The job's items as they finish (completion order), each a [`JobItem`]; an `Err` means
    /// the job could not go on, and is the stream's last item. Items an earlier run applied
    /// (per the journal) are not yielded. The job starts here: its journal is opened (and
    /// held) at once, its items are taken and sent as the stream is polled.
    pub fn stream(self) -> JobStream<'a, E> {
        JobStream::new(self.into_parts())
    }

    /// Drives the job to its end: its [`Report`], or an `Err` when the job itself could not go
    /// on (its journal could not be opened, is held by another job, or failed). The journal
    /// is opened (and held) when this is called, before the future is first polled.
    pub fn run(self) -> impl Future<Output = Result<Report, Error>> + Send + 'a {
        report::run(JobStream::new(self.into_parts()))
    }

    fn into_parts(self) -> driver::Parts<'a, E> {
        driver::Parts {
            client: self.client,
            items: Box::new(self.items),
            key: self.key,
            #[cfg(feature = "journal")]
            journal: self.journal,
            on_progress: self.on_progress,
            singles: self.singles,
            in_order: self.in_order,
        }
    }
}
