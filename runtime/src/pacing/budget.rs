//! What a rate limit's budget is to the limiter: something that hands out places in a window
//! and says when they start. Two kinds: this process's log (`local`) and a log kept in Redis
//! for several processes (`redis`, feature `redis`).

use crate::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::time::Instant;

/// A sliding log of reserved start times: at most `max` starts in any window.
pub(super) trait Budget: Send + Sync {
    /// Takes `n` places (at most the budget's `max`) at the earliest instant the window
    /// allows. Places are taken in the order of the calls, so a caller that waits longer never
    /// lets a later one pass it.
    fn take(&self, n: u32) -> Turn<'_>;
}

/// When the places taken start.
pub(super) enum Turn<'a> {
    /// Known at once (a log in this process).
    At(Instant),
    /// Known once the log's keeper answers (Redis): the wait from its answer.
    #[cfg_attr(not(feature = "redis"), expect(dead_code, reason = "only the Redis log answers later"))]
    Later(Pin<Box<dyn Future<Output = Result<Duration, Error>> + Send + 'a>>),
}

impl Turn<'_> {
    /// Waits until the places start.
    pub(super) async fn wait(self) -> Result<(), Error> {
        match self {
            Turn::At(at) => tokio::time::sleep_until(at).await,
            Turn::Later(answer) => tokio::time::sleep(answer.await?).await,
        }
        Ok(())
    }
}
