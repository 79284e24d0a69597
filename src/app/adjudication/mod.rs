//! The adjudication view's model: every sentence on which the annotators (the adjudicator
//! aside) chose different label sets, in corpus order, with each annotator's answer in a
//! column of its own; the rows the filters keep, the selection, the columns scrolled
//! sideways, and the labels the adjudicator is putting together before `Enter` saves them.
//!
//! It is made again from the one model of annotations after every change (a decision, an
//! undo, others' decisions arriving), so it never disagrees with what the other views show.

mod keys;

pub(super) use keys::{AdjudicationPanel, after_replay, help_rows, refresh, switch};

use super::annotations::{Annotations, GONE};
use super::vocabulary::{LabelFilter, Labels};
use crate::corpus::Span;
use crate::schema::Schema;
use crate::store::is_ignore;

/// One disputed sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Index of the article in the corpus.
    pub article: usize,
    /// The sentence in the article's text.
    pub span: Span,
    /// Each annotator's labels (annotator index, labels), in annotator order.
    pub answers: Vec<(u32, Labels)>,
    /// The adjudicator's decision, once made.
    pub decision: Option<Labels>,
}

impl Unit {
    /// The labels the annotator with this index chose, if they decided the sentence.
    pub fn answer_of(&self, annotator: u32) -> Option<&Labels> {
        self.answers
            .iter()
            .find(|(a, _)| *a == annotator)
            .map(|(_, l)| l)
    }

    fn key(&self) -> (usize, usize, usize) {
        (self.article, self.span.start, self.span.end)
    }
}

/// Which disputed sentences the view lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdjudicationFilter {
    /// Only sentences that some annotator gave this label (or no stance, or ignored).
    pub label: LabelFilter,
    /// Only sentences on which these two columns both answered, differently.
    pub pair: Option<(usize, usize)>,
    /// Only sentences the adjudicator has not decided yet.
    pub undecided: bool,
}

impl AdjudicationFilter {
    /// True when no filter is in force.
    pub fn is_empty(&self) -> bool {
        *self == AdjudicationFilter::default()
    }
}

/// The adjudication view's state.
#[derive(Debug, Clone, Default)]
pub struct Adjudication {
    units: Vec<Unit>,
    /// The annotators with an answer on some disputed sentence, in name order: one column
    /// each, numbered from 1 on screen.
    columns: Vec<u32>,
    /// Indices into `units` that pass the filter.
    rows: Vec<usize>,
    filter: AdjudicationFilter,
    selected: usize,
    scroll: usize,
    first_column: usize,
    /// Labels chosen on the selected row and not saved yet (multi-label schemas).
    draft: Option<Labels>,
    /// `TakeAnswer` was pressed: the next digit names the column whose answer to take.
    taking: bool,
    /// The article view was opened from this view: switching back returns here.
    pub(super) in_article: bool,
}

impl Adjudication {
    /// Every disputed sentence of `model`, the adjudicator being `model.me()`.
    fn units_of(model: &Annotations) -> Vec<Unit> {
        let me = model.me();
        let order = model.order();
        let mut units = Vec::new();
        let mut i = 0;
        while i < order.len() {
            let first = model.entry(order[i]);
            let key = (first.article, first.start, first.end);
            let mut unit = Unit {
                article: first.article,
                span: Span {
                    start: first.start,
                    end: first.end,
                },
                answers: Vec::new(),
                decision: None,
            };
            while let Some(&id) = order.get(i) {
                let e = model.entry(id);
                if (e.article, e.start, e.end) != key {
                    break;
                }
                i += 1;
                if e.article == GONE || e.orphan.is_some() {
                    continue;
                }
                let Some(labels) = &e.labels else { continue };
                if e.annotator == me {
                    unit.decision = Some(labels.clone());
                } else {
                    unit.answers.push((e.annotator, labels.clone()));
                }
            }
            let disputed = unit.answers.windows(2).any(|w| !same_set(&w[0].1, &w[1].1));
            if disputed {
                units.push(unit);
            }
        }
        units
    }

    /// Made again from the model, keeping the selection on the same sentence when it is
    /// still listed, else on the first listed one after it.
    pub(super) fn refresh(&mut self, model: &Annotations, schema: &Schema, height: usize) {
        let kept = self.selected_unit().map(Unit::key);
        self.units = Adjudication::units_of(model);
        let mut columns: Vec<u32> = self
            .units
            .iter()
            .flat_map(|u| u.answers.iter().map(|(a, _)| *a))
            .collect();
        columns.sort_unstable();
        columns.dedup();
        if columns != self.columns {
            // Another annotator's first answer moves the columns: a pair filter by column
            // number would name other people.
            self.filter.pair = None;
            self.first_column = 0;
        }
        self.columns = columns;
        self.rows = (0..self.units.len())
            .filter(|&u| self.passes(u, schema))
            .collect();
        let row = match kept {
            Some(key) => self.rows.partition_point(|&u| self.units[u].key() < key),
            None => self.selected,
        };
        self.select(row, height);
    }

    fn passes(&self, unit: usize, schema: &Schema) -> bool {
        let unit = &self.units[unit];
        let filter = &self.filter;
        if filter.undecided && unit.decision.is_some() {
            return false;
        }
        let label_ok = match filter.label {
            LabelFilter::Any => true,
            LabelFilter::NoStance => unit.answers.iter().any(|(_, l)| l.is_empty()),
            LabelFilter::Ignored => unit.answers.iter().any(|(_, l)| is_ignore(l)),
            LabelFilter::Label(i) => schema
                .labels
                .get(i)
                .is_some_and(|label| unit.answers.iter().any(|(_, l)| l.contains(&label.name))),
        };
        let pair_ok = filter.pair.is_none_or(|(a, b)| {
            let of = |c: usize| self.columns.get(c).and_then(|&a| unit.answer_of(a));
            matches!((of(a), of(b)), (Some(x), Some(y)) if !same_set(x, y))
        });
        label_ok && pair_ok
    }

    /// Changes the filter and lists the rows again.
    pub(super) fn set_filter(
        &mut self,
        filter: AdjudicationFilter,
        model: &Annotations,
        schema: &Schema,
        height: usize,
    ) {
        self.filter = filter;
        self.refresh(model, schema, height);
    }

    /// Moves the selection to `row` (clamped), scrolling as little as needed; a draft or a
    /// half-typed take belongs to the row it was made on and is dropped.
    pub(super) fn select(&mut self, row: usize, height: usize) {
        let row = row.min(self.rows.len().saturating_sub(1));
        if row != self.selected {
            self.draft = None;
            self.taking = false;
        }
        self.selected = row;
        let height = height.max(1);
        if row < self.scroll {
            self.scroll = row;
        } else if row >= self.scroll + height {
            self.scroll = row + 1 - height;
        }
        self.scroll = self.scroll.min(self.rows.len().saturating_sub(height));
    }

    /// Selects the listed row of this sentence, if it is listed.
    pub(super) fn select_sentence(&mut self, article: usize, span: Span, height: usize) {
        let key = (article, span.start, span.end);
        if let Some(row) = self.rows.iter().position(|&u| self.units[u].key() == key) {
            self.select(row, height);
        }
    }

    /// The pair after the one in force, in column order, then none.
    pub(super) fn next_pair(&self) -> Option<(usize, usize)> {
        let n = self.columns.len();
        let pairs = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b)));
        match self.filter.pair {
            None => pairs.into_iter().next(),
            Some(now) => pairs.skip_while(|&p| p != now).nth(1),
        }
    }

    /// Scrolls the columns sideways by `by`, keeping at least one on screen.
    pub(super) fn scroll_columns(&mut self, by: isize) {
        let last = self.columns.len().saturating_sub(1);
        self.first_column = self.first_column.saturating_add_signed(by).min(last);
    }

    pub(super) fn set_draft(&mut self, draft: Option<Labels>) {
        self.draft = draft;
    }

    pub(super) fn set_taking(&mut self, taking: bool) {
        self.taking = taking;
    }

    /// The sentence on the selected row.
    pub fn selected_unit(&self) -> Option<&Unit> {
        self.rows.get(self.selected).map(|&u| &self.units[u])
    }

    /// The sentences the filter keeps, in corpus order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &Unit> + '_ {
        self.rows.iter().map(|&u| &self.units[u])
    }

    /// Every disputed sentence, filtered or not.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// How many disputed sentences the adjudicator has decided, of how many.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.units.iter().filter(|u| u.decision.is_some()).count();
        (done, self.units.len())
    }

    /// The annotator index of each column, in column order.
    pub fn columns(&self) -> &[u32] {
        &self.columns
    }

    /// The filter in force.
    pub fn filter(&self) -> &AdjudicationFilter {
        &self.filter
    }

    /// The selected row, from 0.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row on screen.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// The first column on screen.
    pub fn first_column(&self) -> usize {
        self.first_column
    }

    /// The labels chosen on the selected row and not saved yet.
    pub fn draft(&self) -> Option<&Labels> {
        self.draft.as_ref()
    }

    /// True while the view waits for the number of the column whose answer to take.
    pub fn taking(&self) -> bool {
        self.taking
    }
}

/// Label sets compared as sets: the model keeps them in schema order, without repeats.
fn same_set(a: &Labels, b: &Labels) -> bool {
    a.len() == b.len() && a.iter().all(|l| b.contains(l))
}
