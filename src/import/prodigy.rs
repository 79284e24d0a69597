//! Prodigy tasks as `prodigy db-out` writes them, one JSON object a line.
//!
//! - Choice tasks (`textcat.manual` with several labels, stance's own export): `options`
//!   (`{"id", "text"}`), `accept` (the chosen ids) and `answer`. An `accept` answer gives the
//!   labels in `accept`; a `reject` or `ignore` answer gives none and is skipped.
//! - Binary tasks (`textcat.teach`, `textcat.manual` with one label): `label` and `answer`.
//!   All binary tasks of one sentence by one annotator make one annotation: the accepted
//!   labels (only rejected ones: the empty set, "reviewed, no stance"); `ignore` is skipped.
//!
//! The annotator is `_annotator_id` (Prodigy's multi-user sessions); the article and the
//! sentence come from `meta.article_id` and `meta.sentence_index` when they are there.

use std::collections::HashMap;

use serde_json::Value;

use super::json::{self, Kind};
use super::{Imported, ParseError, Parsed};

const FIELDS: &[json::Field] = &[
    ("text", Kind::Str, true),
    ("answer", Kind::Str, false),
    ("label", Kind::Str, false),
    ("meta", Kind::Object, false),
    ("_annotator_id", Kind::Str, false),
];

/// (annotator, article, sentence index, text) of a binary task: the annotation it joins.
type Sentence = (Option<String>, Option<String>, Option<usize>, String);

/// One line read on its own: what it gives before binary tasks are merged.
enum Task {
    /// Not taken, with why.
    Skipped(super::At, String),
    /// A choice task's annotation.
    Choice(Imported),
    /// A binary task: its sentence, its label, and whether it was accepted.
    Binary(Imported, String, bool),
}

/// Reads every line (on every core for a big file); binary tasks are merged per sentence
/// and annotator, at the line of the first of them.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let tasks = json::each_line(bytes, task)?;
    let mut parsed = Parsed::default();
    let mut binary: HashMap<Sentence, usize> = HashMap::new();
    for task in tasks {
        let (imported, label, accept) = match task {
            Task::Skipped(at, why) => {
                parsed.skipped.push((at, why));
                continue;
            }
            Task::Choice(imported) => {
                parsed.annotations.push(imported);
                continue;
            }
            Task::Binary(imported, label, accept) => (imported, label, accept),
        };
        let key = (
            imported.annotator.clone(),
            imported.article.clone(),
            imported.sentence_index,
            imported.text.clone(),
        );
        let index = *binary.entry(key).or_insert_with(|| {
            parsed.annotations.push(imported);
            parsed.annotations.len() - 1
        });
        let labels = &mut parsed.annotations[index].labels;
        if accept && !labels.contains(&label) {
            labels.push(label);
        }
    }
    Ok(parsed)
}

/// The line at `at` read as a task.
fn task(at: super::At, line: &[u8]) -> Result<Task, ParseError> {
    let task: Value = json::decode(at, line, FIELDS)?;
    json::check(at, &task, FIELDS)?;
    let meta = task.get("meta").cloned().unwrap_or(Value::Null);
    let mut imported = Imported {
        at,
        text: json::string(&task, "text").unwrap_or_default(),
        labels: Vec::new(),
        annotator: json::string(&task, "_annotator_id").filter(|a| !a.is_empty()),
        article: json::string(&meta, "article_id"),
        sentence_index: json::count(&meta, "sentence_index"),
        span: None,
    };
    let answer = json::string(&task, "answer");
    let choice = task.get("options").is_some() || task.get("accept").is_some();
    match answer.as_deref() {
        None if choice => {
            return Ok(Task::Skipped(at, "not answered (no `answer`)".into()));
        }
        None => return Err(ParseError::field(at, "answer", "missing")),
        Some("accept" | "reject" | "ignore") => {}
        Some(other) => {
            return Err(ParseError::field(
                at,
                "answer",
                format!(
                    "`{}` is not accept, reject or ignore",
                    crate::escape::escape(other)
                ),
            ));
        }
    }
    let answer = answer.unwrap_or_default();
    if answer == "ignore" || choice && answer == "reject" {
        return Ok(Task::Skipped(at, format!("answer `{answer}`")));
    }
    if choice {
        imported.labels = accepted(at, &task)?;
        return Ok(Task::Choice(imported));
    }
    let Some(label) = json::string(&task, "label") else {
        return Err(ParseError::field(
            at,
            "accept",
            "missing (a choice task has `accept`, a binary one `label`)",
        ));
    };
    Ok(Task::Binary(imported, label, answer == "accept"))
}

/// The label names in `accept`: a string id is the name; a numeric id is the name of the
/// option with that id (its `text`).
fn accepted(at: super::At, task: &Value) -> Result<Vec<String>, ParseError> {
    let Some(accept) = task.get("accept") else {
        return Ok(Vec::new());
    };
    let ids = accept
        .as_array()
        .ok_or_else(|| ParseError::field(at, "accept", "expected a list of option ids"))?;
    let options = task.get("options").and_then(Value::as_array);
    let mut labels = Vec::with_capacity(ids.len());
    for id in ids {
        let name = match id {
            Value::String(name) => name.clone(),
            Value::Number(_) => options
                .and_then(|options| options.iter().find(|o| o.get("id") == Some(id)))
                .and_then(|option| json::string(option, "text"))
                .ok_or_else(|| {
                    ParseError::field(at, "accept", format!("no option has the id {id}"))
                })?,
            _ => {
                return Err(ParseError::field(
                    at,
                    "accept",
                    "expected strings or numbers",
                ));
            }
        };
        labels.push(name);
    }
    Ok(labels)
}
