//! The rows after the model changed: an entry edited (it stays, maybe "edited out"), or new
//! (shown when it passes the filter, or always when the reviewer made it from the list).

use super::ReviewList;
use crate::app::annotations::Annotations;
use crate::corpus::Article;
use crate::schema::Schema;

/// Whether an entry was shown, and passed the filter, before a change.
#[derive(Debug, Clone, Copy)]
pub(in crate::app) struct Before {
    shown: bool,
    matched: bool,
}

impl ReviewList {
    /// Notes how an entry stands before the model changes it.
    pub(in crate::app) fn before(
        &self,
        model: &Annotations,
        id: u32,
        articles: &[Article],
        schema: &Schema,
    ) -> Before {
        let shown = self.row_of(model, id).is_some();
        Before {
            shown,
            matched: shown && self.matches(model, id, articles, schema),
        }
    }

    /// Keeps the edited-out tally right after the model changed an entry that was there.
    pub(in crate::app) fn changed(
        &mut self,
        model: &Annotations,
        id: u32,
        before: Before,
        articles: &[Article],
        schema: &Schema,
    ) {
        let matches = before.shown && self.matches(model, id, articles, schema);
        if before.matched && !matches {
            self.edited_out += 1;
        } else if before.shown && !before.matched && matches {
            self.edited_out = self.edited_out.saturating_sub(1);
        }
    }

    /// Shows an entry that is not shown yet: when it passes the filter, or always with `show`
    /// (then counted as edited out if it does not pass).
    pub(in crate::app) fn offer(
        &mut self,
        model: &Annotations,
        id: u32,
        show: bool,
        articles: &[Article],
        schema: &Schema,
    ) {
        let matches = self.matches(model, id, articles, schema);
        if !show && !matches {
            return;
        }
        let Err(at) = self.search_rows(model, id) else {
            return;
        };
        if !self.rows.is_empty() && at <= self.selected {
            self.selected += 1;
        }
        self.rows.insert(at, id);
        if !matches {
            self.edited_out += 1;
        }
    }

    /// Renumbers the annotator filter after an annotator was added at `at` in name order.
    pub(in crate::app) fn annotator_added(&mut self, at: u32) {
        if let Some(a) = &mut self.filter.annotator {
            *a += u32::from(*a >= at);
        }
    }
}
