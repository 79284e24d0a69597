//! One journal line as parsed, its strings borrowed from the read buffer.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::event::{Op, Origin};

/// One journal line with its strings borrowed from the buffer where it has no escapes.
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
    pub(crate) labels: Vec<Str<'a>>,
    #[serde(borrow)]
    pub(crate) annotator: Str<'a>,
    pub(crate) ts: u64,
    #[serde(default)]
    pub(crate) origin: Origin,
    #[serde(default, borrow)]
    pub(crate) text: Str<'a>,
}

#[cfg(test)]
impl Line<'_> {
    pub(crate) fn into_event(self) -> super::event::Event {
        super::event::Event {
            v: self.v,
            op: self.op,
            article: self.article.0.into_owned(),
            start: self.start,
            end: self.end,
            fp: self.fp.0.into_owned(),
            labels: self.labels.into_iter().map(|l| l.0.into_owned()).collect(),
            annotator: self.annotator.0.into_owned(),
            ts: self.ts,
            origin: self.origin,
            text: self.text.0.into_owned(),
        }
    }
}

/// A JSON string, borrowed unless it had escapes (serde's own `Cow` always copies).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Str<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}
