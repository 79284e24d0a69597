//! Replay: journal bytes to the current annotations, validating every line.
//!
//! Lines are read from the last to the first, so the newest event of each sentence is
//! met first: only that one is turned into an owned [`Event`]; older events of the same
//! sentence are parsed and checked (strings borrowed from the buffer) and dropped.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::error::Category;

use super::error::StoreError;
use super::event::{Event, JOURNAL_VERSION, Op, Origin};
use super::state::Annotations;

/// What a journal held.
#[derive(Debug, Default)]
pub(crate) struct Replay {
    pub annotations: Annotations,
    /// Valid events read.
    pub events: usize,
    /// The bytes of an incomplete last line left by a crash mid-write.
    pub torn: Option<Vec<u8>>,
    /// Length of the journal without the torn fragment.
    pub complete_len: usize,
    /// The last event is valid but lacks its newline: the next line must start with one.
    pub needs_newline: bool,
}

/// Replays `bytes`, the contents of the journal at `path` (named in errors).
pub(crate) fn replay(path: &Path, bytes: &[u8]) -> Result<Replay, StoreError> {
    let mut out = Replay::default();
    let mut first_bad: Option<(usize, String)> = None;
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    let body_len = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    out.complete_len = bytes.len();

    let fragment = &bytes[body_len..];
    if !fragment.is_empty() {
        match parse(fragment) {
            Parsed::Event(line) => {
                out.needs_newline = true;
                take(&mut out, line);
            }
            Parsed::Unfinished(_) => {
                out.torn = Some(fragment.to_vec());
                out.complete_len = body_len;
            }
            Parsed::Bad(reason) => first_bad = Some((newlines + 1, reason)),
        }
    }

    if body_len > 0 {
        let lines = &bytes[..body_len - 1];
        let mut end = lines.len();
        let mut number = newlines;
        for sep in memchr::memrchr_iter(b'\n', lines).chain(std::iter::once(usize::MAX)) {
            let start = sep.wrapping_add(1);
            match parse(&lines[start..end]) {
                Parsed::Event(line) => take(&mut out, line),
                Parsed::Unfinished(_) if start == end => {
                    first_bad = Some((number, "empty line".into()));
                }
                Parsed::Unfinished(reason) | Parsed::Bad(reason) => {
                    first_bad = Some((number, reason))
                }
            }
            end = sep;
            number -= 1;
        }
    }

    if let Some((line, reason)) = first_bad {
        return Err(StoreError::BadLine {
            path: path.to_owned(),
            line,
            reason,
        });
    }
    out.annotations.finish_backward();
    Ok(out)
}

/// Counts a valid event, keeping it only when it is its sentence's newest.
fn take(out: &mut Replay, line: Line<'_>) {
    out.events += 1;
    let key = out
        .annotations
        .key(&line.article.0, line.start, line.end, &line.annotator.0);
    if out.annotations.claim_newest(key, line.op) && line.op == Op::Set {
        out.annotations.push_newest(line.into_event());
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
    match serde_json::from_slice::<Line>(bytes) {
        Ok(line) if line.v != JOURNAL_VERSION => Parsed::Bad(version_reason(u64::from(line.v))),
        Ok(line) => match check(line.start, line.end) {
            Ok(()) => Parsed::Event(line),
            Err(reason) => Parsed::Bad(reason),
        },
        Err(e) if matches!(e.classify(), Category::Eof | Category::Syntax) => {
            Parsed::Unfinished(json_reason(&e))
        }
        Err(e) => match serde_json::from_slice::<Probe>(bytes) {
            Ok(Probe { v: Some(v) }) if v != u64::from(JOURNAL_VERSION) => {
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
    format!("journal format version {v} is not one this stance reads (version {JOURNAL_VERSION})")
}

#[derive(Deserialize)]
struct Probe {
    v: Option<u64>,
}

/// One journal line with its strings borrowed from the buffer where it has no escapes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    v: u32,
    op: Op,
    #[serde(borrow)]
    article: Str<'a>,
    start: usize,
    end: usize,
    #[serde(borrow)]
    fp: Str<'a>,
    #[serde(default, borrow)]
    labels: Vec<Str<'a>>,
    #[serde(borrow)]
    annotator: Str<'a>,
    ts: u64,
    #[serde(default)]
    origin: Origin,
    #[serde(default, borrow)]
    text: Str<'a>,
}

impl Line<'_> {
    fn into_event(self) -> Event {
        Event {
            v: self.v,
            op: self.op,
            article: self.article.0.into_owned(),
            start: self.start,
            end: self.end,
            fp: self.fp.0.into_owned(),
            labels: self.labels.into_iter().map(|l| l.0.into_owned()).collect(),
            annotator: self.annotator.0.into_owned(),
            ts: self.ts,
            origin: self.origin,
            text: self.text.0.into_owned(),
        }
    }
}

/// A JSON string, borrowed unless it had escapes (serde's own `Cow` always copies).
#[derive(Default)]
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}
