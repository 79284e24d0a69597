//! What the statistics panel shows: the label distribution over every annotator, each
//! annotator's count, and the pace of this session from times the loop sends in.

use std::collections::HashSet;

use super::state::{Counts, SentenceKey, State};

/// When the session started and how many sentences it decided. Time only comes in through
/// `Action::Tick`, so the update never reads a clock.
#[derive(Debug, Clone, Default)]
pub struct SessionClock {
    started: Option<u64>,
    now: Option<u64>,
    decided: HashSet<SentenceKey>,
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
const MIN_ELAPSED_MS: u64 = 60_000;

impl State {
    /// How fast this session is deciding sentences.
    pub fn pace(&self) -> Pace {
        let sentences = self.clock.decided.len();
        let elapsed_ms = match (self.clock.started, self.clock.now) {
            (Some(start), Some(now)) => now - start,
            _ => 0,
        };
        let per_hour = (elapsed_ms >= MIN_ELAPSED_MS)
            .then(|| sentences as f64 * 3_600_000.0 / elapsed_ms as f64);
        Pace {
            sentences,
            elapsed_ms,
            per_hour,
        }
    }

    /// Live annotations of every annotator in the store, added up.
    pub fn all_annotators(&self) -> Counts {
        let mut total = Counts::new(&self.schema);
        for counts in self.model.counts() {
            total.annotated += counts.annotated;
            total.no_stance += counts.no_stance;
            for (sum, n) in total.labels.iter_mut().zip(&counts.labels) {
                *sum += n;
            }
        }
        total
    }

    /// Each annotator's name and live annotations, most first; ties by name.
    pub fn annotator_counts(&self) -> Vec<(&str, usize)> {
        let review = &self.model;
        let mut rows: Vec<(&str, usize)> = review
            .annotators()
            .iter()
            .zip(review.counts())
            .map(|(name, counts)| (name.as_str(), counts.annotated))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rows
    }
}
