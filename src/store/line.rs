//! One journal line as parsed, its strings borrowed from the read buffer.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::canonical;
use super::event::{Op, Origin};

/// One journal line with its strings borrowed from the buffer.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Line<'a> {
    pub(crate) v: u32,
    pub(crate) op: Op,
    #[serde(borrow)]
    pub(crate) article: Str<'a>,
    pub(crate) start: usize,
    pub(crate) end: usize,
    #[serde(borrow)]
    pub(crate) fp: Str<'a>,
    #[serde(default, borrow)]
    pub(crate) labels: Labels<'a>,
    #[serde(borrow)]
    pub(crate) annotator: Str<'a>,
    pub(crate) ts: u64,
    #[serde(default)]
    pub(crate) origin: Origin,
    #[serde(default, borrow)]
    pub(crate) text: Str<'a>,
    /// The boundary's offset, on boundary lines only (format version 3).
    #[serde(default)]
    pub(crate) at: Option<usize>,
    /// The note, on `note` and `article_note` lines only (format version 4).
    #[serde(default, borrow)]
    pub(crate) note: Option<Str<'a>>,
    /// The scores of an accepted suggestion (format version 4).
    #[serde(default)]
    pub(crate) scores: Option<super::Scores>,
}

impl Line<'_> {
    /// The boundary line this is, once [`super::overrides::invalid`] found it valid.
    pub(crate) fn boundary(&self) -> Option<super::overrides::BoundaryEvent> {
        // Looked at first: every decision line asks, and none of them should copy strings.
        let at = self.at?;
        Some(super::overrides::BoundaryEvent {
            v: self.v,
            op: self.op,
            article: self.article.get().into_owned(),
            start: self.start,
            end: self.end,
            fp: self.fp.get().into_owned(),
            at,
            annotator: self.annotator.get().into_owned(),
            ts: self.ts,
            text: self.text.get().into_owned(),
        })
    }
}

impl Line<'_> {
    /// The flag or note line this is, once [`super::remarks::invalid`] found it valid.
    pub(crate) fn remark(&self) -> Option<super::remarks::RemarkEvent> {
        self.op.is_remark().then(|| super::remarks::RemarkEvent {
            v: self.v,
            op: self.op,
            article: self.article.get().into_owned(),
            start: self.start,
            end: self.end,
            fp: self.fp.get().into_owned(),
            annotator: self.annotator.get().into_owned(),
            ts: self.ts,
            text: self.text.get().into_owned(),
            note: self.note.as_ref().map(|n| n.get().into_owned()),
        })
    }
}

impl Line<'_> {
    /// An owned copy, for an event read while following another process's journal.
    pub(crate) fn into_event(self) -> super::event::Event {
        super::event::Event {
            v: self.v,
            op: self.op,
            article: self.article.get().into_owned(),
            start: self.start,
            end: self.end,
            fp: self.fp.get().into_owned(),
            labels: self.labels.iter().map(Cow::into_owned).collect(),
            annotator: self.annotator.get().into_owned(),
            ts: self.ts,
            origin: self.origin,
            text: self.text.get().into_owned(),
            scores: self.scores,
        }
    }
}

/// A JSON string as read: borrowed when it has no escapes. With escapes, serde_json
/// gives it decoded, while the fast reader checks the escapes and leaves them, so that a
/// line a newer one supersedes is never copied.
#[derive(Debug)]
pub(crate) enum Str<'a> {
    Text(Cow<'a, str>),
    /// The checked text between the quotes, escapes and all.
    Escaped(&'a str),
}

impl<'a> Str<'a> {
    /// The string itself, decoded if need be.
    pub(crate) fn get(&self) -> Cow<'_, str> {
        match self {
            Str::Text(text) => Cow::Borrowed(text),
            Str::Escaped(raw) => Cow::Owned(canonical::unescape(raw)),
        }
    }

    pub(crate) fn into_cow(self) -> Cow<'a, str> {
        match self {
            Str::Text(text) => text,
            Str::Escaped(raw) => Cow::Owned(canonical::unescape(raw)),
        }
    }

    pub(crate) fn into_boxed_str(self) -> Box<str> {
        match self {
            Str::Text(Cow::Borrowed(text)) => text.into(),
            Str::Text(Cow::Owned(text)) => text.into_boxed_str(),
            Str::Escaped(raw) => canonical::unescape(raw).into_boxed_str(),
        }
    }
}

impl Default for Str<'_> {
    fn default() -> Self {
        Str::Text(Cow::Borrowed(""))
    }
}

/// Equal when the decoded strings are, however each was read.
impl PartialEq for Str<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str::Text(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// The label names of a line: a list from serde_json, or the array exactly as the fast
/// reader found and checked it, so no list is built for a superseded line.
#[derive(Debug)]
pub(crate) enum Labels<'a> {
    List(Vec<Str<'a>>),
    /// The checked JSON array, `[` to `]`.
    Array(&'a str),
}

impl Labels<'_> {
    /// The names, decoded if need be.
    pub(crate) fn iter(&self) -> LabelIter<'_> {
        match self {
            Labels::List(list) => LabelIter::List(list.iter()),
            Labels::Array(raw) => LabelIter::Array(canonical::array_items(raw)),
        }
    }
}

/// The names of [`Labels`], one at a time.
#[derive(Clone)]
pub(crate) enum LabelIter<'s> {
    List(std::slice::Iter<'s, Str<'s>>),
    Array(canonical::Items<'s>),
}

impl<'s> Iterator for LabelIter<'s> {
    type Item = Cow<'s, str>;

    fn next(&mut self) -> Option<Cow<'s, str>> {
        match self {
            LabelIter::List(list) => list.next().map(Str::get),
            LabelIter::Array(items) => items.next().map(Str::into_cow),
        }
    }
}

impl Default for Labels<'_> {
    fn default() -> Self {
        Labels::List(Vec::new())
    }
}

/// Equal when the decoded names are, however each list was read.
impl PartialEq for Labels<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Labels<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::deserialize(deserializer).map(Labels::List)
    }
}
