//! Changes to the list after it is built: the session annotator's decisions, orphans deleted
//! or restored, and orphans found when an article is segmented.

use super::{Entry, Orphan, OrphanReason, ReviewList, fnv, key, labels_or_none};
use crate::app::state::Labels;
use crate::corpus::{Article, Span};
use crate::schema::Schema;

impl ReviewList {
    /// Records the session annotator's new decision on a sentence (`None`: withdrawn). A new
    /// entry is shown when it passes the filter, or always with `show`. Returns true when
    /// the decision replaced an orphan with the same key (the store keeps one per key).
    pub(in crate::app) fn set_own(
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
                let text = &articles[article].text[span.start..span.end];
                self.entries.push(Entry {
                    labels: Some(labels.clone()),
                    fp: fnv(text),
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
    pub(in crate::app) fn set_orphan(
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

    /// Checks the entries of `article` against its sentences: those whose span is not one
    /// of `spans`, or whose text no longer has the stored fingerprint, become orphans.
    /// Returns the spans of the session annotator's entries that did.
    pub(in crate::app) fn check_spans(
        &mut self,
        articles: &[Article],
        schema: &Schema,
        article: usize,
        spans: &[Span],
    ) -> Vec<(usize, usize)> {
        let lo = self
            .order
            .partition_point(|&id| self.entry(id).article < article);
        let hi = self
            .order
            .partition_point(|&id| self.entry(id).article <= article);
        let mut mine = Vec::new();
        for i in lo..hi {
            let id = self.order[i];
            let entry = self.entry(id);
            if entry.orphan.is_some() || entry.labels.is_none() {
                continue;
            }
            let span = Span {
                start: entry.start,
                end: entry.end,
            };
            let text = &articles[article].text[span.start..span.end];
            let reason = if fnv(text) != entry.fp {
                OrphanReason::TextChanged
            } else if spans
                .binary_search_by_key(&span.start, |s| s.start)
                .is_ok_and(|i| spans[i] == span)
            {
                continue;
            } else {
                OrphanReason::NotASentence
            };
            if entry.annotator == self.me {
                mine.push((span.start, span.end));
            }
            let orphan = Orphan {
                article: articles[article].id.clone(),
                fp: format!("{:016x}", entry.fp),
                text: text.to_owned(),
                reason,
            };
            self.change(id, articles, schema, |entry| {
                entry.orphan = Some(Box::new(orphan));
            });
            if self.row_of(id).is_none() && self.matches(id, articles, schema) {
                self.insert_row(id, articles, schema);
            }
        }
        mine
    }
}
