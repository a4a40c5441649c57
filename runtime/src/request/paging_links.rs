//! The loop check of a paged stream, in fixed memory: the links followed are remembered as
//! 64-bit hashes, the last [`RECENT`] of them, plus one more for a cycle check that needs no
//! more memory however long the stream runs.
//!
//! A server that sends the same link again (the same page, or two pages that point at each
//! other) is caught at once by the recent hashes; a longer cycle, by Brent's algorithm: one
//! remembered hash, replaced after 1, 2, 4, 8, ... links, which the cycle brings back once the
//! distance since it was taken covers the cycle's length (within about twice the cycle's
//! length past its start, a few pages fetched again meanwhile). Links that are always new are
//! not a loop: `max_pages` bounds those. The hashes are keyed per stream (SipHash with random
//! keys), so that a server cannot choose links that collide.

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};

/// How many of the last links are remembered exactly (as hashes): 2 KiB.
pub(crate) const RECENT: usize = 256;

/// The links a stream has followed.
#[derive(Debug)]
pub(crate) struct SeenLinks {
    keys: RandomState,
    recent: VecDeque<u64>,
    /// Brent's tortoise: the hash taken when `steps` last reached `power`.
    checkpoint: Option<u64>,
    power: u64,
    steps: u64,
}

impl SeenLinks {
    pub(crate) fn new() -> Self {
        SeenLinks { keys: RandomState::new(), recent: VecDeque::with_capacity(RECENT), checkpoint: None, power: 1, steps: 0 }
    }

    /// Records `link`; `false` when it was followed before (within the recent links, or as
    /// the cycle check's remembered one).
    pub(crate) fn insert(&mut self, link: &str) -> bool {
        let hash = self.keys.hash_one(link);
        if self.checkpoint == Some(hash) || self.recent.contains(&hash) {
            return false;
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(hash);
        self.steps += 1;
        if self.steps == self.power {
            self.checkpoint = Some(hash);
            self.power = self.power.saturating_mul(2);
            self.steps = 0;
        }
        true
    }

    /// How many hashes are held: never more than [`RECENT`] + 1.
    pub(crate) fn len(&self) -> usize {
        self.recent.len() + usize::from(self.checkpoint.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_links_keep_bounded_memory() {
        let mut seen = SeenLinks::new();
        for page in 0..2_000 {
            assert!(seen.insert(&format!("https://graph.microsoft.com/v1.0/users?$skiptoken={page}")));
            assert!(seen.len() <= RECENT + 1);
        }
        assert_eq!(seen.len(), RECENT + 1);
        assert_eq!(seen.recent.capacity(), RECENT, "the set never grew past its first allocation");
    }

    #[test]
    fn a_repeated_link_is_caught_at_once() {
        let mut seen = SeenLinks::new();
        assert!(seen.insert("a"));
        assert!(seen.insert("b"));
        assert!(!seen.insert("a"));
    }

    /// A cycle longer than the recent links is caught too, within about twice its length.
    #[test]
    fn a_long_cycle_is_caught() {
        for (start, length) in [(0, 1_000), (37, 257), (500, 5_000)] {
            let mut seen = SeenLinks::new();
            let link = |i: usize| if i < start { format!("lead/{i}") } else { format!("cycle/{}", (i - start) % length) };
            let caught = (0..).find(|&i| !seen.insert(&link(i))).unwrap();
            assert!(caught >= start + length, "{start}+{length}: a false repeat at {caught}");
            assert!(caught <= start + 4 * length + RECENT, "{start}+{length}: caught only at {caught}");
        }
    }
}
