//! The model's scores in the label pane: a bar and an exact percentage per label, and which
//! labels it suggests. Worded apart from the decision ("suggested", never a check box), so a
//! suggestion is never mistaken for an annotation, with or without colour.

use crate::app::State;
use crate::app::layout::sanitize;
use crate::model::{Source, Suggestion};

/// Cells of a score bar.
pub(super) const BAR: usize = 5;

/// A score as a bar of [`BAR`] cells.
pub(super) fn bar(score: f64) -> String {
    let filled = ((score.clamp(0.0, 1.0) * BAR as f64).round() as usize).min(BAR);
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR - filled))
}

/// A score as a percentage with two decimals: exactly the 4 decimals `stance suggest`
/// prints, so the two can be compared digit for digit.
pub(super) fn percent(score: f64) -> String {
    let n = (score.clamp(0.0, 1.0) * 10_000.0).round() as u32;
    format!("{}.{:02}%", n / 100, n % 100)
}

/// `p` after a score that comes from the label's patterns alone, `-` when there is nothing
/// to go on yet, a space for the label's classifier.
pub(super) fn source_mark(source: Source) -> char {
    match source {
        Source::Model => ' ',
        Source::Patterns => 'p',
        Source::Nothing => '-',
        Source::Ngrams => 'n',
    }
}

/// One label's model cell: bar, percentage, source mark and `suggested` (or blanks).
pub(super) fn cell(suggestion: &Suggestion, label: usize) -> String {
    let score = suggestion.scores[label];
    let tag = if suggestion.suggested.contains(&label) {
        "suggested"
    } else {
        ""
    };
    format!(
        "{} {:>7}{} {tag:<9}",
        bar(score),
        percent(score),
        source_mark(suggestion.sources[label])
    )
}

/// What the model says of the current sentence in a few words: what `y` would decide, or
/// that it is training or scoring; `None` when the session has no model.
pub(super) fn summary(state: &State) -> Option<String> {
    if !state.has_model() {
        return None;
    }
    if state.model_learned().is_none() {
        return Some("model training…".to_owned());
    }
    let Some(suggestion) = state.suggestion() else {
        return Some("model scoring…".to_owned());
    };
    let names: Vec<&str> = suggestion
        .suggested
        .iter()
        .map(|&i| state.schema().labels[i].name.as_str())
        .collect();
    let what = if names.is_empty() {
        "no stance".to_owned()
    } else {
        sanitize(&names.join(", "))
    };
    let patterns = suggestion.sources.contains(&Source::Patterns);
    let note = if suggestion.sources.contains(&Source::Ngrams) {
        " (n: n-gram model, encoder still embedding)"
    } else if patterns {
        " (p: patterns only)"
    } else {
        ""
    };
    Some(format!("suggested (y): {what}{note}"))
}
