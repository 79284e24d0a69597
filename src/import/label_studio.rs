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

/// Reads the whole array (a big one on every core).
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.len() >= 1 << 20
        && let Some(parsed) = on_every_core(bytes)
    {
        return Ok(parsed);
    }
    // Small files, and every file with a problem, are read in one go, which names the
    // problem with its place in the file.
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
        item_of(At::Record(i + 1), item, &mut parsed)?;
    }
    Ok(parsed)
}

/// One item of the array, a task of either export.
fn item_of(at: At, item: &Value, parsed: &mut Parsed) -> Result<(), ParseError> {
    let task = item
        .as_object()
        .ok_or_else(|| ParseError::record(at, "not a JSON object"))?;
    if task.contains_key("data") || task.contains_key("annotations") {
        full(at, task, parsed)
    } else {
        min(at, task, parsed)
    }
}

/// The items cut apart and each read on a core; `None` at the first problem, for the whole
/// file to be read again in one go.
fn on_every_core(bytes: &[u8]) -> Option<Parsed> {
    let items = items(bytes)?;
    let parts = super::parallel::map(&items, 256, |&(i, item)| {
        let value: Value = serde_json::from_slice(item).ok()?;
        let mut parsed = Parsed::default();
        item_of(At::Record(i + 1), &value, &mut parsed).ok()?;
        Some(parsed)
    });
    let mut parsed = Parsed::default();
    for part in parts {
        let part = part?;
        parsed.annotations.extend(part.annotations);
        parsed.skipped.extend(part.skipped);
    }
    Some(parsed)
}

/// The items of the top-level JSON array `bytes`, each with its position from 0, cut at the
/// commas outside strings and nested values; `None` when `bytes` is not one array (the
/// JSON reader then says what is wrong).
fn items(bytes: &[u8]) -> Option<Vec<(usize, &[u8])>> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if bytes[start] != b'[' {
        return None;
    }
    let (mut items, mut depth, mut in_string, mut escaped) = (Vec::new(), 0usize, false, false);
    let mut item_start = start + 1;
    for (at, &byte) in bytes.iter().enumerate().skip(start + 1) {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b',' if depth == 0 => {
                items.push((items.len(), &bytes[item_start..at]));
                item_start = at + 1;
            }
            b']' => {
                let last = &bytes[item_start..at];
                let rest = &bytes[at + 1..];
                if !rest.iter().all(u8::is_ascii_whitespace) {
                    return None;
                }
                if !last.iter().all(u8::is_ascii_whitespace) {
                    items.push((items.len(), last));
                } else if !items.is_empty() {
                    return None;
                }
                return Some(items);
            }
            b'}' => return None,
            _ => {}
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_array_read_on_every_core_is_read_as_in_one_go() {
        let mut items = Vec::new();
        for i in 0..8_000 {
            items.push(format!(
                r#"{{"data": {{"text": "Said \"[{i}]\", then, {{left}}.", "article_id": "a{i}"}},
                  "annotations": [{{"completed_by": {i}, "result": [{{"type": "choices",
                  "value": {{"choices": ["x", "y"]}}}}]}}, {{"was_cancelled": true, "result": []}}]}}"#
            ));
            items.push(format!(
                r#"{{"text": "min {i}", "annotator": "ana", "stance": "x"}}"#
            ));
        }
        let file = format!("[\n{}\n]\n", items.join(",\n"));
        assert!(file.len() >= 1 << 20);
        let parallel = on_every_core(file.as_bytes()).expect("a well-formed array");
        let value: Value = serde_json::from_slice(file.as_bytes()).unwrap();
        let mut serial = Parsed::default();
        for (i, item) in value.as_array().unwrap().iter().enumerate() {
            item_of(At::Record(i + 1), item, &mut serial).unwrap();
        }
        assert_eq!(parallel.annotations.len(), 16_000);
        assert_eq!(parallel, serial);
        assert!(items_of_bad_arrays_are_refused());
    }

    fn items_of_bad_arrays_are_refused() -> bool {
        [
            &b"[1,]"[..],
            b"[,1]",
            b"[1] x",
            b"{}",
            b"[{]",
            b"[1",
            b"[1,2]",
        ]
        .iter()
        .all(|bad| on_every_core(bad).is_none())
            && items(b" [ ] ").is_some_and(|items| items.is_empty())
    }
}
