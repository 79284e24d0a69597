//! Annotations whose article id is gone, re-attached during the session: a worker searches
//! the corpus for the one sentence with each one's text ([`crate::attach::Reattached`], the
//! rule `stats` and `export` use) and the session takes what it found here, so the first
//! frame never waits for the search. What the analyst decided meanwhile wins: a sentence
//! that has a decision of the annotator by the time its orphan is found keeps it, and the
//! orphan leaves the view, as it would at open.

use super::annotations::{GONE, OrphanReason};
use super::navigate::say;
use super::open::Insert;
use super::state::State;
use crate::attach::Move;
use crate::hash::{fingerprint_u64, parse_fingerprint};

/// What the search found: annotations to move, and those a later one of the same annotator
/// at the same new place supersedes (taken out of the view).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Each gone annotation and the sentence that has its text.
    pub moves: Vec<Move>,
    /// Stored keys (article id, start, end, annotator) of gone annotations not shown.
    pub superseded: Vec<(String, usize, usize, String)>,
}

/// Where the session's search for gone annotations stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reattach {
    /// How many gone annotations are being searched for; `None` when no search runs.
    pub searching: Option<usize>,
}

/// The search started for `count` gone annotations.
pub(super) fn started(state: &mut State, count: usize) {
    state.reattach.searching = Some(count);
}

/// Takes what the search found: each move whose annotation is still a gone orphan with
/// labels, and whose new place is still a sentence with its text and has no decision of its
/// annotator, is shown there; the others, and the superseded ones, leave the view. Nothing is
/// written: the journal keeps the old ids, as at open.
pub(super) fn found(state: &mut State, found: Found) {
    let searched = state.reattach.searching.take().unwrap_or_default();
    let (mut moved, mut hidden) = (0, 0);
    for m in found.moves {
        match take(state, &m) {
            Some(true) => moved += 1,
            Some(false) => hidden += 1,
            None => {}
        }
    }
    for (article, start, end, annotator) in found.superseded {
        if let Some(id) = gone_entry(state, &article, start, end, &annotator) {
            state.change_entry(id, Insert::Never, |entry| entry.labels = None);
            hidden += 1;
        }
    }
    if state.message.as_ref().is_some_and(|m| m.error) {
        return;
    }
    let text = match (moved, hidden) {
        (0, 0) => format!(
            "none of the {searched} annotations whose article id is gone is one sentence of \
             the corpus"
        ),
        (_, 0) => format!("{moved} annotations re-attached by their sentence text"),
        _ => format!(
            "{moved} annotations re-attached by their sentence text; {hidden} more not shown, \
             their sentence was decided again"
        ),
    };
    say(state, &text);
}

/// Moves one gone annotation: `Some(true)` when shown at its new place, `Some(false)` when a
/// decision there wins, `None` when it is no longer a gone orphan with labels or its new
/// place is no longer a sentence with its text (the view keeps it as it is).
fn take(state: &mut State, m: &Move) -> Option<bool> {
    let id = gone_entry(state, &m.article, m.start, m.end, &m.annotator)?;
    let entry = state.model.entry(id);
    let labels = entry.labels.clone()?;
    let annotator = entry.annotator;
    let fp = parse_fingerprint(&entry.orphan.as_ref()?.fp);
    // The worker searched the sentences of the open; a split or merge since may have moved
    // them, and the text must still be the one labeled.
    let text = &state.articles.get(m.to_article)?.text;
    if text.get(m.to.start..m.to.end).map(fingerprint_u64) != fp || fp.is_none() {
        return None;
    }
    if !state.spans(m.to_article).contains(&m.to) {
        return None;
    }
    if state.model.find(m.to_article, m.to, annotator).is_some() {
        state.change_entry(id, Insert::Never, |entry| entry.labels = None);
        return Some(false);
    }
    let model = &mut state.model;
    let changed = model.set(
        &state.articles,
        &state.schema,
        (m.to_article, m.to),
        annotator,
        Some(&labels),
    )?;
    state.after_change(changed.id, None, Insert::IfMatches);
    state.change_entry(id, Insert::Never, |entry| entry.labels = None);
    Some(true)
}

/// The entry of a gone annotation, when it is still orphaned because its article is gone.
fn gone_entry(
    state: &State,
    article: &str,
    start: usize,
    end: usize,
    annotator: &str,
) -> Option<u32> {
    let id = state.model.find_gone(article, start, end, annotator)?;
    let entry = state.model.entry(id);
    let gone = entry.article == GONE
        && entry
            .orphan
            .as_ref()
            .is_some_and(|o| o.reason == OrphanReason::ArticleGone);
    gone.then_some(id)
}
