//! The budgets of several processes: the same sliding logs of start times as a budget of
//! one process keeps, in Redis sorted sets, updated by one atomic script that reads Redis's own
//! clock, so that processes on different machines agree on what "now" is.
//!
//! Places are taken only when they are free now, never reserved ahead: a caller at the head of
//! its process's queue asks Redis to take its places; Redis takes them all (and the request is
//! sent at once) or none, answering how long until they would be free, and the caller asks
//! again then. A process that dies, or a caller that gives up, leaves nothing behind but the
//! requests that were really sent, so no other process waits for places nobody uses.

use super::budget::Budget;
use super::rate_limit::Shared;
use crate::error::Error;
use ::redis::aio::MultiplexedConnection;
use ::redis::{AsyncConnectionConfig, Client, ErrorKind as RedisErrorKind, RedisError, Script};
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared as SharedFuture};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Duration;

/// The longest wait for a connection to Redis, and for the answer to one request for places:
/// a Redis that is down or unreachable fails the call instead of holding it.
pub(super) const TIMEOUT: Duration = Duration::from_secs(2);

/// How long a key outlives the last start time it holds, past the window (Redis's clock runs
/// both, so this only covers rounding).
pub(super) const EXPIRY_MARGIN_MS: u64 = 1_000;

/// Takes `n_i` places in each budget `i` (`KEYS[2i - 1]` its starts, `KEYS[2i]` its slot; `ARGV`:
/// a member prefix, the expiry margin in ms, then `max_i`, `window_i` in microseconds and `n_i`
/// for each budget) if all of them are free now (Redis's clock), and returns 0; otherwise takes
/// nothing and returns how long, in microseconds, until they would be.
///
/// Each sorted set holds the actual start times of its budget as scores, one member per start,
/// never more than `max` of them; the rule is the local budget's: at most `max` in any window,
/// and while the budget is spent (`max` starts within two windows), starts spread `n / max` of
/// a window apart, from the slot the latest start was given (kept beside the set), so that
/// callers that come back a little late (the timer, the round trip) do not push every later
/// start further; a start catches up by eight spacings at most. Starts two windows or more
/// before now constrain nothing and are dropped, and the keys expire a little after their
/// latest start has left both windows.
///
/// Entries no limiter writes are refused rather than waited for: a start time (or slot) more
/// than a second after Redis's now returns -2, and a member that is not a reservation, where
/// it would decide the wait, returns -3. A planted `ZADD key 1e18 x` would otherwise hold every
/// process of the app for ages.
const TAKE: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local member = ARGV[1]
local margin = tonumber(ARGV[2])
local budgets = #KEYS / 2
local earliest = 0
local behind = now
for i = 1, budgets do
  local key = KEYS[2 * i - 1]
  local max = tonumber(ARGV[3 * i])
  local window = tonumber(ARGV[3 * i + 1])
  local n = tonumber(ARGV[3 * i + 2])
  local spacing = math.floor(window * n / max)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - 2 * window)
  if redis.call('ZCOUNT', key, '(' .. (now + 1000000), '+inf') > 0 then return -2 end
  local keep = max - n
  local count = redis.call('ZCARD', key)
  if count > keep then
    local bound = redis.call('ZRANGE', key, -(keep + 1), -(keep + 1), 'WITHSCORES')
    if not string.match(bound[1], '^%x+%.%d+:%d+:%d+$') then return -3 end
    earliest = math.max(earliest, tonumber(bound[2]) + window)
  end
  if count >= max then
    local slot = tonumber(redis.call('GET', KEYS[2 * i]))
    if not slot then
      local latest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
      slot = tonumber(latest[2])
    end
    if slot > now + 1000000 then return -2 end
    earliest = math.max(earliest, slot + spacing)
  end
  behind = math.min(behind, now - 8 * math.floor(window / max))
end
if earliest > now then return earliest - now end
local slot = math.max(earliest, behind)
if slot > now then slot = now end
for i = 1, budgets do
  local key = KEYS[2 * i - 1]
  local max = tonumber(ARGV[3 * i])
  local window = tonumber(ARGV[3 * i + 1])
  local n = tonumber(ARGV[3 * i + 2])
  local args = {}
  for j = 1, n do
    args[#args + 1] = now
    args[#args + 1] = member .. ':' .. i .. ':' .. j
    if #args >= 1000 or j == n then
      redis.call('ZADD', key, unpack(args))
      args = {}
    end
  end
  redis.call('ZREMRANGEBYRANK', key, 0, -(max + 1))
  local expiry = math.ceil(2 * window / 1000) + margin
  redis.call('PEXPIRE', key, expiry)
  redis.call('SET', KEYS[2 * i], string.format('%d', slot), 'PX', expiry)
end
return 0
";

/// The script, its SHA-1 computed once: `EVALSHA`, and `EVAL` once per server that does not
/// know it yet.
static SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(TAKE));

type Connecting = SharedFuture<BoxFuture<'static, Result<MultiplexedConnection, Error>>>;

/// The connection in use, or being made: one attempt shared by every caller that needs it, its
/// failure too. `generation` tells a stale failure from the current connection.
#[derive(Default)]
struct Slot {
    generation: u64,
    connection: Option<Connecting>,
}

pub(super) struct RedisLog {
    client: Client,
    /// The Redis address without credentials, for messages.
    address: String,
    key: String,
    /// Makes this limiter's members unique among every process's.
    member: String,
    requests: AtomicU64,
    slot: Arc<Mutex<Slot>>,
}

impl RedisLog {
    /// Parses the URL; connects on first use.
    pub(super) fn new(shared: &Shared) -> Result<RedisLog, Error> {
        if shared.key.is_empty() {
            return Err(Error::config("a shared rate limit needs a non-empty Redis key"));
        }
        let client = Client::open(shared.url.as_str())
            .map_err(|e| Error::config(format!("shared rate limit {:?}: the Redis URL is not valid ({})", shared.key, e)))?;
        let address = client.get_connection_info().addr().to_string();
        Ok(RedisLog {
            client,
            address,
            key: shared.key.clone(),
            member: format!("{:016x}", fastrand::u64(..)),
            requests: AtomicU64::new(0),
            slot: Arc::default(),
        })
    }

    /// Takes `n` places in each budget of `needs` (at most its `max`) if all are free now:
    /// `None` once taken, or how long until they would be.
    pub(super) async fn take(&self, needs: &[(Arc<Budget>, u32)]) -> Result<Option<Duration>, Error> {
        let (generation, connecting) = self.connection();
        let mut connection = connecting.await?;
        let number = self.requests.fetch_add(1, Ordering::Relaxed);
        let mut invocation = SCRIPT.prepare_invoke();
        invocation.arg(format!("{}.{number}", self.member)).arg(EXPIRY_MARGIN_MS);
        for (budget, n) in needs {
            let window_us = u64::try_from(budget.window.as_micros()).unwrap_or(u64::MAX).clamp(1, 1 << 52);
            let key = format!("{}{}", self.key, budget.name);
            invocation.key(&key).key(format!("{key}:slot")).arg(budget.max).arg(window_us).arg((*n).clamp(1, budget.max));
        }
        let answer: Result<i64, RedisError> = match tokio::time::timeout(TIMEOUT, invocation.invoke_async(&mut connection)).await {
            Ok(answer) => answer,
            Err(_) => {
                // A connection that stopped answering is not used again: the next call connects
                // afresh (and fails within the same bound if Redis is still away).
                self.forget(generation);
                return Err(Error::transport(
                    format!("shared rate limit {:?}: Redis at {} did not answer within {} s", self.key, self.address, TIMEOUT.as_secs()),
                    Elapsed,
                ));
            }
        };
        match answer {
            Ok(-2) => Err(self.foreign("start times in the future")),
            Ok(-3) => Err(self.foreign("members that are not reservations")),
            Ok(wait) => Ok((wait > 0).then(|| Duration::from_micros(u64::try_from(wait).unwrap_or(0)))),
            Err(e) if e.is_timeout() => {
                self.forget(generation);
                Err(Error::transport(
                    format!("shared rate limit {:?}: Redis at {} did not answer within {} s", self.key, self.address, TIMEOUT.as_secs()),
                    e,
                ))
            }
            Err(e) => {
                let lost = e.is_io_error() || e.is_connection_dropped() || e.is_unrecoverable_error();
                if lost {
                    self.forget(generation);
                    Err(Error::transport(format!("shared rate limit {:?}: Redis at {}: {}", self.key, self.address, e), e))
                } else {
                    Err(Error::config(format!("shared rate limit {:?}: Redis refused the request for places: {}", self.key, e))
                        .with_source(e))
                }
            }
        }
    }

    /// The shared budget's key, for messages.
    pub(super) fn key(&self) -> &str {
        &self.key
    }

    /// Entries that no limiter writes, found under the key: an error, never a wait.
    fn foreign(&self, what: &str) -> Error {
        Error::config(format!(
            "shared rate limit {:?}: Redis holds {what} under the key, which no rate limit writes: \
             something else wrote there, or Redis's clock stepped back; delete the keys {:?}* and \
             keep them for the rate limit alone",
            self.key, self.key
        ))
    }

    /// The current connection, or the attempt to make one (started here if there is none).
    fn connection(&self) -> (u64, Connecting) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(connecting) = &slot.connection {
            return (slot.generation, connecting.clone());
        }
        slot.generation += 1;
        let generation = slot.generation;
        let (client, address, key, shared_slot) = (self.client.clone(), self.address.clone(), self.key.clone(), self.slot.clone());
        let connecting: BoxFuture<'static, Result<MultiplexedConnection, Error>> = Box::pin(async move {
            let config = AsyncConnectionConfig::new().set_connection_timeout(Some(TIMEOUT)).set_response_timeout(Some(TIMEOUT));
            let result = match tokio::time::timeout(TIMEOUT, client.get_multiplexed_async_connection_with_config(&config)).await {
                Ok(Ok(connection)) => Ok(connection),
                Ok(Err(e)) => Err(connect_error(&key, &address, e)),
                Err(_) => Err(Error::transport(
                    format!("shared rate limit {key:?}: no connection to Redis at {address} within {} s", TIMEOUT.as_secs()),
                    Elapsed,
                )),
            };
            if result.is_err() {
                // The callers waiting on this attempt share its failure; the next one tries again.
                let mut slot = shared_slot.lock().unwrap_or_else(PoisonError::into_inner);
                if slot.generation == generation {
                    slot.connection = None;
                }
            }
            result
        });
        let connecting = connecting.shared();
        slot.connection = Some(connecting.clone());
        (generation, connecting)
    }

    /// Drops the connection of `generation`, if it is still the current one.
    fn forget(&self, generation: u64) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.generation == generation {
            slot.connection = None;
        }
    }
}

impl std::fmt::Debug for RedisLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The address without credentials: the URL may carry a password.
        f.debug_struct("RedisLog").field("key", &self.key).field("address", &self.address).finish()
    }
}

/// A failed connection: wrong credentials and refused commands are the configuration's fault,
/// the rest is the network's.
fn connect_error(key: &str, address: &str, e: RedisError) -> Error {
    match e.kind() {
        RedisErrorKind::AuthenticationFailed => {
            Error::config(format!("shared rate limit {key:?}: Redis at {address} refused the credentials: {}", e)).with_source(e)
        }
        RedisErrorKind::InvalidClientConfig | RedisErrorKind::Server(_) | RedisErrorKind::Extension => {
            Error::config(format!("shared rate limit {key:?}: Redis at {address} refused the connection: {}", e)).with_source(e)
        }
        _ => Error::transport(format!("shared rate limit {key:?}: cannot connect to Redis at {address}: {}", e), e),
    }
}

/// The cause of a bounded wait that ran out.
#[derive(Debug)]
struct Elapsed;

impl std::fmt::Display for Elapsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no answer within {} s", TIMEOUT.as_secs())
    }
}

impl std::error::Error for Elapsed {}
