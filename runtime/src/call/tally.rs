//! Counting what a piece of work sent: every request on the wire and every throttled answer,
//! for the futures run inside [`counted`]. A bulk job counts its own requests so, whatever
//! else the client sends at the same time.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    static TALLY: Arc<Tally>;
}

/// Requests sent and throttled answers (`429`, `503`), counted.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    requests: AtomicU64,
    throttled: AtomicU64,
}

impl Tally {
    /// HTTP requests sent.
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Answers (or `$batch` items) that were `429` or `503`.
    pub(crate) fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }
}

/// Runs `work`, counting into `tally` what it sends.
pub(crate) async fn counted<F: Future>(tally: Arc<Tally>, work: F) -> F::Output {
    TALLY.scope(tally, work).await
}

/// One request went on the wire (its answer's status, if one came).
pub(crate) fn sent(status: Option<u16>) {
    let _ = TALLY.try_with(|tally| {
        tally.requests.fetch_add(1, Ordering::Relaxed);
        if matches!(status, Some(429 | 503)) {
            tally.throttled.fetch_add(1, Ordering::Relaxed);
        }
    });
}

/// Items of `$batch` answers were `429` or `503`.
pub(crate) fn items_throttled(items: u32) {
    let _ = TALLY.try_with(|tally| tally.throttled.fetch_add(u64::from(items), Ordering::Relaxed));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_inside_its_scope_only() {
        let tally = Arc::new(Tally::default());
        sent(Some(200));
        counted(tally.clone(), async {
            sent(Some(200));
            sent(Some(429));
            sent(None);
            items_throttled(1);
        })
        .await;
        assert_eq!((tally.requests(), tally.throttled()), (3, 2));
    }
}
