//! The article view's panel: one article, sentence by sentence, and its search prompt.

use super::action::{Action, Effect};
use super::edit::{decide, refused};
use super::keymap::Key;
use super::keys::{prompt_keys, view_keys};
use super::layout::Part;
use super::navigate::{go, say, step};
use super::panel::Panel;
use super::search::search_next;
use super::split;
use super::state::{Mode, State};
use crate::store::{IGNORE, is_ignore};

/// The article view.
pub(super) struct ArticleView;

impl Panel for ArticleView {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        match state.mode() {
            Mode::Search(_) => prompt_keys(state, key),
            Mode::Split { .. } => split::keys(key),
            _ => view_keys(state, key),
        }
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        if let Mode::Search(query) = state.mode.clone() {
            return search_prompt(state, action, query);
        }
        if let Mode::Split { word } = state.mode {
            return split::update(state, action, word);
        }
        if state.articles.is_empty() {
            return Vec::new();
        }
        article(state, action)
    }
}

/// Typing the search: Enter searches from the cursor, Escape closes the prompt.
fn search_prompt(state: &mut State, action: Action, mut query: String) -> Vec<Effect> {
    match action {
        Action::Type(c) => {
            query.push(c);
            state.mode = Mode::Search(query);
        }
        Action::Paste(text) => {
            query.push_str(&text);
            state.mode = Mode::Search(query);
        }
        Action::Erase => {
            query.pop();
            state.mode = Mode::Search(query);
        }
        Action::Submit => {
            state.mode = Mode::Normal;
            if !query.is_empty() {
                state.last_search = Some(query);
            }
            return search_next(state);
        }
        Action::Cancel => state.mode = Mode::Normal,
        _ => {}
    }
    Vec::new()
}

/// What the keys do in the article view with no prompt open.
fn article(state: &mut State, action: Action) -> Vec<Effect> {
    use super::assist::Uncertain;
    let cursor = state.cursor;
    let last_sentence = state.sentence_count().saturating_sub(1);
    match action {
        Action::NextSentence => step(state, 1),
        Action::PreviousSentence => step(state, -1),
        Action::NextArticle if cursor.article + 1 < state.articles.len() => {
            go(state, cursor.article + 1, 0)
        }
        Action::NextArticle => say(state, "this is the last article"),
        Action::PreviousArticle if cursor.article > 0 => go(state, cursor.article - 1, 0),
        Action::PreviousArticle => say(state, "this is the first article"),
        Action::FirstSentence => go(state, cursor.article, 0),
        Action::LastSentence => go(state, cursor.article, last_sentence),
        Action::ToggleLabel(i) => toggle(state, i),
        Action::ShowOthers => state.toggle_others(),
        Action::NoStance => {
            let mut effects = decide(state, Some(Vec::new()));
            effects.extend(step(state, 1));
            effects
        }
        Action::Confirm => {
            // With `preselect`, an undecided sentence confirms the suggestion shown (typed).
            let labels = state
                .annotation(cursor.sentence)
                .cloned()
                .or_else(|| state.preselected())
                .unwrap_or_default();
            let mut effects = decide(state, Some(labels));
            effects.extend(step(state, 1));
            effects
        }
        Action::Ignore => {
            let mut effects = decide(state, Some(vec![IGNORE.to_owned()]));
            effects.extend(step(state, 1));
            effects
        }
        Action::AcceptSuggestion => super::assist::accept(state),
        Action::Clear if state.annotation(cursor.sentence).is_some() => decide(state, None),
        Action::Clear => say(state, "this sentence is not annotated"),
        Action::NextUnannotated => match super::assist::next_uncertain(state) {
            Uncertain::Went(effects) => effects,
            Uncertain::NotRanked => {
                let mut effects = next_unannotated(state);
                effects.extend(say(
                    state,
                    "not ranked yet: the model is still scoring the corpus; corpus order",
                ));
                effects
            }
            Uncertain::Corpus => next_unannotated(state),
        },
        Action::Search => {
            state.mode = Mode::Search(String::new());
            Vec::new()
        }
        Action::SearchNext => search_next(state),
        Action::SearchPrevious => super::search::search_previous(state),
        Action::ScrollDown | Action::ScrollUp => {
            let page = usize::from(state.screen.text.height.saturating_sub(1)).max(1);
            state.scroll = if action == Action::ScrollDown {
                state.scroll + page
            } else {
                state.scroll.saturating_sub(page)
            };
            state.clamp_scroll();
            Vec::new()
        }
        Action::Wheel(lines) => {
            state.scroll = state.scroll.saturating_add_signed(lines as isize * 3);
            state.clamp_scroll();
            Vec::new()
        }
        Action::Click { column, row } => click(state, column, row),
        Action::SplitSentence => split::open(state),
        Action::MergeSentence => split::merge(state),
        Action::Flag => super::remark::flag(state),
        Action::Note => super::remark::open(state),
        _ => Vec::new(),
    }
}

fn toggle(state: &mut State, label: usize) -> Vec<Effect> {
    let Some(name) = state.schema.labels.get(label).map(|l| l.name.clone()) else {
        return Vec::new();
    };
    if state.sentence_count() == 0 {
        return say(state, "this article has no sentences");
    }
    if state.schema.exclusive {
        let mut effects = decide(state, Some(vec![name]));
        effects.extend(step(state, 1));
        return effects;
    }
    let mut labels = state
        .annotation(state.cursor.sentence)
        .cloned()
        .or_else(|| state.preselected())
        .unwrap_or_default();
    // A label given to an ignored sentence makes it one to train on again.
    if is_ignore(&labels) {
        labels.clear();
    }
    match labels.iter().position(|l| *l == name) {
        Some(i) => {
            labels.remove(i);
        }
        None => labels.push(name),
    }
    decide(state, Some(labels))
}

fn next_unannotated(state: &mut State) -> Vec<Effect> {
    // Whether the article last asked about wants another annotator, asked once per article.
    let wanted = std::cell::Cell::new((usize::MAX, false));
    let found = super::search::find_from_cursor(state, |state, article, sentence| {
        if state.annotation_at(article, sentence).is_some() {
            return false;
        }
        if wanted.get().0 != article {
            wanted.set((article, state.wants_annotator(article)));
        }
        wanted.get().1
    });
    if let Some((article, sentence)) = found {
        return go(state, article, sentence);
    }
    let found = super::search::find_from_cursor(state, |state, article, sentence| {
        state.annotation_at(article, sentence).is_none()
    });
    match found {
        Some((article, sentence)) => {
            let mut effects = go(state, article, sentence);
            let note = format!(
                "every article you have not finished has {} annotator(s) who finished it \
                 (--overlap {}); going on with this one",
                state.overlap, state.overlap
            );
            effects.extend(say(state, &note));
            effects
        }
        None => say(state, "every sentence is annotated"),
    }
}

fn click(state: &mut State, column: u16, row: u16) -> Vec<Effect> {
    if let Some(label) = state.screen.label_at(&state.schema, column, row) {
        // As its key does, read-only refusal included.
        return refused(state).unwrap_or_else(|| toggle(state, label));
    }
    let text = state.screen.text;
    if !state.screen.fits || !text.contains(column, row) {
        return Vec::new();
    }
    let line = state.scroll + usize::from(row - text.y);
    let column = column - text.x;
    let hit = state.layout.lines.get(line).and_then(|pieces| {
        pieces
            .iter()
            .find(|p| column >= p.column && column < p.column + p.width)
    });
    match hit.map(|p| p.part) {
        Some(Part::Sentence(i) | Part::Mark(i)) => go(state, state.cursor.article, i),
        _ => Vec::new(),
    }
}
