//! Following a journal that another process writes: a read-only store takes in the events
//! appended since it last looked, without reading the whole file again.
//!
//! Only complete lines are taken: a line still being written (no newline yet) waits for the
//! next look, so a torn line is never read as an event. When the path names another file
//! than the one read (its writer compacted or recreated it) or the file got shorter, it is
//! replayed whole and the difference is what arrived.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use super::LabelStore;
use super::error::StoreError;
use super::event::{Event, Op};
use super::lines;
use super::lock::same_file;
use super::replay::{self, JournalLine};

/// How far a read-only store has read its journal.
#[derive(Debug)]
pub(crate) struct Mark {
    /// The file replayed (`None`: there was none yet).
    pub(crate) file: Option<File>,
    /// Bytes of it taken in: complete events only.
    pub(crate) len: u64,
}

impl LabelStore {
    /// For a store opened read-only: the events appended to its journal since it was opened
    /// (or since the last call), in journal order; from then on they are part of
    /// [`LabelStore::annotations`]. A store opened for writing has none (no one else writes
    /// its journal). A bad complete line is [`StoreError::BadLine`] and nothing of it is
    /// taken in.
    pub(crate) fn follow(&mut self) -> Result<Vec<Event>, StoreError> {
        let Some(mark) = self.followed.as_mut() else {
            return Ok(Vec::new());
        };
        let read_error = |e| StoreError::io(&self.path, "read label store", e);
        let named = match std::fs::metadata(&self.path) {
            Ok(named) => named,
            // Its writer is between moving a file aside and renaming the new one in.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(read_error(e)),
        };
        let same = match &mark.file {
            Some(file) => same_file(&file.metadata().map_err(read_error)?, &named),
            None => false,
        };
        if !same || named.len() < mark.len {
            return self.read_again();
        }
        if named.len() == mark.len {
            return Ok(Vec::new());
        }
        let file = mark.file.as_ref().expect("`same` holds only with a file");
        let (lines, taken) = read_lines(file, &self.path, mark.len, named.len())?;
        mark.len += taken;
        let mut events = Vec::new();
        for line in lines {
            match line {
                JournalLine::Decision(event) => {
                    self.annotations.apply(event.clone());
                    events.push(event);
                }
                JournalLine::Boundary(event) => self.overrides.apply(&event),
                JournalLine::Remark(event) => self.remarks.apply(&event),
            }
        }
        Ok(events)
    }

    /// Replays the journal again and returns what changed as events: a `set` for each
    /// annotation that is new or different, a `clear` for each one that is gone.
    fn read_again(&mut self) -> Result<Vec<Event>, StoreError> {
        let fresh = LabelStore::open_read_only(&self.path)?;
        let mut before: HashMap<(String, usize, usize, String), Event> = self
            .annotations()
            .map(|a| {
                let e = a.to_event();
                ((e.article.clone(), e.start, e.end, e.annotator.clone()), e)
            })
            .collect();
        let mut changes = Vec::new();
        for annotation in fresh.annotations() {
            let now = annotation.to_event();
            let key = (
                now.article.clone(),
                now.start,
                now.end,
                now.annotator.clone(),
            );
            if before.remove(&key).as_ref() != Some(&now) {
                changes.push(now);
            }
        }
        let mut gone: Vec<Event> = before.into_values().collect();
        gone.sort_by(|a, b| (a.ts, &a.article, a.start).cmp(&(b.ts, &b.article, b.start)));
        changes.sort_by_key(|e| e.ts);
        for mut event in gone {
            event.op = Op::Clear;
            event.labels.clear();
            changes.push(event);
        }
        *self = fresh;
        Ok(changes)
    }
}

/// The complete lines of `file[from..to]`, and how many bytes they took.
fn read_lines(
    mut file: &File,
    path: &std::path::Path,
    from: u64,
    to: u64,
) -> Result<(Vec<JournalLine>, u64), StoreError> {
    let read_error = |e| StoreError::io(path, "read label store", e);
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(from)).map_err(read_error)?;
    file.take(to - from)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    let Some(last_newline) = memchr::memrchr(b'\n', &bytes) else {
        return Ok((Vec::new(), 0));
    };
    let body = &bytes[..last_newline];
    let mut events = Vec::new();
    let mut offset = 0;
    for line in body.split(|&b| b == b'\n') {
        let at = from + offset as u64;
        offset += line.len() + 1;
        // The newline a last event without one gets when its writer appends again.
        if line.is_empty() && at == from {
            continue;
        }
        match replay::parse_event(line) {
            Ok(event) => events.push(event),
            Err(reason) => {
                return Err(StoreError::BadLine {
                    path: path.to_owned(),
                    line: lines::line_number(file, at).map_err(read_error)?,
                    reason,
                });
            }
        }
    }
    Ok((events, last_newline as u64 + 1))
}
