//! `jsonl`: one object per sentence, for Hugging Face `datasets` and pandas.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::LabelSet;
use super::record::{MetaValues, Names, Record};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    labels: Names<'a>,
    /// Only with an exclusive schema: `Some(None)` is written as `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<Option<&'a str>>,
    article_id: &'a str,
    sentence_index: usize,
    start: usize,
    end: usize,
    annotator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    split: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_before: Option<&'a [Cow<'a, str>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_after: Option<&'a [Cow<'a, str>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<MetaValues<'a>>,
    /// Only on an ignored sentence (written with `--include-ignored`).
    #[serde(skip_serializing_if = "Option::is_none")]
    ignored: Option<bool>,
    /// Only on a sentence some annotator flagged.
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
    let given: &[usize] = record.annotation.as_ref().map_or(&[], |a| &a.labels);
    let line = Line {
        text: &record.text,
        labels: Names(given, labels),
        // An exclusive schema's annotations hold at most one label (checked upstream).
        label: labels
            .exclusive
            .then(|| given.first().map(|&i| labels.name(i))),
        article_id: record.article_id,
        sentence_index: record.sentence_index,
        start: record.start,
        end: record.end,
        annotator: record.annotation.as_ref().map(|a| a.annotator.as_ref()),
        split: record.split.map(|s| s.as_str()),
        context_before: record.context.as_ref().map(|(before, _)| before.as_slice()),
        context_after: record.context.as_ref().map(|(_, after)| after.as_slice()),
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
