//! A bulk job's journal: one SQLite file (bundled SQLite, WAL mode) that records, for every
//! item by its key, whether its request is leaving, was applied, failed or has an outcome that
//! is not known, so that running the same job again resumes it instead of repeating writes.
//!
#![doc = include_str!("journal.md")]

use crate::error::Error;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// The journal's format, in `meta`.
const FORMAT: &str = "1";

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS meta (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS items (
        key               TEXT PRIMARY KEY,
        item              INTEGER NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('sending', 'applied', 'failed', 'unknown')),
        status            INTEGER,
        code              TEXT,
        request_id        TEXT,
        client_request_id TEXT,
        run               INTEGER NOT NULL,
        updated           TEXT NOT NULL
    );
";

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// What a journal is for: the endpoint's routes and API version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    /// `METHOD /template` lines, one per route of the endpoint type.
    pub(crate) routes: String,
    /// `v1.0` or `beta`.
    pub(crate) version: String,
}

/// An item's state in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Sending,
    Applied,
    Failed,
    Unknown,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Sending => "sending",
            State::Applied => "applied",
            State::Failed => "failed",
            State::Unknown => "unknown",
        }
    }

    fn parse(text: &str) -> Option<State> {
        Some(match text {
            "sending" => State::Sending,
            "applied" => State::Applied,
            "failed" => State::Failed,
            "unknown" => State::Unknown,
            _ => return None,
        })
    }
}

/// What the journal holds for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub(crate) state: State,
    /// Written by this run (the key came twice).
    pub(crate) this_run: bool,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) client_request_id: Option<String>,
}

/// What came of one item, to record.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub(crate) key: &'a str,
    pub(crate) index: usize,
    pub(crate) state: State,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<&'a str>,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) client_request_id: Option<&'a str>,
}

/// An open journal, held by this job until dropped.
pub(crate) struct Journal {
    connection: Connection,
    path: PathBuf,
    run: i64,
    /// The WAL, opened once a commit must be synced.
    wal: Option<std::sync::Arc<std::fs::File>>,
}

/// A commit to wait for: the WAL synced to the disk (`fdatasync`), off the job's task, so that
/// the job goes on with its other chunks meanwhile; syncs of chunks in flight together are
/// joined by the file system into one.
#[derive(Debug)]
pub(crate) struct Sync {
    wal: std::sync::Arc<std::fs::File>,
    path: PathBuf,
}

impl Sync {
    /// Waits until what was committed before is on the disk.
    pub(crate) async fn wait(self) -> Result<(), Error> {
        let Sync { wal, path } = self;
        let synced = tokio::task::spawn_blocking(move || wal.sync_data()).await;
        let failed = |e: &dyn std::fmt::Display| Error::config(format!("the journal `{}` could not be synced: {e}", path.display()));
        match synced {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(failed(&e).with_source(e)),
            Err(e) => Err(failed(&e)),
        }
    }
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).field("run", &self.run).finish()
    }
}

impl Journal {
    /// Opens (or creates) the journal at `path` for `identity`, and holds it.
    pub(crate) fn open(path: &Path, identity: &Identity) -> Result<Journal, Error> {
        let shown = path.display().to_string();
        create_private(path).map_err(|e| Error::config(format!("the journal `{shown}` could not be created: {e}")).with_source(e))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let connection = Connection::open_with_flags(path, flags).map_err(|e| failed(&shown, "could not be opened", e))?;
        // No busy wait: a journal held by a running job is an error at once, not a wait.
        connection.busy_timeout(std::time::Duration::ZERO).map_err(|e| failed(&shown, "could not be opened", e))?;
        let setup = "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        connection.execute_batch(setup).map_err(|e| held_or(&shown, "could not be opened", e))?;
        let mut journal = Journal { connection, path: path.to_owned(), run: 0, wal: None };
        journal.run = journal.claim(identity).map_err(|e| held_or(&shown, "could not be read", e))??;
        Ok(journal)
    }

    /// Takes the lock, checks or writes what the journal is for, and counts this run.
    fn claim(&mut self, identity: &Identity) -> rusqlite::Result<Result<i64, Error>> {
        let transaction = self.connection.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        transaction.execute_batch(SCHEMA)?;
        let meta = |name: &str| -> rusqlite::Result<Option<String>> {
            transaction.query_row("SELECT value FROM meta WHERE name = ?1", [name], |row| row.get(0)).optional()
        };
        let shown = self.path.display();
        if let Some(format) = meta("format")?
            && format != FORMAT
        {
            return Ok(Err(Error::config(format!("the journal `{shown}` is of format {format}, which this version does not read"))));
        }
        match (meta("routes")?, meta("version")?) {
            // A job with no item and an endpoint type that does not list its routes: nothing
            // to check, nothing to record.
            _ if identity.routes.is_empty() => {}
            (Some(routes), Some(version)) if routes != identity.routes || version != identity.version => {
                return Ok(Err(Error::config(format!(
                    "the journal `{shown}` records another job's items ({} at {version}), not this job's ({} at {}): \
                     keys of one endpoint say nothing of another; give this job its own journal",
                    routes.replace('\n', ", "),
                    identity.routes.replace('\n', ", "),
                    identity.version
                ))));
            }
            (Some(_), Some(_)) => {}
            _ => {
                let insert = "INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)";
                transaction.execute(insert, ["format", FORMAT])?;
                transaction.execute(insert, ["routes", &identity.routes])?;
                transaction.execute(insert, ["version", &identity.version])?;
                transaction.execute(&format!("INSERT OR REPLACE INTO meta (name, value) VALUES ('created', {NOW})"), [])?;
            }
        }
        let runs: i64 = meta("runs")?.and_then(|runs| runs.parse().ok()).unwrap_or(0) + 1;
        transaction.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('runs', ?1)", [runs.to_string()])?;
        transaction.commit()?;
        Ok(Ok(runs))
    }

    /// What the journal holds for `key`, if anything.
    pub(crate) fn recorded(&mut self, key: &str) -> Result<Option<Recorded>, Error> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT state, run, status, code, request_id, client_request_id FROM items WHERE key = ?1")
            .map_err(|e| self.error("could not be read", e))?;
        let row = statement
            .query_row([key], |row| {
                let state: String = row.get(0)?;
                let run: i64 = row.get(1)?;
                Ok((state, run, row.get::<_, Option<u16>>(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
            })
            .optional()
            .map_err(|e| failed(&self.path.display().to_string(), "could not be read", e))?;
        let Some((state, run, status, code, request_id, client_request_id)) = row else { return Ok(None) };
        // A state this version does not know is taken as the most careful one.
        let state = State::parse(&state).unwrap_or(State::Unknown);
        Ok(Some(Recorded { state, this_run: run == self.run, status, code, request_id, client_request_id }))
    }

    /// Records `items` (key and index) as *sending*. The commit is in the operating system's
    /// hands when this returns; with `synced`, it returns the [`Sync`] to wait for before the
    /// request leaves, for the commit to be on the disk.
    pub(crate) fn sending(&mut self, items: &[(usize, &str)], synced: bool) -> Result<Option<Sync>, Error> {
        if items.is_empty() {
            return Ok(None);
        }
        let result = (|| -> rusqlite::Result<()> {
            let transaction = self.connection.transaction()?;
            {
                let mut upsert = transaction.prepare_cached(&format!(
                    "INSERT INTO items (key, item, state, run, updated) VALUES (?1, ?2, 'sending', ?3, {NOW})
                     ON CONFLICT (key) DO UPDATE SET item = excluded.item, state = 'sending', status = NULL, code = NULL,
                         request_id = NULL, client_request_id = NULL, run = excluded.run, updated = excluded.updated"
                ))?;
                for (index, key) in items {
                    upsert.execute(params![key, *index as i64, self.run])?;
                }
            }
            transaction.commit()
        })();
        result.map_err(|e| self.error("could not record the items leaving", e))?;
        if !synced {
            return Ok(None);
        }
        let wal = match &self.wal {
            Some(wal) => wal.clone(),
            None => {
                let path = format!("{}-wal", self.path.display());
                let wal = std::fs::File::open(&path)
                    .map_err(|e| Error::config(format!("the journal's WAL `{path}` could not be opened to sync it: {e}")).with_source(e))?;
                self.wal.insert(std::sync::Arc::new(wal)).clone()
            }
        };
        Ok(Some(Sync { wal, path: self.path.clone() }))
    }

    /// Records what came of `entries`, in one transaction (not synced: see the module docs).
    pub(crate) fn outcomes(&mut self, entries: &[Entry<'_>]) -> Result<(), Error> {
        if entries.is_empty() {
            return Ok(());
        }
        let result = (|| -> rusqlite::Result<()> {
            let transaction = self.connection.transaction()?;
            {
                let mut upsert = transaction.prepare_cached(&format!(
                    "INSERT INTO items (key, item, state, status, code, request_id, client_request_id, run, updated)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {NOW})
                     ON CONFLICT (key) DO UPDATE SET item = excluded.item, state = excluded.state, status = excluded.status,
                         code = excluded.code, request_id = excluded.request_id,
                         client_request_id = excluded.client_request_id, run = excluded.run, updated = excluded.updated"
                ))?;
                for entry in entries {
                    upsert.execute(params![
                        entry.key,
                        entry.index as i64,
                        entry.state.as_str(),
                        entry.status,
                        entry.code,
                        entry.request_id,
                        entry.client_request_id,
                        self.run
                    ])?;
                }
            }
            transaction.commit()
        })();
        result.map_err(|e| self.error("could not record the items' outcomes", e))
    }

    /// Marks `key` as seen by this run, its state kept (an item reported without being sent).
    pub(crate) fn touch(&mut self, key: &str, index: usize, state: State) -> Result<(), Error> {
        let sql = format!("UPDATE items SET item = ?2, state = ?3, run = ?4, updated = {NOW} WHERE key = ?1");
        let result = self.connection.prepare_cached(&sql).and_then(|mut s| s.execute(params![key, index as i64, state.as_str(), self.run]));
        result.map(drop).map_err(|e| self.error("could not be written", e))
    }

    fn error(&self, what: &str, error: rusqlite::Error) -> Error {
        failed(&self.path.display().to_string(), what, error)
    }
}

/// Creates the file, readable by its owner only, unless it exists.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

fn failed(path: &str, what: &str, error: rusqlite::Error) -> Error {
    Error::config(format!("the journal `{path}` {what}: {error}")).with_source(error)
}

/// A lock held by another connection means another job runs on this journal.
fn held_or(path: &str, what: &str, error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::config(format!(
            "the journal `{path}` is held by another running job (one journal, one job at a time); \
             wait for that job to end or give this one another file"
        ))
        .with_source(error),
        _ => failed(path, what, error),
    }
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod tests;
