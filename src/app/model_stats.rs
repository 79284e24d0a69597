//! What the statistics panel says of the model beyond what it learned from: its
//! cross-validated quality on the store's settled annotations, and how the store's
//! decisions were made. Both are computed on the model's trainer thread and sent in.

use super::state::State;
use crate::model::eval::Quality;

/// The model's quality as `stance suggest --eval` computes it, for the store as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluated {
    /// Folds of the cross-validation by article.
    pub folds: usize,
    /// Settled annotations the model learns from (the evaluation's examples).
    pub annotations: usize,
    /// Positive and negative settled annotations per label, in schema order.
    pub counts: Vec<(usize, usize)>,
    /// The figures; `None` while there are too few annotations to evaluate.
    pub quality: Option<Quality>,
    /// Annotations and annotated articles still lacking before `--eval` runs.
    pub shortfall: Option<(usize, usize)>,
}

/// How the store's live decisions were made: every annotator's current decision on each
/// sentence (labels or no stance; ignored sentences are not decisions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Share {
    /// Live decisions in the store.
    pub decisions: usize,
    /// Of them, decisions whose origin is `suggestion` (accepted with `y`).
    pub accepted: usize,
    /// Typed decisions, seen since the session opened (this session's and arrivals), that
    /// replaced the same annotator's accepted suggestion on the sentence.
    pub changed: usize,
}

impl State {
    /// The model's cross-validated quality; `None` until the trainer has computed it.
    pub fn model_quality(&self) -> Option<&Evaluated> {
        self.assist.quality.as_ref()
    }

    /// How the store's decisions were made; `None` until the trainer has counted them.
    pub fn suggestion_share(&self) -> Option<&Share> {
        self.assist.share.as_ref()
    }
}
