//! Flags and notes: what an annotator marks for discussion, journaled per annotator beside
//! the annotations. They are not decisions: a flagged sentence may be labelled, ignored or
//! undecided, and a flag never counts as one.
//!
//! Journal lines (format version 4): `flag` and `unflag` name a sentence as a decision does
//! (`article`, `start`, `end`, `fp`, `text`); `note` does too and carries the note in `note`;
//! `article_note` carries an article's note in `note`, with `start` and `end` 0 and the
//! fingerprint and `text` of the empty text. An empty `note` withdraws the note. The newest
//! line per (sentence or article, annotator, flag or note) wins.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::event::{Op, fingerprint};

/// What a remark does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemarkChange {
    /// Flags the sentence for discussion.
    Flag,
    /// Withdraws the sentence's flag.
    Unflag,
    /// Sets the sentence's note; an empty one withdraws it.
    Note(String),
    /// Sets the article's note; an empty one withdraws it.
    ArticleNote(String),
}

/// What the session hands a store to flag or note: the store adds the version, the
/// fingerprint and the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remark {
    /// The article's id.
    pub article: String,
    /// Byte offset of the sentence (0 for an article note).
    pub start: usize,
    /// One past its end (0 for an article note).
    pub end: usize,
    /// The sentence's text (empty for an article note).
    pub text: String,
    /// Whose flag or note it is.
    pub annotator: String,
    /// Flag, unflag or a note.
    pub change: RemarkChange,
}

impl Remark {
    /// The journal line of this remark made at `ts` (Unix milliseconds).
    pub fn event(&self, ts: u64) -> RemarkEvent {
        let (op, note) = match &self.change {
            RemarkChange::Flag => (Op::Flag, None),
            RemarkChange::Unflag => (Op::Unflag, None),
            RemarkChange::Note(note) => (Op::Note, Some(note.clone())),
            RemarkChange::ArticleNote(note) => (Op::ArticleNote, Some(note.clone())),
        };
        let article_wide = op == Op::ArticleNote;
        let text = if article_wide { "" } else { &self.text };
        RemarkEvent {
            v: op.since_version(),
            op,
            article: self.article.clone(),
            start: if article_wide { 0 } else { self.start },
            end: if article_wide { 0 } else { self.end },
            fp: fingerprint(text),
            annotator: self.annotator.clone(),
            ts,
            text: text.to_owned(),
            note,
        }
    }
}

/// One journal line of a flag or note, in the journal's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemarkEvent {
    /// Journal format version (4: the first with flags and notes).
    pub v: u32,
    /// `flag`, `unflag`, `note` or `article_note`.
    pub op: Op,
    /// The article's id.
    pub article: String,
    /// Byte offset of the sentence in the article text (0 for an article note).
    pub start: usize,
    /// One past its end (0 for an article note).
    pub end: usize,
    /// `fingerprint()` of the sentence text when the remark was made.
    pub fp: String,
    /// Whose remark it is.
    pub annotator: String,
    /// Unix time in milliseconds.
    pub ts: u64,
    /// The sentence as it was (empty for an article note).
    pub text: String,
    /// The note, on `note` and `article_note` lines only; empty withdraws it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why a line of a remark op (or a line with a `note`) is not valid, besides its JSON shape;
/// `None` when it is.
pub(crate) fn invalid(
    op: Op,
    start: usize,
    end: usize,
    note: bool,
    labels: bool,
) -> Option<String> {
    let wants_note = matches!(op, Op::Note | Op::ArticleNote);
    match () {
        _ if wants_note && !note => Some(format!("op {op:?} needs the field note")),
        _ if note && !wants_note => Some(format!(
            "the field note is only for the ops note and article_note, not {op:?}"
        )),
        _ if op.is_remark() && labels => Some(format!("op {op:?} carries no labels")),
        _ if op == Op::ArticleNote && (start, end) != (0, 0) => Some(format!(
            "an article_note has start and end 0, not {start}..{end}"
        )),
        _ => None,
    }
}

/// One annotator's flag and note on one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceRemark {
    /// Flagged for discussion.
    pub flagged: bool,
    /// The note, never empty when present.
    pub note: Option<String>,
    /// The fingerprint of the sentence as stored with the newest line.
    pub fp: String,
    /// The sentence as stored with the newest line.
    pub text: String,
    flag_ts: u64,
    note_ts: u64,
}

/// Key of a sentence's remarks: (article, start, end, annotator).
type SentenceKey = (String, usize, usize, String);

/// The live flags and notes of a store, every annotator's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remarks {
    sentences: BTreeMap<SentenceKey, SentenceRemark>,
    /// Article notes by (article, annotator), with their time.
    articles: BTreeMap<(String, String), (String, u64)>,
}

impl Remarks {
    /// Takes a remark line in journal order: the newest per target and annotator wins.
    pub fn apply(&mut self, event: &RemarkEvent) {
        let note = event.note.clone().filter(|n| !n.is_empty());
        if event.op == Op::ArticleNote {
            let key = (event.article.clone(), event.annotator.clone());
            match note {
                Some(note) => {
                    self.articles.insert(key, (note, event.ts));
                }
                None => {
                    self.articles.remove(&key);
                }
            }
            return;
        }
        let key = (
            event.article.clone(),
            event.start,
            event.end,
            event.annotator.clone(),
        );
        let entry = self
            .sentences
            .entry(key.clone())
            .or_insert_with(|| SentenceRemark {
                flagged: false,
                note: None,
                fp: String::new(),
                text: String::new(),
                flag_ts: 0,
                note_ts: 0,
            });
        entry.fp.clone_from(&event.fp);
        entry.text.clone_from(&event.text);
        match event.op {
            Op::Flag | Op::Unflag => {
                entry.flagged = event.op == Op::Flag;
                entry.flag_ts = event.ts;
            }
            _ => {
                entry.note = note;
                entry.note_ts = event.ts;
            }
        }
        if !entry.flagged && entry.note.is_none() {
            self.sentences.remove(&key);
        }
    }

    /// One annotator's remarks on the sentence `start..end` of `article`.
    pub fn of(
        &self,
        article: &str,
        start: usize,
        end: usize,
        annotator: &str,
    ) -> Option<&SentenceRemark> {
        // The key is owned; a lookup of a few per drawn sentence is cheap enough.
        self.sentences
            .get(&(article.to_owned(), start, end, annotator.to_owned()))
    }

    /// Every annotator's remarks on the sentence `start..end` of `article`, by annotator.
    pub fn on_sentence<'s>(
        &'s self,
        article: &'s str,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (&'s str, &'s SentenceRemark)> + 's {
        let from = (article.to_owned(), start, end, String::new());
        self.sentences
            .range(from..)
            .take_while(move |((a, s, e, _), _)| a == article && *s == start && *e == end)
            .map(|((_, _, _, who), r)| (who.as_str(), r))
    }

    /// One annotator's note on an article.
    pub fn article_note(&self, article: &str, annotator: &str) -> Option<&str> {
        self.articles
            .get(&(article.to_owned(), annotator.to_owned()))
            .map(|(note, _)| note.as_str())
    }

    /// Every annotator's note on an article, by annotator.
    pub fn article_notes<'s>(
        &'s self,
        article: &'s str,
    ) -> impl Iterator<Item = (&'s str, &'s str)> + 's {
        let from = (article.to_owned(), String::new());
        self.articles
            .range(from..)
            .take_while(move |((a, _), _)| a == article)
            .map(|((_, who), (note, _))| (who.as_str(), note.as_str()))
    }

    /// Every sentence remark with its (article, start, end, annotator).
    pub fn sentences(&self) -> impl Iterator<Item = ((&str, usize, usize, &str), &SentenceRemark)> {
        self.sentences
            .iter()
            .map(|((a, s, e, who), r)| ((a.as_str(), *s, *e, who.as_str()), r))
    }

    /// Live flags, notes and article notes in the whole store.
    pub fn len(&self) -> usize {
        let sentences: usize = self
            .sentences
            .values()
            .map(|r| usize::from(r.flagged) + usize::from(r.note.is_some()))
            .sum();
        sentences + self.articles.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty() && self.articles.is_empty()
    }

    /// The remarks of several journals (a store folder's) as one: per target and annotator,
    /// the newest line of any of them wins.
    pub fn merged<'a>(journals: impl IntoIterator<Item = &'a Remarks>) -> Remarks {
        let mut lines: Vec<RemarkEvent> = journals.into_iter().flat_map(Remarks::events).collect();
        lines.sort_by(|a, b| (a.ts, &a.annotator).cmp(&(b.ts, &b.annotator)));
        let mut merged = Remarks::default();
        for line in &lines {
            merged.apply(line);
        }
        merged
    }

    /// One journal line per live flag, note and article note, for compaction. Withdrawals
    /// are not kept: each annotator's remarks are in their own journal only, so there is
    /// nothing in another journal for them to withdraw.
    pub(crate) fn events(&self) -> Vec<RemarkEvent> {
        let mut events = Vec::new();
        for ((article, start, end, annotator), r) in &self.sentences {
            let line = |op: Op, ts: u64, note: Option<String>| RemarkEvent {
                v: op.since_version(),
                op,
                article: article.clone(),
                start: *start,
                end: *end,
                fp: r.fp.clone(),
                annotator: annotator.clone(),
                ts,
                text: r.text.clone(),
                note,
            };
            if r.flagged {
                events.push(line(Op::Flag, r.flag_ts, None));
            }
            if let Some(note) = &r.note {
                events.push(line(Op::Note, r.note_ts, Some(note.clone())));
            }
        }
        for ((article, annotator), (note, ts)) in &self.articles {
            events.push(RemarkEvent {
                v: Op::ArticleNote.since_version(),
                op: Op::ArticleNote,
                article: article.clone(),
                start: 0,
                end: 0,
                fp: fingerprint(""),
                annotator: annotator.clone(),
                ts: *ts,
                text: String::new(),
                note: Some(note.clone()),
            });
        }
        events.sort_by_key(|e| e.ts);
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remark(change: RemarkChange, who: &str, ts: u64) -> RemarkEvent {
        Remark {
            article: "a".into(),
            start: 0,
            end: 14,
            text: "Talks went on.".into(),
            annotator: who.into(),
            change,
        }
        .event(ts)
    }

    #[test]
    fn flag_and_note_are_apart_per_annotator_and_the_newest_line_wins() {
        let mut remarks = Remarks::default();
        remarks.apply(&remark(RemarkChange::Flag, "ana", 1));
        remarks.apply(&remark(RemarkChange::Note("why?".into()), "ana", 2));
        remarks.apply(&remark(RemarkChange::Flag, "bo", 3));
        remarks.apply(&remark(RemarkChange::Unflag, "ana", 4));
        let ana = remarks.of("a", 0, 14, "ana").expect("ana's note is live");
        assert_eq!((ana.flagged, ana.note.as_deref()), (false, Some("why?")));
        assert!(remarks.of("a", 0, 14, "bo").unwrap().flagged);
        let who: Vec<&str> = remarks.on_sentence("a", 0, 14).map(|(w, _)| w).collect();
        assert_eq!(who, ["ana", "bo"]);
        remarks.apply(&remark(RemarkChange::Note(String::new()), "ana", 5));
        assert_eq!(
            remarks.of("a", 0, 14, "ana"),
            None,
            "an empty note withdraws"
        );
        assert_eq!(remarks.len(), 1);
    }

    #[test]
    fn article_notes_have_no_span_and_an_empty_one_withdraws() {
        let mut remarks = Remarks::default();
        let note = remark(RemarkChange::ArticleNote("off topic".into()), "ana", 1);
        assert_eq!(
            (note.v, note.start, note.end, note.text.as_str()),
            (4, 0, 0, "")
        );
        remarks.apply(&note);
        assert_eq!(remarks.article_note("a", "ana"), Some("off topic"));
        assert_eq!(remarks.article_note("a", "bo"), None);
        remarks.apply(&remark(RemarkChange::ArticleNote(String::new()), "ana", 2));
        assert!(remarks.is_empty());
    }

    #[test]
    fn compaction_lines_replay_to_the_same_remarks_and_merge_keeps_the_newest() {
        let mut one = Remarks::default();
        one.apply(&remark(RemarkChange::Flag, "ana", 1));
        one.apply(&remark(RemarkChange::Note("check".into()), "ana", 2));
        one.apply(&remark(RemarkChange::ArticleNote("later".into()), "ana", 3));
        let mut again = Remarks::default();
        for line in one.events() {
            again.apply(&line);
        }
        assert_eq!(again, one);
        let mut other = Remarks::default();
        other.apply(&remark(RemarkChange::Flag, "bo", 5));
        let merged = Remarks::merged([&one, &other]);
        assert_eq!(merged.len(), 4);
        assert!(merged.of("a", 0, 14, "bo").unwrap().flagged);
    }

    #[test]
    fn remark_lines_are_checked() {
        assert_eq!(invalid(Op::Flag, 0, 9, false, false), None);
        assert!(invalid(Op::Note, 0, 9, false, false).is_some());
        assert!(invalid(Op::Set, 0, 9, true, false).is_some());
        assert!(invalid(Op::Flag, 0, 9, false, true).is_some());
        assert!(invalid(Op::ArticleNote, 0, 9, true, false).is_some());
        assert_eq!(invalid(Op::ArticleNote, 0, 0, true, false), None);
    }
}
