//! `doccano`: `{"text", "label"}` per sentence, for doccano's text-classification import.

use std::io::{self, Write};

use serde::Serialize;

use super::LabelSet;
use super::record::{MetaValues, Names, Record};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    /// Left out for an unannotated sentence, which doccano imports as not yet labeled.
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<Names<'a>>,
    /// `--meta` fields, beside `text` and `label` (doccano keeps unknown fields as metadata).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    meta: Option<MetaValues<'a>>,
    /// Only on an ignored sentence (with `--include-ignored`), which has no `label`.
    #[serde(skip_serializing_if = "Option::is_none")]
    ignored: Option<bool>,
    /// Only on a sentence some annotator flagged for discussion.
    #[serde(skip_serializing_if = "Option::is_none")]
    flagged: Option<bool>,
    /// Only on a noted sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// Only on a sentence of a noted article.
    #[serde(skip_serializing_if = "Option::is_none")]
    article_note: Option<&'a str>,
}

/// Writes one sentence as one line.
pub fn write<W: Write>(out: &mut W, record: &Record<'_>, labels: &LabelSet) -> io::Result<()> {
    let line = Line {
        text: &record.text,
        label: record
            .annotation
            .as_ref()
            .filter(|a| !a.ignored)
            .map(|a| Names(&a.labels, labels)),
        meta: record.meta,
        ignored: record
            .annotation
            .as_ref()
            .and_then(|a| a.ignored.then_some(true)),
        flagged: record.remarks.flagged.then_some(true),
        note: record.remarks.note.as_deref(),
        article_note: record.remarks.article_note.as_deref(),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}
