//! Finishing an article: every sentence of it that the session's annotator has not decided
//! becomes "no stance", as one atomic store write and one undo step. The key asks first,
//! saying how many; pressed again while the question shows, it acts (any other key clears the
//! question, as it clears every message).

use super::action::{Action, Effect};
use super::edit::decide_all;
use super::history::Target;
use super::layout::sanitize;
use super::navigate::{go, say, say_decided};
use super::state::{State, View};

/// The finish-article key: asks, then decides.
pub(super) fn press(state: &mut State) -> Vec<Effect> {
    if state.view != View::Article {
        return say(state, "an article is finished from the article view");
    }
    if state.articles.is_empty() {
        return say(state, "the corpus has no articles");
    }
    let article = state.cursor.article;
    let Some(spans) = state.sentences.of(article) else {
        return say(state, "this article is not segmented yet");
    };
    let targets: Vec<Target> = spans
        .iter()
        .enumerate()
        .filter(|&(sentence, _)| state.annotation_at(article, sentence).is_none())
        .map(|(sentence, &span)| Target::Sentence {
            article,
            sentence,
            span,
        })
        .collect();
    if targets.is_empty() {
        return say(state, "every sentence of this article is decided already");
    }
    let question = question(state, targets.len());
    let asked = state.message.as_ref().is_some_and(|m| m.text == question);
    if !asked {
        return say(state, &question);
    }
    let count = targets.len();
    let mut effects = decide_all(state, &targets, Some(Vec::new()));
    if effects.is_empty() {
        return effects;
    }
    if article + 1 < state.articles.len() {
        effects.extend(go(state, article + 1, 0));
    }
    let seq = super::edit::last_seq(&effects);
    let what = format!("no stance · {count} sentences of article {}", article + 1);
    effects.extend(say_decided(state, what, seq));
    effects
}

/// What the key asks before it acts, naming the key that confirms.
fn question(state: &State, count: usize) -> String {
    let key = state
        .keymap
        .keys_of(&Action::FinishArticle)
        .first()
        .map_or_else(|| "it".to_owned(), |key| sanitize(&key.to_string()));
    let sentences = if count == 1 { "sentence" } else { "sentences" };
    format!("{key} again: {count} undecided {sentences} of this article → no stance")
}
