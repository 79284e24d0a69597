//! Label files from other tools (and stance's own exports) read into one neutral list of
//! annotations, then placed on the corpus's sentences and turned into decisions.
//!
//! Parsing is pure: bytes in, [`Parsed`] out, each annotation with the line or record of the
//! file it came from. One module per format; [`detect`] tells the format from the content.

mod csv;
mod doccano;
mod json;
mod jsonl;
mod label_studio;
mod parallel;
mod place;
mod plan;
mod prodigy;
mod spacy;
mod stream;

use std::fmt;

use thiserror::Error;

pub use place::{Index, Miss};
pub use plan::Plan;
pub use stream::{FileError, parse_file};

/// The formats `stance import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// stance's own `jsonl` export: article id, offsets, sentence index, annotator.
    Jsonl,
    /// stance's own `csv` export: article id, sentence index, `;`-joined labels.
    Csv,
    /// spaCy textcat lines, `{"text", "cats"}`; a category scored 0.5 or more is a label.
    Spacy,
    /// Prodigy `db-out` lines: choice tasks (`accept`) and binary tasks (`label`, `answer`).
    Prodigy,
    /// doccano text-classification lines, `{"text", "label": [...]}` (or `"labels"`).
    Doccano,
    /// A Label Studio JSON export (tasks with `annotations`) or its JSON-MIN form.
    LabelStudio,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Spacy => "spacy",
            Format::Prodigy => "prodigy",
            Format::Doccano => "doccano",
            Format::LabelStudio => "label-studio",
        }
    }
}

/// Where in its file an annotation was read: JSON lines and CSV count lines, a JSON array
/// counts its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum At {
    /// A line of the file, from 1 (a CSV row is named by the line it starts on).
    Line(usize),
    /// An item of a top-level JSON array, from 1.
    Record(usize),
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Line(n) => write!(f, "line {n}"),
            At::Record(n) => write!(f, "record {n}"),
        }
    }
}

/// One annotation as a file gives it, before it is placed on a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Where in the file it was read.
    pub at: At,
    /// The sentence as the file has it (whitespace is folded before comparing).
    pub text: String,
    /// The labels given, in the file's order; empty means "reviewed, no stance".
    pub labels: Vec<String>,
    /// Who decided, when the file says.
    pub annotator: Option<String>,
    /// The article's id, when the file names one.
    pub article: Option<String>,
    /// The sentence's position in its article, from 0, when the file has it.
    pub sentence_index: Option<usize>,
    /// Byte offsets of the sentence in the article text, when the file has them.
    pub span: Option<(usize, usize)>,
}

/// What a file holds: its annotations, and the records that carry none (a rejected or
/// ignored Prodigy task, a cancelled Label Studio annotation), with the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The annotations, in file order.
    pub annotations: Vec<Imported>,
    /// Records read but not taken, with why.
    pub skipped: Vec<(At, String)>,
}

/// Why a file could not be read: where, which field, what is wrong.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{}{}{reason}", at.map(|at| format!("{at}: ")).unwrap_or_default(), field.as_ref().map(|f| format!("field `{f}`: ")).unwrap_or_default())]
pub struct ParseError {
    /// The line or record, when the problem is in one.
    pub at: Option<At>,
    /// The field, when one is to blame.
    pub field: Option<String>,
    /// What is wrong, in a few words.
    pub reason: String,
}

impl ParseError {
    /// A problem with `field` of the record at `at`.
    pub(crate) fn field(at: At, field: &str, reason: impl Into<String>) -> ParseError {
        ParseError {
            at: Some(at),
            field: Some(field.to_owned()),
            reason: reason.into(),
        }
    }

    /// A problem with the record at `at` as a whole.
    pub(crate) fn record(at: At, reason: impl Into<String>) -> ParseError {
        ParseError {
            at: Some(at),
            field: None,
            reason: reason.into(),
        }
    }
}

/// Reads `bytes` as a file of `format`. A record that lacks what the format needs is an
/// error naming it, and when the content looks like another format the message says which.
pub fn parse(format: Format, bytes: &[u8]) -> Result<Parsed, ParseError> {
    let parsed = match format {
        Format::Jsonl => jsonl::parse(bytes),
        Format::Csv => csv::parse(bytes),
        Format::Spacy => spacy::parse(bytes),
        Format::Prodigy => prodigy::parse(bytes),
        Format::Doccano => doccano::parse(bytes),
        Format::LabelStudio => label_studio::parse(bytes),
    };
    parsed.map_err(|err| looks_like(err, format, bytes))
}

/// `err` of a file read as `format` that begins with `bytes`, saying which format the file
/// looks like when that is another one.
fn looks_like(mut err: ParseError, format: Format, bytes: &[u8]) -> ParseError {
    if let Some(other) = detect(bytes).filter(|&other| other != format) {
        err.reason.push_str(&format!(
            "; the file looks like {} (--format {})",
            other.name(),
            other.name()
        ));
    }
    err
}

/// How much of a file [`detect`] reads, unless it starts like a JSON array.
const DETECTED: usize = 1 << 16;

/// The start of the file's text (a byte-order mark and white space left out), as [`detect`]
/// sees it.
fn text_start(bytes: &[u8]) -> &str {
    let text = std::str::from_utf8(&bytes[..bytes.len().min(DETECTED)])
        .or_else(|e| std::str::from_utf8(&bytes[..e.valid_up_to()]))
        .unwrap_or_default();
    text.trim_start_matches('\u{feff}').trim_start()
}

/// Whether the file starts like a JSON array, which [`detect`] reads whole.
fn starts_an_array(bytes: &[u8]) -> bool {
    text_start(bytes).starts_with('[')
}

/// The format the content looks like, from the shape of its first record: `None` when it
/// looks like none of them.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let start = text_start(bytes);
    if start.starts_with('[') {
        return label_studio::looks_like(bytes).then_some(Format::LabelStudio);
    }
    if start.starts_with('{') {
        let first = start.lines().next()?;
        let value: serde_json::Value = serde_json::from_str(first).ok()?;
        let object = value.as_object()?;
        let has = |key: &str| object.contains_key(key);
        return if has("cats") {
            Some(Format::Spacy)
        } else if has("options") || has("accept") || has("answer") || has("_input_hash") {
            Some(Format::Prodigy)
        } else if has("data") && has("annotations") {
            Some(Format::LabelStudio)
        } else if has("labels") && (has("article_id") || has("annotator")) {
            Some(Format::Jsonl)
        } else if has("text") && (has("label") || has("labels")) {
            Some(Format::Doccano)
        } else {
            None
        };
    }
    let header = start.lines().next()?;
    let columns: Vec<&str> = header
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    (columns.contains(&"text") && columns.contains(&"labels")).then_some(Format::Csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_tells_each_format_from_its_first_record() {
        let cases: [(&str, Option<Format>); 8] = [
            (
                r#"{"text":"a","labels":[],"article_id":"x"}"#,
                Some(Format::Jsonl),
            ),
            (
                "article_id,sentence_index,text,labels\nx,0,a,\n",
                Some(Format::Csv),
            ),
            (r#"{"text":"a","cats":{"m":1.0}}"#, Some(Format::Spacy)),
            (
                r#"{"text":"a","label":"m","answer":"accept"}"#,
                Some(Format::Prodigy),
            ),
            (
                r#"{"id":1,"text":"a","label":["m"]}"#,
                Some(Format::Doccano),
            ),
            (
                r#"[{"data":{"text":"a"},"annotations":[]}]"#,
                Some(Format::LabelStudio),
            ),
            (
                r#"[{"text":"a","annotator":"x@y","stance":"m"}]"#,
                Some(Format::LabelStudio),
            ),
            ("Talks resumed.\n", None),
        ];
        for (text, format) in cases {
            assert_eq!(detect(text.as_bytes()), format, "{text}");
        }
    }

    #[test]
    fn errors_name_the_record_and_field() {
        let err = parse(
            Format::Jsonl,
            b"\n{\"text\":\"a\",\"labels\":\"m\",\"article_id\":\"x\"}\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2: field `labels`: expected a list of strings"
        );
        let err = parse(Format::Spacy, b"{\"text\":\"a\",\"cats\":{\"m\":\"yes\"}}").unwrap_err();
        assert_eq!(err.to_string(), "line 1: field `cats.m`: expected a number");
        let err = parse(
            Format::Doccano,
            b"{\"text\":\"a\",\"label\":[[0,1,\"ORG\"]]}",
        )
        .unwrap_err();
        assert!(err.to_string().contains("sequence labeling"), "{err}");
        let err = parse(Format::LabelStudio, b"[{\"data\":{},\"annotations\":[]}]").unwrap_err();
        assert_eq!(
            err.to_string(),
            "record 1: field `data.text`: missing, or not a string"
        );
        let err = parse(Format::Csv, b"text,label\na,m\n").unwrap_err();
        assert_eq!(err.to_string(), "line 1: field `labels`: no such column");
    }
}
