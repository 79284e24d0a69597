//! The review list: every annotator's annotations in the store, in corpus order, and the rows
//! that pass the filter.
//!
//! Built once when the session opens. Afterwards only the session annotator's entries change,
//! through the same path as every other decision. The rows are recomputed only when the filter
//! changes, so an edited row never vanishes under the reviewer's cursor: it stays, counted as
//! "edited out" until the next filter.

mod change;
mod rows;

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::search::TextQuery;
use super::state::{Counts, Labels, in_schema_order};
use crate::corpus::{Article, Span};
use crate::schema::Schema;
use crate::store::{Annotation, Op};

/// The article index of an entry whose article is no longer in the corpus.
pub const GONE: usize = usize::MAX;

/// One annotator's annotation of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Index of the article in the corpus, or [`GONE`] (then `orphan` names the article).
    pub article: usize,
    /// Byte offset of the sentence in the article text.
    pub start: usize,
    /// Byte offset one past the sentence's end.
    pub end: usize,
    /// Index into [`ReviewList::annotators`].
    pub annotator: u32,
    /// The labels (empty: no stance); `None` once withdrawn in this session.
    pub labels: Option<Labels>,
    /// Set when the sentence no longer matches the corpus.
    pub orphan: Option<Box<Orphan>>,
    /// The stored fingerprint, checked against the text when the article is segmented.
    fp: u64,
}

/// What is kept of an annotation whose sentence no longer matches the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The article id as stored (the only trace of an article that is gone).
    pub article: String,
    /// The sentence as it was stored.
    pub text: String,
    /// The stored fingerprint, written back unchanged when the annotation is restored.
    pub fp: String,
    /// Why it no longer matches.
    pub reason: OrphanReason,
}

/// Why an annotation is orphaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrphanReason {
    /// No article has its id any more.
    ArticleGone,
    /// The text at its offsets is not the text that was labeled.
    TextChanged,
    /// The text is the same but the segmenter no longer makes it a sentence.
    NotASentence,
}

/// Which labels a row must have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LabelFilter {
    /// Any decision.
    #[default]
    Any,
    /// This label (index in the schema) among others.
    Label(usize),
    /// "Reviewed, no stance".
    NoStance,
}

/// The filters in force; all of them must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// By label.
    pub label: LabelFilter,
    /// By annotator (index into [`ReviewList::annotators`]).
    pub annotator: Option<u32>,
    /// Text the sentence contains (smart case, as search).
    pub text: String,
    /// Orphaned annotations only.
    pub orphaned: bool,
}

impl Filter {
    /// True when nothing is filtered out.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// Every annotation in the store, the filtered rows, and the reviewer's place in them.
#[derive(Debug, Clone, Default)]
pub struct ReviewList {
    entries: Vec<Entry>,
    /// Every entry id, sorted by (article, start, end, annotator).
    order: Vec<u32>,
    /// The ids that passed the filter when it was set, plus the session's new entries.
    rows: Vec<u32>,
    filter: Filter,
    query: Option<TextQuery>,
    edited_out: usize,
    selected: usize,
    scroll: usize,
    annotators: Vec<String>,
    me: u32,
    counts: Vec<Counts>,
    orphans: usize,
}

impl ReviewList {
    /// Indexes `events` (the store's current annotations, every annotator's) against the
    /// corpus; `me` is the session's annotator. Only orphans keep their stored text.
    ///
    /// An annotation whose stored text is the article's text at its offsets is taken as it
    /// is; its fingerprint and whether it is still a sentence are checked when the article
    /// is segmented ([`ReviewList::check_spans`]), so opening costs no hashing of the text.
    pub(super) fn build<'e>(
        articles: &[Article],
        by_id: &FxHashMap<&str, usize>,
        schema: &Schema,
        me: &str,
        events: impl IntoIterator<Item = Annotation<'e>>,
    ) -> ReviewList {
        let mut annotators: Vec<String> = vec![me.to_owned()];
        let mut annotator_of: FxHashMap<String, u32> = FxHashMap::default();
        annotator_of.insert(me.to_owned(), 0);
        let mut entries = Vec::new();
        for (seq, event) in events.into_iter().enumerate() {
            if event.op() != Op::Set {
                continue;
            }
            let annotator = match annotator_of.get(event.annotator()) {
                Some(&i) => i,
                None => {
                    let i = annotators.len() as u32;
                    annotators.push(event.annotator().to_owned());
                    annotator_of.insert(event.annotator().to_owned(), i);
                    i
                }
            };
            let found = by_id.get(event.article()).copied();
            let text = found.and_then(|i| articles[i].text.get(event.start()..event.end()));
            let live = text.is_some_and(|text| {
                if event.text().is_empty() {
                    has_fingerprint(text, event.fp())
                } else {
                    event.text() == text
                }
            });
            let orphan = (!live).then(|| {
                Box::new(Orphan {
                    reason: match found {
                        Some(_) => OrphanReason::TextChanged,
                        None => OrphanReason::ArticleGone,
                    },
                    article: event.article().to_owned(),
                    text: event.text().to_owned(),
                    fp: event.fp().to_owned(),
                })
            });
            let entry = Entry {
                article: found.unwrap_or(GONE),
                start: event.start(),
                end: event.end(),
                annotator,
                labels: Some(in_schema_order(schema, event.labels().to_vec())),
                orphan,
                fp: parse_fingerprint(event.fp()).unwrap_or(0),
            };
            entries.push((entry, seq));
        }
        // Annotator indices in name order, so rows of one sentence list them by name.
        let mut by_name: Vec<u32> = (0..annotators.len() as u32).collect();
        by_name.sort_by(|&a, &b| annotators[a as usize].cmp(&annotators[b as usize]));
        let mut rank = vec![0u32; annotators.len()];
        for (new, &old) in by_name.iter().enumerate() {
            rank[old as usize] = new as u32;
        }
        for (entry, _) in &mut entries {
            entry.annotator = rank[entry.annotator as usize];
        }
        let me_index = rank[0];
        let annotators: Vec<String> = by_name
            .iter()
            .map(|&i| std::mem::take(&mut annotators[i as usize]))
            .collect();
        // The same key twice: the later event wins, as in the journal.
        entries.sort_unstable_by(|(a, sa), (b, sb)| compare(a, b).then(sb.cmp(sa)));
        entries.dedup_by(|(later, _), (kept, _)| compare(later, kept) == Ordering::Equal);
        let entries: Vec<Entry> = entries.into_iter().map(|(e, _)| e).collect();
        let mut list = ReviewList {
            order: (0..entries.len() as u32).collect(),
            counts: vec![Counts::new(schema); annotators.len()],
            entries,
            annotators,
            me: me_index,
            ..ReviewList::default()
        };
        for entry in &list.entries {
            match (&entry.orphan, &entry.labels) {
                (None, Some(labels)) => {
                    list.counts[entry.annotator as usize].add(schema, labels, 1)
                }
                (Some(_), _) => list.orphans += 1,
                _ => {}
            }
        }
        list.rows = list.order.clone();
        list
    }

    /// Every entry, by id.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this id.
    pub fn entry(&self, id: u32) -> &Entry {
        &self.entries[id as usize]
    }

    /// The sentence of an entry as shown: the article text, or the stored text of an orphan.
    pub fn text<'a>(&'a self, id: u32, articles: &'a [Article]) -> &'a str {
        let entry = self.entry(id);
        match &entry.orphan {
            Some(orphan) => &orphan.text,
            None => articles[entry.article]
                .text
                .get(entry.start..entry.end)
                .unwrap_or_default(),
        }
    }

    /// The article id of an entry, whether or not the article is still in the corpus.
    pub fn article_id<'a>(&'a self, id: u32, articles: &'a [Article]) -> &'a str {
        let entry = self.entry(id);
        match articles.get(entry.article) {
            Some(article) => &article.id,
            None => entry.orphan.as_ref().map_or("", |o| &o.article),
        }
    }

    /// Where an entry with this key is, or would go, in the order.
    fn search_order(&self, key: &Entry) -> Result<usize, usize> {
        self.order
            .binary_search_by(|&id| compare(self.entry(id), key))
    }

    fn search_rows(&self, id: u32) -> Result<usize, usize> {
        let key = self.entry(id);
        self.rows
            .binary_search_by(|&row| compare(self.entry(row), key))
    }

    /// The entry of `annotator` for the sentence at `start..end` of a corpus article.
    pub fn find(&self, article: usize, span: Span, annotator: u32) -> Option<u32> {
        let key = key(article, span, annotator);
        self.search_order(&key).ok().map(|i| self.order[i])
    }

    /// The entry under the selection.
    pub fn selected_id(&self) -> Option<u32> {
        self.rows.get(self.selected).copied()
    }

    /// The ids of the rows shown, in order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }
    /// The selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// The first row on screen.
    pub fn scroll(&self) -> usize {
        self.scroll
    }
    /// The filter in force.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
    /// Rows that stopped passing the filter after an edit in this session.
    pub fn edited_out(&self) -> usize {
        self.edited_out
    }
    /// Every annotator in the store (and the session's), sorted by name.
    pub fn annotators(&self) -> &[String] {
        &self.annotators
    }
    /// The session annotator's index in [`ReviewList::annotators`].
    pub fn me(&self) -> u32 {
        self.me
    }
    /// Live annotations per annotator, in the order of [`ReviewList::annotators`].
    pub fn counts(&self) -> &[Counts] {
        &self.counts
    }
    /// Orphaned annotations found so far (some are found only when an article is segmented).
    pub fn orphans(&self) -> usize {
        self.orphans
    }
    /// Every entry, orphaned and withdrawn ones included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// True when the store had no annotations and none were made.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn labels_or_none(entry: &Entry) -> &[String] {
    entry.labels.as_deref().unwrap_or_default()
}

/// An entry that stands for its key only.
fn key(article: usize, span: Span, annotator: u32) -> Entry {
    Entry {
        article,
        start: span.start,
        end: span.end,
        annotator,
        labels: None,
        orphan: None,
        fp: 0,
    }
}

/// Corpus order: article, then (for articles that are gone) their id, span, annotator.
fn compare(a: &Entry, b: &Entry) -> Ordering {
    fn gone_id(e: &Entry) -> &str {
        match (&e.orphan, e.article) {
            (Some(orphan), GONE) => orphan.article.as_str(),
            _ => "",
        }
    }
    // Ids are compared only for articles that are gone: comparing strings for every entry
    // would dominate opening the list.
    a.article
        .cmp(&b.article)
        .then_with(|| match a.article {
            GONE => gone_id(a).cmp(gone_id(b)),
            _ => Ordering::Equal,
        })
        .then(a.start.cmp(&b.start))
        .then(a.end.cmp(&b.end))
        .then(a.annotator.cmp(&b.annotator))
}

/// The same 64-bit FNV-1a as [`fingerprint`](crate::store::fingerprint), as a number.
fn fnv(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A stored fingerprint as a number: exactly 16 lowercase hex digits, as [`fingerprint`](crate::store::fingerprint)
/// writes them; anything else matches no text.
fn parse_fingerprint(fp: &str) -> Option<u64> {
    let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    if fp.len() != 16 || !fp.bytes().all(lower_hex) {
        return None;
    }
    u64::from_str_radix(fp, 16).ok()
}

/// `fingerprint(text) == fp`, without building the string.
fn has_fingerprint(text: &str, fp: &str) -> bool {
    parse_fingerprint(fp) == Some(fnv(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fingerprint;

    #[test]
    fn fingerprints_agree_with_the_store() {
        for text in ["", "a", "Talks resumed.", "東京で会談", "e\u{301}"] {
            assert!(has_fingerprint(text, &fingerprint(text)), "{text}");
            assert!(!has_fingerprint(text, &fingerprint("other")), "{text}");
        }
        let fp = fingerprint("x");
        assert!(!has_fingerprint("x", &fp.to_uppercase()));
        assert!(!has_fingerprint("x", &fp[1..]));
        assert!(!has_fingerprint("x", "not hex at all!!"));
    }
}
