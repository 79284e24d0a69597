//! A session that adjudicates: the lead's decisions are journaled with origin `adjudicated`,
//! and the review list opens on the sentences where annotators disagree.

use super::review_list::Filter;
use super::state::{State, View};
use crate::store::Origin;

impl State {
    /// Turns a new session into an adjudication: decisions are the lead's final answers
    /// (origin `adjudicated`), and the review list shows only disputed sentences.
    pub fn adjudicate(&mut self) {
        self.origin = Origin::Adjudicated;
        self.view = View::Review;
        let filter = Filter {
            disagreements: true,
            ..self.review.filter().clone()
        };
        self.review
            .set_filter(filter, &self.model, &self.articles, &self.schema);
    }

    /// The origin the session's decisions are journaled with.
    pub fn origin(&self) -> Origin {
        self.origin
    }
}
