//! The review list: every annotator's annotations in the store, in corpus order, and the rows
//! that pass the filter.
//!
//! Built once when the session opens. Afterwards only the session annotator's entries change,
//! through the same path as every other decision. The rows are recomputed only when the filter
//! changes, so an edited row never vanishes under the reviewer's cursor: it stays, counted as
//! "edited out" until the next filter.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::search::TextQuery;
use super::state::{Counts, Labels, in_schema_order};
use crate::corpus::{Article, Span};
use crate::schema::Schema;
use crate::store::{Event, Op, fingerprint};

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
    pub(super) fn build(
        articles: &[Article],
        by_id: &HashMap<&str, usize>,
        schema: &Schema,
        me: &str,
        events: Vec<Event>,
    ) -> ReviewList {
        let mut annotators: Vec<String> = Vec::new();
        {
            let mut names: Vec<&str> = events.iter().map(|e| e.annotator.as_str()).collect();
            names.push(me);
            names.sort_unstable();
            names.dedup();
            annotators.extend(names.into_iter().map(str::to_owned));
        }
        let names = annotators.clone();
        let index_of = |name: &str| {
            names
                .binary_search_by(|n| n.as_str().cmp(name))
                .map_or(0, |i| i as u32)
        };
        let me_index = index_of(me);
        let mut entries = Vec::with_capacity(events.len());
        for (seq, event) in events.into_iter().enumerate() {
            if event.op != Op::Set {
                continue;
            }
            let annotator = index_of(&event.annotator);
            let found = by_id.get(event.article.as_str()).copied();
            let live = found.is_some_and(|i| {
                articles[i]
                    .text
                    .get(event.start..event.end)
                    .is_some_and(|text| fingerprint(text) == event.fp)
            });
            let orphan = (!live).then(|| {
                Box::new(Orphan {
                    reason: match found {
                        Some(_) => OrphanReason::TextChanged,
                        None => OrphanReason::ArticleGone,
                    },
                    article: event.article,
                    text: event.text,
                    fp: event.fp,
                })
            });
            let entry = Entry {
                article: found.unwrap_or(GONE),
                start: event.start,
                end: event.end,
                annotator,
                labels: Some(in_schema_order(schema, event.labels)),
                orphan,
            };
            entries.push((entry, seq));
        }
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

    /// Whether the entry passes the filter in force.
    pub fn matches(&self, id: u32, articles: &[Article], schema: &Schema) -> bool {
        let entry = self.entry(id);
        let Some(labels) = &entry.labels else {
            return false;
        };
        let filter = &self.filter;
        (!filter.orphaned || entry.orphan.is_some())
            && filter.annotator.is_none_or(|a| a == entry.annotator)
            && match filter.label {
                LabelFilter::Any => true,
                LabelFilter::NoStance => labels.is_empty(),
                LabelFilter::Label(i) => schema
                    .labels
                    .get(i)
                    .is_some_and(|label| labels.contains(&label.name)),
            }
            && self
                .query
                .as_ref()
                .is_none_or(|q| q.is_in(self.text(id, articles)))
    }

    /// Puts `filter` in force: the rows are recomputed, the selection stays on the same entry
    /// or, when it no longer passes, on the next one.
    pub(super) fn set_filter(&mut self, filter: Filter, articles: &[Article], schema: &Schema) {
        let selected = self.selected_id();
        // A longer text with the other filters unchanged can only narrow the rows.
        let narrowing = self.edited_out == 0
            && filter.text.starts_with(&self.filter.text)
            && Filter {
                text: String::new(),
                ..filter.clone()
            } == Filter {
                text: String::new(),
                ..self.filter.clone()
            };
        self.query = (!filter.text.is_empty()).then(|| TextQuery::new(&filter.text));
        self.filter = filter;
        let from = if narrowing {
            std::mem::take(&mut self.rows)
        } else {
            self.order.clone()
        };
        self.rows = from
            .into_iter()
            .filter(|&id| self.matches(id, articles, schema))
            .collect();
        self.edited_out = 0;
        self.selected = match selected {
            Some(id) => match self.search_rows(id) {
                Ok(i) => i,
                Err(i) => i.min(self.rows.len().saturating_sub(1)),
            },
            None => 0,
        };
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

    /// The row showing this entry, if it is shown.
    pub fn row_of(&self, id: u32) -> Option<usize> {
        self.search_rows(id).ok()
    }

    /// Records the session annotator's new decision on a sentence (`None`: withdrawn). A new
    /// entry is shown when it passes the filter, or always with `show`. Returns true when
    /// the decision replaced an orphan with the same key (the store keeps one per key).
    pub(super) fn set_own(
        &mut self,
        articles: &[Article],
        schema: &Schema,
        (article, span): (usize, Span),
        labels: Option<&Labels>,
        show: bool,
    ) -> bool {
        let key = key(article, span, self.me);
        match self.search_order(&key) {
            Ok(i) => {
                let id = self.order[i];
                let was_orphan = self.entries[id as usize].orphan.is_some();
                let had_labels = self.entry(id).labels.is_some();
                self.change(id, articles, schema, |entry| {
                    entry.orphan = None;
                    entry.labels = labels.cloned();
                });
                if show && self.row_of(id).is_none() {
                    self.insert_row(id, articles, schema);
                }
                was_orphan && had_labels
            }
            Err(i) => {
                let Some(labels) = labels else {
                    return false;
                };
                let id = self.entries.len() as u32;
                self.counts[self.me as usize].add(schema, labels, 1);
                self.entries.push(Entry {
                    labels: Some(labels.clone()),
                    ..key
                });
                self.order.insert(i, id);
                if show || self.matches(id, articles, schema) {
                    self.insert_row(id, articles, schema);
                }
                false
            }
        }
    }

    /// Withdraws (`None`) or restores an orphaned entry's labels.
    pub(super) fn set_orphan(
        &mut self,
        id: u32,
        labels: Option<Labels>,
        articles: &[Article],
        schema: &Schema,
    ) {
        self.change(id, articles, schema, |entry| entry.labels = labels);
    }

    /// Changes an entry, keeping the counts and the edited-out tally right.
    fn change(
        &mut self,
        id: u32,
        articles: &[Article],
        schema: &Schema,
        edit: impl FnOnce(&mut Entry),
    ) {
        let shown = self.row_of(id).is_some();
        let matched = shown && self.matches(id, articles, schema);
        let entry = &mut self.entries[id as usize];
        let tally = |list: &mut ReviewList, entry: &Entry, sign: isize| match &entry.orphan {
            Some(_) => list.orphans = list.orphans.saturating_add_signed(sign),
            None => list.counts[entry.annotator as usize].add(schema, labels_or_none(entry), sign),
        };
        let before = entry.clone();
        edit(entry);
        let after = entry.clone();
        if before.labels.is_some() {
            tally(self, &before, -1);
        }
        if after.labels.is_some() {
            tally(self, &after, 1);
        }
        let matches = shown && self.matches(id, articles, schema);
        if matched && !matches {
            self.edited_out += 1;
        } else if shown && !matched && matches {
            self.edited_out = self.edited_out.saturating_sub(1);
        }
    }

    fn insert_row(&mut self, id: u32, articles: &[Article], schema: &Schema) {
        let Err(at) = self.search_rows(id) else {
            return;
        };
        if !self.rows.is_empty() && at <= self.selected {
            self.selected += 1;
        }
        self.rows.insert(at, id);
        if !self.matches(id, articles, schema) {
            self.edited_out += 1;
        }
    }

    /// Marks the entries of `article` whose span is not among `spans` as orphaned.
    pub(super) fn check_spans(
        &mut self,
        articles: &[Article],
        schema: &Schema,
        article: usize,
        spans: &[Span],
    ) {
        let lo = self
            .order
            .partition_point(|&id| self.entry(id).article < article);
        let hi = self
            .order
            .partition_point(|&id| self.entry(id).article <= article);
        for i in lo..hi {
            let id = self.order[i];
            let entry = self.entry(id);
            let span = Span {
                start: entry.start,
                end: entry.end,
            };
            let is_sentence = spans
                .binary_search_by_key(&span.start, |s| s.start)
                .is_ok_and(|i| spans[i] == span);
            if entry.orphan.is_some() || entry.labels.is_none() || is_sentence {
                continue;
            }
            let text = articles[article].text[span.start..span.end].to_owned();
            self.change(id, articles, schema, |entry| {
                entry.orphan = Some(Box::new(Orphan {
                    article: String::new(),
                    fp: fingerprint(&text),
                    text,
                    reason: OrphanReason::NotASentence,
                }));
            });
            if self.row_of(id).is_none() && self.matches(id, articles, schema) {
                self.insert_row(id, articles, schema);
            }
        }
    }

    /// Moves the selection to `row` (clamped) and scrolls as little as needed to show it in
    /// a list of `height` rows.
    pub(super) fn select(&mut self, row: usize, height: usize) {
        self.selected = row.min(self.rows.len().saturating_sub(1));
        let height = height.max(1);
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + height {
            self.scroll = self.selected + 1 - height;
        }
        self.scroll = self.scroll.min(self.rows.len().saturating_sub(height));
    }

    /// Scrolls by `lines` without moving the selection off the screen.
    pub(super) fn scroll_by(&mut self, lines: isize, height: usize) {
        let height = height.max(1);
        let max = self.rows.len().saturating_sub(height);
        self.scroll = self.scroll.saturating_add_signed(lines).min(max);
        let selected = self.selected.clamp(self.scroll, self.scroll + height - 1);
        self.select(selected, height);
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
    a.article
        .cmp(&b.article)
        .then_with(|| gone_id(a).cmp(gone_id(b)))
        .then(a.start.cmp(&b.start))
        .then(a.end.cmp(&b.end))
        .then(a.annotator.cmp(&b.annotator))
}
