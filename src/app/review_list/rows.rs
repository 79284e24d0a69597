//! Which entries the reviewer sees: the filter, the rows it lets through, the selection.

use super::{Filter, LabelFilter, ReviewList};
use crate::app::annotations::Annotations;
use crate::app::query::TextQuery;
use crate::corpus::Article;
use crate::schema::Schema;

impl ReviewList {
    /// Whether the entry passes the filter in force.
    pub fn matches(
        &self,
        model: &Annotations,
        id: u32,
        articles: &[Article],
        schema: &Schema,
    ) -> bool {
        let entry = model.entry(id);
        let Some(labels) = &entry.labels else {
            return false;
        };
        let filter = &self.filter;
        (!filter.orphaned || entry.orphan.is_some())
            && (!filter.disagreements || model.disputed(id))
            && (!filter.flagged || {
                let article = model.article_id(id, articles).to_owned();
                self.flagged.contains(&(article, entry.start, entry.end))
            })
            && filter.annotator.is_none_or(|a| a == entry.annotator)
            && match filter.label {
                LabelFilter::Any => true,
                LabelFilter::NoStance => labels.is_empty(),
                LabelFilter::Ignored => crate::store::is_ignore(labels),
                LabelFilter::Label(i) => schema
                    .labels
                    .get(i)
                    .is_some_and(|label| labels.contains(&label.name)),
            }
            && self
                .query
                .as_ref()
                .is_none_or(|q| q.is_in(model.text(id, articles)))
    }

    /// Puts `filter` in force: the rows are recomputed, the selection stays on the same entry
    /// or, when it no longer passes, on the next one.
    pub(in crate::app) fn set_filter(
        &mut self,
        filter: Filter,
        model: &Annotations,
        articles: &[Article],
        schema: &Schema,
    ) {
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
            model.order().to_vec()
        };
        self.rows = from
            .into_iter()
            .filter(|&id| self.matches(model, id, articles, schema))
            .collect();
        self.edited_out = 0;
        self.selected = match selected {
            Some(id) => match self.search_rows(model, id) {
                Ok(i) => i,
                Err(i) => i.min(self.rows.len().saturating_sub(1)),
            },
            None => 0,
        };
    }

    /// The row showing this entry, if it is shown.
    pub fn row_of(&self, model: &Annotations, id: u32) -> Option<usize> {
        self.search_rows(model, id).ok()
    }

    /// Moves the selection to `row` (clamped) and scrolls as little as needed to show it in
    /// a list of `height` rows.
    pub(in crate::app) fn select(&mut self, row: usize, height: usize) {
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
    pub(in crate::app) fn scroll_by(&mut self, lines: isize, height: usize) {
        let height = height.max(1);
        let max = self.rows.len().saturating_sub(height);
        self.scroll = self.scroll.saturating_add_signed(lines).min(max);
        let selected = self.selected.clamp(self.scroll, self.scroll + height - 1);
        self.select(selected, height);
    }
}
