//! Why a request was not sent again, or why an item of a `$batch` was not run:
//! kept typed in the [`Error`](super::Error), rendered only when shown.

use std::fmt;
use std::time::Duration;

/// Why a request was not sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// Every allowed retry was used.
    Exhausted { retries: u32 },
    /// The server asked for a longer wait than `max_delay`.
    WaitTooLong { asked: Duration, max: Duration },
    /// Waiting would take the call past `max_total`.
    OverBudget { asked: Duration, waited: Duration, max: Duration },
    /// The attempt failed after the request may have been written, and it is a `POST` not
    /// declared idempotent: Graph may have acted on it.
    MayHaveActed,
    /// Graph received the write and redirected it (`status`: 303, or 301/302 after a POST) to
    /// a `GET` that did not succeed.
    Received { status: u16 },
    /// An item of an in-order `$batch` that Graph did not run (`424 Failed Dependency`)
    /// because the item at `index` (0-based; its `$batch` id is `index + 1`) before it failed.
    DependencyFailed { index: usize },
}

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GiveUp::Exhausted { retries: 0 } => f.write_str("retries are off"),
            GiveUp::Exhausted { retries } => write!(f, "gave up after {retries} retries"),
            GiveUp::WaitTooLong { asked, max } => {
                write!(f, "not retried: Graph asked to wait {:.3} s, more than max_delay ({:.3} s)", asked.as_secs_f64(), max.as_secs_f64())
            }
            GiveUp::OverBudget { asked, waited, max } => write!(
                f,
                "not retried: waiting {:.3} s more after {:.3} s would pass max_total ({:.3} s)",
                asked.as_secs_f64(),
                waited.as_secs_f64(),
                max.as_secs_f64()
            ),
            GiveUp::MayHaveActed => {
                f.write_str("not resent: Graph may have received this POST; if sending it twice is safe, declare it `idempotent`")
            }
            GiveUp::Received { status } => {
                write!(f, "not resent: Graph received this write and answered {status}, turning it into a GET; the GET did not succeed")
            }
            GiveUp::DependencyFailed { index } => {
                write!(f, "not run: the item at index {index} ($batch id \"{}\") before it failed", index + 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn reasons_are_kept_typed_and_shown_in_words() {
        let secs = Duration::from_secs;
        for (reason, text) in [
            (GiveUp::Exhausted { retries: 0 }, "retries are off"),
            (GiveUp::Exhausted { retries: 3 }, "gave up after 3 retries"),
            (
                GiveUp::WaitTooLong { asked: secs(300), max: secs(60) },
                "not retried: Graph asked to wait 300.000 s, more than max_delay (60.000 s)",
            ),
            (
                GiveUp::OverBudget { asked: secs(30), waited: secs(170), max: secs(180) },
                "not retried: waiting 30.000 s more after 170.000 s would pass max_total (180.000 s)",
            ),
            (GiveUp::MayHaveActed, "not resent: Graph may have received this POST; if sending it twice is safe, declare it `idempotent`"),
            (
                GiveUp::Received { status: 303 },
                "not resent: Graph received this write and answered 303, turning it into a GET; the GET did not succeed",
            ),
            (GiveUp::DependencyFailed { index: 6 }, "not run: the item at index 6 ($batch id \"7\") before it failed"),
        ] {
            let error = Error::invalid_request("x").with_give_up(reason);
            assert_eq!(error.retry_note(), Some(text));
            assert!(error.to_string().ends_with(&format!(" ({text})")), "{error}");
            assert!(format!("{error:?}").contains(&format!("retry_note: {text:?}")), "{error:?}");
            let copy = error.clone();
            assert_eq!(copy.retry_note(), Some(text));
        }
    }
}
