//! What the session remembers of its decisions for undo and redo.

use super::vocabulary::Labels;
use crate::corpus::Span;
use crate::store::BoundaryKind;

/// What a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A sentence of the corpus as it is now.
    Sentence {
        /// Index of the article.
        article: usize,
        /// Index of the sentence in the article.
        sentence: usize,
        /// Its bytes.
        span: Span,
    },
    /// An orphaned annotation of the session's annotator: the review list entry.
    Orphan(u32),
    /// A sentence boundary the analyst split or merged: no labels change.
    Boundary(BoundaryStep),
    /// A flag or note, by its number in [`History::remarks`]: no labels change.
    Remark(u32),
}

/// A boundary override made in the session, with what was at its offset before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundaryStep {
    /// Index of the article.
    pub article: usize,
    /// Byte offset of the boundary.
    pub at: usize,
    /// The override there before (and the text it was made on); `None`: the segmenter's.
    pub before: Option<(BoundaryKind, Span)>,
    /// The override made.
    pub after: Option<(BoundaryKind, Span)>,
}

/// One decision, remembered for undo and redo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub(super) target: Target,
    pub(super) before: Option<Labels>,
    pub(super) after: Option<Labels>,
    /// The scores `after` was accepted with, when it was an accepted suggestion: a redo
    /// journals it as one again.
    pub(super) accepted: Option<crate::store::Scores>,
}

/// The decisions of the session, for undo and redo: a new decision drops what was undone.
/// Each step is one decision, or several made by one key (finishing an article), which one
/// undo takes back together; a step is never empty.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub(super) undo: Vec<Vec<Change>>,
    pub(super) redo: Vec<Vec<Change>>,
    /// The flags and notes that [`Target::Remark`] steps name, in the order made.
    pub(super) remarks: Vec<super::remark::RemarkStep>,
}

impl History {
    /// Remembers a new decision; what was undone can no longer be redone.
    pub(super) fn record(&mut self, change: Change) {
        self.record_step(vec![change]);
    }

    /// Remembers decisions made together as one step; what was undone can no longer be
    /// redone.
    pub(super) fn record_step(&mut self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        self.redo.clear();
        self.undo.push(changes);
    }
}
