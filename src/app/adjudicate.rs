//! A session that adjudicates: the lead's decisions are journaled with origin `adjudicated`,
//! and the session opens on the adjudication view of the sentences where annotators
//! disagree (the review list keeps its disagreements filter set for when it is shown).

use super::review_list::Filter;
use super::state::{State, View};
use crate::store::Origin;

impl State {
    /// Turns a new session into an adjudication: decisions are the lead's final answers
    /// (origin `adjudicated`), and the adjudication view lists the disputed sentences.
    pub fn adjudicate(&mut self) {
        self.origin = Origin::Adjudicated;
        let filter = Filter {
            disagreements: true,
            ..self.review.filter().clone()
        };
        self.review
            .set_filter(filter, &self.model, &self.articles, &self.schema);
        self.view = View::Adjudicate;
        super::adjudication::refresh(self);
    }

    /// The adjudication view: disputed sentences, their columns, filters and progress.
    pub fn adjudication(&self) -> &super::adjudication::Adjudication {
        &self.adjudication
    }

    /// The origin the session's decisions are journaled with.
    pub fn origin(&self) -> Origin {
        self.origin
    }
}
