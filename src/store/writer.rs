//! What only the lock holder has: the journal opened for appending, and what it
//! knows about the journal's last bytes.

use std::fs::File;
use std::path::Path;

use super::error::StoreError;
use super::event::Event;
use super::journal;
use super::lock::Lock;

/// The journal's writing end, held only with the lock.
#[derive(Debug)]
pub(crate) struct Writer {
    _lock: Lock,
    /// `None` after a compaction renamed a new journal in; reopened before writing.
    file: Option<File>,
    /// Bytes of the journal that hold complete events.
    len: u64,
    /// A crash's torn last line, not yet copied aside.
    torn: Option<Vec<u8>>,
    /// Bytes past `len` that are not events (a torn line, already copied aside), to be
    /// rewritten away by compaction before the next append.
    needs_rewrite: bool,
    /// A failed append left bytes past `len` that could not be cut off yet.
    dirty_tail: bool,
    /// The last event lacks its newline.
    needs_newline: bool,
}

impl Writer {
    /// The writer of a journal just replayed: `len` bytes of complete events, then
    /// maybe a torn line, or a last event missing its newline.
    pub(crate) fn new(
        lock: Lock,
        file: File,
        len: u64,
        torn: Option<Vec<u8>>,
        needs_newline: bool,
    ) -> Writer {
        Writer {
            _lock: lock,
            file: Some(file),
            len,
            torn,
            needs_rewrite: false,
            dirty_tail: false,
            needs_newline,
        }
    }

    /// Whether the journal's end must be rewritten by compaction before an append.
    pub(crate) fn needs_compaction(&self) -> bool {
        self.torn.is_some() || self.needs_rewrite
    }

    /// Appends `event` as one line and syncs it. On error the journal is cut back to
    /// the saved events; if even that fails, the next append tries again first.
    pub(crate) fn append(&mut self, path: &Path, event: &Event) -> Result<(), StoreError> {
        let failed = |e| StoreError::io(path, "append to label store", e);
        let mut line = Vec::with_capacity(256 + event.text.len());
        if self.needs_newline {
            line.push(b'\n');
        }
        journal::encode(event, &mut line);
        let len = self.len;
        if self.file.is_none() {
            self.file = Some(journal::open_append(path)?);
        }
        let file = self.file.as_mut().expect("opened above");
        if self.dirty_tail {
            journal::roll_back(file, len).map_err(failed)?;
            self.dirty_tail = false;
        }
        if let Err(e) = journal::append_line(file, &line) {
            self.dirty_tail = journal::roll_back(file, len).is_err();
            return Err(failed(e));
        }
        self.len += line.len() as u64;
        self.needs_newline = false;
        Ok(())
    }

    /// Copies a torn last line to a side file, once, before compaction drops it.
    pub(crate) fn keep_torn_aside(&mut self, path: &Path) -> Result<(), StoreError> {
        if let Some(fragment) = &self.torn {
            journal::keep_torn(path, fragment)?;
            self.torn = None;
            self.needs_rewrite = true;
        }
        Ok(())
    }

    /// Records that compaction replaced the journal with one of `len` bytes.
    pub(crate) fn compacted(&mut self, len: u64) {
        // The handle still points at the replaced file; reopen before the next write.
        self.file = None;
        self.len = len;
        self.torn = None;
        self.needs_rewrite = false;
        self.dirty_tail = false;
        self.needs_newline = false;
    }
}
