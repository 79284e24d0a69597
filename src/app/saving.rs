//! The session's ledger of writes: which decisions were handed to the store and not yet
//! reported, which were refused (and why), and whether the analyst asked to quit meanwhile.
//!
//! Invariants: a write is in flight from [`Saving::begin`] until its report, exactly once; a
//! sentence is unsaved from a refusal until a later write of it is saved, or the refused
//! write itself, sent again by the store worker once the store can be reached; "saved" is
//! only said once a report came back and nothing is unsaved.
//! Recreating the store counts as a write in flight until it is reported.

use std::collections::HashMap;

use super::vocabulary::SentenceKey;

/// Whether the analyst's decisions are on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing decided yet in this session.
    Idle,
    /// A write is under way.
    Saving,
    /// Every decision is written and synced.
    Saved,
    /// Some decisions could not be written.
    NotSaved {
        /// How many.
        decisions: usize,
        /// The last error.
        reason: String,
        /// Later decisions still being written (they may yet be saved).
        saving: usize,
    },
}

/// Why a sentence's last write was refused.
#[derive(Debug, Clone)]
struct Refusal {
    /// The refused write's number: refusals in this order are decisions in the order made.
    seq: u64,
    reason: String,
    /// The store must be recreated before the decision can be saved.
    recreate: bool,
}

/// Writes under way and refused, by sentence.
#[derive(Debug, Clone, Default)]
pub struct Saving {
    next_seq: u64,
    in_flight: HashMap<u64, SentenceKey>,
    unsaved: HashMap<SentenceKey, Refusal>,
    last_error: String,
    saved_any: bool,
    /// Quit was asked while writes were under way: quit once the last is reported.
    pub(super) quit_when_saved: bool,
    /// The store is being recreated.
    pub(super) recreating: bool,
}

impl Saving {
    /// Numbers a new write of the sentence `key`, now in flight.
    pub(super) fn begin(&mut self, key: SentenceKey) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.in_flight.insert(seq, key);
        seq
    }

    /// The write `seq` is on disk: one in flight, or one refused and sent again since.
    pub(super) fn saved(&mut self, seq: u64) {
        let key = self.in_flight.remove(&seq).or_else(|| {
            // Only the sentence's last refused write: a later one refused stays unsaved.
            let refused = self.unsaved.iter().find(|(_, r)| r.seq == seq);
            refused.map(|(key, _)| *key)
        });
        if let Some(key) = key {
            self.unsaved.remove(&key);
            self.saved_any = true;
            // The reason shown belongs to a decision still refused.
            if !self.unsaved.values().any(|r| r.reason == self.last_error) {
                let reasons = self.unsaved.values().map(|r| &r.reason);
                self.last_error = reasons.min().cloned().unwrap_or_default();
            }
        }
    }

    /// The write `seq` was refused, for `reason`; `recreate` when only recreating the store
    /// lets it be saved.
    pub(super) fn failed(&mut self, seq: u64, reason: String, recreate: bool) {
        if let Some(key) = self.in_flight.remove(&seq) {
            let refusal = Refusal {
                seq,
                reason: reason.clone(),
                recreate,
            };
            self.unsaved.insert(key, refusal);
            self.last_error = reason;
        }
    }

    /// Whether a decision still refused waits for the store to be recreated.
    pub(super) fn needs_recreate(&self) -> bool {
        self.unsaved.values().any(|r| r.recreate)
    }

    /// The sentences whose last write was refused, in the order those writes were made.
    pub(super) fn refused_in_order(&self) -> Vec<SentenceKey> {
        let mut refused: Vec<(u64, SentenceKey)> =
            self.unsaved.iter().map(|(key, r)| (r.seq, *key)).collect();
        refused.sort_unstable();
        refused.into_iter().map(|(_, key)| key).collect()
    }

    /// Whether the last write of this sentence was refused.
    pub(super) fn is_unsaved(&self, key: &SentenceKey) -> bool {
        self.unsaved.contains_key(key)
    }

    /// Decisions refused and not saved since.
    pub(super) fn unsaved(&self) -> usize {
        self.unsaved.len()
    }

    /// Writes handed to the store and not yet reported, a recreation of the store included.
    pub(super) fn in_flight(&self) -> usize {
        self.in_flight.len() + usize::from(self.recreating)
    }

    /// What the status bar says of it.
    pub(super) fn state(&self) -> SaveState {
        if !self.unsaved.is_empty() {
            SaveState::NotSaved {
                decisions: self.unsaved.len(),
                reason: self.last_error.clone(),
                saving: self.in_flight(),
            }
        } else if self.in_flight() > 0 {
            SaveState::Saving
        } else if self.saved_any {
            SaveState::Saved
        } else {
            SaveState::Idle
        }
    }
}
