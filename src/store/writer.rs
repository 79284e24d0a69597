//! What only the lock holder has: the journal opened for appending, and what it
//! knows about the journal's last bytes.

use std::fs::{self, File};
use std::io;
use std::path::PathBuf;

use super::annotation::Annotation;
use super::error::StoreError;
use super::event::Event;
use super::journal;
use super::lock::{Lock, same_file};
use super::overrides::BoundaryEvent;
use super::remarks::RemarkEvent;

/// The journal's writing end, held only with the lock.
#[derive(Debug)]
pub(crate) struct Writer {
    lock: Lock,
    /// The journal's real path: the store's path with a final symbolic link followed.
    real: PathBuf,
    file: File,
    /// Bytes of the journal that hold complete events.
    len: u64,
    /// A crash's torn last line, not yet copied aside.
    torn: Option<Vec<u8>>,
    /// Bytes past `len` that are not events (a failed append's, or a torn line already
    /// copied aside) and are cut off before the next append.
    dirty_tail: bool,
    /// The last event lacks its newline.
    needs_newline: bool,
    /// Another process cut the journal shorter than `len`: every append is refused until
    /// it is recreated, even if the file grows again (its end is not what was written).
    truncated: bool,
}

impl Writer {
    /// The writer of the journal at `real` just replayed: `len` bytes of complete
    /// events, then maybe a torn line, or a last event missing its newline.
    pub(crate) fn new(
        lock: Lock,
        real: PathBuf,
        file: File,
        len: u64,
        torn: Option<Vec<u8>>,
        needs_newline: bool,
    ) -> Writer {
        Writer {
            lock,
            real,
            file,
            len,
            torn,
            dirty_tail: false,
            needs_newline,
            truncated: false,
        }
    }

    /// Appends `event` as one line and syncs it; see [`Writer::append_all`].
    pub(crate) fn append(&mut self, event: &Event) -> Result<(), StoreError> {
        self.append_all(std::slice::from_ref(event))
    }

    /// Appends `events` as one line each, with one write (one per core for a big batch) and
    /// one sync for all of them. A
    /// torn last line is first copied aside and cut off (no rewrite, so a nearly full disk
    /// that has room for the lines takes them). On error the journal is cut back to the
    /// saved events, so none of `events` is kept; if even that fails, the next append tries
    /// again first. Refused without writing when the journal was removed, replaced or
    /// truncated by another process.
    pub(crate) fn append_all(&mut self, events: &[Event]) -> Result<(), StoreError> {
        self.append_encoded(encode_all(events))
    }

    /// Appends lines already encoded (whole lines, each with its newline, in pieces to write
    /// in order), as [`Writer::append_all`] appends its events.
    pub(crate) fn append_pieces(&mut self, pieces: Vec<Vec<u8>>) -> Result<(), StoreError> {
        self.append_encoded(pieces)
    }

    /// Appends a boundary line (or a flag or note line) and syncs it, as
    /// [`Writer::append_all`] does events.
    pub(crate) fn append_boundary<E: serde::Serialize>(
        &mut self,
        event: &E,
    ) -> Result<(), StoreError> {
        let mut line = Vec::with_capacity(512);
        journal::encode(event, &mut line);
        self.append_encoded(vec![line])
    }

    /// Appends `encoded` (pieces of whole lines, each line with its newline), one write a
    /// piece and one sync.
    fn append_encoded(&mut self, encoded: Vec<Vec<u8>>) -> Result<(), StoreError> {
        let mut line = encoded;
        if self.needs_newline {
            line.insert(0, vec![b'\n']);
        }
        let start = self.start_append()?;
        let path = &self.real;
        let failed = |e| StoreError::io(path, "append to label store", e);
        if let Err(e) = journal::append_line(&mut self.file, &line) {
            self.dirty_tail = journal::roll_back(&self.file, start).is_err();
            return Err(failed(e));
        }
        self.len = start + line.iter().map(|piece| piece.len() as u64).sum::<u64>();
        self.needs_newline = false;
        Ok(())
    }

    /// Appends the whole lines `produce` gives its sink, each piece written as it is given,
    /// then syncs once, as [`Writer::append_all`] appends: an error from `produce` or from a
    /// write or the sync cuts the journal back, so none of the lines is kept. A big import
    /// is written while its later lines are still being made.
    pub(crate) fn append_streamed(
        &mut self,
        produce: impl FnOnce(&mut dyn FnMut(&[u8]) -> Result<(), StoreError>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let start = self.start_append()?;
        let (path, file) = (&self.real, &mut self.file);
        let failed = |e| StoreError::io(path, "append to label store", e);
        let mut written = 0u64;
        let needs_newline = self.needs_newline;
        let result = (|| {
            let mut sink = |piece: &[u8]| {
                io::Write::write_all(file, piece).map_err(failed)?;
                written += piece.len() as u64;
                Ok(())
            };
            if needs_newline {
                sink(b"\n")?;
            }
            produce(&mut sink)?;
            file.sync_data().map_err(failed)
        })();
        if let Err(e) = result {
            self.dirty_tail = journal::roll_back(&self.file, start).is_err();
            return Err(e);
        }
        self.len = start + written;
        self.needs_newline = false;
        Ok(())
    }

    /// Readies the journal for an append (refused when it is no longer ours; a torn line
    /// kept aside and cut, a failed append's bytes cut) and returns where it will begin.
    fn start_append(&mut self) -> Result<u64, StoreError> {
        self.check_still_ours()?;
        let path = &self.real;
        let failed = |e| StoreError::io(path, "append to label store", e);
        if let Some(fragment) = &self.torn {
            // If even the side file cannot be written, the bytes stay in the journal.
            journal::keep_torn(path, fragment)?;
            self.torn = None;
            self.dirty_tail = true;
        }
        if self.dirty_tail {
            journal::roll_back(&self.file, self.len).map_err(failed)?;
            self.dirty_tail = false;
        }
        // Where this append's bytes begin (appends go to the end): only they are cut.
        self.file.metadata().map_err(failed).map(|m| m.len())
    }

    /// Refuses when the journal's path no longer names the file held open (removed, or
    /// another file moved there), or when that file is shorter than the events in it.
    fn check_still_ours(&mut self) -> Result<(), StoreError> {
        let held = self
            .file
            .metadata()
            .map_err(|e| StoreError::io(&self.real, "read label store", e))?;
        let replaced = || StoreError::JournalReplaced {
            path: self.real.clone(),
        };
        match fs::symlink_metadata(&self.real) {
            Ok(named) if same_file(&held, &named) => {}
            Ok(_) => return Err(replaced()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(replaced()),
            Err(e) => return Err(StoreError::io(&self.real, "read label store", e)),
        }
        self.truncated |= held.len() < self.len;
        if self.truncated {
            return Err(StoreError::JournalTruncated {
                path: self.real.clone(),
                len: held.len(),
                expected: self.len,
            });
        }
        Ok(())
    }

    /// Rewrites the journal as one line per annotation (see [`journal::write_compacted`]);
    /// a torn last line is copied aside first.
    pub(crate) fn compact<'a>(
        &mut self,
        boundaries: &[BoundaryEvent],
        remarks: &[RemarkEvent],
        annotations: impl Iterator<Item = Annotation<'a>>,
    ) -> Result<(), StoreError> {
        // Renaming over a file another process put at the path would destroy it.
        self.check_still_ours()?;
        self.keep_torn_aside()?;
        crate::fault::crash_point("compact:torn-kept");
        let (file, len) = journal::write_compacted(&self.real, boundaries, remarks, annotations)?;
        crate::fault::crash_point("compact:renamed");
        journal::sync_folder_of(&self.real)?;
        self.compacted(file, len);
        crate::fault::crash_point("compact:done");
        Ok(())
    }

    /// Writes `annotations` as the journal again after another process removed, replaced
    /// or cut it, keeping whatever is at the path aside first; see
    /// [`super::LabelStore::recreate`].
    pub(crate) fn recreate<'a>(
        &mut self,
        boundaries: &[BoundaryEvent],
        remarks: &[RemarkEvent],
        annotations: impl Iterator<Item = Annotation<'a>>,
    ) -> Result<Option<PathBuf>, StoreError> {
        journal::create_folders_of(&self.real)?;
        self.relock_if_needed()?;
        let intact = self.check_still_ours().is_ok();
        self.keep_torn_aside()?;
        let aside = if intact {
            None
        } else {
            journal::move_aside(&self.real)?
        };
        let (file, len) = journal::write_compacted(&self.real, boundaries, remarks, annotations)?;
        journal::sync_folder_of(&self.real)?;
        self.compacted(file, len);
        Ok(aside)
    }

    /// Copies a torn last line to a side file, once, before compaction drops it.
    fn keep_torn_aside(&mut self) -> Result<(), StoreError> {
        if let Some(fragment) = &self.torn {
            journal::keep_torn(&self.real, fragment)?;
            self.torn = None;
            self.dirty_tail = true;
        }
        Ok(())
    }

    /// Takes the lock again when `<journal>.lock` no longer names the file it is held
    /// on (another process could lock the file now at that name); the old one is
    /// released only once the new one is held.
    fn relock_if_needed(&mut self) -> Result<(), StoreError> {
        if !self.lock.still_named_by(&self.real) {
            self.lock = self.lock.retake(&self.real)?;
        }
        Ok(())
    }

    /// Records that compaction replaced the journal with `file`, of `len` bytes.
    fn compacted(&mut self, file: File, len: u64) {
        self.file = file;
        self.len = len;
        self.torn = None;
        self.dirty_tail = false;
        self.needs_newline = false;
        self.truncated = false;
    }
}

/// The events as journal lines, in pieces to write in order. A big batch (an import) is
/// encoded on every core, one piece each, which are written as they are rather than joined
/// (joining would copy the whole batch once more).
fn encode_all(events: &[Event]) -> Vec<Vec<u8>> {
    const BIG: usize = 1 << 15;
    let encode = |events: &[Event]| {
        let text: usize = events.iter().map(|event| 256 + event.text.len()).sum();
        let mut line = Vec::with_capacity(text + 1);
        for event in events {
            journal::encode(event, &mut line);
        }
        line
    };
    crate::cores::parts(events, BIG, encode)
}
