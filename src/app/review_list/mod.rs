//! The review list: the rows of the annotation model that pass the filter, in corpus order,
//! and the reviewer's place in them.
//!
//! The rows are recomputed only when the filter changes, so an edited row never vanishes
//! under the reviewer's cursor: it stays, counted as "edited out" until the next filter. New
//! entries (the session's own decisions, orphans found by segmenting, others' decisions
//! arriving) are added as rows when they pass the filter.

mod change;
mod rows;

use super::annotations::Annotations;
pub use super::annotations::Entry;
use super::query::TextQuery;
use crate::corpus::{Article, Span};
pub(super) use change::Before;

pub use super::annotations::{GONE, Orphan, OrphanReason};
pub use super::vocabulary::LabelFilter;

/// The filters in force; all of them must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// By label.
    pub label: LabelFilter,
    /// By annotator (index into [`Annotations::annotators`]).
    pub annotator: Option<u32>,
    /// Text the sentence contains (smart case, as search).
    pub text: String,
    /// Orphaned annotations only.
    pub orphaned: bool,
    /// Only sentences on which two annotators' labels differ.
    pub disagreements: bool,
    /// Only sentences that an annotator flagged for discussion.
    pub flagged: bool,
}

impl Filter {
    /// True when nothing is filtered out.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// The filtered rows of the model and the reviewer's place in them.
#[derive(Debug, Clone, Default)]
pub struct ReviewList {
    /// The ids that passed the filter when it was set, plus the session's new entries.
    rows: Vec<u32>,
    filter: Filter,
    query: Option<TextQuery>,
    edited_out: usize,
    selected: usize,
    scroll: usize,
    /// The flagged sentences, (article id, start, end), as they were when the filter was set.
    pub(in crate::app) flagged: std::collections::HashSet<(String, usize, usize)>,
}

/// The review list as the view and the tests read it: the rows, and the entries they show.
#[derive(Debug, Clone, Copy)]
pub struct Review<'a> {
    pub(super) list: &'a ReviewList,
    pub(super) model: &'a Annotations,
}

impl ReviewList {
    /// Every entry of `model`, unfiltered, nothing selected yet.
    pub(super) fn new(model: &Annotations) -> ReviewList {
        ReviewList {
            rows: model.order().to_vec(),
            ..ReviewList::default()
        }
    }

    fn search_rows(&self, model: &Annotations, id: u32) -> Result<usize, usize> {
        let key = model.entry(id);
        self.rows
            .binary_search_by(|&row| order_of(model.entry(row), key))
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
}

/// The model's corpus order, for entries that are both in it.
fn order_of(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    super::annotations::compare(a, b)
}

impl<'a> Review<'a> {
    /// The entry under the selection.
    pub fn selected_id(&self) -> Option<u32> {
        self.list.selected_id()
    }
    /// The ids of the rows shown, in order.
    pub fn rows(&self) -> &'a [u32] {
        &self.list.rows
    }
    /// The selected row.
    pub fn selected(&self) -> usize {
        self.list.selected
    }
    /// The first row on screen.
    pub fn scroll(&self) -> usize {
        self.list.scroll
    }
    /// The filter in force.
    pub fn filter(&self) -> &'a Filter {
        &self.list.filter
    }
    /// Rows that stopped passing the filter after an edit in this session.
    pub fn edited_out(&self) -> usize {
        self.list.edited_out
    }
    /// Every entry, by id.
    pub fn entries(&self) -> &'a [Entry] {
        self.model.entries()
    }
    /// The entry with this id.
    pub fn entry(&self, id: u32) -> &'a Entry {
        self.model.entry(id)
    }
    /// The sentence of an entry as shown: the article text, or the stored text of an orphan.
    pub fn text(&self, id: u32, articles: &'a [Article]) -> &'a str {
        self.model.text(id, articles)
    }
    /// The article id of an entry, whether or not the article is still in the corpus.
    pub fn article_id(&self, id: u32, articles: &'a [Article]) -> &'a str {
        self.model.article_id(id, articles)
    }
    /// The entry of `annotator` for the sentence at `span` of a corpus article.
    pub fn find(&self, article: usize, span: Span, annotator: u32) -> Option<u32> {
        self.model.find(article, span, annotator)
    }
    /// Every annotator in the store (and the session's), sorted by name.
    pub fn annotators(&self) -> &'a [String] {
        self.model.annotators()
    }
    /// The session annotator's index in [`Review::annotators`].
    pub fn me(&self) -> u32 {
        self.model.me()
    }
    /// Live annotations per annotator, in the order of [`Review::annotators`].
    pub fn counts(&self) -> &'a [super::Counts] {
        self.model.counts()
    }
    /// Orphaned annotations found so far (some are found only when an article is segmented).
    pub fn orphans(&self) -> usize {
        self.model.orphans()
    }
    /// Every entry, orphaned and withdrawn ones included.
    pub fn len(&self) -> usize {
        self.model.len()
    }
    /// True when the store had no annotations and none were made.
    pub fn is_empty(&self) -> bool {
        self.model.is_empty()
    }
    /// Whether the entry passes the filter in force.
    pub fn matches(&self, id: u32, articles: &[Article], schema: &crate::schema::Schema) -> bool {
        self.list.matches(self.model, id, articles, schema)
    }
    /// The row showing this entry, if it is shown.
    pub fn row_of(&self, id: u32) -> Option<usize> {
        self.list.row_of(self.model, id)
    }
}
