//! Boundary overrides: the splits and merges analysts made to the segmenter's sentences, per
//! article, journaled beside the annotations and shared by every annotator of the store.
//!
//! A journal line of a boundary op (`split`, `merge`, `restore`; format version 3) names the
//! article, the text it was made on (`start..end`, its fingerprint `fp` and the text itself)
//! and the boundary's byte offset `at`. The last line per (article, `at`) wins, whoever wrote
//! it: a `restore` withdraws the override there. Who made the live override is kept.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::event::{Op, fingerprint};

/// What an override does at its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryKind {
    /// A sentence boundary where the segmenter found none.
    Split,
    /// No sentence boundary where the segmenter found one.
    Merge,
}

impl BoundaryKind {
    /// The journal op that records this override.
    pub fn op(self) -> Op {
        match self {
            BoundaryKind::Split => Op::Split,
            BoundaryKind::Merge => Op::Merge,
        }
    }
}

/// One journal line of a boundary op, in the journal's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundaryEvent {
    /// Journal format version (3: the first with boundary ops).
    pub v: u32,
    /// `split`, `merge` or `restore`.
    pub op: Op,
    /// The article's id.
    pub article: String,
    /// Byte offset in the article text of the text the override was made on.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// `fingerprint()` of `text[start..end]`: an override whose text changed is ignored.
    pub fp: String,
    /// Byte offset of the boundary: where a split cuts, where a merge's second sentence began.
    pub at: usize,
    /// Who made it.
    pub annotator: String,
    /// Unix time in milliseconds.
    pub ts: u64,
    /// The text it was made on, so a stale override can still be shown.
    pub text: String,
}

/// What the session hands a store to change a boundary: the store adds the version, the
/// fingerprint and the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundaryChange {
    /// The article's id.
    pub article: String,
    /// The override made, or `None` to withdraw the one at `at`.
    pub kind: Option<BoundaryKind>,
    /// Byte offset of the text the override is made on.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// Byte offset of the boundary.
    pub at: usize,
    /// The article's text at `start..end`.
    pub text: String,
    /// Who made it.
    pub annotator: String,
}

impl BoundaryChange {
    /// The journal line for this change made at `ts` (Unix milliseconds).
    pub fn event(&self, ts: u64) -> BoundaryEvent {
        let op = self.kind.map_or(Op::Restore, BoundaryKind::op);
        BoundaryEvent {
            v: op.since_version(),
            op,
            article: self.article.clone(),
            start: self.start,
            end: self.end,
            fp: fingerprint(&self.text),
            at: self.at,
            annotator: self.annotator.clone(),
            ts,
            text: self.text.clone(),
        }
    }
}

/// Why a boundary line is not valid, besides its JSON shape; `None` when it is.
pub(crate) fn invalid(op: Op, start: usize, end: usize, at: Option<usize>) -> Option<String> {
    match (op.is_boundary(), at) {
        (true, None) => Some(format!("op {op:?} needs the field at")),
        (false, Some(_)) => Some(format!("the field at is only for boundary ops, not {op:?}")),
        (true, Some(at)) if !(start < at && at < end) => {
            Some(format!("at {at} is not inside {start}..{end}"))
        }
        _ => None,
    }
}

/// A live override, as the segmenter's sentences are corrected with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Split or merge.
    pub kind: BoundaryKind,
    /// Byte offset of the boundary.
    pub at: usize,
    /// The text it was made on: `start..end` of the article.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// The fingerprint of that text as stored.
    pub fp: String,
    /// That text as stored.
    pub text: String,
    /// Who made it.
    pub annotator: String,
    /// When, in Unix milliseconds.
    pub ts: u64,
}

/// The live overrides of a store, by article id and then by offset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    by_article: BTreeMap<String, BTreeMap<usize, Override>>,
    /// The newest `restore` line per (article, `at`) that left nothing live: in a store
    /// folder, it withdraws an override that another annotator's journal holds.
    withdrawn: BTreeMap<(String, usize), BoundaryEvent>,
}

impl Overrides {
    /// Takes a boundary line in journal order: the newest per (article, `at`) wins.
    pub fn apply(&mut self, event: &BoundaryEvent) {
        let kind = match event.op {
            Op::Split => BoundaryKind::Split,
            Op::Merge => BoundaryKind::Merge,
            _ => {
                if let Some(article) = self.by_article.get_mut(&event.article) {
                    article.remove(&event.at);
                    if article.is_empty() {
                        self.by_article.remove(&event.article);
                    }
                }
                self.withdrawn
                    .insert((event.article.clone(), event.at), event.clone());
                return;
            }
        };
        self.withdrawn.remove(&(event.article.clone(), event.at));
        let live = Override {
            kind,
            at: event.at,
            start: event.start,
            end: event.end,
            fp: event.fp.clone(),
            text: event.text.clone(),
            annotator: event.annotator.clone(),
            ts: event.ts,
        };
        self.by_article
            .entry(event.article.clone())
            .or_default()
            .insert(event.at, live);
    }

    /// The live overrides of one article, by offset.
    pub fn of(&self, article: &str) -> impl Iterator<Item = &Override> {
        self.by_article
            .get(article)
            .into_iter()
            .flat_map(|a| a.values())
    }

    /// Every live override with its article id, by article id and offset.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Override)> {
        self.by_article
            .iter()
            .flat_map(|(id, a)| a.values().map(move |o| (id.as_str(), o)))
    }

    /// Live overrides in the whole store.
    pub fn len(&self) -> usize {
        self.by_article.values().map(BTreeMap::len).sum()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_article.is_empty()
    }

    /// The overrides of several journals (a store folder's) as one: per (article, `at`),
    /// the newest line of any of them wins, a `restore` too.
    pub fn merged<'a>(journals: impl IntoIterator<Item = &'a Overrides>) -> Overrides {
        let mut lines: Vec<BoundaryEvent> =
            journals.into_iter().flat_map(Overrides::events).collect();
        lines.sort_by(|a, b| (a.ts, &a.annotator).cmp(&(b.ts, &b.annotator)));
        let mut merged = Overrides::default();
        for line in &lines {
            merged.apply(line);
        }
        merged
    }

    /// One journal line per live override and per withdrawal, for compaction: a
    /// withdrawal is kept, since in a store folder it may withdraw another journal's line.
    pub(crate) fn events(&self) -> Vec<BoundaryEvent> {
        self.iter()
            .map(|(article, o)| BoundaryEvent {
                v: o.kind.op().since_version(),
                op: o.kind.op(),
                article: article.to_owned(),
                start: o.start,
                end: o.end,
                fp: o.fp.clone(),
                at: o.at,
                annotator: o.annotator.clone(),
                ts: o.ts,
                text: o.text.clone(),
            })
            .chain(self.withdrawn.values().cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: Option<BoundaryKind>, at: usize, who: &str) -> BoundaryEvent {
        BoundaryChange {
            article: "a".into(),
            kind,
            start: 0,
            end: 20,
            at,
            text: "Talks went on. Then".into(),
            annotator: who.into(),
        }
        .event(1)
    }

    #[test]
    fn the_newest_line_per_offset_wins_whoever_wrote_it_and_restore_withdraws() {
        let mut overrides = Overrides::default();
        overrides.apply(&change(Some(BoundaryKind::Split), 6, "ana"));
        overrides.apply(&change(Some(BoundaryKind::Split), 11, "ana"));
        overrides.apply(&change(Some(BoundaryKind::Merge), 6, "bo"));
        let live: Vec<_> = overrides
            .of("a")
            .map(|o| (o.at, o.kind, o.annotator.as_str()))
            .collect();
        assert_eq!(
            live,
            [
                (6, BoundaryKind::Merge, "bo"),
                (11, BoundaryKind::Split, "ana")
            ]
        );
        overrides.apply(&change(None, 6, "ana"));
        overrides.apply(&change(None, 11, "ana"));
        assert!(overrides.is_empty());
        assert_eq!(overrides.of("a").count(), 0);
    }

    #[test]
    fn boundary_lines_are_version_3_and_need_an_offset_inside_their_text() {
        let event = change(Some(BoundaryKind::Split), 6, "ana");
        assert_eq!((event.v, event.op, event.fp.len()), (3, Op::Split, 16));
        assert_eq!(invalid(Op::Split, 0, 20, Some(6)), None);
        assert!(invalid(Op::Split, 0, 20, None).is_some());
        assert!(invalid(Op::Merge, 0, 20, Some(20)).is_some());
        assert!(invalid(Op::Set, 0, 20, Some(6)).is_some());
        assert_eq!(invalid(Op::Set, 0, 20, None), None);
    }
}
