//! The session's one model of annotations: every annotator's current annotation of every
//! sentence the store holds, each attached to a sentence of the corpus or orphaned (and why),
//! with the counts kept beside them. The article view, the review list, the statistics panel
//! and the status bar all read it; every change goes through [`Annotations::set`] (the
//! session's own decisions and others' arriving from the store alike) or
//! [`Annotations::check_spans`] (orphans found when an article is segmented).
//!
//! Entries are never removed: a withdrawn annotation keeps its entry with no labels, so the
//! ids the review list holds stay valid and undo can put it back.

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::vocabulary::{Counts, Labels, in_schema_order};
use crate::attach::{check_span, check_text};
use crate::corpus::{Article, Span};
use crate::hash::{fingerprint_u64, format_fingerprint};
use crate::schema::Schema;
use crate::store::{Annotation, IGNORE, Op};

pub use crate::attach::Orphan as OrphanReason;

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
    /// Index into [`Annotations::annotators`].
    pub annotator: u32,
    /// The labels (empty: no stance); `None` once withdrawn.
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
    /// The stored fingerprint.
    pub fp: String,
    /// Why it no longer matches.
    pub reason: OrphanReason,
}

/// What [`Annotations::set`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// The entry changed or made.
    pub id: u32,
    /// It is new: no entry had its key before.
    pub new: bool,
    /// It was an orphan with labels, and is now a live annotation of the same span.
    pub replaced_orphan: bool,
}

/// An annotation another session appended, read against the corpus, not yet put in.
#[derive(Debug)]
pub(super) struct Arrival {
    entry: Entry,
    fp: Option<u64>,
    /// The entry with the same key, which it replaces.
    pub(super) existing: Option<u32>,
    /// The index of its annotator, when it is new to the model.
    pub(super) added: Option<u32>,
}

/// Every annotator's annotations, in corpus order, with their counts.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    entries: Vec<Entry>,
    /// Every entry id, sorted by (article, start, end, annotator).
    order: Vec<u32>,
    /// Every annotator in the store (and the session's), sorted by name.
    annotators: Vec<String>,
    me: u32,
    /// Live, attached annotations per annotator.
    counts: Vec<Counts>,
    /// Orphaned annotations (with labels) per annotator.
    orphans: Vec<usize>,
    /// Stored fingerprints of attached entries, checked when their article is segmented.
    fps: Vec<Option<u64>>,
}

impl Annotations {
    /// Indexes `events` (the store's current annotations, every annotator's) against the
    /// corpus; `me` is the session's annotator. Whether an annotation is still a sentence is
    /// decided when its article is segmented ([`Annotations::check_spans`]).
    pub(super) fn build<'e>(
        articles: &[Article],
        by_id: &FxHashMap<&str, usize>,
        schema: &Schema,
        me: &str,
        events: impl IntoIterator<Item = Annotation<'e>>,
    ) -> Annotations {
        let mut names: Vec<String> = vec![me.to_owned()];
        let mut name_of: FxHashMap<String, u32> = FxHashMap::default();
        name_of.insert(me.to_owned(), 0);
        let mut entries = Vec::new();
        for (seq, event) in events.into_iter().enumerate() {
            if event.op() == Op::Clear {
                continue;
            }
            let annotator = match name_of.get(event.annotator()) {
                Some(&i) => i,
                None => {
                    let i = names.len() as u32;
                    names.push(event.annotator().to_owned());
                    name_of.insert(event.annotator().to_owned(), i);
                    i
                }
            };
            let (entry, fp) = entry_of(articles, by_id, schema, annotator, event);
            entries.push((entry, fp, seq));
        }
        // Annotator indices in name order, so rows of one sentence list them by name.
        let mut by_name: Vec<u32> = (0..names.len() as u32).collect();
        by_name.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        let mut rank = vec![0u32; names.len()];
        for (new, &old) in by_name.iter().enumerate() {
            rank[old as usize] = new as u32;
        }
        for (entry, _, _) in &mut entries {
            entry.annotator = rank[entry.annotator as usize];
        }
        let annotators: Vec<String> = by_name
            .iter()
            .map(|&i| std::mem::take(&mut names[i as usize]))
            .collect();
        // The same key twice: the later event wins, as in the journal.
        entries.sort_unstable_by(|(a, _, sa), (b, _, sb)| compare(a, b).then(sb.cmp(sa)));
        entries.dedup_by(|(later, _, _), (kept, _, _)| compare(later, kept) == Ordering::Equal);
        let (entries, fps): (Vec<Entry>, Vec<Option<u64>>) =
            entries.into_iter().map(|(e, fp, _)| (e, fp)).unzip();
        let mut model = Annotations {
            order: (0..entries.len() as u32).collect(),
            counts: vec![Counts::new(schema); annotators.len()],
            orphans: vec![0; annotators.len()],
            entries,
            fps,
            annotators,
            me: rank[0],
        };
        for id in 0..model.entries.len() {
            model.tally(schema, id as u32, 1);
        }
        model
    }

    /// Adds (`sign` 1) or takes away (-1) an entry from the counts.
    fn tally(&mut self, schema: &Schema, id: u32, sign: isize) {
        let entry = &self.entries[id as usize];
        let annotator = entry.annotator as usize;
        match (&entry.orphan, &entry.labels) {
            (_, None) => {}
            (Some(_), Some(_)) => {
                self.orphans[annotator] = self.orphans[annotator].saturating_add_signed(sign);
            }
            (None, Some(labels)) => self.counts[annotator].add(schema, labels, sign),
        }
    }

    /// Changes an entry, keeping the counts right.
    pub(super) fn change(&mut self, schema: &Schema, id: u32, edit: impl FnOnce(&mut Entry)) {
        self.tally(schema, id, -1);
        edit(&mut self.entries[id as usize]);
        self.tally(schema, id, 1);
    }

    /// Sets `annotator`'s decision on a sentence of the corpus (`None`: withdrawn), making
    /// the entry if there is none. The sentence is taken as attached: the caller decides on a
    /// current sentence, or (an arrival) has checked it with [`Annotations::attach_arrival`].
    pub(super) fn set(
        &mut self,
        articles: &[Article],
        schema: &Schema,
        (article, span): (usize, Span),
        annotator: u32,
        labels: Option<&Labels>,
    ) -> Option<Changed> {
        let key = key(article, span, annotator);
        match self.search_order(&key) {
            Ok(i) => {
                let id = self.order[i];
                let entry = self.entry(id);
                let replaced_orphan = entry.orphan.is_some() && entry.labels.is_some();
                self.change(schema, id, |entry| {
                    entry.orphan = None;
                    entry.labels = labels.cloned();
                });
                let text = &articles[article].text[span.start..span.end];
                self.fps[id as usize] = Some(fingerprint_u64(text));
                Some(Changed {
                    id,
                    new: false,
                    replaced_orphan,
                })
            }
            Err(i) => {
                let labels = labels?;
                let id = self.entries.len() as u32;
                let text = &articles[article].text[span.start..span.end];
                self.entries.push(Entry {
                    labels: Some(labels.clone()),
                    ..key
                });
                self.fps.push(Some(fingerprint_u64(text)));
                self.order.insert(i, id);
                self.tally(schema, id, 1);
                Some(Changed {
                    id,
                    new: true,
                    replaced_orphan: false,
                })
            }
        }
    }

    /// Reads an annotation another session appended: the entry it makes (labels `None` for
    /// a withdrawal), attached or orphaned by the attach rule (`spans`: the article's
    /// sentences, when it is already segmented), with its stored fingerprint and the id of
    /// the entry it replaces. A new annotator is added to [`Annotations::annotators`]
    /// (returned, with its index, so filters by index can be renumbered).
    pub(super) fn arrival(
        &mut self,
        schema: &Schema,
        article: Option<(usize, &str, Option<&[Span]>)>,
        event: Annotation<'_>,
    ) -> Arrival {
        let count = self.annotators.len();
        let annotator = self.annotator_index(schema, event.annotator());
        let added = (self.annotators.len() > count).then_some(annotator);
        let fp = event.fingerprint();
        let (start, end) = (event.start(), event.end());
        let mut reason = check_text(article.map(|(_, text, _)| text), start, end, fp).err();
        if reason.is_none()
            && let Some((_, _, Some(spans))) = article
        {
            reason = check_span(spans, start, end).err();
        }
        let orphan = reason.map(|reason| {
            Box::new(Orphan {
                article: event.article().to_owned(),
                text: event.text().to_owned(),
                fp: event.fp().into_owned(),
                reason,
            })
        });
        let span = Span { start, end };
        let mut entry = key(article.map_or(GONE, |(i, _, _)| i), span, annotator);
        entry.orphan = orphan;
        let existing = self.search_order(&entry).ok().map(|i| self.order[i]);
        entry.labels = labels_of_event(schema, event);
        Arrival {
            entry,
            fp,
            existing,
            added,
        }
    }

    /// Puts an arrival in: over the entry it replaces, or as a new entry. Returns its id.
    pub(super) fn put(&mut self, schema: &Schema, arrival: Arrival) -> Option<u32> {
        let Arrival {
            entry,
            fp,
            existing,
            ..
        } = arrival;
        match existing {
            Some(id) => {
                self.change(schema, id, |old| *old = entry);
                self.fps[id as usize] = fp;
                Some(id)
            }
            None if entry.labels.is_none() => None,
            None => {
                let id = self.entries.len() as u32;
                let at = self.search_order(&entry).unwrap_err();
                self.entries.push(entry);
                self.fps.push(fp);
                self.order.insert(at, id);
                self.tally(schema, id, 1);
                Some(id)
            }
        }
    }

    /// The index of `name` among the annotators, adding it (in name order) if it is new.
    fn annotator_index(&mut self, schema: &Schema, name: &str) -> u32 {
        match self.annotators.binary_search_by(|a| a.as_str().cmp(name)) {
            Ok(i) => i as u32,
            Err(i) => {
                let at = i as u32;
                self.annotators.insert(i, name.to_owned());
                self.counts.insert(i, Counts::new(schema));
                self.orphans.insert(i, 0);
                for entry in &mut self.entries {
                    entry.annotator += u32::from(entry.annotator >= at);
                }
                self.me += u32::from(self.me >= at);
                at
            }
        }
    }

    /// Checks the entries of `article` against its sentences: those whose span is not one of
    /// `spans`, or whose text no longer has the stored fingerprint, are orphans. Returns them
    /// with what to keep of each, for the caller to set through [`Annotations::change`].
    pub(super) fn check_spans(
        &self,
        articles: &[Article],
        article: usize,
        spans: &[Span],
    ) -> Vec<(u32, Box<Orphan>)> {
        let (lo, hi) = self.range_of(article);
        let mut found = Vec::new();
        for i in lo..hi {
            let id = self.order[i];
            let entry = self.entry(id);
            if entry.orphan.is_some() || entry.labels.is_none() {
                continue;
            }
            let (start, end) = (entry.start, entry.end);
            let text = Some(articles[article].text.as_str());
            let fp = self.fps[id as usize];
            let Err(reason) =
                check_text(text, start, end, fp).and_then(|()| check_span(spans, start, end))
            else {
                continue;
            };
            let orphan = Orphan {
                article: articles[article].id.clone(),
                fp: fp.map(format_fingerprint).unwrap_or_default(),
                text: articles[article]
                    .text
                    .get(start..end)
                    .unwrap_or_default()
                    .to_owned(),
                reason,
            };
            found.push((id, Box::new(orphan)));
        }
        found
    }

    /// Checks every entry of `article` against its sentences as they are after a boundary
    /// changed: an attached one that is no longer a sentence becomes an orphan (`Some`, with
    /// the attach rule's reason, for the caller to refine), and one orphaned because its span
    /// was not a sentence, whose text is unchanged and whose span is a sentence again, is
    /// attached again (`None`). Returns only the entries that change.
    pub(super) fn recheck_spans(
        &self,
        articles: &[Article],
        article: usize,
        spans: &[Span],
    ) -> Vec<(u32, Option<Box<Orphan>>)> {
        let mut changes: Vec<(u32, Option<Box<Orphan>>)> = self
            .check_spans(articles, article, spans)
            .into_iter()
            .map(|(id, orphan)| (id, Some(orphan)))
            .collect();
        let (lo, hi) = self.range_of(article);
        let text = Some(articles[article].text.as_str());
        for &id in &self.order[lo..hi] {
            let entry = self.entry(id);
            let Some(orphan) = &entry.orphan else {
                continue;
            };
            let by_boundary = matches!(
                orphan.reason,
                OrphanReason::NotASentence | OrphanReason::Split | OrphanReason::Merged
            );
            let (start, end) = (entry.start, entry.end);
            if by_boundary
                && check_text(text, start, end, self.fps[id as usize]).is_ok()
                && check_span(spans, start, end).is_ok()
            {
                changes.push((id, None));
            }
        }
        changes
    }

    /// Positions in the order of `article`'s entries.
    fn range_of(&self, article: usize) -> (usize, usize) {
        let lo = self
            .order
            .partition_point(|&id| self.entry(id).article < article);
        let hi = self
            .order
            .partition_point(|&id| self.entry(id).article <= article);
        (lo, hi)
    }

    /// The entries of one article, in text order, every annotator's.
    pub fn of_article(&self, article: usize) -> impl Iterator<Item = &Entry> + '_ {
        let (lo, hi) = self.range_of(article);
        self.order[lo..hi].iter().map(|&id| self.entry(id))
    }

    /// The labels `annotator` gave the sentence at `span` of a corpus article, when that is
    /// a live, attached annotation.
    pub fn labels_of(&self, article: usize, span: Span, annotator: u32) -> Option<&Labels> {
        let entry = self.entry(self.find(article, span, annotator)?);
        match entry.orphan {
            None => entry.labels.as_ref(),
            Some(_) => None,
        }
    }

    /// `annotator`'s live, attached decisions in `article`, counted.
    pub fn counts_in(&self, schema: &Schema, article: usize, annotator: u32) -> Counts {
        let mut counts = Counts::new(schema);
        for entry in self.of_article(article) {
            if let (true, None, Some(labels)) =
                (entry.annotator == annotator, &entry.orphan, &entry.labels)
            {
                counts.add(schema, labels, 1);
            }
        }
        counts
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

    /// The entry of `annotator` for the sentence at `span` of a corpus article.
    pub fn find(&self, article: usize, span: Span, annotator: u32) -> Option<u32> {
        let key = key(article, span, annotator);
        self.search_order(&key).ok().map(|i| self.order[i])
    }

    /// The entry of `annotator` (by name) for an annotation stored under `article`, an id no
    /// article of the corpus has.
    pub fn find_gone(
        &self,
        article: &str,
        start: usize,
        end: usize,
        annotator: &str,
    ) -> Option<u32> {
        let annotator = self
            .annotators
            .binary_search_by(|a| a.as_str().cmp(annotator))
            .ok()?;
        let mut key = key(GONE, Span { start, end }, annotator as u32);
        key.orphan = Some(Box::new(Orphan {
            article: article.to_owned(),
            text: String::new(),
            fp: String::new(),
            reason: OrphanReason::ArticleGone,
        }));
        self.search_order(&key).ok().map(|i| self.order[i])
    }

    /// Every entry id in corpus order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Every annotator in the store (and the session's), sorted by name.
    pub fn annotators(&self) -> &[String] {
        &self.annotators
    }

    /// The session annotator's index in [`Annotations::annotators`].
    pub fn me(&self) -> u32 {
        self.me
    }

    /// Live, attached annotations per annotator, in the order of
    /// [`Annotations::annotators`].
    pub fn counts(&self) -> &[Counts] {
        &self.counts
    }

    /// Orphaned annotations of every annotator found so far (some are found only when an
    /// article is segmented).
    pub fn orphans(&self) -> usize {
        self.orphans.iter().sum()
    }

    /// Orphaned annotations of one annotator found so far.
    pub fn orphans_of(&self, annotator: u32) -> usize {
        self.orphans[annotator as usize]
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

/// The entry (and its stored fingerprint) of a stored annotation at open: attached when its
/// text still has the stored fingerprint, else orphaned with the reason.
fn entry_of(
    articles: &[Article],
    by_id: &FxHashMap<&str, usize>,
    schema: &Schema,
    annotator: u32,
    event: Annotation<'_>,
) -> (Entry, Option<u64>) {
    let found = by_id.get(event.article()).copied();
    let fp = event.fingerprint();
    let text = found.map(|i| articles[i].text.as_str());
    let orphan = check_text(text, event.start(), event.end(), fp)
        .err()
        .map(|reason| {
            Box::new(Orphan {
                reason,
                article: event.article().to_owned(),
                text: event.text().to_owned(),
                fp: event.fp().into_owned(),
            })
        });
    let entry = Entry {
        article: found.unwrap_or(GONE),
        start: event.start(),
        end: event.end(),
        annotator,
        labels: labels_of_event(schema, event),
        orphan,
    };
    (entry, fp)
}

/// The labels an annotation gives in the session's words: an ignore is the label set
/// [`IGNORE`], a clear is none.
fn labels_of_event(schema: &Schema, event: Annotation<'_>) -> Option<Labels> {
    match event.op() {
        Op::Set => Some(in_schema_order(schema, event.labels().to_vec())),
        Op::Ignore => Some(vec![IGNORE.to_owned()]),
        // Boundary lines are overrides, never annotations.
        Op::Clear | Op::Split | Op::Merge | Op::Restore => None,
        Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => None,
    }
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
pub(super) fn compare(a: &Entry, b: &Entry) -> Ordering {
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

impl Annotations {
    /// True when entry `id` is of a sentence of the corpus on which two annotators' current,
    /// attached labels differ (withdrawn and orphaned annotations do not count).
    pub fn disputed(&self, id: u32) -> bool {
        let entry = self.entry(id);
        if entry.article == GONE || entry.orphan.is_some() {
            return false;
        }
        let first = key(
            entry.article,
            Span {
                start: entry.start,
                end: entry.end,
            },
            0,
        );
        let at = self.search_order(&first).unwrap_or_else(|i| i);
        let mut seen: Option<&Labels> = None;
        for &other in &self.order[at..] {
            let e = self.entry(other);
            if (e.article, e.start, e.end) != (entry.article, entry.start, entry.end) {
                break;
            }
            if e.orphan.is_some() {
                continue;
            }
            let Some(labels) = &e.labels else { continue };
            match seen {
                None => seen = Some(labels),
                Some(set) if !same_set(set, labels) => return true,
                Some(_) => {}
            }
        }
        false
    }
}

/// Label sets compared as sets: the model keeps them in schema order, without repeats.
fn same_set(a: &Labels, b: &Labels) -> bool {
    a.len() == b.len() && a.iter().all(|l| b.contains(l))
}
