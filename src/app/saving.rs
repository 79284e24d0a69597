//! The session's ledger of writes: which decisions were handed to the store and not yet
//! reported, which were refused (and why), and whether the analyst asked to quit meanwhile.
//!
//! Invariants: a write is in flight from [`Saving::begin`] until its report, exactly once; a
//! sentence is unsaved from a refusal until a later write of it is saved; "saved" is only
//! said once a report came back and nothing is unsaved.

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

/// Writes under way and refused, by sentence.
#[derive(Debug, Clone, Default)]
pub struct Saving {
    next_seq: u64,
    in_flight: HashMap<u64, SentenceKey>,
    unsaved: HashMap<SentenceKey, String>,
    last_error: String,
    saved_any: bool,
    /// Quit was asked while writes were under way: quit once the last is reported.
    pub(super) quit_when_saved: bool,
}

impl Saving {
    /// Numbers a new write of the sentence `key`, now in flight.
    pub(super) fn begin(&mut self, key: SentenceKey) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.in_flight.insert(seq, key);
        seq
    }

    /// The write `seq` is on disk.
    pub(super) fn saved(&mut self, seq: u64) {
        if let Some(key) = self.in_flight.remove(&seq) {
            self.unsaved.remove(&key);
            self.saved_any = true;
            // The reason shown belongs to a decision still refused.
            if !self.unsaved.values().any(|r| *r == self.last_error) {
                self.last_error = self.unsaved.values().min().cloned().unwrap_or_default();
            }
        }
    }

    /// The write `seq` was refused, for `reason`.
    pub(super) fn failed(&mut self, seq: u64, reason: String) {
        if let Some(key) = self.in_flight.remove(&seq) {
            self.unsaved.insert(key, reason.clone());
            self.last_error = reason;
        }
    }

    /// Whether the last write of this sentence was refused.
    pub(super) fn is_unsaved(&self, key: &SentenceKey) -> bool {
        self.unsaved.contains_key(key)
    }

    /// Decisions refused and not saved since.
    pub(super) fn unsaved(&self) -> usize {
        self.unsaved.len()
    }

    /// Writes handed to the store and not yet reported.
    pub(super) fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// What the status bar says of it.
    pub(super) fn state(&self) -> SaveState {
        if !self.unsaved.is_empty() {
            SaveState::NotSaved {
                decisions: self.unsaved.len(),
                reason: self.last_error.clone(),
                saving: self.in_flight.len(),
            }
        } else if !self.in_flight.is_empty() {
            SaveState::Saving
        } else if self.saved_any {
            SaveState::Saved
        } else {
            SaveState::Idle
        }
    }
}
