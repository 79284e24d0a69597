//! The model in the session, as the state machine sees it: the scores a model worker sent
//! for the current sentence, and accepting them with one key.
//!
//! The state never runs the model: the loop asks a worker for the sentence that
//! [`State::wanted_suggestion`] names and hands back its answer as [`Action::Suggested`], so a
//! key never waits for scoring or training. A suggestion is not an annotation: it is shown
//! apart from the decision and journaled only when accepted.

use super::action::{Action, Effect};
use super::edit::decide;
use super::navigate::{say, step};
use super::state::{SentenceKey, State, View};
use crate::model::Suggestion;
use crate::store::{Origin, Scores};

/// The model's view of one sentence, sent by the model worker.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The sentence scored.
    pub key: SentenceKey,
    /// Its scores, sources and suggested labels.
    pub suggestion: Suggestion,
}

impl PartialEq for Scored {
    fn eq(&self, other: &Scored) -> bool {
        let bits = |s: &Suggestion| {
            (
                s.scores.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                s.uncertainty.to_bits(),
            )
        };
        self.key == other.key
            && bits(&self.suggestion) == bits(&other.suggestion)
            && self.suggestion.sources == other.suggestion.sources
            && self.suggestion.suggested == other.suggestion.suggested
    }
}

impl Eq for Scored {}

impl Default for Scored {
    fn default() -> Scored {
        Scored {
            key: (0, 0, 0),
            suggestion: Suggestion {
                scores: Vec::new(),
                sources: Vec::new(),
                suggested: Vec::new(),
                uncertainty: 1.0,
            },
        }
    }
}

/// What the model learned from, per label in schema order: positives and negatives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learned {
    /// (positive, negative) examples per label.
    pub counts: Vec<(usize, usize)>,
}

/// The session's side of the model: whether it is trained, and the latest scores.
#[derive(Debug, Clone, Default)]
pub struct Assist {
    /// What the model learned from, once trained; `None` while it trains.
    pub(super) learned: Option<Learned>,
    /// The latest scores the worker sent, for the sentence they name.
    pub(super) current: Option<Scored>,
    /// The scores an accepted suggestion is being journaled with, taken by the write.
    pub(super) accepting: Option<Scores>,
    /// Suggested labels are pre-toggled on an undecided sentence (config `preselect`).
    pub(super) preselect: bool,
    /// A model worker runs for this session, so the label pane shows its state.
    pub(super) attached: bool,
    /// `Space` goes to the sentence the model is least sure of (`--order uncertain`).
    pub(super) uncertain_order: bool,
    /// Every sentence, the least sure first, once the worker ranked the corpus.
    pub(super) ranked: Option<Vec<SentenceKey>>,
    /// How the session's decisions were made.
    pub(super) tally: Tally,
    /// The model's cross-validated quality, once the trainer computed it.
    pub(super) quality: Option<super::model_stats::Evaluated>,
    /// How the store's decisions were made, once the trainer counted them.
    pub(super) share: Option<super::model_stats::Share>,
}

/// The session's decisions on sentences, and how many were accepted suggestions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Decisions made (labels or no stance; clears and undos not counted).
    pub decided: usize,
    /// Of them, accepted suggestions (`y`).
    pub accepted: usize,
    /// Accepted suggestions whose sentence was later decided otherwise in the session.
    pub changed: usize,
    /// Sentences whose decision now is an accepted suggestion.
    pub(super) standing: std::collections::HashSet<SentenceKey>,
}

impl State {
    /// The sentence whose scores the session wants (the current one in the article view),
    /// and its text; `None` when nothing is to be scored.
    pub fn wanted_suggestion(&self) -> Option<(SentenceKey, &str)> {
        if self.view != View::Article {
            return None;
        }
        let article = self.articles.get(self.cursor.article)?;
        let span = self.current_span()?;
        let key = (self.cursor.article, span.start, span.end);
        Some((key, &article.text[span.start..span.end]))
    }

    /// The model's suggestion for the current sentence, once the worker has scored it.
    pub fn suggestion(&self) -> Option<&Suggestion> {
        let (key, _) = self.wanted_suggestion()?;
        self.assist
            .current
            .as_ref()
            .filter(|s| s.key == key)
            .map(|s| &s.suggestion)
    }

    /// Says that a model worker runs for this session: the label pane shows the model (or
    /// that it is training) from now on.
    pub fn attach_model(&mut self) {
        self.assist.attached = true;
    }

    /// Makes `Space` go to the not-yet-annotated sentence the model is least sure of.
    pub fn order_by_uncertainty(&mut self) {
        self.assist.uncertain_order = true;
    }

    /// How the session's decisions were made: accepted suggestions and their changes.
    pub fn tally(&self) -> &Tally {
        &self.assist.tally
    }

    /// Whether a model worker runs for this session.
    pub fn has_model(&self) -> bool {
        self.assist.attached
    }

    /// What the model learned from; `None` while it is still training.
    pub fn model_learned(&self) -> Option<&Learned> {
        self.assist.learned.as_ref()
    }

    /// Whether suggested labels are pre-toggled on undecided sentences.
    pub fn preselects(&self) -> bool {
        self.assist.preselect
    }

    /// Turns pre-selection of suggested labels on or off (config `preselect`).
    pub fn set_preselect(&mut self, on: bool) {
        self.assist.preselect = on;
    }

    /// The names of the labels a suggestion suggests, in schema order.
    pub(super) fn suggested_names(&self, suggestion: &Suggestion) -> Vec<String> {
        suggestion
            .suggested
            .iter()
            .map(|&i| self.schema.labels[i].name.clone())
            .collect()
    }

    /// The labels shown as pre-selected on the current sentence: the suggestion, when
    /// `preselect` is on and the sentence is undecided.
    pub fn preselected(&self) -> Option<Vec<String>> {
        if !self.assist.preselect || self.annotation(self.cursor.sentence).is_some() {
            return None;
        }
        self.suggestion().map(|s| self.suggested_names(s))
    }
}

/// The model worker's reports.
pub(super) fn reported(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::ModelTrained(learned) => state.assist.learned = Some(learned),
        Action::Suggested(scored) => state.assist.current = Some(scored),
        Action::Ranked(order) => state.assist.ranked = Some(order),
        Action::ModelEvaluated(quality) => state.assist.quality = Some(quality),
        Action::SuggestionShare(share) => state.assist.share = Some(share),
        _ => {}
    }
    Vec::new()
}

/// `y`: the suggestion shown becomes the sentence's decision (none suggested is "no
/// stance"), journaled with origin `suggestion` and its scores, and the cursor moves on.
pub(super) fn accept(state: &mut State) -> Vec<Effect> {
    if state.sentence_count() == 0 {
        return say(state, "this article has no sentences");
    }
    let Some(suggestion) = state.suggestion().cloned() else {
        let why = if state.assist.learned.is_none() {
            "no suggestion yet: the model is still training"
        } else {
            "no suggestion yet for this sentence"
        };
        return say(state, why);
    };
    let labels = state.suggested_names(&suggestion);
    let names = state.schema.labels.iter().map(|l| l.name.as_str());
    state.assist.accepting = Some(Scores::new(names, &suggestion.scores));
    let mut effects = decide(state, Some(labels));
    state.assist.accepting = None;
    effects.extend(step(state, 1));
    effects
}

/// The origin and scores of the decision being written now: an accepted suggestion's
/// (while [`accept`] or a redo of one runs), or the session's own origin with none.
pub(super) fn origin_of(state: &State) -> (Origin, Option<Scores>) {
    match &state.assist.accepting {
        Some(scores) => (Origin::Suggestion, Some(scores.clone())),
        None => (state.origin, None),
    }
}

/// Where `Space` went with `--order uncertain`.
pub(super) enum Uncertain {
    /// Corpus order: `--order uncertain` was not given, or nothing is left undecided.
    Corpus,
    /// The worker has not ranked the corpus yet.
    NotRanked,
    /// To the least sure sentence not decided.
    Went(Vec<Effect>),
}

/// `Space` with `--order uncertain`: the sentence you have not decided that the model is
/// least sure of, in its article.
pub(super) fn next_uncertain(state: &mut State) -> Uncertain {
    if !state.assist.uncertain_order {
        return Uncertain::Corpus;
    }
    let Some(ranked) = state.assist.ranked.take() else {
        return Uncertain::NotRanked;
    };
    let me = state.model.me();
    let found = ranked.iter().copied().find(|&(article, start, end)| {
        let span = crate::corpus::Span { start, end };
        state.model.labels_of(article, span, me).is_none()
    });
    state.assist.ranked = Some(ranked);
    let Some((article, start, end)) = found else {
        return Uncertain::Corpus;
    };
    let Some(sentence) = state
        .spans(article)
        .iter()
        .position(|s| s.start == start && s.end == end)
    else {
        return Uncertain::Corpus;
    };
    let mut effects = super::navigate::go(state, article, sentence);
    effects.extend(say(
        state,
        "least sure first: the sentence the model doubts most (--order uncertain)",
    ));
    Uncertain::Went(effects)
}

/// Counts a new decision on the sentence `key` (not an undo or a redo).
pub(super) fn count(state: &mut State, key: SentenceKey, labels: Option<&[String]>) {
    let tally = &mut state.assist.tally;
    let accepted = state.assist.accepting.is_some();
    let was_accepted = tally.standing.remove(&key);
    if labels.is_none() {
        return;
    }
    tally.decided += 1;
    if accepted {
        tally.accepted += 1;
        tally.standing.insert(key);
    } else if was_accepted {
        tally.changed += 1;
    }
}
