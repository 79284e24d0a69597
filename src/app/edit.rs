//! Decisions: the one path by which annotations change, whether made in the article or in the
//! review list. Each is remembered for undo and returned as a journal write.

use super::action::Effect;
use super::review_list::GONE;
use super::state::{Labels, SentenceKey, State, View, in_schema_order};
use super::update::{go, say, say_error};
use crate::corpus::Span;
use crate::store::{Decision, Origin};

/// What a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// A sentence of the corpus as it is now.
    Sentence {
        /// Index of the article.
        article: usize,
        /// Index of the sentence in the article.
        sentence: usize,
        /// Its bytes.
        span: Span,
    },
    /// An orphaned annotation of the session's annotator: the review list entry.
    Orphan(u32),
}

/// One decision, remembered for undo and redo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Change {
    pub(super) target: Target,
    pub(super) before: Option<Labels>,
    pub(super) after: Option<Labels>,
}

/// Records a decision on the current sentence (`None` clears it) for undo, and journals it.
pub(super) fn decide(state: &mut State, after: Option<Labels>) -> Vec<Effect> {
    let sentence = state.cursor.sentence;
    let Some(span) = state.current_span() else {
        return say(state, "this article has no sentences");
    };
    let target = Target::Sentence {
        article: state.cursor.article,
        sentence,
        span,
    };
    decide_on(state, target, after)
}

/// Records a decision on any target for undo, and journals it.
pub(super) fn decide_on(state: &mut State, target: Target, after: Option<Labels>) -> Vec<Effect> {
    if let Some(reason) = &state.read_only {
        let reason = format!("not saved: {reason}");
        return say_error(state, &reason);
    }
    let after = after.map(|l| in_schema_order(&state.schema, l));
    let before = labels_of(state, target);
    let unsaved = state.unsaved.contains_key(&key_of(target));
    if before == after && !unsaved {
        return Vec::new();
    }
    if let (Target::Sentence { article, span, .. }, Some(_)) = (target, &after) {
        state.clock.decided((article, span.start, span.end));
    }
    state.redo.clear();
    state.undo.push(Change {
        target,
        before,
        after: after.clone(),
    });
    vec![apply(state, target, after)]
}

/// The session annotator's labels on a target now.
pub(super) fn labels_of(state: &State, target: Target) -> Option<Labels> {
    match target {
        Target::Sentence { article, span, .. } => state.annotations[article]
            .get(&(span.start, span.end))
            .cloned(),
        Target::Orphan(id) => state.review.entry(id).labels.clone(),
    }
}

fn key_of(target: Target) -> SentenceKey {
    match target {
        Target::Sentence { article, span, .. } => (article, span.start, span.end),
        // Orphans may have no article: their entry stands for them.
        Target::Orphan(id) => (GONE, id as usize, id as usize),
    }
}

/// Sets a target's decision in memory and returns the journal write for it.
fn apply(state: &mut State, target: Target, labels: Option<Labels>) -> Effect {
    let show = state.view == View::Review;
    let event = match target {
        Target::Sentence { article, span, .. } => {
            set_sentence(state, article, span, labels.clone());
            let replaced_orphan = state.review.set_own(
                &state.articles,
                &state.schema,
                (article, span),
                labels.as_ref(),
                show,
            );
            if replaced_orphan {
                state.orphaned = state.orphaned.saturating_sub(1);
            }
            let a = &state.articles[article];
            let text = &a.text[span.start..span.end];
            decision(state, (&a.id, span), text, labels)
        }
        Target::Orphan(id) => {
            let entry = state.review.entry(id);
            let Some(orphan) = entry.orphan.as_deref() else {
                unreachable!("orphan targets are made from orphaned entries only");
            };
            let span = Span {
                start: entry.start,
                end: entry.end,
            };
            let article = state.review.article_id(id, &state.articles);
            let event = decision(state, (article, span), &orphan.text, labels.clone());
            match (entry.labels.is_some(), labels.is_some()) {
                (true, false) => state.orphaned = state.orphaned.saturating_sub(1),
                (false, true) => state.orphaned += 1,
                _ => {}
            }
            state
                .review
                .set_orphan(id, labels, &state.articles, &state.schema);
            event
        }
    };
    let seq = state.next_seq;
    state.next_seq += 1;
    state.in_flight.insert(seq, key_of(target));
    Effect::Save {
        seq,
        decision: event,
    }
}

/// A decision by the session's annotator, typed.
fn decision(
    state: &State,
    (article, span): (&str, Span),
    text: &str,
    labels: Option<Labels>,
) -> Decision {
    Decision {
        article: article.to_owned(),
        start: span.start,
        end: span.end,
        text: text.to_owned(),
        labels,
        origin: Origin::Typed,
        annotator: state.annotator.clone(),
    }
}

/// Updates the article view's decisions and counts.
fn set_sentence(state: &mut State, article: usize, span: Span, labels: Option<Labels>) {
    let key = (span.start, span.end);
    let old = match &labels {
        Some(l) => state.annotations[article].insert(key, l.clone()),
        None => state.annotations[article].remove(&key),
    };
    let current = article == state.cursor.article;
    if let Some(old) = &old {
        state.overall.add(&state.schema, old, -1);
        if current {
            state.in_article.add(&state.schema, old, -1);
        }
    }
    if let Some(new) = &labels {
        state.overall.add(&state.schema, new, 1);
        if current {
            state.in_article.add(&state.schema, new, 1);
        }
    }
}

/// Puts back the target of the last decision as it was before, wherever it was.
pub(super) fn undo(state: &mut State) -> Vec<Effect> {
    let Some(change) = state.undo.pop() else {
        return say(state, "nothing to undo");
    };
    let effects = replay(state, change.target, change.before.clone());
    state.redo.push(change);
    effects
}

/// Does again the decision that the last undo took back.
pub(super) fn redo(state: &mut State) -> Vec<Effect> {
    let Some(change) = state.redo.pop() else {
        return say(state, "nothing to redo");
    };
    let effects = replay(state, change.target, change.after.clone());
    state.undo.push(change);
    effects
}

/// Goes to the target (the sentence in the article; its row in the review list) and sets it.
fn replay(state: &mut State, target: Target, labels: Option<Labels>) -> Vec<Effect> {
    let mut effects = match target {
        Target::Sentence {
            article, sentence, ..
        } => go(state, article, sentence),
        Target::Orphan(_) => Vec::new(),
    };
    effects.push(apply(state, target, labels));
    if state.view == View::Review {
        let id = match target {
            Target::Sentence { article, span, .. } => {
                state.review.find(article, span, state.review.me())
            }
            Target::Orphan(id) => Some(id),
        };
        if let Some(row) = id.and_then(|id| state.review.row_of(id)) {
            super::review::select(state, row);
        }
    }
    effects
}
