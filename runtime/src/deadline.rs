//! Waits bounded by a call's deadline (its `max_total`), at no cost when nothing waits.
//!
//! May use: nothing of the crate.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use tokio::time::Instant;

/// `work` run to its end, or `None` once `deadline` has passed. `work` is polled once before
/// any timer is made: most of what a call waits for (its place, its token, its turn) is ready
/// at once, and a timer made for each (the runtime's handle looked up, the clock read) would
/// be made for nothing. What is ready at once passes even past the deadline, as with
/// `tokio::time::timeout_at`, which also polls the work first.
pub(crate) async fn within<F: Future>(deadline: Option<Instant>, work: F) -> Option<F::Output> {
    let mut work = pin!(work);
    let first = std::future::poll_fn(|cx| match work.as_mut().poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => Poll::Ready(None),
    })
    .await;
    if first.is_some() {
        return first;
    }
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, work).await.ok(),
        None => Some(work.await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn what_is_ready_passes_even_past_the_deadline_and_a_wait_ends_there() {
        let began = Instant::now();
        let past = Some(began - Duration::from_secs(1));
        assert_eq!(within(past, async { 1 }).await, Some(1));
        assert_eq!(within(Some(began + Duration::from_secs(2)), tokio::time::sleep(Duration::from_secs(5))).await, None);
        assert_eq!(began.elapsed(), Duration::from_secs(2));
        assert_eq!(
            within(None, async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                3
            })
            .await,
            Some(3)
        );
        assert_eq!(
            within(Some(Instant::now() + Duration::from_secs(9)), async {
                tokio::task::yield_now().await;
                4
            })
            .await,
            Some(4)
        );
    }
}
