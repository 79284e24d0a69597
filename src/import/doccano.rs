//! doccano text-classification lines, `{"text", "label": [...]}`, as doccano exports them
//! (`"labels"` is read too); an `article_id` field, which doccano keeps from the uploaded
//! data, names the article.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use super::json::{self, Kind};
use super::{Imported, ParseError, Parsed};

/// The common line, read without building a JSON tree: `label` a list of strings.
#[derive(Deserialize)]
struct Plain<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    label: Option<Vec<String>>,
    article_id: Option<String>,
}

const FIELDS: &[json::Field] = &[("text", Kind::Str, true), ("article_id", Kind::Str, false)];

/// Reads every line. Span labels (`[start, end, label]`, sequence labeling) are refused:
/// they are not sentence labels.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    parse_from(bytes, json::Start::FILE)
}

/// [`parse`] of whole lines that begin at `start` of their file.
pub(super) fn parse_from(bytes: &[u8], start: json::Start) -> Result<Parsed, ParseError> {
    let annotations = json::each_line_from(bytes, start, |at, line| {
        match serde_json::from_slice::<Plain>(line) {
            Ok(Plain {
                text,
                label: Some(labels),
                article_id,
            }) => Ok(Imported {
                at,
                text: text.into_owned(),
                labels,
                annotator: None,
                article: article_id,
                sentence_index: None,
                span: None,
            }),
            // Anything else is read as a tree, which names what is wrong.
            _ => read_line(at, line),
        }
    })?;
    Ok(Parsed {
        annotations,
        skipped: Vec::new(),
    })
}

fn read_line(at: super::At, line: &[u8]) -> Result<Imported, ParseError> {
    let value: Value = json::decode(at, line, FIELDS)?;
    json::check(at, &value, FIELDS)?;
    let (name, labels) = match (value.get("label"), value.get("labels")) {
        (Some(labels), _) => ("label", labels),
        (None, Some(labels)) => ("labels", labels),
        (None, None) => return Err(ParseError::field(at, "label", "missing")),
    };
    let items = labels
        .as_array()
        .ok_or_else(|| ParseError::field(at, name, "expected a list of labels"))?;
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::String(label) => names.push(label.clone()),
            Value::Array(_) => {
                return Err(ParseError::field(
                    at,
                    name,
                    "holds spans ([start, end, label], sequence labeling), not sentence labels",
                ));
            }
            _ => return Err(ParseError::field(at, name, "expected a list of strings")),
        }
    }
    Ok(Imported {
        at,
        text: json::string(&value, "text").unwrap_or_default(),
        labels: names,
        annotator: None,
        article: json::string(&value, "article_id"),
        sentence_index: None,
        span: None,
    })
}
