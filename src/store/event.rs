//! The journal event: one self-describing line of the label store.

use serde::{Deserialize, Serialize};

use crate::hash;

/// What an event does to a sentence's annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The annotator gave this label set; an empty set means "reviewed, no stance".
    Set,
    /// The annotator withdrew the annotation: the sentence is not annotated again.
    Clear,
    /// A boundary override: the sentence `start..end` is two, cut at `at` (format version 3).
    Split,
    /// A boundary override: the two sentences in `start..end`, the second starting at `at`,
    /// are one (format version 3).
    Merge,
    /// Withdraws the boundary override at `at` (an undone split or merge): the segmenter
    /// decides there again (format version 3).
    Restore,
    /// Not a sentence to train on (a sign-off, a broken fragment): decided, but neither a
    /// label set nor a negative; carries no labels (format version 3).
    Ignore,
    /// Flags the sentence for discussion: not a decision (format version 4).
    Flag,
    /// Withdraws the annotator's flag on the sentence (format version 4).
    Unflag,
    /// The annotator's note on the sentence, in `note`; empty withdraws it (format version 4).
    Note,
    /// The annotator's note on the article, in `note`, with `start` and `end` 0; empty
    /// withdraws it (format version 4).
    ArticleNote,
}

impl Op {
    /// Whether the op changes sentence boundaries rather than an annotation.
    pub fn is_boundary(self) -> bool {
        matches!(self, Op::Split | Op::Merge | Op::Restore)
    }

    /// Whether the op is a flag or a note rather than an annotation.
    pub fn is_remark(self) -> bool {
        matches!(self, Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote)
    }

    /// The first journal format version that has this op.
    pub fn since_version(self) -> u32 {
        match self {
            Op::Set | Op::Clear => 1,
            Op::Split | Op::Merge | Op::Restore | Op::Ignore => 3,
            Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => 4,
        }
    }
}

/// How the labels of an event were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Typed by the annotator.
    #[default]
    Typed,
    /// A model's suggestion, accepted by the annotator.
    Suggestion,
    /// Brought in from another tool's export (format version 2).
    Imported,
    /// A lead's final answer where annotators disagree (format version 2).
    Adjudicated,
}

impl Origin {
    /// The first journal format version that has this origin.
    pub fn since_version(self) -> u32 {
        match self {
            Origin::Typed | Origin::Suggestion => 1,
            Origin::Imported | Origin::Adjudicated => 2,
        }
    }
}

/// One line of the journal. The last event per sentence and annotator wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Journal format version.
    pub v: u32,
    /// Set, clear or ignore.
    pub op: Op,
    /// The article's id.
    pub article: String,
    /// Byte offset of the sentence in the article text.
    pub start: usize,
    /// Byte offset one past the sentence's end.
    pub end: usize,
    /// `fingerprint()` of the sentence text, to detect text that changed under the label.
    pub fp: String,
    /// Label names; empty with `Set` means "no stance".
    #[serde(default)]
    pub labels: Vec<String>,
    /// Who decided.
    pub annotator: String,
    /// Unix time in milliseconds.
    pub ts: u64,
    /// Typed or accepted suggestion.
    #[serde(default)]
    pub origin: Origin,
    /// The sentence as it was, so an orphaned annotation can still be shown.
    #[serde(default)]
    pub text: String,
    /// The model's scores shown when the analyst accepted its suggestion (format version
    /// 4); only with origin `suggestion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<super::Scores>,
}

impl Event {
    /// A typed `Set` of `labels` by `annotator` for the sentence `text`, found at byte
    /// `start` of the article: `end` and the fingerprint follow from the text.
    pub fn set<L: Into<String>>(
        article: &str,
        start: usize,
        text: &str,
        labels: impl IntoIterator<Item = L>,
        annotator: &str,
        ts: u64,
    ) -> Event {
        Event {
            v: JOURNAL_VERSION,
            op: Op::Set,
            article: article.to_owned(),
            start,
            end: start + text.len(),
            fp: fingerprint(text),
            labels: labels.into_iter().map(Into::into).collect(),
            annotator: annotator.to_owned(),
            ts,
            origin: Origin::Typed,
            text: text.to_owned(),
            scores: None,
        }
    }

    /// The lowest format version that can carry this event: lines are written with it, so a
    /// journal that uses nothing newer stays readable by an older stance.
    pub fn version_needed(&self) -> u32 {
        let scored = if self.scores.is_some() { 4 } else { 1 };
        self.origin
            .since_version()
            .max(self.op.since_version())
            .max(scored)
    }
}

/// The format version of a line that uses only the first version's fields: every typed or
/// accepted-suggestion decision, so most lines of most journals.
pub const JOURNAL_VERSION: u32 = 1;

/// The newest journal format version this stance reads and writes.
///
/// How the format grows: every line says in `v` the lowest version that can read it. A
/// version adds only optional fields or new values (origins, ops) and never changes what an
/// older field means, so every older journal reads as it did. Unknown fields stay an error in
/// every version (a misspelt field is never read as "no labels"), which is what makes an
/// older stance refuse a newer line, with a "newer stance" message, instead of misreading
/// it. Version 2 adds the origins `imported` and `adjudicated`. Version 3 adds the boundary
/// ops `split`, `merge` and `restore`, whose lines carry the boundary's offset in `at`, and
/// the op `ignore` (a sentence decided as not one to train on; its `labels` is empty).
/// Version 4 adds flags and notes: the ops `flag`, `unflag`, `note` and `article_note`, the
/// last two carrying the note in `note` (see `store::remarks`), and `scores` (label name to
/// score, 4 decimals) on a decision whose origin is `suggestion`: the model's scores the
/// analyst saw when accepting them.
pub const NEWEST_JOURNAL_VERSION: u32 = 4;

/// A stable 64-bit FNV-1a hash of the sentence text, as 16 lowercase hex digits: the
/// journal's `fp` field ([`crate::hash::fingerprint_u64`] holds it as a number).
pub fn fingerprint(text: &str) -> String {
    hash::format_fingerprint(hash::fingerprint_u64(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_fnv1a_in_lowercase_hex() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("foobar"), "85944171f73967e8");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
        assert_ne!(fingerprint("Talks resumed."), fingerprint("Talks resumed!"));
    }
}
