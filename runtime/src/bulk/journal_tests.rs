use super::*;
use crate::error::ErrorKind;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh path in the system's temporary folder, removed (with its `-wal`/`-shm`) on drop.
struct TempJournal(PathBuf);

impl TempJournal {
    fn new() -> TempJournal {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("graph-endpoint-journal-{}-{}.sqlite", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        let _ = std::fs::remove_file(&path);
        TempJournal(path)
    }
}

impl Drop for TempJournal {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

fn entry(key: &str, index: usize, state: State, status: Option<u16>) -> Entry<'_> {
    Entry { key, index, state, status, code: None, request_id: None, client_request_id: None }
}

fn patch() -> Identity {
    Identity { routes: "PATCH /deviceManagement/deviceConfigurations/{id}".into(), version: "beta".into() }
}

#[tokio::test]
async fn records_sending_then_outcomes_and_reads_them_back() {
    let file = TempJournal::new();
    let mut journal = Journal::open(&file.0, &patch()).unwrap();
    assert_eq!(journal.recorded("a").unwrap(), None);
    let sync = journal.sending(&[(0, "a"), (1, "b"), (2, "c")], true).unwrap().expect("a sync to wait for");
    sync.wait().await.unwrap();
    assert!(journal.sending(&[(3, "d")], false).unwrap().is_none());
    assert_eq!(journal.recorded("a").unwrap().unwrap().state, State::Sending);
    journal
        .outcomes(&[
            Entry { request_id: Some("r-a"), ..entry("a", 0, State::Applied, Some(204)) },
            Entry { code: Some("BadGateway"), ..entry("b", 1, State::Unknown, Some(502)) },
            Entry { code: Some("NotSent"), ..entry("c", 2, State::Failed, None) },
        ])
        .unwrap();
    let a = journal.recorded("a").unwrap().unwrap();
    assert_eq!((a.state, a.status, a.request_id.as_deref(), a.this_run), (State::Applied, Some(204), Some("r-a"), true));
    let b = journal.recorded("b").unwrap().unwrap();
    assert_eq!((b.state, b.code.as_deref()), (State::Unknown, Some("BadGateway")));
    assert_eq!(journal.recorded("c").unwrap().unwrap().state, State::Failed);
    drop(journal);

    // A second run sees the first run's rows as earlier ones.
    let mut journal = Journal::open(&file.0, &patch()).unwrap();
    assert!(!journal.recorded("a").unwrap().unwrap().this_run);
    journal.touch("b", 7, State::Unknown).unwrap();
    assert!(journal.recorded("b").unwrap().unwrap().this_run);
}

#[test]
fn a_journal_held_by_a_running_job_is_refused_at_once() {
    let file = TempJournal::new();
    let first = Journal::open(&file.0, &patch()).unwrap();
    let started = std::time::Instant::now();
    let error = Journal::open(&file.0, &patch()).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "refused without waiting");
    assert_eq!(error.kind(), ErrorKind::Config);
    assert!(error.to_string().contains("held by another running job"), "{error}");
    drop(first);
    Journal::open(&file.0, &patch()).unwrap();
}

#[test]
fn a_journal_of_another_endpoint_is_refused() {
    let file = TempJournal::new();
    drop(Journal::open(&file.0, &patch()).unwrap());
    let post = Identity { routes: "POST /deviceManagement/deviceConfigurations/{id}/assign".into(), version: "beta".into() };
    let error = Journal::open(&file.0, &post).unwrap_err();
    assert!(error.to_string().contains("another job's items"), "{error}");
    let other_version = Identity { version: "v1.0".into(), ..patch() };
    assert!(Journal::open(&file.0, &other_version).is_err());
    Journal::open(&file.0, &patch()).unwrap();
}

#[test]
fn the_file_is_private_in_wal_mode_with_the_documented_schema() {
    let file = TempJournal::new();
    let mut journal = Journal::open(&file.0, &patch()).unwrap();
    journal.sending(&[(0, "a")], false).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file.0).unwrap().permissions().mode() & 0o777, 0o600);
    }
    drop(journal);
    // As the sqlite3 shell would read it, after the job.
    let reader = Connection::open(&file.0).unwrap();
    let mode: String = reader.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let routes: String = reader.query_row("SELECT value FROM meta WHERE name = 'routes'", [], |row| row.get(0)).unwrap();
    assert_eq!(routes, patch().routes);
    let (state, updated): (String, String) =
        reader.query_row("SELECT state, updated FROM items WHERE key = 'a'", [], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
    assert_eq!(state, "sending");
    assert!(updated.ends_with('Z') && updated.contains('T'), "{updated}");
}
