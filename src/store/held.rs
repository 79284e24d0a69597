//! A parsed journal line held by byte ranges into the block of text it was read from,
//! rather than by borrowed slices, so that it can travel with its block from the thread
//! that parsed it to the one that replays it, and lines are parsed on several cores while
//! one thread takes them in order.
//!
//! The text of a `set` or `ignore` line is copied out (decoded) on the parsing thread, since
//! the replay keeps it when the line is its sentence's newest: that copy, with its
//! allocation, is then off the one thread whose work cannot be split. A line a newer one
//! supersedes pays for that copy in vain, on a parsing thread.

use std::borrow::Cow;
use std::ops::Range;

use super::event::{Op, Origin};
use super::line::{Labels, Line, Str};

/// A string of a line: where it lies in the block, or its own copy.
#[derive(Debug)]
enum HeldStr {
    /// The text between the quotes, with its escapes left in place when `escaped`.
    At {
        range: Range<usize>,
        escaped: bool,
    },
    Owned(String),
}

/// The label names: the checked array in the block, or a list.
#[derive(Debug)]
enum HeldLabels {
    Array(Range<usize>),
    List(Vec<HeldStr>),
}

/// One parsed line, its strings by position in the block it came from.
#[derive(Debug)]
pub(crate) struct HeldLine {
    v: u32,
    op: Op,
    article: HeldStr,
    start: usize,
    end: usize,
    fp: HeldStr,
    labels: HeldLabels,
    annotator: HeldStr,
    ts: u64,
    origin: Origin,
    text: HeldStr,
    at: Option<usize>,
    note: Option<HeldStr>,
    scores: Option<super::Scores>,
}

impl HeldLine {
    /// `line`, parsed from a part of `block`, held by positions in `block`.
    pub(crate) fn new(block: &str, line: Line<'_>) -> HeldLine {
        let hold = |s| hold(block, s);
        let labels = match line.labels {
            Labels::Array(raw) => match range_in(block, raw) {
                Some(range) => HeldLabels::Array(range),
                None => HeldLabels::List(
                    super::canonical::array_items(raw)
                        .map(|s| HeldStr::Owned(s.get().into_owned()))
                        .collect(),
                ),
            },
            Labels::List(list) => HeldLabels::List(list.into_iter().map(hold).collect()),
        };
        let text = match line.op {
            Op::Set | Op::Ignore => HeldStr::Owned(line.text.into_boxed_str().into_string()),
            _ => hold(line.text),
        };
        HeldLine {
            v: line.v,
            op: line.op,
            article: hold(line.article),
            start: line.start,
            end: line.end,
            fp: hold(line.fp),
            labels,
            annotator: hold(line.annotator),
            ts: line.ts,
            origin: line.origin,
            text,
            at: line.at,
            note: line.note.map(hold),
            scores: line.scores,
        }
    }

    /// The line again, its strings borrowed from `block`, the block it was made from.
    pub(crate) fn line(self, block: &str) -> Line<'_> {
        let get = |s| get(block, s);
        Line {
            v: self.v,
            op: self.op,
            article: get(self.article),
            start: self.start,
            end: self.end,
            fp: get(self.fp),
            labels: match self.labels {
                HeldLabels::Array(range) => Labels::Array(&block[range]),
                HeldLabels::List(list) => Labels::List(list.into_iter().map(get).collect()),
            },
            annotator: get(self.annotator),
            ts: self.ts,
            origin: self.origin,
            text: get(self.text),
            at: self.at,
            note: self.note.map(get),
            scores: self.scores,
        }
    }
}

/// Where `part` lies in `block`, when it is a slice of it (an empty one is anywhere).
fn range_in(block: &str, part: &str) -> Option<Range<usize>> {
    if part.is_empty() {
        return Some(0..0);
    }
    let from = (part.as_ptr() as usize).checked_sub(block.as_ptr() as usize)?;
    let to = from + part.len();
    (block.get(from..to)? == part).then_some(from..to)
}

fn hold(block: &str, s: Str<'_>) -> HeldStr {
    let (raw, escaped) = match &s {
        Str::Text(Cow::Borrowed(raw)) => (*raw, false),
        Str::Escaped(raw) => (*raw, true),
        Str::Text(Cow::Owned(_)) => return HeldStr::Owned(s.into_cow().into_owned()),
    };
    match range_in(block, raw) {
        Some(range) => HeldStr::At { range, escaped },
        None => HeldStr::Owned(s.into_cow().into_owned()),
    }
}

fn get(block: &str, s: HeldStr) -> Str<'_> {
    match s {
        HeldStr::At {
            range,
            escaped: false,
        } => Str::Text(Cow::Borrowed(&block[range])),
        HeldStr::At {
            range,
            escaped: true,
        } => Str::Escaped(&block[range]),
        HeldStr::Owned(text) => Str::Text(Cow::Owned(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines the fast reader takes and lines it leaves to serde_json (other field order,
    /// escapes it decodes, a boundary and a note line).
    const LINES: [&str; 5] = [
        r#"{"v":1,"op":"set","article":"a\"1","start":0,"end":4,"fp":"0123456789abcdef","labels":["x","y\\z"],"annotator":"ana","ts":7,"origin":"typed","text":"Say \"hi\"."}"#,
        r#"{"op":"set","v":1,"article":"a\u00e91","start":0,"end":4,"fp":"f","labels":["x"],"annotator":"b\nb","ts":7,"text":"T\u00e9xt"}"#,
        r#"{"v":3,"op":"split","article":"a","start":0,"end":9,"fp":"f","annotator":"ana","ts":7,"text":"Two. Parts","at":5}"#,
        r#"{"v":4,"op":"note","article":"a","start":0,"end":4,"fp":"f","annotator":"ana","ts":7,"text":"Text","note":"see \"this\""}"#,
        r#"{"v":1,"op":"clear","article":"a","start":0,"end":4,"fp":"f","labels":[],"annotator":"ana","ts":7,"origin":"typed","text":"Te\tx"}"#,
    ];

    #[test]
    fn a_held_line_is_the_line_it_was_made_from() {
        let block = LINES.join("\n");
        let mut from = 0;
        for line in LINES {
            let part = &block.as_bytes()[from..from + line.len()];
            let parsed = crate::store::replay::parse_line(part).expect("a valid line");
            let again = crate::store::replay::parse_line(line.as_bytes()).unwrap();
            let held = HeldLine::new(&block, parsed);
            assert_eq!(held.line(&block), again, "{line}");
            from += line.len() + 1;
        }
    }
}
