//! What the statistics panel shows: the label distribution over every annotator, each
//! annotator's count, and the pace of this session from times the loop sends in.

use super::action::{Action, Effect};
use super::clock::MIN_ELAPSED_MS;
pub use super::clock::{Pace, SessionClock};
use super::keymap::Key;
use super::keys::is_redraw;
use super::panel::Panel;
use super::state::{Counts, Mode, State};

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
