//! The units to compare: per sentence, the label set each annotator chose or nothing.

use rustc_hash::FxHashMap;
use thiserror::Error;

use super::nominal::MISSING;

/// Data that cannot be compared, named so the caller can point at its source.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AgreeError {
    /// A unit with a number of entries other than the number of annotators (or raters).
    #[error("a unit has {found} entries for {expected} annotators")]
    UnitLength {
        /// The number of annotators or raters.
        expected: usize,
        /// The number of entries the unit had.
        found: usize,
    },
    /// A decision names a label that is not in the label list.
    #[error("label {0:?} is not one of the labels compared")]
    UnknownLabel(String),
    /// A category index at or past the scale's size.
    #[error("category {category} is outside a scale of {categories} categories")]
    UnknownCategory {
        /// The index given.
        category: usize,
        /// The scale's size.
        categories: usize,
    },
    /// The same annotator listed twice.
    #[error("annotator {0:?} is listed twice")]
    DuplicateAnnotator(String),
    /// The same label listed twice.
    #[error("label {0:?} is listed twice")]
    DuplicateLabel(String),
}

/// Units × annotators of label sets, each distinct set stored once; only units with decisions
/// from two or more annotators are kept, the others are not comparable.
#[derive(Clone, Debug)]
pub struct Ratings {
    annotators: Vec<String>,
    labels: Vec<String>,
    label_index: FxHashMap<String, u32>,
    /// Every distinct label set, as sorted label indices; a cell holds an index into this.
    sets: Vec<Box<[u32]>>,
    set_index: FxHashMap<Box<[u32]>, u32>,
    /// Row by row, one cell per annotator: a set index or [`MISSING`].
    cells: Vec<u32>,
    row: Vec<u32>,
    scratch: Vec<u32>,
}

impl Ratings {
    /// Empty ratings by these annotators on these labels, both in the order reports list them.
    pub fn new(annotators: Vec<String>, labels: Vec<String>) -> Result<Ratings, AgreeError> {
        let mut seen = FxHashMap::default();
        for name in &annotators {
            if seen.insert(name.as_str(), ()).is_some() {
                return Err(AgreeError::DuplicateAnnotator(name.clone()));
            }
        }
        let mut label_index = FxHashMap::default();
        for (i, name) in labels.iter().enumerate() {
            let i = u32::try_from(i).expect("fewer than 2^32 labels");
            if label_index.insert(name.clone(), i).is_some() {
                return Err(AgreeError::DuplicateLabel(name.clone()));
            }
        }
        Ok(Ratings {
            annotators,
            labels,
            label_index,
            sets: Vec::new(),
            set_index: FxHashMap::default(),
            cells: Vec::new(),
            row: Vec::new(),
            scratch: Vec::new(),
        })
    }

    /// Adds one unit: one entry per annotator, in [`Ratings::annotators`] order, `None` where
    /// that annotator did not annotate it and the chosen label names otherwise (empty: "no
    /// stance"; a label named twice counts once). Returns whether the unit was kept, that is
    /// whether two or more annotators decided on it. On an error nothing is added.
    pub fn push_unit<S, L>(
        &mut self,
        decisions: impl IntoIterator<Item = Option<S>>,
    ) -> Result<bool, AgreeError>
    where
        S: IntoIterator<Item = L>,
        L: AsRef<str>,
    {
        self.row.clear();
        for decision in decisions {
            let Some(labels) = decision else {
                self.row.push(MISSING);
                continue;
            };
            self.scratch.clear();
            for label in labels {
                let label = label.as_ref();
                match self.label_index.get(label) {
                    Some(&i) => self.scratch.push(i),
                    None => return Err(AgreeError::UnknownLabel(label.to_owned())),
                }
            }
            self.scratch.sort_unstable();
            self.scratch.dedup();
            let set = match self.set_index.get(self.scratch.as_slice()) {
                Some(&set) => set,
                None => {
                    let set = u32::try_from(self.sets.len())
                        .ok()
                        .filter(|&s| s != MISSING)
                        .expect("fewer than 2^32 - 1 distinct label sets");
                    let key: Box<[u32]> = self.scratch.as_slice().into();
                    self.sets.push(key.clone());
                    self.set_index.insert(key, set);
                    set
                }
            };
            self.row.push(set);
        }
        if self.row.len() != self.annotators.len() {
            return Err(AgreeError::UnitLength {
                expected: self.annotators.len(),
                found: self.row.len(),
            });
        }
        let decided = self.row.iter().filter(|&&c| c != MISSING).count();
        if decided < 2 {
            return Ok(false);
        }
        self.cells.extend_from_slice(&self.row);
        Ok(true)
    }

    /// The annotators, in the order each unit lists their decisions.
    pub fn annotators(&self) -> &[String] {
        &self.annotators
    }

    /// The position of an annotator in each unit's list of decisions.
    pub fn annotator_index(&self, name: &str) -> Option<usize> {
        self.annotators.iter().position(|a| a == name)
    }

    /// The labels compared one by one, in report order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Units kept: those with decisions from two or more annotators.
    pub fn units(&self) -> usize {
        self.cells
            .len()
            .checked_div(self.annotators.len())
            .unwrap_or(0)
    }

    /// Row-major cells: per unit, per annotator, an index into [`Ratings::sets`] or `MISSING`.
    pub(super) fn cells(&self) -> &[u32] {
        &self.cells
    }

    /// The distinct label sets used, each as sorted label indices.
    pub(super) fn sets(&self) -> &[Box<[u32]>] {
        &self.sets
    }
}
