//! One exported sentence, as every format sees it.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::LabelSet;
use super::split::SplitName;

/// A sentence ready to be written.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The article's id.
    pub article_id: &'a str,
    /// The sentence's position in its article, from 0.
    pub sentence_index: usize,
    /// Byte offset of the sentence as written in the article text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The sentence with each run of whitespace folded to one space.
    pub text: Cow<'a, str>,
    /// `None` when nobody annotated the sentence (only with `--include-unlabeled`).
    pub annotation: Option<Verdict<'a>>,
    /// The article's split, when splitting.
    pub split: Option<SplitName>,
    /// Up to N sentences before and after, folded like `text`, when `--context N`.
    pub context: Option<Context<'a>>,
    /// The article's values of the `--meta` fields, when `--meta` is given.
    pub meta: Option<MetaValues<'a>>,
    /// Flags and notes of the sentence and its article, every annotator's.
    pub remarks: RemarkFields,
}

/// A sentence's flags and notes as exported: each note `annotator: note`, several joined
/// by ` | `.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemarkFields {
    /// Some annotator flagged the sentence for discussion.
    pub flagged: bool,
    /// The sentence's notes.
    pub note: Option<String>,
    /// The article's notes.
    pub article_note: Option<String>,
}

/// The article's values of the fields `--meta` names, in the order named; `None` where the
/// article has no such field. Serialized as a map, with `null` for `None`.
#[derive(Debug, Clone, Copy)]
pub struct MetaValues<'a> {
    /// The field names.
    pub names: &'a [String],
    /// One value per name.
    pub values: &'a [Option<&'a str>],
}

impl<'a> MetaValues<'a> {
    /// (name, value) pairs in the order named.
    pub fn pairs(&self) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + use<'a> {
        let values = self.values;
        self.names
            .iter()
            .zip(values)
            .map(|(name, value)| (name.as_str(), *value))
    }
}

impl Serialize for MetaValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.names.len()))?;
        for (name, value) in self.pairs() {
            map.serialize_entry(name, &value)?;
        }
        map.end()
    }
}

/// The sentences before and after one sentence, nearest last and first.
pub type Context<'a> = (Vec<Cow<'a, str>>, Vec<Cow<'a, str>>);

/// The labels a sentence is exported with, and who decided them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<'a> {
    /// Positions in the label set, ascending; empty means "reviewed, no stance".
    pub labels: Vec<usize>,
    /// The deciding annotator, or the `;`-joined annotators of a majority.
    pub annotator: Cow<'a, str>,
    /// Ignored: not a sentence to train on (then `labels` is empty); written only with
    /// `--include-ignored`.
    pub ignored: bool,
}

impl Verdict<'_> {
    /// True when the label at this position of the label set was given.
    pub fn has(&self, label: usize) -> bool {
        self.labels.binary_search(&label).is_ok()
    }
}

/// Serializes label positions as a JSON array of names, without collecting them.
pub(super) struct Names<'a>(pub &'a [usize], pub &'a LabelSet);

impl Serialize for Names<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|&i| self.1.name(i)))
    }
}

/// Serializes `{label: 1.0 or 0.0}` for every label of the set, in schema order.
pub(super) struct Cats<'a>(pub &'a Verdict<'a>, pub &'a LabelSet);

impl Serialize for Cats<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.1.len()))?;
        for (i, name) in self.1.names().enumerate() {
            map.serialize_entry(name, if self.0.has(i) { &1.0 } else { &0.0 })?;
        }
        map.end()
    }
}

/// The sentence with every run of whitespace (line breaks of hard-wrapped text included)
/// folded to one space; borrowed when there is nothing to fold.
pub fn fold_whitespace(sentence: &str) -> Cow<'_, str> {
    // Most sentences are ASCII with single spaces: checked byte by byte, without decoding.
    let ascii_clean = sentence.is_ascii()
        && !sentence
            .bytes()
            .any(|b| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        && !sentence.contains("  ");
    if ascii_clean {
        return Cow::Borrowed(sentence);
    }
    let mut previous_space = false;
    let clean = sentence.chars().all(|c| {
        let ok = c == ' ' && !previous_space || !c.is_whitespace();
        previous_space = c == ' ';
        ok
    });
    if clean {
        return Cow::Borrowed(sentence);
    }
    let mut folded = String::with_capacity(sentence.len());
    for word in sentence.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    Cow::Owned(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_runs_of_whitespace_only_when_needed() {
        assert!(matches!(
            fold_whitespace("Talks resumed."),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            fold_whitespace("Talks  resumed\nin\u{a0}Seoul."),
            "Talks resumed in Seoul."
        );
        assert_eq!(fold_whitespace("Talks\tresumed."), "Talks resumed.");
        assert_eq!(fold_whitespace("首尔 会谈 恢复。"), "首尔 会谈 恢复。");
        // Every ASCII whitespace byte, the vertical tab included, folds.
        assert_eq!(fold_whitespace("a\u{b}b\r\nc\x0cd "), "a b c d");
        assert_eq!(fold_whitespace("a  b"), "a b");
    }
}
