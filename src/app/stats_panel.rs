//! What the statistics panel shows: the label distribution over every annotator, each
//! annotator's count, and the pace of this session from times the loop sends in.

use super::action::{Action, Effect};
use super::annotations::GONE;
use super::clock::MIN_ELAPSED_MS;
pub use super::clock::{Pace, SessionClock};
use super::keymap::Key;
use super::keys::is_redraw;
use super::panel::Panel;
use super::state::{Counts, Mode, State};
use crate::agree::{Agreement, Ratings};

/// The statistics panel: any key but the redraw key closes it.
pub(super) struct StatsPanel;

impl Panel for StatsPanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        Some(if is_redraw(state, key) {
            Action::Redraw
        } else {
            Action::Cancel
        })
    }

    fn update(&self, state: &mut State, _: Action) -> Vec<Effect> {
        state.mode = Mode::Normal;
        Vec::new()
    }
}

impl State {
    /// How fast this session is deciding sentences.
    pub fn pace(&self) -> Pace {
        let sentences = self.clock.decided.len();
        let elapsed_ms = match (self.clock.started, self.clock.now) {
            (Some(start), Some(now)) => now - start,
            _ => 0,
        };
        let per_hour = (elapsed_ms >= MIN_ELAPSED_MS)
            .then(|| sentences as f64 * 3_600_000.0 / elapsed_ms as f64);
        Pace {
            sentences,
            elapsed_ms,
            per_hour,
        }
    }

    /// Live annotations of every annotator in the store, added up.
    pub fn all_annotators(&self) -> Counts {
        let mut total = Counts::new(&self.schema);
        for counts in self.model.counts() {
            total.annotated += counts.annotated;
            total.no_stance += counts.no_stance;
            for (sum, n) in total.labels.iter_mut().zip(&counts.labels) {
                *sum += n;
            }
        }
        total
    }

    /// Each annotator's name and live annotations, most first; ties by name.
    pub fn annotator_counts(&self) -> Vec<(&str, usize)> {
        let review = &self.model;
        let mut rows: Vec<(&str, usize)> = review
            .annotators()
            .iter()
            .zip(review.counts())
            .map(|(name, counts)| (name.as_str(), counts.annotated))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rows
    }
}

impl State {
    /// Every annotator's agreement on the sentences two or more of them decided, from the
    /// session's model (so others' decisions that arrived count); labels are the schema's,
    /// then any other name found, sorted.
    pub fn model_agreement(&self) -> Agreement {
        let live = |id: &&u32| {
            let e = self.model.entry(**id);
            e.orphan.is_none() && e.article != GONE && e.labels.is_some()
        };
        let mut labels: Vec<String> = self.schema.labels.iter().map(|l| l.name.clone()).collect();
        let mut other: Vec<&String> = self
            .model
            .order()
            .iter()
            .filter(live)
            .flat_map(|&id| self.model.entry(id).labels.iter().flatten())
            .filter(|name| !labels.contains(name))
            .collect();
        other.sort_unstable();
        other.dedup();
        labels.extend(other.into_iter().cloned());
        let annotators = self.model.annotators().to_vec();
        let raters = annotators.len();
        let mut ratings =
            Ratings::new(annotators, labels).expect("the model's annotators and labels are unique");
        let mut row: Vec<Option<&[String]>> = vec![None; raters];
        let mut unit: Option<(usize, usize, usize)> = None;
        let ids: Vec<u32> = self.model.order().iter().filter(live).copied().collect();
        let mut push = |row: &mut Vec<Option<&[String]>>| {
            ratings
                .push_unit(row.iter().map(|d| d.map(<[String]>::iter)))
                .expect("every label is listed");
            row.iter_mut().for_each(|d| *d = None);
        };
        for id in ids {
            let e = self.model.entry(id);
            let key = (e.article, e.start, e.end);
            if unit.is_some_and(|u| u != key) {
                push(&mut row);
            }
            unit = Some(key);
            row[e.annotator as usize] = e.labels.as_deref();
        }
        if unit.is_some() {
            push(&mut row);
        }
        ratings.agreement()
    }

    /// The agreement computed when the statistics panel was last opened.
    pub fn agreement(&self) -> Option<&Agreement> {
        self.agreement.as_ref()
    }
}
