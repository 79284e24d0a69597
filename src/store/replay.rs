//! Replay: journal bytes to the current annotations, validating every line.
//!
//! Lines are read from the last to the first, so the newest event of each sentence is
//! met first: only that one is stored (interned, its text copied); older events of the
//! same sentence are parsed and checked (strings borrowed from the read buffer) and
//! dropped.

use std::fs::File;
use std::path::Path;

use serde::Deserialize;
use serde_json::error::Category;

use super::canonical;
use super::error::StoreError;
use super::event::{NEWEST_JOURNAL_VERSION, Op, Origin};
use super::line::Line;
use super::lines;
use super::overrides::{self, BoundaryEvent, Overrides};
use super::remarks::{self, RemarkEvent, Remarks};
use super::state::Annotations;

/// What a journal held.
#[derive(Debug, Default)]
pub(crate) struct Replay {
    pub annotations: Annotations,
    /// The live boundary overrides.
    pub overrides: Overrides,
    /// The live flags and notes.
    pub remarks: Remarks,
    /// Valid events read.
    pub events: usize,
    /// The bytes of an incomplete last line left by a crash mid-write.
    pub torn: Option<Vec<u8>>,
    /// Length of the journal without the torn fragment.
    pub complete_len: u64,
    /// The last event is valid but lacks its newline: the next line must start with one.
    pub needs_newline: bool,
}

/// Replays the journal `file`, whose path is named in errors.
pub(crate) fn replay(path: &Path, file: &File) -> Result<Replay, StoreError> {
    let read_error = |e| StoreError::io(path, "read label store", e);
    let len = file.metadata().map_err(read_error)?.len();
    let mut out = Replay::default();
    // Byte offset of the first bad line met so far (the pass goes backward), and why.
    let mut first_bad: Option<(u64, String)> = None;
    let mut boundaries = Vec::new();
    let mut remark_lines = Vec::new();

    let (body_len, fragment) = lines::split_tail(file, len).map_err(read_error)?;
    out.complete_len = len;
    if !fragment.is_empty() {
        match parse(&fragment) {
            Parsed::Event(line) => {
                out.needs_newline = true;
                take(&mut out, (&mut boundaries, &mut remark_lines), line);
            }
            Parsed::Unfinished(_) => {
                out.torn = Some(fragment.clone());
                out.complete_len = body_len;
            }
            Parsed::Bad(reason) => first_bad = Some((body_len, reason)),
        }
    }

    lines::for_each_backward(file, body_len, |bytes, offset| match parse(bytes) {
        Parsed::Event(line) => take(&mut out, (&mut boundaries, &mut remark_lines), line),
        Parsed::Unfinished(_) if bytes.is_empty() => {
            first_bad = Some((offset, "empty line".into()));
        }
        Parsed::Unfinished(reason) | Parsed::Bad(reason) => first_bad = Some((offset, reason)),
    })
    .map_err(read_error)?;

    if let Some((offset, reason)) = first_bad {
        return Err(StoreError::BadLine {
            path: path.to_owned(),
            line: lines::line_number(file, offset).map_err(read_error)?,
            reason,
        });
    }
    out.annotations.finish_backward();
    // Met newest first; the few there are go in again in journal order.
    for event in boundaries.iter().rev() {
        out.overrides.apply(event);
    }
    for event in remark_lines.iter().rev() {
        out.remarks.apply(event);
    }
    Ok(out)
}

/// What one journal line holds: a decision on a sentence, or a boundary override.
#[derive(Debug)]
pub(crate) enum JournalLine {
    /// A `set` or `clear` of a sentence's annotation.
    Decision(super::event::Event),
    /// A `split`, `merge` or `restore` of a boundary.
    Boundary(BoundaryEvent),
    /// A flag or note (format version 4).
    Remark(RemarkEvent),
}

impl JournalLine {
    /// Who wrote the line.
    pub(crate) fn annotator(&self) -> &str {
        match self {
            JournalLine::Decision(event) => &event.annotator,
            JournalLine::Boundary(event) => &event.annotator,
            JournalLine::Remark(event) => &event.annotator,
        }
    }
}

/// One complete journal line (without its newline), validated as replay validates it; the
/// reason it is not a valid line otherwise.
pub(crate) fn parse_event(bytes: &[u8]) -> Result<JournalLine, String> {
    match parse(bytes) {
        Parsed::Event(line) => Ok(match (line.boundary(), line.remark()) {
            (Some(boundary), _) => JournalLine::Boundary(boundary),
            (None, Some(remark)) => JournalLine::Remark(remark),
            (None, None) => JournalLine::Decision(line.into_event()),
        }),
        Parsed::Unfinished(_) if bytes.is_empty() => Err("empty line".into()),
        Parsed::Unfinished(reason) | Parsed::Bad(reason) => Err(reason),
    }
}

/// One complete journal line (without its newline), validated as replay validates it, its
/// strings borrowed from `bytes`; the reason it is not a valid line otherwise.
pub(crate) fn parse_line(bytes: &[u8]) -> Result<Line<'_>, String> {
    match parse(bytes) {
        Parsed::Event(line) => Ok(line),
        Parsed::Unfinished(_) if bytes.is_empty() => Err("empty line".into()),
        Parsed::Unfinished(reason) | Parsed::Bad(reason) => Err(reason),
    }
}

/// Counts a valid event, keeping it only when it is its sentence's newest; boundary lines
/// and flag or note lines go to theirs, newest first.
pub(crate) fn take(
    out: &mut Replay,
    (boundaries, remark_lines): (&mut Vec<BoundaryEvent>, &mut Vec<RemarkEvent>),
    line: Line<'_>,
) {
    out.events += 1;
    if let Some(boundary) = line.boundary() {
        boundaries.push(boundary);
        return;
    }
    if let Some(remark) = line.remark() {
        remark_lines.push(remark);
        return;
    }
    let key = out.annotations.key(
        &line.article.get(),
        line.start,
        line.end,
        &line.annotator.get(),
    );
    if out.annotations.claim_newest(key, line.op) && line.op != Op::Clear {
        out.annotations.push_newest(key, line);
    }
}

enum Parsed<'a> {
    Event(Line<'a>),
    /// Not well-formed JSON: what a crash mid-write leaves, when it is the last line.
    Unfinished(String),
    /// Complete JSON that is not a valid event.
    Bad(String),
}

fn parse(bytes: &[u8]) -> Parsed<'_> {
    let parsed = match canonical::parse(bytes) {
        Some(line) => Ok(line),
        None => serde_json::from_slice::<Line>(bytes),
    };
    match parsed {
        Ok(line) if !(1..=NEWEST_JOURNAL_VERSION).contains(&line.v) => {
            Parsed::Bad(version_reason(u64::from(line.v)))
        }
        Ok(line) if line.v < line.origin.since_version() => Parsed::Bad(format!(
            "origin {:?} needs journal format version {} but the line says {}",
            line.origin,
            line.origin.since_version(),
            line.v
        )),
        Ok(line) if line.v < line.op.since_version() => Parsed::Bad(format!(
            "op {:?} needs journal format version {} but the line says {}",
            line.op,
            line.op.since_version(),
            line.v
        )),
        Ok(line) if line.scores.is_some() && line.v < 4 => Parsed::Bad(format!(
            "\"scores\" needs journal format version 4 but the line says {}",
            line.v
        )),
        Ok(line)
            if line.scores.is_some()
                && (line.op != Op::Set || line.origin != Origin::Suggestion) =>
        {
            Parsed::Bad("\"scores\" belongs only on a set with origin \"suggestion\"".into())
        }
        Ok(line) if line.op == Op::Ignore && line.labels.iter().next().is_some() => {
            Parsed::Bad("op \"ignore\" carries no labels".into())
        }
        Ok(line) => match check(line.start, line.end)
            .and_then(|()| {
                overrides::invalid(line.op, line.start, line.end, line.at).map_or(Ok(()), Err)
            })
            .and_then(|()| {
                let labels = line.labels.iter().next().is_some();
                remarks::invalid(line.op, line.start, line.end, line.note.is_some(), labels)
                    .map_or(Ok(()), Err)
            }) {
            Ok(()) => Parsed::Event(line),
            Err(reason) => Parsed::Bad(reason),
        },
        Err(e) if matches!(e.classify(), Category::Eof | Category::Syntax) => {
            Parsed::Unfinished(json_reason(&e))
        }
        Err(e) => match serde_json::from_slice::<Probe>(bytes) {
            Ok(Probe { v: Some(v) }) if !(1..=u64::from(NEWEST_JOURNAL_VERSION)).contains(&v) => {
                Parsed::Bad(version_reason(v))
            }
            _ => Parsed::Bad(json_reason(&e)),
        },
    }
}

/// serde_json's message without its "at line 1" (each line is parsed alone).
fn json_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    format!("not a journal event: {message} (column {})", e.column())
}

/// Rules an event must meet besides its JSON shape; `append` applies them too.
pub(crate) fn check(start: usize, end: usize) -> Result<(), String> {
    if start > end {
        return Err(format!("start {start} is after end {end}"));
    }
    Ok(())
}

fn version_reason(v: u64) -> String {
    if v > u64::from(NEWEST_JOURNAL_VERSION) {
        format!(
            "journal format version {v} was written by a newer stance (this one reads versions \
             1 to {NEWEST_JOURNAL_VERSION}): upgrade stance to read it"
        )
    } else {
        format!(
            "journal format version {v} is not one this stance reads (versions 1 to {NEWEST_JOURNAL_VERSION})"
        )
    }
}

#[derive(Deserialize)]
struct Probe {
    v: Option<u64>,
}
