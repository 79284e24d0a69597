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

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    cats: CatsOrUnknown<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<MetaValues<'a>>,
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
            meta: record.meta,
        },
    )?;
    out.write_all(b"\n")
}
