//! `spacy`: `{"text", "cats"}` per sentence, for `textcat` / `textcat_multilabel`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::LabelSet;
use super::record::{Cats, MetaValues, Record};

#[derive(Serialize)]
#[serde(untagged)]
enum CatsOrUnknown<'a> {
    Known(Cats<'a>),
    /// spaCy treats a label missing from `cats` as unknown, not as a negative.
    Unknown(BTreeMap<&'a str, f64>),
}

/// `meta`: the `--meta` fields, and the sentence's flag and notes where it has them.
#[derive(Serialize)]
struct Meta<'a> {
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    fields: Option<MetaValues<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flagged: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_note: Option<&'a str>,
}

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    cats: CatsOrUnknown<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta<'a>>,
}

/// Writes one sentence as one line; an unannotated or ignored sentence gets `"cats": {}`.
pub fn write<W: Write>(out: &mut W, record: &Record<'_>, labels: &LabelSet) -> io::Result<()> {
    let cats = match &record.annotation {
        // Ignored is not a negative: unknown, as for a sentence nobody annotated.
        Some(annotation) if annotation.ignored => CatsOrUnknown::Unknown(BTreeMap::new()),
        Some(annotation) => CatsOrUnknown::Known(Cats(annotation, labels)),
        None => CatsOrUnknown::Unknown(BTreeMap::new()),
    };
    serde_json::to_writer(
        &mut *out,
        &Line {
            text: &record.text,
            cats,
            meta: meta(record),
        },
    )?;
    out.write_all(b"\n")
}

/// Left out when there is nothing to put in it, as before flags and notes existed.
fn meta<'a>(record: &'a Record<'_>) -> Option<Meta<'a>> {
    let remarks = &record.remarks;
    let any = remarks.flagged || remarks.note.is_some() || remarks.article_note.is_some();
    (record.meta.is_some() || any).then(|| Meta {
        fields: record.meta,
        flagged: remarks.flagged.then_some(true),
        note: remarks.note.as_deref(),
        article_note: remarks.article_note.as_deref(),
    })
}
