//! Decisions: the one path by which annotations change, whether made in the article or in the
//! review list. Each is remembered for undo and returned as a journal write.

use super::action::Effect;
use super::annotations::GONE;
use super::history::{Change, Target};
use super::layout::sanitize;
use super::navigate::{go, say, say_decided, say_error};
use super::open::Insert;
use super::split;
use super::state::{Labels, SentenceKey, State, View};
use super::vocabulary::in_schema_order;
use crate::corpus::Span;
use crate::store::{Decision, is_ignore};

/// The refusal of an edit in a session that cannot save, said in the status bar before
/// anything moves (so the cursor stays on what was not saved); `None` when it can save.
pub(super) fn refused(state: &mut State) -> Option<Vec<Effect>> {
    let text = format!("not saved: {}", state.read_only.as_ref()?);
    Some(say_error(state, &text))
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
    let unsaved = state.saving.is_unsaved(&key_of(target));
    // Accepting a suggestion that matches the labels is still journaled: its origin is news.
    if before == after && !unsaved && state.assist.accepting.is_none() {
        return Vec::new();
    }
    if let (Target::Sentence { article, span, .. }, Some(_)) = (target, &after) {
        state.clock.decided((article, span.start, span.end));
    }
    if let Target::Sentence { article, span, .. } = target {
        super::assist::count(state, (article, span.start, span.end), after.as_deref());
    }
    let accepted = state.assist.accepting.clone();
    let how = if accepted.is_some() {
        "accepted suggestion: "
    } else {
        ""
    };
    state.history.record(Change {
        target,
        before,
        after: after.clone(),
        accepted,
    });
    let effects = vec![apply(state, target, after.clone())];
    // What was decided, said in the status bar until the next key, so a stray `Enter` or
    // `0` shows at once what it decided; `saved: …` once the store has it.
    let said = match &after {
        Some(_) => format!("{how}{} · {}", words(after.as_ref()), place(target)),
        None => format!("cleared · {}", place(target)),
    };
    say_decided(state, said, last_seq(&effects));
    effects
}

/// A decision in the analyst's words; label names are outside text, made safe to show.
fn words(labels: Option<&Labels>) -> String {
    match labels {
        None => "not annotated".to_owned(),
        Some(labels) if labels.is_empty() => "no stance".to_owned(),
        Some(labels) if is_ignore(labels) => "ignored".to_owned(),
        Some(labels) => sanitize(&labels.join(", ")),
    }
}

/// Where a decision is, as the status bar names it.
fn place(target: Target) -> String {
    match target {
        Target::Sentence { sentence, .. } => format!("sentence {}", sentence + 1),
        Target::Orphan(_) => "an orphaned annotation".to_owned(),
        Target::Boundary(_) => "a sentence boundary".to_owned(),
        Target::Remark(_) => "a flag or note".to_owned(),
    }
}

/// What undo or redo did (`done` is "undone" or "redone"): the decision taken back or made
/// again (`labels`) on the step's sentence, or on how many.
fn say_replayed(state: &mut State, done: &str, step: &[Change], labels: Option<&Labels>) {
    let what = match labels {
        None => "clear".to_owned(),
        Some(_) => words(labels),
    };
    let text = match step {
        [change] => format!("{done}: {what} on {}", place(change.target)),
        _ => format!("{done}: {what} on {} sentences", step.len()),
    };
    say(state, &text);
}

/// The session annotator's labels on a target now.
pub(super) fn labels_of(state: &State, target: Target) -> Option<Labels> {
    match target {
        Target::Sentence { article, span, .. } => state
            .model
            .labels_of(article, span, state.model.me())
            .cloned(),
        Target::Orphan(id) => state.model.entry(id).labels.clone(),
        Target::Boundary(_) | Target::Remark(_) => None,
    }
}

fn key_of(target: Target) -> SentenceKey {
    match target {
        Target::Sentence { article, span, .. } => (article, span.start, span.end),
        // Orphans may have no article: their entry stands for them.
        Target::Orphan(id) => (GONE, id as usize, id as usize),
        Target::Boundary(step) => (split::BOUNDARY, step.article, step.at),
        Target::Remark(index) => (super::remark::FLAG_WRITE, index as usize, usize::MAX),
    }
}

/// The journal write of what the session holds now for a sentence (or orphan) whose last
/// write was refused: handed to the store again as it is, not a new decision (no undo step).
pub(super) fn write_again(state: &mut State, key: SentenceKey) -> Effect {
    let (article, start, end) = key;
    if article == split::BOUNDARY {
        return split::write_again(state, key);
    }
    if super::remark::is_remark_key(&key) {
        return super::remark::write_again(state, key);
    }
    let me = state.model.me();
    let event = match article {
        // An orphan's key, as `key_of` makes it: its entry stands for it.
        GONE => {
            let id = start as u32;
            let entry = state.model.entry(id);
            let span = Span {
                start: entry.start,
                end: entry.end,
            };
            let labels = entry.labels.clone();
            match entry.orphan.as_deref() {
                Some(orphan) => {
                    let article = state.model.article_id(id, &state.articles);
                    decision(state, (article, span), &orphan.text, labels)
                }
                // Attached again since (its article was segmented as before): a sentence.
                None => {
                    let a = &state.articles[entry.article];
                    decision(state, (&a.id, span), &a.text[span.start..span.end], labels)
                }
            }
        }
        _ => {
            let span = Span { start, end };
            let labels = state.model.labels_of(article, span, me).cloned();
            let a = &state.articles[article];
            decision(state, (&a.id, span), &a.text[start..end], labels)
        }
    };
    let seq = state.saving.begin(key);
    Effect::Save {
        seq,
        decision: event,
    }
}

/// Sets a target's decision in memory and returns the journal write for it.
fn apply(state: &mut State, target: Target, labels: Option<Labels>) -> Effect {
    let show = state.view == View::Review;
    let event = match target {
        Target::Sentence { article, span, .. } => {
            let me = state.model.me();
            let before = state.model.find(article, span, me).map(|id| {
                state
                    .review
                    .before(&state.model, id, &state.articles, &state.schema)
            });
            let model = &mut state.model;
            if let Some(changed) = model.set(
                &state.articles,
                &state.schema,
                (article, span),
                me,
                labels.as_ref(),
            ) {
                let insert = match (show, changed.new) {
                    (true, _) => Insert::Always,
                    (false, true) => Insert::IfMatches,
                    (false, false) => Insert::Never,
                };
                state.after_change(changed.id, before, insert);
            }
            let a = &state.articles[article];
            let text = &a.text[span.start..span.end];
            decision(state, (&a.id, span), text, labels)
        }
        Target::Orphan(id) => {
            let entry = state.model.entry(id);
            let Some(orphan) = entry.orphan.as_deref() else {
                unreachable!("orphan targets are made from orphaned entries only");
            };
            let span = Span {
                start: entry.start,
                end: entry.end,
            };
            let article = state.model.article_id(id, &state.articles);
            let event = decision(state, (article, span), &orphan.text, labels.clone());
            state.change_entry(id, Insert::Never, |entry| entry.labels = labels);
            event
        }
        Target::Boundary(_) => unreachable!("boundary targets are replayed by split.rs"),
        Target::Remark(_) => unreachable!("flag and note targets are replayed by remark.rs"),
    };
    let seq = state.saving.begin(key_of(target));
    Effect::Save {
        seq,
        decision: event,
    }
}

/// A decision by the session's annotator: typed (or the session's origin), unless it is an
/// accepted suggestion being written.
fn decision(
    state: &State,
    (article, span): (&str, Span),
    text: &str,
    labels: Option<Labels>,
) -> Decision {
    let (origin, scores) = super::assist::origin_of(state);
    Decision {
        article: article.to_owned(),
        start: span.start,
        end: span.end,
        text: text.to_owned(),
        labels,
        origin,
        annotator: state.annotator.clone(),
        scores,
    }
}

/// Puts back the targets of the last step as they were before, wherever they were.
pub(super) fn undo(state: &mut State) -> Vec<Effect> {
    let Some(step) = state.history.undo.pop() else {
        return say(state, "nothing to undo");
    };
    if let [
        Change {
            target: Target::Boundary(boundary),
            ..
        },
    ] = step.as_slice()
    {
        let boundary = *boundary;
        state.history.redo.push(step);
        return split::replay(state, boundary, true);
    }
    if let [
        Change {
            target: Target::Remark(index),
            ..
        },
    ] = step.as_slice()
    {
        let index = *index;
        state.history.redo.push(step);
        return super::remark::replay(state, index, true);
    }
    let effects = replay_step(state, &step, |change| change.before.clone());
    say_replayed(state, "undone", &step, step[0].after.as_ref());
    state.history.redo.push(step);
    effects
}

/// Does again the step that the last undo took back.
pub(super) fn redo(state: &mut State) -> Vec<Effect> {
    let Some(step) = state.history.redo.pop() else {
        return say(state, "nothing to redo");
    };
    if let [
        Change {
            target: Target::Boundary(boundary),
            ..
        },
    ] = step.as_slice()
    {
        let boundary = *boundary;
        state.history.undo.push(step);
        return split::replay(state, boundary, false);
    }
    if let [
        Change {
            target: Target::Remark(index),
            ..
        },
    ] = step.as_slice()
    {
        let index = *index;
        state.history.undo.push(step);
        return super::remark::replay(state, index, false);
    }
    if let [change] = step.as_slice() {
        state.assist.accepting = change.accepted.clone();
    }
    let effects = replay_step(state, &step, |change| change.after.clone());
    state.assist.accepting = None;
    say_replayed(state, "redone", &step, step[0].after.as_ref());
    state.history.undo.push(step);
    effects
}

/// Replays one step: a single decision as it always was, several as one atomic write with
/// the cursor on the first of them.
fn replay_step(
    state: &mut State,
    step: &[Change],
    labels: impl Fn(&Change) -> Option<Labels>,
) -> Vec<Effect> {
    if let [change] = step {
        return replay(state, change.target, labels(change));
    }
    let mut effects = match step.first().map(|c| c.target) {
        Some(Target::Sentence {
            article, sentence, ..
        }) => go(state, article, sentence),
        _ => Vec::new(),
    };
    let saves = step
        .iter()
        .map(|change| apply(state, change.target, labels(change)))
        .collect();
    effects.push(together(saves));
    effects
}

/// Decides `after` on every sentence target at once: one undo step, one atomic store write.
pub(super) fn decide_all(
    state: &mut State,
    targets: &[Target],
    after: Option<Labels>,
) -> Vec<Effect> {
    if let Some(reason) = &state.read_only {
        let reason = format!("not saved: {reason}");
        return say_error(state, &reason);
    }
    let after = after.map(|l| in_schema_order(&state.schema, l));
    let mut changes = Vec::new();
    let mut saves = Vec::new();
    for &target in targets {
        let before = labels_of(state, target);
        if let (Target::Sentence { article, span, .. }, Some(_)) = (target, &after) {
            state.clock.decided((article, span.start, span.end));
        }
        changes.push(Change {
            target,
            before,
            after: after.clone(),
            accepted: None,
        });
        saves.push(apply(state, target, after.clone()));
    }
    state.history.record_step(changes);
    match saves.len() {
        0 => Vec::new(),
        _ => vec![together(saves)],
    }
}

/// Single saves joined into one atomic write, each keeping its number for its report.
/// The number of the last write among `effects`, whose report means all before it are in.
pub(super) fn last_seq(effects: &[Effect]) -> Option<u64> {
    effects.iter().rev().find_map(|effect| match effect {
        Effect::Save { seq, .. } => Some(*seq),
        Effect::SaveAll(saves) => saves.last().map(|(seq, _)| *seq),
        _ => None,
    })
}

fn together(saves: Vec<Effect>) -> Effect {
    let saves = saves
        .into_iter()
        .map(|effect| match effect {
            Effect::Save { seq, decision } => (seq, decision),
            _ => unreachable!("apply returns a save"),
        })
        .collect();
    Effect::SaveAll(saves)
}

/// Goes to the target (the sentence in the article; its row in the review list) and sets it.
fn replay(state: &mut State, target: Target, labels: Option<Labels>) -> Vec<Effect> {
    let mut effects = match target {
        Target::Sentence {
            article, sentence, ..
        } => go(state, article, sentence),
        Target::Orphan(_) | Target::Boundary(_) | Target::Remark(_) => Vec::new(),
    };
    effects.push(apply(state, target, labels));
    if state.view == View::Review {
        let id = match target {
            Target::Sentence { article, span, .. } => {
                state.model.find(article, span, state.model.me())
            }
            Target::Orphan(id) => Some(id),
            Target::Boundary(_) | Target::Remark(_) => None,
        };
        if let Some(row) = id.and_then(|id| state.review.row_of(&state.model, id)) {
            state.select_row(row);
        }
    }
    effects
}
