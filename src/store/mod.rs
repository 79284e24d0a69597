//! The label store: an append-only, fsynced JSON-lines journal of annotations.

pub mod event;

pub use event::{Event, JOURNAL_VERSION, Op, Origin, fingerprint};
