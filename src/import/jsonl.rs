//! stance's own `jsonl` export: `{"text", "labels", "article_id", "sentence_index", "start",
//! "end", "annotator"}`, and the fields an export may add (`label`, `split`, context).

use std::borrow::Cow;

use serde::Deserialize;

use super::json::{self, Kind};
use super::{Imported, ParseError, Parsed};

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    labels: Vec<String>,
    article_id: Option<String>,
    sentence_index: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    annotator: Option<String>,
}

const FIELDS: &[json::Field] = &[
    ("text", Kind::Str, true),
    ("labels", Kind::StrList, true),
    ("article_id", Kind::Str, false),
    ("sentence_index", Kind::Count, false),
    ("start", Kind::Count, false),
    ("end", Kind::Count, false),
    ("annotator", Kind::Str, false),
];

/// Reads every line; `start` and `end` count only together.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    parse_from(bytes, json::Start::FILE)
}

/// [`parse`] of whole lines that begin at `start` of their file.
pub(super) fn parse_from(bytes: &[u8], start: json::Start) -> Result<Parsed, ParseError> {
    let annotations = json::each_line_from(bytes, start, |at, line| {
        let line: Line = json::decode(at, line, FIELDS)?;
        Ok(Imported {
            at,
            text: line.text.into_owned(),
            labels: line.labels,
            annotator: line.annotator.filter(|a| !a.is_empty()),
            article: line.article_id,
            sentence_index: line.sentence_index,
            span: line.start.zip(line.end),
        })
    })?;
    Ok(Parsed {
        annotations,
        skipped: Vec::new(),
    })
}
