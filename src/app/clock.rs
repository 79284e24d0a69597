//! The session's clock and pace: time only comes in through `Action::Tick`, so the update
//! never reads a clock.

use std::collections::HashSet;

use super::vocabulary::SentenceKey;

/// When the session started and how many sentences it decided. Time only comes in through
/// `Action::Tick`, so the update never reads a clock.
#[derive(Debug, Clone, Default)]
pub struct SessionClock {
    pub(super) started: Option<u64>,
    pub(super) now: Option<u64>,
    pub(super) decided: HashSet<SentenceKey>,
}

impl SessionClock {
    /// Takes the time now (Unix milliseconds); the first one is the session's start.
    pub(super) fn tick(&mut self, now: u64) {
        self.started.get_or_insert(now);
        self.now = Some(now.max(self.now.unwrap_or(0)));
    }

    /// Counts a sentence given labels (or no stance) in this session; again is not twice.
    pub(super) fn decided(&mut self, sentence: SentenceKey) {
        self.decided.insert(sentence);
    }
}

/// The session's pace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Distinct sentences decided in this session.
    pub sentences: usize,
    /// Milliseconds since the session started (0 before the first tick).
    pub elapsed_ms: u64,
    /// Sentences per hour, once a minute has passed.
    pub per_hour: Option<f64>,
}

/// Less than this, a rate per hour says little.
pub(super) const MIN_ELAPSED_MS: u64 = 60_000;
