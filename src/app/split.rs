//! Fixing sentence boundaries in the session: splitting the current sentence before a word
//! chosen with a word cursor, and merging it with the next. Each is a boundary override for
//! every annotator of the store, journaled through the store worker like a decision, and one
//! undo step. Labels are never moved: an annotation of a sentence that is split or merged
//! becomes an orphan with that reason, and the analyst decides again.

use super::action::{Action, Effect};
use super::annotations::OrphanReason;
use super::edit::refused;
use super::history::{BoundaryStep, Change, Target};
use super::keymap::{Key, KeyCode};
use super::navigate::{go, say};
use super::open::Insert;
use super::state::{Mode, SentenceKey, State};
use crate::corpus::Span;
use crate::store::{BoundaryChange, BoundaryKind};

/// The article index in the write ledger's key of a boundary write: (this, article, offset).
pub(super) const BOUNDARY: usize = usize::MAX - 1;

/// The byte offsets where the words of `span` start, the first word's included.
pub(super) fn word_starts(text: &str, span: Span) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut after_space = true;
    for (i, c) in text[span.start..span.end].char_indices() {
        if c.is_whitespace() {
            after_space = true;
        } else if after_space {
            starts.push(span.start + i);
            after_space = false;
        }
    }
    starts
}

/// `S`: opens the word cursor on the current sentence's second word.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    if let Some(refusal) = refused(state) {
        return refusal;
    }
    let Some((text, span)) = current(state) else {
        return say(state, "this article has no sentences");
    };
    if word_starts(text, span).len() < 2 {
        return say(state, "one word: nothing to split");
    }
    state.mode = Mode::Split { word: 1 };
    Vec::new()
}

/// The keys of the word cursor: left/right or h/l move it, Enter splits, Escape cancels.
pub(super) fn keys(key: Key) -> Option<Action> {
    match key.code {
        KeyCode::Left | KeyCode::Char('h') => Some(Action::MoveWord(-1)),
        KeyCode::Right | KeyCode::Char('l') => Some(Action::MoveWord(1)),
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Esc => Some(Action::Cancel),
        _ => None,
    }
}

/// What an action does while the word cursor is open.
pub(super) fn update(state: &mut State, action: Action, word: usize) -> Vec<Effect> {
    let Some((text, span)) = current(state) else {
        state.mode = Mode::Normal;
        return Vec::new();
    };
    let words = word_starts(text, span);
    match action {
        Action::MoveWord(step) => {
            let word = word.saturating_add_signed(step).clamp(1, words.len() - 1);
            state.mode = Mode::Split { word };
            Vec::new()
        }
        Action::Submit => {
            state.mode = Mode::Normal;
            let change = Step {
                kind: BoundaryKind::Split,
                at: words[word],
                made_on: span,
            };
            make(state, change)
        }
        Action::Cancel => {
            state.mode = Mode::Normal;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// `J`: merges the current sentence with the next one of its article.
pub(super) fn merge(state: &mut State) -> Vec<Effect> {
    if let Some(refusal) = refused(state) {
        return refusal;
    }
    let sentence = state.cursor.sentence;
    let spans = state.sentences.of(state.cursor.article).unwrap_or_default();
    let (Some(&this), Some(&next)) = (spans.get(sentence), spans.get(sentence + 1)) else {
        return say(state, "no next sentence in this article to merge with");
    };
    let change = Step {
        kind: BoundaryKind::Merge,
        at: next.start,
        made_on: Span {
            start: this.start,
            end: next.end,
        },
    };
    make(state, change)
}

/// A split or merge about to be made.
struct Step {
    kind: BoundaryKind,
    at: usize,
    made_on: Span,
}

/// Makes the override, remembers it for undo, and journals it.
fn make(state: &mut State, step: Step) -> Vec<Effect> {
    let article = state.cursor.article;
    let before = state
        .boundaries
        .of(&state.articles[article].id)
        .find(|o| o.at == step.at)
        .map(|o| {
            (
                o.kind,
                Span {
                    start: o.start,
                    end: o.end,
                },
            )
        });
    let boundary = BoundaryStep {
        article,
        at: step.at,
        before,
        after: Some((step.kind, step.made_on)),
    };
    state.history.record(Change {
        target: Target::Boundary(boundary),
        before: None,
        after: None,
        accepted: None,
    });
    let mut effects = set(state, article, step.at, boundary.after);
    let what = match step.kind {
        BoundaryKind::Split => "split: the labels of the sentence are orphaned (reason split)",
        BoundaryKind::Merge => "merged: the labels of both sentences are orphaned (reason merged)",
    };
    effects.extend(say(state, what));
    effects
}

/// Undoes (`undo`) or redoes a split or merge: goes to its article and puts the boundary
/// back as it was before it (or after it).
pub(super) fn replay(state: &mut State, step: BoundaryStep, undo: bool) -> Vec<Effect> {
    let wanted = if undo { step.before } else { step.after };
    let mut effects = set(state, step.article, step.at, wanted);
    let spans = state.sentences.of(step.article).unwrap_or_default();
    let sentence = spans
        .iter()
        .position(|s| s.end >= step.at)
        .unwrap_or(0)
        .min(spans.len().saturating_sub(1));
    effects.extend(go(state, step.article, sentence));
    effects
}

/// Sets the override at `at` of `article` (`None`: withdraws it), corrects the article's
/// sentences and orphans, and returns the journal write.
fn set(
    state: &mut State,
    article: usize,
    at: usize,
    kind: Option<(BoundaryKind, Span)>,
) -> Vec<Effect> {
    let a = &state.articles[article];
    // A withdrawal is made on the text of the override it withdraws.
    let made_on = kind.map(|(_, span)| span).or_else(|| {
        state
            .boundaries
            .of(&a.id)
            .find(|o| o.at == at)
            .map(|o| Span {
                start: o.start,
                end: o.end,
            })
    });
    let Some(made_on) = made_on else {
        return Vec::new();
    };
    let change = BoundaryChange {
        article: a.id.clone(),
        kind: kind.map(|(kind, _)| kind),
        start: made_on.start,
        end: made_on.end,
        at,
        text: a.text[made_on.start..made_on.end].to_owned(),
        annotator: state.annotator.clone(),
    };
    state.boundaries.apply(&change.event(0));
    resegment(state, article);
    let seq = state.saving.begin((BOUNDARY, article, at));
    vec![Effect::SaveBoundary { seq, change }]
}

/// Puts in an article's sentences as the overrides now make them: annotations that are no
/// longer a sentence are orphaned (split or merged), those that are one again attached.
fn resegment(state: &mut State, article: usize) {
    let spans = crate::boundary::sentences(&state.articles[article], &state.boundaries);
    let changes = state.model.recheck_spans(&state.articles, article, &spans);
    for (id, orphan) in changes {
        let orphan = orphan.map(|mut orphan| {
            orphan.reason = state.boundary_reason(article, &spans, &orphan, id);
            orphan
        });
        state.change_entry(id, Insert::IfMatches, |entry| entry.orphan = orphan);
    }
    state.sentences.replace(article, spans);
    if state.cursor.article == article {
        state.cursor.sentence = state
            .cursor
            .sentence
            .min(state.sentence_count().saturating_sub(1));
        state.layout_of = None;
        state.refresh_layout();
    }
}

/// The journal write of the boundary whose last write was refused, as the session holds it
/// now (the override, or its withdrawal).
pub(super) fn write_again(state: &mut State, key: SentenceKey) -> Effect {
    let (_, article, at) = key;
    let a = &state.articles[article];
    let live = state.boundaries.of(&a.id).find(|o| o.at == at);
    let (kind, start, end) = match live {
        Some(o) => (Some(o.kind), o.start, o.end),
        // Withdrawn: a restore needs only a text around the offset to stand on.
        None => (None, 0, a.text.len()),
    };
    let change = BoundaryChange {
        article: a.id.clone(),
        kind,
        start,
        end,
        at,
        text: a.text[start..end].to_owned(),
        annotator: state.annotator.clone(),
    };
    let seq = state.saving.begin(key);
    Effect::SaveBoundary { seq, change }
}

/// The current sentence's text and span.
fn current(state: &State) -> Option<(&str, Span)> {
    let span = state.current_span()?;
    Some((state.articles[state.cursor.article].text.as_str(), span))
}

impl State {
    /// Who split or merged the sentence of an annotation orphaned by it, and which it was:
    /// for the review list.
    pub fn boundary_changed_by(&self, id: u32) -> Option<(BoundaryKind, &str)> {
        let entry = self.model.entry(id);
        let reason = entry.orphan.as_ref()?.reason;
        let kind = match reason {
            OrphanReason::Split => BoundaryKind::Split,
            OrphanReason::Merged => BoundaryKind::Merge,
            _ => return None,
        };
        let article = self.articles.get(entry.article)?;
        let found = self.boundaries.of(&article.id).find(|o| {
            o.kind == kind
                && match kind {
                    BoundaryKind::Split => entry.start < o.at && o.at < entry.end,
                    BoundaryKind::Merge => o.start <= entry.start && entry.end <= o.end,
                }
        })?;
        Some((kind, found.annotator.as_str()))
    }

    /// While the word cursor is open: the end of the sentence's first part and the start of
    /// the second, as the split would make them.
    pub fn split_preview(&self) -> Option<(&str, &str)> {
        let Mode::Split { word } = self.mode else {
            return None;
        };
        let (text, span) = current(self)?;
        let at = *word_starts(text, span).get(word)?;
        Some((text[span.start..at].trim_end(), &text[at..span.end]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_start_after_whitespace_of_any_kind() {
        let text = "Talks  resumed\non Monday.";
        let span = Span {
            start: 0,
            end: text.len(),
        };
        assert_eq!(word_starts(text, span), [0, 7, 15, 18]);
        assert_eq!(word_starts(text, Span { start: 7, end: 14 }), [7]);
    }
}
