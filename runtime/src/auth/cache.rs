//! One token cache for every credential: valid tokens are read without waiting, a refresh is
//! one request shared by every caller that needs it (its failure too), and an invalidation
//! after a `401` is never lost.

use super::settings::DEFAULT_TIMEOUT;
use super::{AccessToken, BoxFuture, TokenProvider};
use crate::error::Error;
use futures_util::FutureExt;
use futures_util::future::Shared;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// Tokens are refreshed this long before they expire (or at half their lifetime, for short
/// ones), while the cached one is still handed out.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The lifetime assumed for a token whose expiry is not known.
const UNKNOWN_LIFETIME: Duration = Duration::from_secs(60 * 60);
/// Lifetimes are clamped to this range: a zero or negative `expires_in` must not make every
/// call fetch a token, and an absurd one must not keep a token for days.
const MIN_LIFETIME: Duration = Duration::from_secs(60);
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// After a failed refresh of a still-valid token, the next attempt waits this long.
const PAUSE_AFTER_FAILED_REFRESH: Duration = Duration::from_secs(10);

type Fetch = Shared<BoxFuture<'static, Result<AccessToken, Error>>>;

/// Caches the tokens of any [`TokenProvider`] (the crate's credentials use it, and so can
/// your own provider).
///
/// - A cached token that is not yet due is returned at once, without waiting on anything.
/// - A token due for refresh (within [`REFRESH_MARGIN`] of expiry) is still returned at once,
///   while one refresh runs in the background.
/// - Without a valid token, N concurrent callers cause exactly one call of the provider and
///   share its result, failure included; the call is bounded by [`timeout`](Self::timeout).
/// - [`invalidate`](TokenProvider::invalidate) after a `401` always takes effect, and the
///   callers that saw the `401` share one refresh.
/// - Lifetimes come from [`AccessToken::expires_at`], clamped to between one minute and one
///   day; an unknown expiry counts as one hour.
///
/// ```
/// use graph_endpoint::Error;
/// use graph_endpoint::auth::{AccessToken, BoxFuture, TokenCache, TokenProvider};
/// use std::time::Duration;
///
/// struct Vault;
///
/// impl TokenProvider for Vault {
///     fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
///         Box::pin(async { Ok(AccessToken::expiring_in("from-the-vault", Duration::from_secs(3600))) })
///     }
/// }
///
/// let provider = TokenCache::new(Vault).timeout(Duration::from_secs(10));
/// let client = graph_endpoint::Client::builder().token_provider(provider).build()?;
/// # Ok::<(), Error>(())
/// ```
#[must_use]
pub struct TokenCache<P> {
    provider: Arc<P>,
    slot: Arc<Mutex<Slot>>,
    timeout: Duration,
}

#[derive(Default)]
struct Slot {
    cached: Option<Cached>,
    /// The refresh in flight, with the number that tells it from later ones.
    fetching: Option<(u64, Fetch)>,
    fetches: u64,
    /// No background refresh before this instant (after one failed).
    quiet_until: Option<Instant>,
}

struct Cached {
    token: AccessToken,
    refresh_at: Instant,
    expires_at: Instant,
}

impl Cached {
    fn new(token: AccessToken, now: Instant) -> Self {
        let lifetime = match token.expires_at() {
            Some(at) => at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO),
            None => UNKNOWN_LIFETIME,
        }
        .clamp(MIN_LIFETIME, MAX_LIFETIME);
        let refresh_after = lifetime.saturating_sub(REFRESH_MARGIN).max(lifetime / 2);
        Cached { token, refresh_at: now + refresh_after, expires_at: now + lifetime }
    }
}

impl<P: TokenProvider> TokenCache<P> {
    /// Caches the tokens `provider` fetches.
    pub fn new(provider: P) -> Self {
        TokenCache { provider: Arc::new(provider), slot: Arc::default(), timeout: DEFAULT_TIMEOUT }
    }

    /// Bounds each call of the provider (default 30 s); a call that takes longer fails with a
    /// timeout error, shared by every caller waiting for it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.set_timeout(timeout);
        self
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The wrapped provider.
    pub fn provider(&self) -> &P {
        &self.provider
    }

    /// The provider, to change its configuration; forgets the cached token.
    pub(crate) fn provider_mut(&mut self) -> &mut P
    where
        P: Clone,
    {
        self.slot = Arc::default();
        Arc::make_mut(&mut self.provider)
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        // A panic elsewhere while holding the lock leaves the slot consistent: every update
        // is a single assignment.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a refresh and records it as the one in flight.
    fn start(&self, slot: &mut Slot) -> Fetch {
        slot.fetches += 1;
        let number = slot.fetches;
        let (provider, shared_slot, timeout) = (self.provider.clone(), self.slot.clone(), self.timeout);
        let fetch: BoxFuture<'static, Result<AccessToken, Error>> = Box::pin(async move {
            let result = match tokio::time::timeout(timeout, provider.token()).await {
                Ok(result) => result,
                Err(_) => Err(Error::timeout(format!("no token within {:.1} s", timeout.as_secs_f64()))),
            };
            let mut slot = shared_slot.lock().unwrap_or_else(PoisonError::into_inner);
            if slot.fetching.as_ref().is_some_and(|(n, _)| *n == number) {
                slot.fetching = None;
            }
            match &result {
                Ok(token) => {
                    slot.cached = Some(Cached::new(token.clone(), Instant::now()));
                    slot.quiet_until = None;
                }
                Err(_) => slot.quiet_until = Some(Instant::now() + PAUSE_AFTER_FAILED_REFRESH),
            }
            result
        });
        let fetch = fetch.shared();
        slot.fetching = Some((number, fetch.clone()));
        fetch
    }

    fn cached_or_fetch(&self) -> Result<AccessToken, Fetch> {
        let now = Instant::now();
        let mut slot = self.lock();
        if let Some(cached) = &slot.cached {
            if now < cached.refresh_at {
                return Ok(cached.token.clone());
            }
            if now < cached.expires_at {
                let token = cached.token.clone();
                if slot.fetching.is_none() && slot.quiet_until.is_none_or(|until| now >= until) {
                    let fetch = self.start(&mut slot);
                    drop(slot);
                    // Refreshes in the background when there is a runtime to run it on;
                    // otherwise the first caller after expiry drives it.
                    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                        drop(runtime.spawn(fetch));
                    }
                }
                return Ok(token);
            }
        }
        Err(match &slot.fetching {
            Some((_, fetch)) => fetch.clone(),
            None => self.start(&mut slot),
        })
    }
}

impl<P: TokenProvider> TokenProvider for TokenCache<P> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        match self.cached_or_fetch() {
            Ok(token) => Box::pin(std::future::ready(Ok(token))),
            Err(fetch) => Box::pin(fetch),
        }
    }

    fn invalidate(&self, token: &AccessToken) {
        let mut slot = self.lock();
        if slot.cached.as_ref().is_some_and(|cached| cached.token == *token) {
            slot.cached = None;
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for TokenCache<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("TokenCache")
            .field("provider", &self.provider)
            .field("cached", &slot.cached.is_some())
            .field("refreshing", &slot.fetching.is_some())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Implements `TokenProvider` for a credential that keeps its flow behind a
/// `cache: TokenCache<_>` field: tokens come from the cache, invalidations go to it.
///
/// Credentials invoke it by path (`super::cache::cached_provider!`), which the `use` below
/// makes possible from any module of the crate, whatever the order of the `mod` lines.
macro_rules! cached_provider {
    ($credential:ty) => {
        impl $crate::auth::TokenProvider for $credential {
            fn token(&self) -> $crate::auth::BoxFuture<'_, Result<$crate::auth::AccessToken, $crate::error::Error>> {
                self.cache.token()
            }

            fn invalidate(&self, token: &$crate::auth::AccessToken) {
                self.cache.invalidate(token);
            }
        }
    };
}
pub(crate) use cached_provider;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Hands out `token-1`, `token-2`, ... with the given lifetime, counting calls.
    struct Counter {
        calls: AtomicU32,
        lifetime: Option<Duration>,
    }

    impl TokenProvider for Counter {
        fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let token = AccessToken::new(format!("token-{n}"));
            let token = match self.lifetime {
                Some(lifetime) => token.with_expires_at(SystemTime::now().checked_add(lifetime)),
                None => token.with_expires_at(Some(SystemTime::UNIX_EPOCH)),
            };
            Box::pin(async move { Ok(token) })
        }
    }

    fn counter(lifetime: Option<Duration>) -> TokenCache<Counter> {
        TokenCache::new(Counter { calls: AtomicU32::new(0), lifetime })
    }

    #[tokio::test]
    async fn expired_and_absurd_lifetimes_are_clamped() {
        // Already expired when fetched: still kept for the minimum lifetime, not refetched per call.
        let cache = counter(None);
        for _ in 0..5 {
            assert_eq!(cache.token().await.unwrap().secret(), "token-1");
        }
        let cache = counter(Some(Duration::from_secs(u64::MAX / 4)));
        for _ in 0..5 {
            assert_eq!(cache.token().await.unwrap().secret(), "token-1");
        }
        let cached = Cached::new(AccessToken::expiring_in("x", Duration::from_secs(10 * 365 * 24 * 3600)), Instant::now());
        assert!(cached.expires_at <= Instant::now() + MAX_LIFETIME);
    }

    #[tokio::test]
    async fn invalidation_forgets_only_the_rejected_token() {
        let cache = counter(Some(Duration::from_secs(3600)));
        let first = cache.token().await.unwrap();
        cache.invalidate(&AccessToken::new("another"));
        assert_eq!(cache.token().await.unwrap(), first);
        cache.invalidate(&first);
        cache.invalidate(&first);
        assert_eq!(cache.token().await.unwrap().secret(), "token-2");
        assert_eq!(cache.provider().calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_due_token_is_handed_out_while_one_refresh_runs() {
        let cache = counter(Some(Duration::from_secs(3600)));
        assert_eq!(cache.token().await.unwrap().secret(), "token-1");
        cache.lock().cached.as_mut().unwrap().refresh_at = Instant::now();
        // Due but valid: answered at once, however many ask, with one refresh started.
        for _ in 0..10 {
            assert_eq!(cache.token().await.unwrap().secret(), "token-1");
        }
        let refresh = cache.lock().fetching.as_ref().map(|(_, fetch)| fetch.clone()).expect("a refresh in flight");
        assert_eq!(refresh.await.unwrap().secret(), "token-2");
        assert_eq!(cache.token().await.unwrap().secret(), "token-2");
        assert_eq!(cache.provider().calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn refresh_points() {
        let now = Instant::now();
        let hour = Cached::new(AccessToken::expiring_in("x", Duration::from_secs(3600)), now);
        let refresh = hour.refresh_at - now;
        assert!(refresh > Duration::from_secs(3290) && refresh <= Duration::from_secs(3300), "{refresh:?}");
        let short = Cached::new(AccessToken::expiring_in("x", Duration::from_secs(120)), now);
        assert!(short.refresh_at - now >= Duration::from_secs(59));
    }
}
