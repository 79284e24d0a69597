//! Label Studio exports: one JSON array of tasks.
//!
//! - JSON: each task has `data.text` and `annotations`, each annotation a `result` list; the
//!   items of type `choices` give `value.choices`. The annotator is `completed_by`: an
//!   object's `email`, or a user id `N` as `label-studio-user-N`. Cancelled annotations
//!   (`was_cancelled`) are skipped. `data.article_id` and `data.sentence_index`, when the
//!   tasks were made from a stance export, name the sentence.
//! - JSON-MIN: one flat object per annotation: the data fields (`text`, ...), `annotator`,
//!   `annotation_id`, times, and one field named after the choices control holding a choice
//!   (a string) or `{"choices": [...]}`. That field is the one not known as data or
//!   bookkeeping; more than one candidate is an error naming them.

use serde_json::{Map, Value};

use super::json;
use super::{At, Imported, ParseError, Parsed};

/// Fields of a JSON-MIN item that are not the choices.
const MIN_KNOWN: &[&str] = &[
    "id",
    "text",
    "title",
    "annotator",
    "annotation_id",
    "created_at",
    "updated_at",
    "lead_time",
    "article_id",
    "sentence_index",
    "start",
    "end",
    "meta",
];

/// True when `bytes` is a JSON array whose first item is a Label Studio task or JSON-MIN
/// item.
pub(super) fn looks_like(bytes: &[u8]) -> bool {
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(bytes) else {
        return false;
    };
    items
        .first()
        .and_then(Value::as_object)
        .is_some_and(|first| {
            first.contains_key("annotations")
                || first.contains_key("data")
                || first.contains_key("annotation_id")
                || first.contains_key("annotator") && first.contains_key("text")
        })
}

/// Reads the whole array.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes).map_err(|err| ParseError {
        at: None,
        field: None,
        reason: format!(
            "not JSON: {} (line {}, column {})",
            json::words(&err),
            err.line(),
            err.column()
        ),
    })?;
    let Value::Array(items) = value else {
        return Err(ParseError {
            at: None,
            field: None,
            reason: "expected a JSON array of tasks (Label Studio's JSON or JSON-MIN export)"
                .into(),
        });
    };
    let mut parsed = Parsed::default();
    for (i, item) in items.iter().enumerate() {
        let at = At::Record(i + 1);
        let task = item
            .as_object()
            .ok_or_else(|| ParseError::record(at, "not a JSON object"))?;
        if task.contains_key("data") || task.contains_key("annotations") {
            full(at, task, &mut parsed)?;
        } else {
            min(at, task, &mut parsed)?;
        }
    }
    Ok(parsed)
}

/// One task of the JSON export: one annotation per annotation that was not cancelled.
fn full(at: At, task: &Map<String, Value>, parsed: &mut Parsed) -> Result<(), ParseError> {
    let data = task
        .get("data")
        .and_then(Value::as_object)
        .ok_or_else(|| ParseError::field(at, "data", "missing, or not an object"))?;
    let text = data
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| ParseError::field(at, "data.text", "missing, or not a string"))?;
    let data = Value::Object(data.clone());
    let Some(annotations) = task.get("annotations") else {
        parsed.skipped.push((at, "no annotations".into()));
        return Ok(());
    };
    let annotations = annotations
        .as_array()
        .ok_or_else(|| ParseError::field(at, "annotations", "expected a list"))?;
    if annotations.is_empty() {
        parsed.skipped.push((at, "no annotations".into()));
    }
    for (n, annotation) in annotations.iter().enumerate() {
        let field = |name: &str| format!("annotations[{n}].{name}");
        if annotation.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            parsed
                .skipped
                .push((at, format!("annotation {n} was cancelled")));
            continue;
        }
        let results = annotation
            .get("result")
            .and_then(Value::as_array)
            .ok_or_else(|| ParseError::field(at, &field("result"), "missing, or not a list"))?;
        let mut labels = Vec::new();
        for (r, result) in results.iter().enumerate() {
            if result.get("type").and_then(Value::as_str) != Some("choices") {
                continue;
            }
            let choices = result.pointer("/value/choices").ok_or_else(|| {
                ParseError::field(at, &field(&format!("result[{r}].value.choices")), "missing")
            })?;
            push_choices(
                at,
                &field(&format!("result[{r}].value.choices")),
                choices,
                &mut labels,
            )?;
        }
        let annotator = match annotation.get("completed_by") {
            Some(Value::Number(id)) => Some(format!("label-studio-user-{id}")),
            Some(Value::String(name)) => Some(name.clone()),
            Some(Value::Object(user)) => user
                .get("email")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| user.get("id").map(|id| format!("label-studio-user-{id}"))),
            _ => None,
        };
        parsed.annotations.push(Imported {
            at,
            text: text.to_owned(),
            labels,
            annotator: annotator.filter(|a| !a.is_empty()),
            article: json::string(&data, "article_id"),
            sentence_index: json::count(&data, "sentence_index"),
            span: None,
        });
    }
    Ok(())
}

/// One item of the JSON-MIN export.
fn min(at: At, item: &Map<String, Value>, parsed: &mut Parsed) -> Result<(), ParseError> {
    let text = item
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| ParseError::field(at, "text", "missing, or not a string"))?;
    let candidates: Vec<(&String, &Value)> = item
        .iter()
        .filter(|(name, value)| {
            !MIN_KNOWN.contains(&name.as_str())
                && (value.is_string() || value.get("choices").is_some())
        })
        .collect();
    let (name, value) = match candidates.as_slice() {
        [] => {
            parsed.skipped.push((at, "no choices".into()));
            return Ok(());
        }
        [one] => *one,
        many => {
            let names: Vec<&str> = many.iter().map(|(name, _)| name.as_str()).collect();
            return Err(ParseError::record(
                at,
                format!(
                    "cannot tell which field holds the choices: {}",
                    crate::escape::escape(&names.join(", "))
                ),
            ));
        }
    };
    let mut labels = Vec::new();
    match value {
        Value::String(choice) => labels.push(choice.clone()),
        _ => push_choices(
            at,
            &format!("{name}.choices"),
            &value["choices"],
            &mut labels,
        )?,
    }
    let annotator = match item.get("annotator") {
        Some(Value::String(name)) => Some(name.clone()),
        Some(Value::Number(id)) => Some(format!("label-studio-user-{id}")),
        _ => None,
    };
    let item = Value::Object(item.clone());
    parsed.annotations.push(Imported {
        at,
        text: text.to_owned(),
        labels,
        annotator: annotator.filter(|a| !a.is_empty()),
        article: json::string(&item, "article_id"),
        sentence_index: json::count(&item, "sentence_index"),
        span: None,
    });
    Ok(())
}

fn push_choices(
    at: At,
    field: &str,
    choices: &Value,
    labels: &mut Vec<String>,
) -> Result<(), ParseError> {
    let choices = choices
        .as_array()
        .ok_or_else(|| ParseError::field(at, field, "expected a list of strings"))?;
    for choice in choices {
        let choice = choice
            .as_str()
            .ok_or_else(|| ParseError::field(at, field, "expected a list of strings"))?;
        if !labels.iter().any(|l| l == choice) {
            labels.push(choice.to_owned());
        }
    }
    Ok(())
}
