//! The interface every label store offers, whatever keeps the annotations: decisions in,
//! annotations out, and the decisions other sessions appended.
//!
//! Implementations: [`LabelStore`] (the journal file), [`MemoryStore`](super::MemoryStore)
//! (for state-machine tests and for simulating other annotators). Journal-only matters (torn
//! lines, the lock holder's process id, the read-only retry) stay behind the journal's
//! constructors.

use std::path::PathBuf;

use super::LabelStore;
use super::annotation::Annotation;
use super::decision::Decision;
use super::error::StoreError;
use super::event::Event;
use super::overrides::{BoundaryChange, Overrides};
use super::remarks::{Remark, Remarks};

/// A place where annotations are kept. It is moved to the session's store worker, so it must
/// be [`Send`]; every method may block (a disk sync, later a network round trip).
pub trait Store: Send {
    /// Where the annotations are, for people (a path).
    fn location(&self) -> String;

    /// Writes the decision durably, adding the format version, the fingerprint and the time.
    /// `Ok` only once it is where the user will look for it (synced); on an error nothing of
    /// it is kept and the store holds exactly what it held before.
    fn append(&mut self, decision: &Decision) -> Result<(), StoreError>;

    /// Writes all `decisions` durably, in order, as one atomic step: every one is kept, or
    /// (on any error) none is and the store holds exactly what it held before.
    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError>;

    /// The current annotation per (article, start, end, annotator), in a stable order.
    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_>;

    /// Decisions that other sessions appended since the last call, in the order they were
    /// made; they are part of [`Store::annotations`] from then on. A store with one writer
    /// has none.
    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError>;

    /// Writes every annotation this store knows back where it belongs after an append was
    /// refused with [`StoreError::needs_recreate`] (another process removed or replaced what
    /// was there), so that appends go on. Whatever was found there is kept, never
    /// overwritten; the returned path says where (`None`: nothing was there).
    fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError>;

    /// Writes a boundary override (or its withdrawal) durably, adding the format version,
    /// the fingerprint and the time; as [`Store::append`], `Ok` only once it is synced.
    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError>;

    /// The live boundary overrides, every annotator's: they apply for everyone.
    fn boundaries(&self) -> &Overrides;

    /// Writes a flag or note (or its withdrawal) of the remark's annotator durably, adding
    /// the format version, the fingerprint and the time; as [`Store::append`], `Ok` only once
    /// it is synced.
    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError>;

    /// The live flags and notes, every annotator's.
    fn remarks(&self) -> &Remarks;
}

impl Store for LabelStore {
    fn location(&self) -> String {
        self.path().display().to_string()
    }

    fn append(&mut self, decision: &Decision) -> Result<(), StoreError> {
        crate::fault::delay_point("slow-store", std::time::Duration::from_millis(200));
        LabelStore::append(self, decision.event(super::now_ms()))
    }

    fn append_all(&mut self, decisions: &[Decision]) -> Result<(), StoreError> {
        let ts = super::now_ms();
        LabelStore::append_all(self, decisions.iter().map(|d| d.event(ts)).collect())
    }

    fn annotations(&self) -> Box<dyn Iterator<Item = Annotation<'_>> + '_> {
        Box::new(LabelStore::annotations(self))
    }

    /// A writer has none (one writer per journal: nothing else appends to it); a store
    /// opened read-only follows what the writing session appends.
    fn arrivals(&mut self) -> Result<Vec<Event>, StoreError> {
        self.follow()
    }

    /// [`LabelStore::recreate`]: the file found at the path goes to
    /// `<store>.replaced-<unix ms>`, and the store's annotations become a complete, synced
    /// new journal there.
    fn recreate(&mut self) -> Result<Option<PathBuf>, StoreError> {
        LabelStore::recreate(self)
    }

    fn append_boundary(&mut self, change: &BoundaryChange) -> Result<(), StoreError> {
        LabelStore::append_boundary(self, change.event(super::now_ms()))
    }

    fn boundaries(&self) -> &Overrides {
        LabelStore::boundaries(self)
    }

    fn append_remark(&mut self, remark: &Remark) -> Result<(), StoreError> {
        LabelStore::append_remark(self, remark.event(super::now_ms()))
    }

    fn remarks(&self) -> &Remarks {
        LabelStore::remarks(self)
    }
}
