//! What an earlier run's record means for an item, and recording this run's: the job's view
//! of its journal (with no journal, or without the `journal` feature, it records nothing and
//! sends everything).

use super::send::Sent;
use crate::error::{Error, ErrorKind};

#[cfg(feature = "journal")]
use crate::bulk::journal::{Entry, Identity, Journal, Recorded, State};

/// What to do with an item.
pub(crate) enum Decision {
    /// Send it.
    Send,
    /// An earlier run applied it: not sent, not yielded. Its recorded status and ids.
    #[cfg_attr(not(feature = "journal"), allow(dead_code))]
    Skip { status: Option<u16>, request_id: Option<String>, client_request_id: Option<String> },
    /// Not sent: its own error (an unverified write, a key seen twice).
    Refuse(Error),
}

/// A record to wait for before a chunk leaves.
#[derive(Debug)]
#[cfg_attr(not(feature = "journal"), allow(dead_code))]
pub(crate) struct Synced(#[cfg(feature = "journal")] crate::bulk::journal::Sync);

impl Synced {
    /// Waits until the record is on the disk.
    pub(crate) async fn wait(self) -> Result<(), Error> {
        #[cfg(feature = "journal")]
        return self.0.wait().await;
        #[cfg(not(feature = "journal"))]
        Ok(())
    }
}

/// The job's journal, if it has one.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    #[cfg(feature = "journal")]
    journal: Option<Journal>,
}

impl Ledger {
    /// Opens the journal at `path` for items of `routes` at `version`.
    #[cfg(feature = "journal")]
    pub(crate) fn open(path: &std::path::Path, routes: String, version: String) -> Result<Ledger, Error> {
        Ok(Ledger { journal: Some(Journal::open(path, &Identity { routes, version })?) })
    }

    /// What to do with the item at `index` with `key`, as the journal has it.
    pub(crate) fn decide(&mut self, index: usize, key: Option<&str>, idempotent: bool) -> Result<Decision, Error> {
        #[cfg(feature = "journal")]
        if let (Some(journal), Some(key)) = (&mut self.journal, key) {
            return decide(journal, index, key, idempotent);
        }
        let _ = (index, key, idempotent);
        Ok(Decision::Send)
    }

    /// Records `items` as leaving, before their request leaves; when one of them must not be
    /// sent twice, what to wait for before it leaves (the record synced to the disk: see the
    /// journal's docs).
    pub(crate) fn sending(&mut self, items: &[(usize, &str)], synced: bool) -> Result<Option<Synced>, Error> {
        #[cfg(feature = "journal")]
        if let Some(journal) = &mut self.journal {
            return journal.sending(items, synced).map(|sync| sync.map(Synced));
        }
        let _ = (items, synced);
        Ok(None)
    }

    /// Records what came of a chunk's items, in one transaction.
    pub(crate) fn outcomes<R>(&mut self, items: &[Sent<R>]) -> Result<(), Error> {
        #[cfg(feature = "journal")]
        if let Some(journal) = &mut self.journal {
            let entries: Vec<Entry<'_>> = items.iter().filter_map(entry).collect();
            return journal.outcomes(&entries);
        }
        let _ = items;
        Ok(())
    }
}

#[cfg(feature = "journal")]
fn decide(journal: &mut Journal, index: usize, key: &str, idempotent: bool) -> Result<Decision, Error> {
    let Some(recorded) = journal.recorded(key)? else { return Ok(Decision::Send) };
    if recorded.this_run {
        return Ok(Decision::Refuse(Error::invalid_request(format!(
            "the key `{key}` was given to an earlier item of this job too: a journal records one item per key; \
             this one was not sent"
        ))));
    }
    Ok(match recorded.state {
        State::Applied => {
            Decision::Skip { status: recorded.status, request_id: recorded.request_id, client_request_id: recorded.client_request_id }
        }
        State::Failed => Decision::Send,
        State::Sending | State::Unknown if idempotent => Decision::Send,
        State::Sending | State::Unknown => {
            // Marked seen by this run, its state kept: the next run says the same.
            journal.touch(key, index, State::Unknown)?;
            Decision::Refuse(unverified(key, &recorded))
        }
    })
}

/// The error of a write an earlier run sent and never learned the outcome of.
#[cfg(feature = "journal")]
fn unverified(key: &str, recorded: &Recorded) -> Error {
    let what = match (recorded.state, recorded.status) {
        (State::Sending, _) => "its request left and no answer was recorded".to_owned(),
        (_, Some(status)) => format!("Graph answered {status}, which does not say whether it acted"),
        _ => "its request failed after it may have reached Graph".to_owned(),
    };
    let mut error = Error::unverified(format!(
        "an earlier run of this job sent the item `{key}` and {what}; it is not idempotent, so it is not sent again: \
         check in Graph whether it was applied"
    ));
    if let Some(code) = &recorded.code {
        error = error.with_code(code);
    }
    if let Some(id) = &recorded.client_request_id {
        error = error.with_client_request_id(id);
    }
    error.with_request_id_if_missing(recorded.request_id.as_deref())
}

/// The journal's record of a sent item: applied, failed (Graph did not act on it, or it never
/// left) or unknown.
#[cfg(feature = "journal")]
fn entry<R>(sent: &Sent<R>) -> Option<Entry<'_>> {
    let key = sent.key.as_deref()?;
    let (state, code) = match &sent.result {
        Ok(_) => (State::Applied, None),
        Err(error) => (state_of(error), Some(error.code().unwrap_or(kind_name(error.kind())))),
    };
    Some(Entry {
        key,
        index: sent.index,
        state,
        status: sent.status,
        code,
        request_id: sent.request_id.as_deref(),
        client_request_id: sent.client_request_id.as_deref(),
    })
}

#[cfg(feature = "journal")]
fn state_of(error: &Error) -> State {
    if error.kind() == ErrorKind::Unverified || error.may_have_been_applied() { State::Unknown } else { State::Failed }
}

/// The name an error without Graph's code is counted and recorded under.
pub(crate) fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Config => "Config",
        ErrorKind::InvalidRequest => "InvalidRequest",
        ErrorKind::Auth => "Auth",
        ErrorKind::Transport => "Transport",
        ErrorKind::Timeout => "Timeout",
        ErrorKind::Api => "Api",
        ErrorKind::Decode => "Decode",
        ErrorKind::Redirect => "Redirect",
        ErrorKind::Limit => "Limit",
        ErrorKind::NotSent => "NotSent",
        ErrorKind::Unverified => "Unverified",
    }
}
