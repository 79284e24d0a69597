//! spaCy textcat lines, `{"text", "cats": {label: score}}`, as stance exports them and as
//! spaCy's training scripts read them: a category scored 0.5 or more is a label.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;

use super::json::{self, Kind};
use super::{Imported, ParseError, Parsed};

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    cats: serde_json::Map<String, serde_json::Value>,
}

const FIELDS: &[json::Field] = &[("text", Kind::Str, true), ("cats", Kind::Object, true)];

/// Reads every line; a score that is not a number is an error naming the category.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    parse_from(bytes, json::Start::FILE)
}

/// [`parse`] of whole lines that begin at `start` of their file.
pub(super) fn parse_from(bytes: &[u8], start: json::Start) -> Result<Parsed, ParseError> {
    let annotations = json::each_line_from(bytes, start, |at, line| {
        let line: Line = json::decode(at, line, FIELDS)?;
        let mut labels = Vec::new();
        // Ordered by name for a stable order; the schema orders them later.
        let cats: BTreeMap<&String, &serde_json::Value> = line.cats.iter().collect();
        for (name, score) in cats {
            let score = score.as_f64().ok_or_else(|| {
                ParseError::field(at, &format!("cats.{name}"), "expected a number")
            })?;
            if score >= 0.5 {
                labels.push(name.clone());
            }
        }
        Ok(Imported {
            at,
            text: line.text.into_owned(),
            labels,
            annotator: None,
            article: None,
            sentence_index: None,
            span: None,
        })
    })?;
    Ok(Parsed {
        annotations,
        skipped: Vec::new(),
    })
}
