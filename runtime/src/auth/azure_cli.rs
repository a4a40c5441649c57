//! Tokens from the Azure CLI's signed-in account: `az account get-access-token`.

use super::cache::TokenCache;
use super::child_env::child_environment;
use super::entra::seconds;
use super::settings::{DEFAULT_TIMEOUT, cache_bound};
use super::unavailable::{unavailable, unavailable_because};
use super::{AccessToken, BoxFuture, TokenProvider};
use crate::cloud::NationalCloud;
use crate::error::Error;
use serde_json::Value;
use std::ffi::OsString;
use std::fmt;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

/// The longest piece of the CLI's error output an error quotes.
const STDERR_LIMIT: usize = 300;

/// The account the Azure CLI is signed in with (`az login`), for development machines and
/// pipelines that sign in with the CLI.
///
/// Runs `az account get-access-token --resource {graph} --output json` (with `--tenant` when
/// [`tenant`](Self::tenant) is set), bounded by [`timeout`](Self::timeout): a CLI that takes
/// longer is killed. The CLI keeps its own token cache; this credential's [`TokenCache`] runs
/// it only when the token is due. The CLI runs with `TZ=UTC`, so that the local time older
/// versions print as `expiresOn` is UTC, and with only the variables it needs (`PATH`, `HOME`,
/// `AZURE_CONFIG_DIR`, proxies, locale and the like): never the app's secrets, such as
/// `AZURE_CLIENT_SECRET` or `IDENTITY_HEADER`.
///
/// ```no_run
/// use graph_endpoint::auth::AzureCliCredential;
///
/// let credential = AzureCliCredential::new().tenant("contoso.onmicrosoft.com");
/// let client = graph_endpoint::Client::builder().token_provider(credential).build()?;
/// # Ok::<(), graph_endpoint::Error>(())
/// ```
#[must_use]
pub struct AzureCliCredential {
    cache: TokenCache<CliFlow>,
}

#[derive(Clone, Debug)]
struct CliFlow {
    program: OsString,
    tenant: Option<String>,
    resource: String,
    timeout: Duration,
}

impl fmt::Debug for AzureCliCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flow = self.cache.provider();
        f.debug_struct("AzureCliCredential")
            .field("program", &flow.program)
            .field("tenant", &flow.tenant)
            .field("resource", &flow.resource)
            .field("timeout", &flow.timeout)
            .finish()
    }
}

impl Default for AzureCliCredential {
    fn default() -> Self {
        Self::new()
    }
}

impl AzureCliCredential {
    /// Runs `az` from `PATH` (`az.cmd` on Windows), for the global cloud's Graph.
    pub fn new() -> Self {
        let flow = CliFlow {
            program: OsString::from(if cfg!(windows) { "az.cmd" } else { "az" }),
            tenant: None,
            resource: NationalCloud::Global.graph_url().to_owned(),
            timeout: DEFAULT_TIMEOUT,
        };
        AzureCliCredential { cache: TokenCache::new(flow).timeout(cache_bound(DEFAULT_TIMEOUT)) }
    }

    /// Asks for a token of this tenant (`--tenant`), which the signed-in account must belong to.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.cache.provider_mut().tenant = Some(tenant.into());
        self
    }

    /// Runs this program instead of `az`.
    pub fn program(mut self, program: impl Into<OsString>) -> Self {
        self.cache.provider_mut().program = program.into();
        self
    }

    /// Requests tokens for a national cloud's Graph (the CLI must be set to that cloud:
    /// `az cloud set`).
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cache.provider_mut().resource = cloud.graph_url().to_owned();
        self
    }

    /// Bounds every run of the CLI (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.cache.provider_mut().timeout = timeout;
        self.cache.set_timeout(cache_bound(timeout));
        self
    }

    /// The resource tokens are requested for (`{graph}`).
    pub fn resource(&self) -> &str {
        &self.cache.provider().resource
    }
}

impl CliFlow {
    async fn fetch(&self) -> Result<AccessToken, Error> {
        let mut command = tokio::process::Command::new(&self.program);
        command.args(["account", "get-access-token", "--resource", &self.resource, "--output", "json"]);
        if let Some(tenant) = &self.tenant {
            if tenant.is_empty() || !tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
                return Err(Error::config(format!("the tenant {tenant:?} is not a tenant id or domain name")));
            }
            command.args(["--tenant", tenant]);
        }
        // An allow-list of what `az` needs: the app's secrets stay in the app (see `child_env`).
        command.env_clear().envs(child_environment(std::env::vars_os()));
        command.env("TZ", "UTC").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
        let shown = self.program.to_string_lossy();
        let child = command.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => unavailable_because(
                Error::auth(format!(
                    "the Azure CLI (`{shown}`) was not found: install it and sign in with `az login`, or point the credential at it"
                )),
                e,
            ),
            _ => Error::auth(format!("the Azure CLI (`{shown}`) could not be started: {e}")).with_source(e),
        })?;
        // Dropping the child on timeout kills it.
        let output = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Ok(output) => output.map_err(|e| Error::auth(format!("the output of the Azure CLI could not be read: {e}")).with_source(e))?,
            Err(_) => {
                return Err(Error::timeout(format!(
                    "the Azure CLI gave no token within {:.1} s and was stopped",
                    self.timeout.as_secs_f64()
                )));
            }
        };
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if stderr.contains("az login") {
                return Err(unavailable(Error::auth("the Azure CLI is not signed in: run `az login`")));
            }
            let stderr = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut end = stderr.len().min(STDERR_LIMIT);
            while !stderr.is_char_boundary(end) {
                end -= 1;
            }
            return Err(Error::auth(format!("`az account get-access-token` failed ({}): {}", output.status, &stderr[..end])));
        }
        read_cli_token(&output.stdout)
    }
}

/// `{"accessToken": "...", "expires_on": 1700000000, "expiresOn": "2023-11-14 22:13:20.000000", ...}`;
/// never quotes the output, which holds the token.
fn read_cli_token(stdout: &[u8]) -> Result<AccessToken, Error> {
    let answer: Value = serde_json::from_slice(stdout)
        .map_err(|_| Error::auth("the Azure CLI's output is not the JSON of `az account get-access-token`"))?;
    let secret = answer.get("accessToken").and_then(Value::as_str).filter(|t| !t.is_empty());
    let Some(secret) = secret else {
        return Err(Error::auth("the Azure CLI's output has no `accessToken`"));
    };
    let expires_at = match answer.get("expires_on").and_then(seconds) {
        Some(at) => Duration::try_from_secs_f64(at).ok().and_then(|at| SystemTime::UNIX_EPOCH.checked_add(at)),
        None => answer.get("expiresOn").and_then(Value::as_str).and_then(parse_utc_datetime),
    };
    Ok(AccessToken::new(secret).with_expires_at(expires_at))
}

/// `YYYY-MM-DD HH:MM:SS[.ffffff]` as a UTC time (the CLI runs with `TZ=UTC`).
fn parse_utc_datetime(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let (date, time) = text.split_once([' ', 'T'])?;
    let mut date = date.splitn(3, '-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let time = time.split('.').next()?;
    let mut time = time.splitn(3, ':').map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (time.next()??, time.next()??, time.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

impl TokenProvider for CliFlow {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(self.fetch())
    }
}

super::cache::cached_provider!(AzureCliCredential);

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(time: SystemTime) -> u64 {
        time.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs()
    }

    #[test]
    fn expiries_from_new_and_old_clis() {
        let token = read_cli_token(br#"{"accessToken":"t","expires_on":1700000000,"expiresOn":"2000-01-01 00:00:00.000000"}"#).unwrap();
        assert_eq!(epoch(token.expires_at().unwrap()), 1_700_000_000);
        let token = read_cli_token(br#"{"accessToken":"t","expires_on":"1700000000"}"#).unwrap();
        assert_eq!(epoch(token.expires_at().unwrap()), 1_700_000_000);
        let token = read_cli_token(br#"{"accessToken":"t","expiresOn":"2023-11-14 22:13:20.123456"}"#).unwrap();
        assert_eq!(epoch(token.expires_at().unwrap()), 1_700_000_000);
        let token = read_cli_token(br#"{"accessToken":"t","expiresOn":"yesterday"}"#).unwrap();
        assert_eq!(token.expires_at(), None);
        assert_eq!(epoch(parse_utc_datetime("2024-02-29 12:00:00").unwrap()), 1_709_208_000);
        assert_eq!(epoch(parse_utc_datetime("1970-01-01T00:00:00").unwrap()), 0);
        for bad in ["2024-13-01 00:00:00", "2024-01-01", "1969-12-31 23:59:59", "2024-01-01 25:00:00", ""] {
            assert_eq!(parse_utc_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_output_is_an_error_that_does_not_quote_it() {
        for output in [&b"eyJ0eXAi.not-json"[..], br#"{"token":"eyJ0eXAi"}"#, br#"{"accessToken":""}"#] {
            let error = read_cli_token(output).unwrap_err();
            assert!(!format!("{error} {error:?}").contains("eyJ0eXAi"), "{error}");
        }
    }
}
