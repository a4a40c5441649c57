//! The job itself: takes items from the iterator only as chunks leave, asks the journal what
//! each needs, records a chunk as sending before it leaves and its outcomes after, and hands
//! out each item as its chunk finishes, progress reported on the way.

use super::item::JobItem;
use super::progress::{Progress, Reporter};
use super::resume::{Decision, Ledger};
use super::send::{self, Ready, Sent};
use super::{KeyFn, ProgressFn};
use crate::call::tally::{self, Tally};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::request::endpoint::Endpoint;
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::time::{Instant, Sleep};

/// Graph's limit of requests in one `$batch`, and the items of one journal transaction.
const CHUNK: usize = 20;
/// Chunks in flight at once for a job that is not in order.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Items finished and not yet taken (skipped ones included) past which no item is taken from
/// the iterator: the consumer's pace bounds the memory, not the input's length.
const READY_MAX: usize = 2 * CHUNK;

/// What a job is made of, from the builder.
pub(crate) struct Parts<'a, E> {
    pub(crate) client: &'a Client,
    pub(crate) items: Box<dyn Iterator<Item = E> + Send + 'a>,
    pub(crate) key: Option<KeyFn<'a, E>>,
    #[cfg(feature = "journal")]
    pub(crate) journal: Option<std::path::PathBuf>,
    pub(crate) on_progress: Option<ProgressFn<'a>>,
    pub(crate) singles: bool,
    pub(crate) in_order: bool,
}

/// An item finished, with what the report keeps of it.
pub(crate) struct Finished<E: Endpoint> {
    pub(crate) item: JobItem<E>,
    pub(crate) status: Option<u16>,
    pub(crate) request_id: Option<String>,
    pub(crate) client_request_id: Option<String>,
}

/// What the job hands out: an item, or an item an earlier run applied.
pub(crate) enum Event<E: Endpoint> {
    Finished(Finished<E>),
    Skipped { index: usize, key: Option<String>, status: Option<u16>, request_id: Option<String>, client_request_id: Option<String> },
}

/// A chunk on its way: its items' results, and why the job cannot go on, if it cannot.
type Flight<'a, R> = Pin<Box<dyn Future<Output = (Vec<Sent<R>>, Option<Error>)> + Send + 'a>>;

/// The stream of a job's items as they finish: from [`Job::stream`](super::Job::stream).
///
/// Each item is `Ok(`[`JobItem`]`)`; an `Err` means the job could not go on (its journal could
/// not be opened, is held by another job, or failed) and is the last item.
#[must_use = "a stream does nothing unless polled"]
pub struct JobStream<'a, E: Endpoint> {
    driver: Driver<'a, E>,
}

// Nothing in the stream relies on being pinned: its futures are pinned in their own boxes.
impl<E: Endpoint> Unpin for JobStream<'_, E> {}

impl<E: Endpoint> fmt::Debug for JobStream<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobStream").field("progress", &self.driver.progress).finish_non_exhaustive()
    }
}

impl<'a, E> JobStream<'a, E>
where
    E: Endpoint + Send + Sync + 'a,
    E::Response: Send + 'a,
{
    /// The job, started: its journal (if any) opened and held from here on, so that a second
    /// job on the same file is refused even before this one is polled.
    pub(crate) fn new(parts: Parts<'a, E>) -> JobStream<'a, E> {
        let mut driver = Driver::new(parts);
        if let Err(error) = driver.start() {
            driver.fatal = Some(error);
        }
        JobStream { driver }
    }

    /// Where the job stands now.
    pub fn progress(&mut self) -> Progress {
        self.driver.snapshot().clone()
    }

    /// The next event (skipped items included), for the report.
    pub(crate) fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event<E>, Error>>> {
        self.driver.poll_event(cx)
    }
}

impl<'a, E> Stream for JobStream<'a, E>
where
    E: Endpoint + Send + Sync + 'a,
    E::Response: Send + 'a,
{
    type Item = Result<JobItem<E>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            return match this.driver.poll_event(cx) {
                Poll::Ready(Some(Ok(Event::Skipped { .. }))) => continue,
                Poll::Ready(Some(Ok(Event::Finished(finished)))) => Poll::Ready(Some(Ok(finished.item))),
                Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            };
        }
    }
}

struct Driver<'a, E: Endpoint> {
    client: &'a Client,
    /// `None` once the iterator is exhausted (or the job cannot go on).
    items: Option<Box<dyn Iterator<Item = E> + Send + 'a>>,
    /// An item taken early (to name the journal's endpoint), to go first.
    first: Option<E>,
    next_index: usize,
    key: Option<KeyFn<'a, E>>,
    #[cfg(feature = "journal")]
    journal: Option<std::path::PathBuf>,
    ledger: Ledger,
    singles: bool,
    in_order: bool,
    chunk_size: usize,
    in_flight: FuturesUnordered<Flight<'a, E::Response>>,
    ready: VecDeque<Event<E>>,
    /// In order: the first item that failed; nothing after it is sent.
    failed_at: Option<usize>,
    /// Why the job cannot go on, yielded once what is ready has been taken.
    fatal: Option<Error>,
    started: Option<Instant>,
    ended: bool,
    progress: Progress,
    reporter: Reporter<'a>,
    timer: Option<Pin<Box<Sleep>>>,
    tally: Arc<Tally>,
}

impl<'a, E> Driver<'a, E>
where
    E: Endpoint + Send + Sync + 'a,
    E::Response: Send + 'a,
{
    fn new(parts: Parts<'a, E>) -> Driver<'a, E> {
        let total = match parts.items.size_hint() {
            (low, Some(high)) if low == high => Some(low),
            _ => None,
        };
        let chunk_size = parts.client.pacer().max_burst().map_or(CHUNK, |burst| (burst as usize).clamp(1, CHUNK));
        Driver {
            client: parts.client,
            items: Some(parts.items),
            first: None,
            next_index: 0,
            key: parts.key,
            #[cfg(feature = "journal")]
            journal: parts.journal,
            ledger: Ledger::default(),
            singles: parts.singles,
            in_order: parts.in_order,
            chunk_size,
            in_flight: FuturesUnordered::new(),
            ready: VecDeque::new(),
            failed_at: None,
            fatal: None,
            started: None,
            ended: false,
            progress: Progress { total, ..Progress::default() },
            reporter: Reporter::new(parts.on_progress),
            timer: None,
            tally: Arc::new(Tally::default()),
        }
    }

    /// Starts the clock and opens the journal, if the job has one.
    fn start(&mut self) -> Result<(), Error> {
        self.started = Some(Instant::now());
        #[cfg(feature = "journal")]
        if let Some(path) = self.journal.take() {
            if self.key.is_none() {
                return Err(Error::config("a job with a journal needs a key for its items: set `.key(|item| ...)`"));
            }
            self.first = self.items.as_mut().and_then(Iterator::next);
            let (routes, version) = identity(self.client, self.first.as_ref());
            self.ledger = Ledger::open(&path, routes, version)?;
        }
        Ok(())
    }

    fn max_in_flight(&self) -> usize {
        if self.in_order { 1 } else { CHUNKS_IN_FLIGHT }
    }

    fn next_item(&mut self) -> Option<E> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        let item = self.items.as_mut()?.next();
        if item.is_none() {
            self.items = None;
        }
        item
    }

    /// Takes items and sends chunks while there is room.
    fn fill(&mut self) {
        while self.fatal.is_none() && self.in_flight.len() < self.max_in_flight() && self.ready.len() < READY_MAX {
            let mut chunk: Vec<Ready<E>> = Vec::with_capacity(self.chunk_size);
            while chunk.len() < self.chunk_size && self.ready.len() < READY_MAX {
                let Some(endpoint) = self.next_item() else { break };
                let index = self.next_index;
                self.next_index += 1;
                let key = self.key.as_ref().map(|key| key(&endpoint));
                let twice = key.as_ref().is_some_and(|key| chunk.iter().any(|ready| ready.key.as_ref() == Some(key)));
                let decision = match twice {
                    true => Ok(Decision::Refuse(key_twice(key.as_deref().unwrap_or_default()))),
                    false => self.ledger.decide(index, key.as_deref(), endpoint.is_idempotent()),
                };
                match decision {
                    Err(error) => {
                        self.fatal = Some(error);
                        return;
                    }
                    Ok(Decision::Skip { status, request_id, client_request_id }) => {
                        self.progress.skipped += 1;
                        self.progress.done += 1;
                        self.ready.push_back(Event::Skipped { index, key, status, request_id, client_request_id });
                    }
                    Ok(Decision::Refuse(error)) => self.finished(Sent::new(index, key, Err(error))),
                    Ok(Decision::Send) => match self.failed_at {
                        Some(at) => self.finished(Sent::new(index, key, Err(send::not_sent_after(at)))),
                        None => chunk.push(Ready { index, key, endpoint }),
                    },
                }
            }
            if chunk.is_empty() {
                if self.items.is_none() && self.first.is_none() {
                    return;
                }
                continue;
            }
            let leaving: Vec<(usize, &str)> = chunk.iter().filter_map(|ready| Some((ready.index, ready.key.as_deref()?))).collect();
            let synced = chunk.iter().any(|ready| !ready.endpoint.is_idempotent());
            let sync = match self.ledger.sending(&leaving, synced) {
                Ok(sync) => sync,
                Err(error) => {
                    self.fatal = Some(error);
                    return;
                }
            };
            self.progress.in_flight += chunk.len();
            let (client, singles, in_order) = (self.client, self.singles, self.in_order);
            let work = async move {
                if let Some(sync) = sync
                    && let Err(error) = sync.wait().await
                {
                    // Not on the disk: the chunk does not leave, and the job ends.
                    let not_sent = |ready: Ready<E>| {
                        let reason = Error::not_sent(format!("not sent: the journal could not record it ({error})"));
                        Sent::new(ready.index, ready.key, Err(reason))
                    };
                    return (chunk.into_iter().map(not_sent).collect(), Some(error));
                }
                (send::chunk(client, chunk, singles, in_order).await, None)
            };
            self.in_flight.push(Box::pin(tally::counted(self.tally.clone(), work)));
        }
    }

    /// An item's result, counted and queued.
    fn finished(&mut self, sent: Sent<E::Response>) {
        let progress = &mut self.progress;
        progress.done += 1;
        match &sent.result {
            Ok(_) => progress.succeeded += 1,
            Err(error) => match error.kind() {
                ErrorKind::Unverified => progress.unverified += 1,
                ErrorKind::NotSent => progress.not_sent += 1,
                _ => progress.failed += 1,
            },
        }
        let Sent { index, key, result, status, request_id, client_request_id } = sent;
        let item = JobItem { index, key, result };
        self.ready.push_back(Event::Finished(Finished { item, status, request_id, client_request_id }));
    }

    /// A chunk came back: recorded, counted, queued.
    fn chunk_done(&mut self, (mut sent, failed): (Vec<Sent<E::Response>>, Option<Error>)) {
        self.progress.in_flight = self.progress.in_flight.saturating_sub(sent.len());
        if let Err(error) = self.ledger.outcomes(&sent) {
            // Its items are still handed out; nothing more is sent.
            self.fatal = Some(error);
        }
        if let Some(error) = failed {
            self.fatal.get_or_insert(error);
        }
        sent.sort_by_key(|done| done.index);
        for done in sent {
            if self.in_order && self.failed_at.is_none() && done.result.is_err() {
                self.failed_at = Some(done.index);
            }
            if !matches!(&done.result, Err(error) if error.kind() == ErrorKind::NotSent) {
                self.progress.sent_done += 1;
            }
            self.finished(done);
        }
    }

    /// The progress as of now.
    fn snapshot(&mut self) -> &Progress {
        self.progress.elapsed = self.started.map(|started| started.elapsed()).unwrap_or_default();
        self.progress.requests = self.tally.requests() as usize;
        self.progress.throttled = self.tally.throttled() as usize;
        &self.progress
    }

    fn report_change(&mut self) {
        let now = Instant::now();
        self.snapshot();
        self.reporter.changed(&self.progress, now);
    }

    fn end(&mut self) {
        self.ended = true;
        self.items = None;
        self.first = None;
        self.in_flight = FuturesUnordered::new();
        self.progress.in_flight = 0;
        self.progress.finished = true;
        self.snapshot();
        self.reporter.finish(&self.progress, Instant::now());
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event<E>, Error>>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Poll::Ready(Some(Ok(event)));
            }
            if self.ended {
                return Poll::Ready(None);
            }
            if let Some(error) = self.fatal.take() {
                self.end();
                return Poll::Ready(Some(Err(error)));
            }
            let before = self.progress.done;
            self.fill();
            if self.progress.done != before {
                self.report_change();
            }
            if !self.ready.is_empty() || self.fatal.is_some() {
                continue;
            }
            if self.in_flight.is_empty() {
                if self.items.is_none() && self.first.is_none() {
                    self.end();
                    return Poll::Ready(None);
                }
                continue;
            }
            match self.in_flight.poll_next_unpin(cx) {
                Poll::Ready(Some(sent)) => {
                    self.chunk_done(sent);
                    self.report_change();
                }
                Poll::Ready(None) => {}
                Poll::Pending => {
                    if self.poll_timer(cx) {
                        continue;
                    }
                    return Poll::Pending;
                }
            }
        }
    }

    /// Reports a change held back once its time has come; true if it did.
    fn poll_timer(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(due) = self.reporter.due() else {
            self.timer = None;
            return false;
        };
        let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(due)));
        if timer.deadline() != due {
            timer.as_mut().reset(due);
        }
        if timer.as_mut().poll(cx).is_pending() {
            return false;
        }
        self.timer = None;
        self.snapshot();
        self.reporter.catch_up(&self.progress, Instant::now());
        true
    }
}

/// The error of the second item with a key.
fn key_twice(key: &str) -> Error {
    Error::invalid_request(format!(
        "the key `{key}` was given to an earlier item of this job too: a journal records one item per key; this one was not sent"
    ))
}

/// What the journal is for: the routes of the endpoint type (or the first item's, for an
/// endpoint that does not list them) and the API version of the first item.
#[cfg(feature = "journal")]
fn identity<E: Endpoint>(client: &Client, first: Option<&E>) -> (String, String) {
    let routes = match E::routes() {
        [] => first.map(|e| format!("{} {}", e.method().as_str(), e.template())).unwrap_or_default(),
        routes => routes.iter().map(|(method, template)| format!("{} {template}", method.as_str())).collect::<Vec<_>>().join("\n"),
    };
    let version = first.and_then(Endpoint::version).unwrap_or(client.default_version());
    (routes, version.as_str().to_owned())
}
