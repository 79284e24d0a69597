//! Flags and notes in the session: `!` flags the current sentence for discussion (or
//! withdraws the flag), `c` opens a one-line prompt for its note, where Tab switches to the
//! article's note. Neither is a decision: the sentence keeps its labels, or stays undecided.
//! Each is journaled through the store worker like a decision, said `saved` once synced, and
//! one undo step.

use super::action::{Action, Effect};
use super::edit::refused;
use super::history::{Change, Target};
use super::keymap::{Key, KeyCode};
use super::keys::prompt_keys;
use super::layout::sanitize;
use super::navigate::{go, say, say_decided};
use super::panel::Panel;
use super::state::{Mode, SentenceKey, State, View};
use crate::corpus::Span;
use crate::store::{Remark, RemarkChange, SentenceRemark};

/// The article index in the write ledger's key of a flag write: (this, article, start).
pub(super) const FLAG_WRITE: usize = usize::MAX - 16;
/// The same for a sentence's note.
pub(super) const NOTE_WRITE: usize = usize::MAX - 17;
/// The same for an article's note: (this, article, 0).
pub(super) const ARTICLE_NOTE_WRITE: usize = usize::MAX - 18;

/// Longest note kept, in characters: a note is a line for the lead, not a document.
pub const NOTE_MAX_CHARS: usize = 500;

/// A flag or note made in the session, for undo and redo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemarkStep {
    /// Index of the article.
    pub article: usize,
    /// Index of the sentence in it, and its bytes; `None` for an article note.
    pub sentence: Option<(usize, Span)>,
    /// What was there before (a flag or unflag, or the note, empty for none).
    pub before: RemarkChange,
    /// What was made.
    pub after: RemarkChange,
}

/// The note prompt's panel.
pub(super) struct NotePanel;

impl Panel for NotePanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        if key.code == KeyCode::Tab && !key.ctrl && !key.alt {
            // Tab switches between the sentence's and the article's note.
            return Some(Action::Note);
        }
        prompt_keys(state, key)
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        let Mode::Note { mut text, article } = state.mode.clone() else {
            return Vec::new();
        };
        match action {
            Action::Type(c) => push(&mut text, &c.to_string()),
            Action::Paste(pasted) => push(&mut text, &pasted),
            Action::Erase => {
                text.pop();
            }
            Action::Note => {
                let article = !article;
                let text = state.current_note(article).unwrap_or_default().to_owned();
                state.mode = Mode::Note { text, article };
                return Vec::new();
            }
            Action::Submit => {
                state.mode = Mode::Normal;
                return save_note(state, text.trim(), article);
            }
            Action::Cancel => {
                state.mode = Mode::Normal;
                return Vec::new();
            }
            _ => return Vec::new(),
        }
        state.mode = Mode::Note { text, article };
        Vec::new()
    }
}

/// Adds typed or pasted text to a note, without control characters, up to the longest kept.
fn push(note: &mut String, more: &str) {
    let room = NOTE_MAX_CHARS.saturating_sub(note.chars().count());
    note.extend(more.chars().filter(|c| !c.is_control()).take(room));
}

/// `!`: flags the current sentence, or withdraws its flag.
pub(super) fn flag(state: &mut State) -> Vec<Effect> {
    if let Some(refusal) = refused(state) {
        return refusal;
    }
    let Some(span) = state.current_span() else {
        return say(state, "this article has no sentences");
    };
    let (article, sentence) = (state.cursor.article, state.cursor.sentence);
    let flagged = state.remark_on(sentence).is_some_and(|r| r.flagged);
    let (before, after) = match flagged {
        true => (RemarkChange::Flag, RemarkChange::Unflag),
        false => (RemarkChange::Unflag, RemarkChange::Flag),
    };
    record(state, article, Some((sentence, span)), before, after)
}

/// `c`: opens the note prompt on the current sentence, with its note as it is.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    if let Some(refusal) = refused(state) {
        return refusal;
    }
    // An article without sentences can still be noted.
    let article = state.current_span().is_none();
    let text = state.current_note(article).unwrap_or_default().to_owned();
    state.mode = Mode::Note { text, article };
    Vec::new()
}

/// Enter in the prompt: the note typed becomes the sentence's (or the article's); an empty
/// one withdraws it. An unchanged note writes nothing.
fn save_note(state: &mut State, text: &str, article_wide: bool) -> Vec<Effect> {
    let before = state
        .current_note(article_wide)
        .unwrap_or_default()
        .to_owned();
    if before == text {
        return say(state, "note unchanged");
    }
    let article = state.cursor.article;
    let (sentence, wrap): (_, fn(String) -> RemarkChange) = if article_wide {
        (None, RemarkChange::ArticleNote)
    } else {
        let Some(span) = state.current_span() else {
            return say(state, "this article has no sentences");
        };
        (Some((state.cursor.sentence, span)), RemarkChange::Note)
    };
    record(
        state,
        article,
        sentence,
        wrap(before),
        wrap(text.to_owned()),
    )
}

/// Remembers a flag or note for undo, applies it and journals it.
fn record(
    state: &mut State,
    article: usize,
    sentence: Option<(usize, Span)>,
    before: RemarkChange,
    after: RemarkChange,
) -> Vec<Effect> {
    let index = u32::try_from(state.history.remarks.len()).expect("fewer than 2^32 remarks");
    let step = RemarkStep {
        article,
        sentence,
        before,
        after: after.clone(),
    };
    state.history.remarks.push(step.clone());
    state.history.record(Change {
        target: Target::Remark(index),
        before: None,
        after: None,
        accepted: None,
    });
    let (effect, seq) = set(state, &step, after.clone());
    let said = format!("{} · {}", words(&after), where_is(&step));
    say_decided(state, said, Some(seq));
    vec![effect]
}

/// Undoes (`undo`) or redoes a flag or note: goes to its sentence and puts it back as it was
/// before it (or after it).
pub(super) fn replay(state: &mut State, index: u32, undo: bool) -> Vec<Effect> {
    let step = state.history.remarks[index as usize].clone();
    let change = if undo { &step.before } else { &step.after };
    let mut effects = match step.sentence {
        Some((sentence, _)) => go(state, step.article, sentence),
        // An article note: the cursor stays where it is in that article.
        None if state.cursor.article == step.article => Vec::new(),
        None => go(state, step.article, 0),
    };
    if state.view == View::Review {
        state.view = View::Article;
    }
    let (effect, seq) = set(state, &step, change.clone());
    effects.push(effect);
    let done = if undo { "undone" } else { "redone" };
    let said = format!("{done}: {} · {}", words(&step.after), where_is(&step));
    say_decided(state, said, Some(seq));
    effects
}

/// What a remark did, in the analyst's words.
fn words(change: &RemarkChange) -> String {
    match change {
        RemarkChange::Flag => "flagged".to_owned(),
        RemarkChange::Unflag => "flag withdrawn".to_owned(),
        RemarkChange::Note(note) | RemarkChange::ArticleNote(note) if note.is_empty() => {
            "note withdrawn".to_owned()
        }
        RemarkChange::Note(_) | RemarkChange::ArticleNote(_) => "note saved".to_owned(),
    }
}

/// Where a remark is, as the status bar names it.
fn where_is(step: &RemarkStep) -> String {
    match step.sentence {
        Some((sentence, _)) => format!("sentence {}", sentence + 1),
        None => "the article".to_owned(),
    }
}

/// Puts `change` into the session's remarks and returns the journal write and its number.
fn set(state: &mut State, step: &RemarkStep, change: RemarkChange) -> (Effect, u64) {
    let a = &state.articles[step.article];
    let span = step
        .sentence
        .map_or(Span { start: 0, end: 0 }, |(_, span)| span);
    let key = match change {
        RemarkChange::Flag | RemarkChange::Unflag => FLAG_WRITE,
        RemarkChange::Note(_) => NOTE_WRITE,
        RemarkChange::ArticleNote(_) => ARTICLE_NOTE_WRITE,
    };
    let remark = Remark {
        article: a.id.clone(),
        start: span.start,
        end: span.end,
        text: a.text[span.start..span.end].to_owned(),
        annotator: state.annotator.clone(),
        change,
    };
    // The session's view takes it at once; the store's time stamp is not needed for that.
    state.remarks.apply(&remark.event(0));
    let seq = state.saving.begin((key, step.article, span.start));
    (Effect::SaveRemark { seq, remark }, seq)
}

/// Whether a write-ledger key is a flag's or note's.
pub(super) fn is_remark_key(key: &SentenceKey) -> bool {
    matches!(key.0, FLAG_WRITE | NOTE_WRITE | ARTICLE_NOTE_WRITE)
}

/// The journal write of what the session holds now for a flag or note whose last write was
/// refused: handed to the store again as it is (no undo step).
pub(super) fn write_again(state: &mut State, key: SentenceKey) -> Effect {
    let (kind, article, start) = key;
    let a = &state.articles[article];
    let span = state
        .sentences
        .of(article)
        .and_then(|spans| spans.iter().find(|s| s.start == start).copied())
        .unwrap_or(Span { start, end: start });
    let mine = state
        .remarks
        .of(&a.id, span.start, span.end, &state.annotator);
    let change = match kind {
        FLAG_WRITE if mine.is_some_and(|r| r.flagged) => RemarkChange::Flag,
        FLAG_WRITE => RemarkChange::Unflag,
        NOTE_WRITE => RemarkChange::Note(mine.and_then(|r| r.note.clone()).unwrap_or_default()),
        _ => RemarkChange::ArticleNote(
            state
                .remarks
                .article_note(&a.id, &state.annotator)
                .unwrap_or_default()
                .to_owned(),
        ),
    };
    let remark = Remark {
        article: a.id.clone(),
        start: span.start,
        end: span.end,
        text: a
            .text
            .get(span.start..span.end)
            .unwrap_or_default()
            .to_owned(),
        annotator: state.annotator.clone(),
        change,
    };
    let seq = state.saving.begin(key);
    Effect::SaveRemark { seq, remark }
}

impl State {
    /// The session annotator's flag and note on a sentence of the current article.
    pub fn remark_on(&self, sentence: usize) -> Option<&SentenceRemark> {
        let article = self.article()?;
        let span = self.sentences.of(self.cursor.article)?.get(sentence)?;
        self.remarks
            .of(&article.id, span.start, span.end, &self.annotator)
    }

    /// The other annotators' flags and notes on a sentence of the current article, by name.
    pub fn others_remarks_on(&self, sentence: usize) -> Vec<(&str, &SentenceRemark)> {
        let (Some(article), Some(span)) = (
            self.article(),
            self.sentences
                .of(self.cursor.article)
                .and_then(|s| s.get(sentence)),
        ) else {
            return Vec::new();
        };
        self.remarks
            .on_sentence(&article.id, span.start, span.end)
            .filter(|(who, _)| *who != self.annotator)
            .collect()
    }

    /// The session annotator's note on the current article.
    pub fn article_note(&self) -> Option<&str> {
        let article = self.article()?;
        self.remarks.article_note(&article.id, &self.annotator)
    }

    /// The other annotators' notes on the current article, by name.
    pub fn others_article_notes(&self) -> Vec<(&str, &str)> {
        let Some(article) = self.article() else {
            return Vec::new();
        };
        self.remarks
            .article_notes(&article.id)
            .filter(|(who, _)| *who != self.annotator)
            .collect()
    }

    /// The session annotator's note now on the current sentence (or, with `article`, on the
    /// current article).
    fn current_note(&self, article: bool) -> Option<&str> {
        match article {
            true => self.article_note(),
            false => self
                .remark_on(self.cursor.sentence)
                .and_then(|r| r.note.as_deref()),
        }
    }

    /// Every annotator's flags and notes as the session knows them.
    pub fn remarks(&self) -> &crate::store::Remarks {
        &self.remarks
    }
}

/// A note as one line that is safe to show.
pub fn shown_note(note: &str) -> String {
    sanitize(&super::paste::one_line(note))
}
