//! A live annotation as the store hands it out: borrowed from the store's compact
//! in-memory form (or from an [`Event`]), two words long, copied freely.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use super::event::{Event, Op, Origin};
use super::state::{Annotations, Stored};

/// One annotator's current annotation of a sentence. Read its fields through the
/// methods; [`Annotation::to_event`] makes an owned copy.
#[derive(Clone, Copy)]
pub struct Annotation<'a>(Source<'a>);

#[derive(Clone, Copy)]
enum Source<'a> {
    Store(&'a Annotations, &'a Stored),
    Event(&'a Event),
}

impl<'a> Annotation<'a> {
    pub(crate) fn stored(set: &'a Annotations, stored: &'a Stored) -> Annotation<'a> {
        Annotation(Source::Store(set, stored))
    }

    /// `Set` or `Ignore` for every annotation in a store; a view of a `Clear` event says
    /// `Clear`.
    pub fn op(&self) -> Op {
        match self.0 {
            Source::Store(_, s) => s.op(),
            Source::Event(e) => e.op,
        }
    }

    /// The article's id.
    pub fn article(&self) -> &'a str {
        match self.0 {
            Source::Store(set, s) => set.article(s),
            Source::Event(e) => &e.article,
        }
    }

    /// Byte offset of the sentence in the article text.
    pub fn start(&self) -> usize {
        match self.0 {
            Source::Store(_, s) => s.start(),
            Source::Event(e) => e.start,
        }
    }

    /// Byte offset one past the sentence's end.
    pub fn end(&self) -> usize {
        match self.0 {
            Source::Store(_, s) => s.end(),
            Source::Event(e) => e.end,
        }
    }

    /// The stored fingerprint of the sentence text, exactly as the journal has it.
    pub fn fp(&self) -> Cow<'a, str> {
        match self.0 {
            Source::Store(set, s) => set.fp(s),
            Source::Event(e) => Cow::Borrowed(&e.fp),
        }
    }

    /// The stored fingerprint as a number; `None` when it is not 16 lowercase hex digits
    /// (such an annotation matches no text).
    pub fn fingerprint(&self) -> Option<u64> {
        match self.0 {
            Source::Store(set, s) => set.fingerprint(s),
            Source::Event(e) => crate::hash::parse_fingerprint(&e.fp),
        }
    }

    /// Label names as given; empty means "no stance".
    pub fn labels(&self) -> &'a [String] {
        match self.0 {
            Source::Store(set, s) => set.labels(s),
            Source::Event(e) => &e.labels,
        }
    }

    /// Who decided.
    pub fn annotator(&self) -> &'a str {
        match self.0 {
            Source::Store(set, s) => set.annotator(s),
            Source::Event(e) => &e.annotator,
        }
    }

    /// Unix time in milliseconds.
    pub fn ts(&self) -> u64 {
        match self.0 {
            Source::Store(_, s) => s.ts(),
            Source::Event(e) => e.ts,
        }
    }

    /// Typed or accepted suggestion.
    pub fn origin(&self) -> Origin {
        match self.0 {
            Source::Store(_, s) => s.origin(),
            Source::Event(e) => e.origin,
        }
    }

    /// The sentence as it was when annotated (empty if the journal line had none).
    pub fn text(&self) -> &'a str {
        match self.0 {
            Source::Store(_, s) => s.text(),
            Source::Event(e) => &e.text,
        }
    }

    /// The lowest journal format version that can carry this annotation.
    fn version(&self) -> u32 {
        let scored = if self.scores().is_some() { 4 } else { 1 };
        self.origin()
            .since_version()
            .max(self.op().since_version())
            .max(scored)
    }

    /// The model's scores, when this is an accepted suggestion journaled with them.
    pub fn scores(&self) -> Option<&'a super::Scores> {
        match self.0 {
            Source::Store(_, s) => s.scores(),
            Source::Event(e) => e.scores.as_ref(),
        }
    }

    /// Ignored: not a sentence to train on (then [`Annotation::labels`] is empty).
    pub fn is_ignored(&self) -> bool {
        self.op() == Op::Ignore
    }

    /// The annotation as an owned journal event.
    pub fn to_event(&self) -> Event {
        match self.0 {
            Source::Store(..) => Event {
                v: self.version(),
                op: self.op(),
                article: self.article().to_owned(),
                start: self.start(),
                end: self.end(),
                fp: self.fp().into_owned(),
                labels: self.labels().to_vec(),
                annotator: self.annotator().to_owned(),
                ts: self.ts(),
                origin: self.origin(),
                text: self.text().to_owned(),
                scores: self.scores().cloned(),
            },
            Source::Event(e) => e.clone(),
        }
    }

    /// The journal line's fields, borrowed, in the journal's order.
    pub(crate) fn line(&self) -> Wire<'a> {
        Wire {
            v: self.version(),
            op: self.op(),
            article: self.article(),
            start: self.start(),
            end: self.end(),
            fp: self.fp(),
            labels: self.labels(),
            annotator: self.annotator(),
            ts: self.ts(),
            origin: self.origin(),
            text: self.text(),
            scores: self.scores(),
        }
    }
}

/// Serializes exactly as [`Event`] does: same fields, same order.
#[derive(Debug, PartialEq, Serialize)]
pub(crate) struct Wire<'a> {
    v: u32,
    op: Op,
    article: &'a str,
    start: usize,
    end: usize,
    fp: Cow<'a, str>,
    labels: &'a [String],
    annotator: &'a str,
    ts: u64,
    origin: Origin,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<&'a super::Scores>,
}

impl<'a> From<&'a Event> for Annotation<'a> {
    fn from(event: &'a Event) -> Annotation<'a> {
        Annotation(Source::Event(event))
    }
}

impl fmt::Debug for Annotation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.line().fmt(f)
    }
}

/// Equal when every field is, wherever each side is borrowed from.
impl PartialEq for Annotation<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.line() == other.line()
    }
}

impl Eq for Annotation<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_is_two_words() {
        assert_eq!(
            std::mem::size_of::<Annotation<'_>>(),
            2 * std::mem::size_of::<usize>()
        );
    }
}
