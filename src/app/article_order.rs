//! What the article list shows beside each article besides progress: the annotators'
//! agreement on its sentences (so a lead sees where the guidelines fail), whether it still
//! needs this annotator (`--overlap`), and the orders the list can be sorted in by them.

use super::annotations::GONE;
use super::state::State;
use crate::agree::{Ratings, SetAgreement};

/// The order of the article list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    /// Corpus order (or, while a query is typed, best match first).
    #[default]
    Corpus,
    /// Lowest agreement (MASI alpha on the label set) first; articles whose alpha is
    /// undefined next, those without units last.
    Agreement,
    /// Articles that need this annotator first (fewer than `--overlap` annotators finished
    /// them, and this annotator has not).
    NeedsYou,
}

impl ListOrder {
    /// The order after this one, in turn.
    pub fn next(self) -> ListOrder {
        match self {
            ListOrder::Corpus => ListOrder::Agreement,
            ListOrder::Agreement => ListOrder::NeedsYou,
            ListOrder::NeedsYou => ListOrder::Corpus,
        }
    }

    /// How the list's title names the order.
    pub fn words(self) -> &'static str {
        match self {
            ListOrder::Corpus => "corpus order",
            ListOrder::Agreement => "lowest agreement first",
            ListOrder::NeedsYou => "needing you first",
        }
    }
}

impl State {
    /// Every article's agreement on the label set over its sentences that two or more
    /// annotators decided (every annotator in the store, the session's included), by
    /// article index; `None` for an article without such a sentence.
    pub fn article_agreements(&self) -> Vec<Option<SetAgreement>> {
        let mut out = vec![None; self.articles.len()];
        let annotators = self.model.annotators();
        let mut row: Vec<Option<&[String]>> = vec![None; annotators.len()];
        let order = self.model.order();
        let mut i = 0;
        while i < order.len() {
            let article = self.model.entry(order[i]).article;
            let end = i + order[i..].partition_point(|&id| self.model.entry(id).article == article);
            if article != GONE && article < out.len() {
                out[article] = self.agreement_over(&order[i..end], &mut row);
            }
            i = end;
        }
        out
    }

    /// The agreement over the units of `ids` (one article's entries, in order).
    fn agreement_over<'a>(
        &'a self,
        ids: &[u32],
        row: &mut Vec<Option<&'a [String]>>,
    ) -> Option<SetAgreement> {
        let live = |id: &u32| {
            let e = self.model.entry(*id);
            e.orphan.is_none() && e.labels.is_some()
        };
        let mut labels: Vec<String> = self.schema.labels.iter().map(|l| l.name.clone()).collect();
        let mut other: Vec<&String> = ids
            .iter()
            .filter(|id| live(id))
            .flat_map(|&id| self.model.entry(id).labels.iter().flatten())
            .filter(|name| !labels.contains(name))
            .collect();
        other.sort_unstable();
        other.dedup();
        labels.extend(other.into_iter().cloned());
        let mut ratings = Ratings::new(self.model.annotators().to_vec(), labels)
            .expect("the model's annotators and labels are unique");
        let mut unit: Option<(usize, usize)> = None;
        let push = |row: &mut Vec<Option<&[String]>>, ratings: &mut Ratings| {
            ratings
                .push_unit(row.iter().map(|d| d.map(<[String]>::iter)))
                .expect("every label is listed");
            row.iter_mut().for_each(|d| *d = None);
        };
        for &id in ids.iter().filter(|id| live(id)) {
            let e = self.model.entry(id);
            if unit.is_some_and(|u| u != (e.start, e.end)) {
                push(row, &mut ratings);
            }
            unit = Some((e.start, e.end));
            row[e.annotator as usize] = e.labels.as_deref();
        }
        if unit.is_some() {
            push(row, &mut ratings);
        }
        (ratings.units() > 0).then(|| ratings.set_agreement())
    }

    /// Whether `article` needs this annotator: fewer than `--overlap` annotators finished it
    /// and this annotator has not (an article not yet segmented counts as needing them).
    pub fn needs_you(&self, article: usize) -> bool {
        let (mine, sentences) = self.article_progress(article);
        let finished = sentences.is_some_and(|n| n > 0 && mine >= n);
        !finished && self.wants_annotator(article)
    }

    /// Sorts the article list's matches stably by its order: the match ranking (or corpus
    /// order) stays within equal keys.
    pub(super) fn sort_articles(&mut self) {
        let mut matches = std::mem::take(&mut self.picker.matches);
        match self.picker.order {
            ListOrder::Corpus => {}
            ListOrder::Agreement => {
                let agreements = &self.picker.agreements;
                // Defined alphas ascending, then undefined ones, then articles without units.
                let key = |a: &u32| match agreements.get(*a as usize).and_then(Option::as_ref) {
                    Some(set) => match set.alpha_masi.value() {
                        Some(alpha) => (0u8, alpha),
                        None => (1, 0.0),
                    },
                    None => (2, 0.0),
                };
                matches.sort_by(|a, b| {
                    let (ka, kb) = (key(a), key(b));
                    ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
                });
            }
            ListOrder::NeedsYou => {
                matches.sort_by_key(|&a| !self.needs_you(a as usize));
            }
        }
        self.picker.matches = matches;
    }
}
