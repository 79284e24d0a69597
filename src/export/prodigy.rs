//! `prodigy`: choice tasks with the schema's labels as options.
//!
//! Hashes are MurmurHash3_x86_32 with seed 0, read as signed 32-bit integers (the range
//! Prodigy uses): `_input_hash` of the UTF-8 text; `_task_hash` of the UTF-8 text followed,
//! for each option in order, by a line feed and the option's id. The text holds no line
//! feed (whitespace is folded), so the two parts cannot run into each other. In Python:
//! `murmurhash.hash(text)` and `murmurhash.hash(text + "".join("\n" + o for o in ids))`.

use std::io::{self, Write};

use serde::Serialize;

use super::LabelSet;
use super::record::{MetaValues, Names, Record};
use crate::hash::murmur3_32;

#[derive(Serialize)]
struct Choice<'a> {
    id: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    article_id: &'a str,
    sentence_index: usize,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    fields: Option<MetaValues<'a>>,
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

#[derive(Serialize)]
struct Task<'a> {
    text: &'a str,
    options: &'a [Choice<'a>],
    /// Left out, with `answer`, for an unannotated sentence: a question not answered yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    accept: Option<Names<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<&'static str>,
    meta: Meta<'a>,
    _input_hash: i32,
    _task_hash: i32,
}

/// Writes tasks; the options and their hash suffix are built once per export.
pub struct Tasks<'l> {
    labels: &'l LabelSet,
    options: Vec<Choice<'l>>,
    hashed: Vec<u8>,
}

impl<'l> Tasks<'l> {
    /// Tasks whose options are the schema's labels, in schema order.
    pub fn new(labels: &'l LabelSet) -> Tasks<'l> {
        Tasks {
            labels,
            options: labels
                .names()
                .map(|name| Choice {
                    id: name,
                    text: name,
                })
                .collect(),
            hashed: Vec::new(),
        }
    }

    /// Writes one sentence as one task line.
    pub fn write<W: Write>(&mut self, out: &mut W, record: &Record<'_>) -> io::Result<()> {
        self.hashed.clear();
        task_hash_input(&mut self.hashed, &record.text, self.labels);
        let task = Task {
            text: &record.text,
            options: &self.options,
            accept: record
                .annotation
                .as_ref()
                .map(|a| Names(&a.labels, self.labels)),
            // Prodigy's own answer for "skip this example".
            answer: record
                .annotation
                .as_ref()
                .map(|a| if a.ignored { "ignore" } else { "accept" }),
            meta: Meta {
                article_id: record.article_id,
                sentence_index: record.sentence_index,
                fields: record.meta,
                flagged: record.remarks.flagged.then_some(true),
                note: record.remarks.note.as_deref(),
                article_note: record.remarks.article_note.as_deref(),
            },
            _input_hash: input_hash(&record.text),
            _task_hash: murmur3_32(&self.hashed, 0) as i32,
        };
        serde_json::to_writer(&mut *out, &task)?;
        out.write_all(b"\n")
    }
}

/// The task's `_input_hash`: the text alone.
pub fn input_hash(text: &str) -> i32 {
    murmur3_32(text.as_bytes(), 0) as i32
}

/// The task's `_task_hash`: the text and the option ids.
pub fn task_hash(text: &str, labels: &LabelSet) -> i32 {
    let mut bytes = Vec::new();
    task_hash_input(&mut bytes, text, labels);
    murmur3_32(&bytes, 0) as i32
}

fn task_hash_input(bytes: &mut Vec<u8>, text: &str, labels: &LabelSet) {
    bytes.extend_from_slice(text.as_bytes());
    for name in labels.names() {
        bytes.push(b'\n');
        bytes.extend_from_slice(name.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_signed_and_depend_on_the_options() {
        let three = LabelSet::new(["diplomatic", "sanctions", "military"], false);
        let two = LabelSet::new(["diplomatic", "sanctions"], false);
        let text = "Talks resumed.";
        assert_ne!(task_hash(text, &three), task_hash(text, &two));
        assert_ne!(task_hash(text, &three), input_hash(text));
        // 0xc0363e43 has the top bit set: Prodigy's hashes are negative there too.
        assert_eq!(input_hash("Hello, world!"), 0xc036_3e43_u32 as i32);
        assert!(input_hash("Hello, world!") < 0);
        // Values from Python's `murmurhash.hash` (the package spaCy and Prodigy use).
        assert_eq!(input_hash("首尔"), -2_058_287_042);
        assert_eq!(task_hash(text, &three), 770_304_027);
    }
}
