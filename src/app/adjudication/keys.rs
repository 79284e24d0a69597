//! What the keys do in the adjudication view: move between disputed sentences, put the
//! final labels together and save them (or take one annotator's answer as it is), filter,
//! scroll the columns sideways, and open the sentence in its article.

use super::super::action::{Action, Effect};
use super::super::edit::decide_on;
use super::super::history::Target;
use super::super::keymap::{Key, KeyCode};
use super::super::keys::{plain_char, view_keys};
use super::super::navigate::{go, say, say_error};
use super::super::panel::Panel;
use super::super::state::{Labels, Mode, State, View};
use super::super::vocabulary::LabelFilter;
use super::AdjudicationFilter;
use crate::corpus::Span;
use crate::store::{IGNORE, is_ignore};

/// The adjudication view's panel.
pub(in crate::app) struct AdjudicationPanel;

impl Panel for AdjudicationPanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        if state.adjudication.taking() {
            return Some(match plain_char(key) {
                Some(c) => Action::Type(c),
                None => Action::Cancel,
            });
        }
        if *state.mode() == Mode::FilterKey {
            if let Some(label) = plain_char(key).and_then(|c| state.schema().index_of_key(c)) {
                return Some(Action::FilterBy(LabelFilter::Label(label)));
            }
            return Some(match state.keymap().action(&key) {
                Some(Action::NoStance) => Action::FilterBy(LabelFilter::NoStance),
                Some(Action::Ignore) => Action::FilterBy(LabelFilter::Ignored),
                _ => Action::Cancel,
            });
        }
        if let Some(action) = view_keys(state, key) {
            return Some(action);
        }
        match key.code {
            KeyCode::Left if !key.ctrl && !key.alt => Some(Action::ScrollColumns(-1)),
            KeyCode::Right if !key.ctrl && !key.alt => Some(Action::ScrollColumns(1)),
            KeyCode::Char('<') => Some(Action::ScrollColumns(-1)),
            KeyCode::Char('>') => Some(Action::ScrollColumns(1)),
            _ => None,
        }
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        if state.adjudication.taking() {
            state.adjudication.set_taking(false);
            return match action {
                Action::Type(c) => take(state, c),
                _ => say(state, "nothing taken"),
            };
        }
        if state.mode == Mode::FilterKey {
            state.mode = Mode::Normal;
            if let Action::FilterBy(label) = action {
                refilter(state, |f| {
                    f.label = if f.label == label {
                        LabelFilter::Any
                    } else {
                        label
                    }
                });
            }
            return Vec::new();
        }
        update(state, action)
    }
}

/// Rows of the list on screen.
fn height(state: &State) -> usize {
    usize::from(state.screen.list.height).max(1)
}

fn select(state: &mut State, row: usize) {
    let height = height(state);
    state.adjudication.select(row, height);
    // Segmenting the article now finds out whether the sentence is still one.
    if let Some(article) = state.adjudication.selected_unit().map(|u| u.article) {
        state.spans(article);
    }
}

fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let selected = state.adjudication.selected();
    let page = height(state).saturating_sub(1).max(1);
    match action {
        Action::NextSentence => select(state, selected + 1),
        Action::PreviousSentence => select(state, selected.saturating_sub(1)),
        Action::ScrollDown => select(state, selected + page),
        Action::ScrollUp => select(state, selected.saturating_sub(page)),
        Action::FirstSentence => select(state, 0),
        Action::LastSentence => select(state, usize::MAX),
        Action::NextArticle => return other_article(state, true),
        Action::PreviousArticle => return other_article(state, false),
        Action::ToggleLabel(label) => return toggle(state, label),
        Action::NoStance => return decide_and_advance(state, Some(Vec::new())),
        Action::Ignore => return decide_and_advance(state, Some(vec![IGNORE.to_owned()])),
        Action::Confirm => return confirm(state),
        Action::Clear => return withdraw(state),
        Action::TakeAnswer => {
            let columns = state.adjudication.columns().len();
            if state.adjudication.selected_unit().is_none() || columns == 0 {
                return say(state, "no sentence to decide");
            }
            state.adjudication.set_taking(true);
            let last = columns.min(9);
            return say(state, &format!("take whose answer? 1–{last} (Esc: none)"));
        }
        Action::ScrollColumns(by) => state.adjudication.scroll_columns(by),
        Action::FilterLabel => {
            if state.schema.labels.is_empty() {
                return say(state, "the schema has no labels");
            }
            state.mode = Mode::FilterKey;
        }
        Action::FilterAnnotator => {
            let next = state.adjudication.next_pair();
            refilter(state, |f| f.pair = next);
        }
        Action::FilterDisagreements => refilter(state, |f| f.undecided = !f.undecided),
        Action::ClearFilters => refilter(state, |f| *f = AdjudicationFilter::default()),
        Action::Cancel => state.adjudication.set_draft(None),
        Action::Click { column, row } => {
            let list = state.screen.list;
            if state.screen.fits && list.contains(column, row) {
                let at = state.adjudication.scroll() + usize::from(row - list.y);
                if at < state.adjudication.rows().len() {
                    select(state, at);
                }
            }
        }
        Action::Wheel(lines) => {
            let to = selected.saturating_add_signed(lines as isize * 3);
            select(state, to);
        }
        _ => {}
    }
    Vec::new()
}

/// Changes the filter and lists the rows again.
fn refilter(state: &mut State, change: impl FnOnce(&mut AdjudicationFilter)) {
    let mut filter = state.adjudication.filter().clone();
    change(&mut filter);
    let height = height(state);
    state
        .adjudication
        .set_filter(filter, &state.model, &state.schema, height);
    let row = state.adjudication.selected();
    select(state, row);
}

/// The selected sentence as a decision target: `None` (said) when there is none or it is no
/// longer a sentence of its article.
fn target(state: &mut State) -> Result<(Target, (usize, Span)), Vec<Effect>> {
    let Some((article, span)) = state
        .adjudication
        .selected_unit()
        .map(|u| (u.article, u.span))
    else {
        return Err(say(state, "no sentence to decide"));
    };
    let found = state
        .spans(article)
        .binary_search_by_key(&(span.start, span.end), |s| (s.start, s.end))
        .ok();
    match found {
        Some(sentence) => Ok((
            Target::Sentence {
                article,
                sentence,
                span,
            },
            (article, span),
        )),
        None => Err(say_error(
            state,
            "this sentence is no longer one of its article's (orphaned)",
        )),
    }
}

/// Saves `labels` as the adjudicator's decision on the selected sentence (or withdraws it,
/// `None`), lists the rows again, and selects the next sentence when `advance`.
fn decide(state: &mut State, labels: Option<Labels>, advance: bool) -> Vec<Effect> {
    let (target, (article, span)) = match target(state) {
        Ok(found) => found,
        Err(effects) => return effects,
    };
    let effects = decide_on(state, target, labels);
    let height = height(state);
    state.adjudication.set_draft(None);
    state
        .adjudication
        .refresh(&state.model, &state.schema, height);
    // The decided sentence may have left the list (undecided only): the row after it is next.
    let key = (article, span.start, span.end);
    let rows: Vec<(usize, usize, usize)> = state
        .adjudication
        .rows()
        .map(|u| (u.article, u.span.start, u.span.end))
        .collect();
    let row = if advance {
        rows.partition_point(|&k| k <= key)
    } else {
        rows.partition_point(|&k| k < key)
    };
    select(state, row);
    effects
}

fn decide_and_advance(state: &mut State, labels: Option<Labels>) -> Vec<Effect> {
    decide(state, labels, true)
}

fn toggle(state: &mut State, label: usize) -> Vec<Effect> {
    let Some(name) = state.schema.labels.get(label).map(|l| l.name.clone()) else {
        return Vec::new();
    };
    if state.schema.exclusive {
        return decide_and_advance(state, Some(vec![name]));
    }
    let Some(unit) = state.adjudication.selected_unit() else {
        return say(state, "no sentence to decide");
    };
    let mut draft = state
        .adjudication
        .draft()
        .or(unit.decision.as_ref())
        .cloned()
        .unwrap_or_default();
    if is_ignore(&draft) {
        draft.clear();
    }
    match draft.iter().position(|l| *l == name) {
        Some(i) => {
            draft.remove(i);
        }
        None => draft.push(name),
    }
    let draft = super::super::vocabulary::in_schema_order(&state.schema, draft);
    let shown = match draft.is_empty() {
        true => "no stance".to_owned(),
        false => super::super::layout::sanitize(&draft.join(", ")),
    };
    let key = state
        .keymap
        .keys_of(&Action::Confirm)
        .first()
        .map_or_else(|| "confirm".to_owned(), ToString::to_string);
    state.adjudication.set_draft(Some(draft));
    say(state, &format!("final: {shown} ({key} saves)"))
}

/// Saves the labels chosen on the row; with none chosen, a decision already made stands and
/// the next row is selected.
fn confirm(state: &mut State) -> Vec<Effect> {
    let Some(unit) = state.adjudication.selected_unit() else {
        return say(state, "no sentence to decide");
    };
    match (state.adjudication.draft().cloned(), unit.decision.is_some()) {
        (Some(draft), _) => decide_and_advance(state, Some(draft)),
        (None, true) => {
            let next = state.adjudication.selected() + 1;
            select(state, next);
            Vec::new()
        }
        (None, false) => {
            let no_stance = state
                .keymap
                .keys_of(&Action::NoStance)
                .first()
                .map_or_else(|| "no_stance".to_owned(), ToString::to_string);
            say(
                state,
                &format!("choose the labels first ({no_stance}: no stance, t: take an answer)"),
            )
        }
    }
}

fn withdraw(state: &mut State) -> Vec<Effect> {
    if state
        .adjudication
        .selected_unit()
        .is_some_and(|u| u.decision.is_none())
    {
        state.adjudication.set_draft(None);
        return say(state, "not decided yet: nothing to withdraw");
    }
    decide(state, None, false)
}

/// Takes the answer of the column typed (`1` is the first column) as the decision.
fn take(state: &mut State, c: char) -> Vec<Effect> {
    let column = c.to_digit(10).and_then(|d| (d as usize).checked_sub(1));
    let annotator = column.and_then(|c| state.adjudication.columns().get(c).copied());
    let Some(annotator) = annotator else {
        return say(state, &format!("no column {c}: nothing taken"));
    };
    let answer = state
        .adjudication
        .selected_unit()
        .and_then(|u| u.answer_of(annotator))
        .cloned();
    match answer {
        Some(labels) => decide_and_advance(state, Some(labels)),
        None => {
            let name =
                super::super::layout::sanitize(&state.model.annotators()[annotator as usize]);
            say(state, &format!("{name} did not decide this sentence"))
        }
    }
}

/// The first row of the next (or previous) article.
fn other_article(state: &mut State, forward: bool) -> Vec<Effect> {
    let articles: Vec<usize> = state.adjudication.rows().map(|u| u.article).collect();
    let selected = state.adjudication.selected();
    let Some(&here) = articles.get(selected) else {
        return Vec::new();
    };
    let found = if forward {
        (selected + 1..articles.len()).find(|&i| articles[i] != here)
    } else {
        (0..selected)
            .rev()
            .find(|&i| articles[i] != here)
            .map(|end| articles[..end].partition_point(|&a| a < articles[end]))
    };
    match found {
        Some(row) => {
            select(state, row);
            Vec::new()
        }
        None if forward => say(state, "this is the last article in the list"),
        None => say(state, "this is the first article in the list"),
    }
}

/// Switches between the adjudication view and the selected sentence in its article.
pub(in crate::app) fn switch(state: &mut State) -> Vec<Effect> {
    if state.view == View::Adjudicate {
        let Some((article, span)) = state
            .adjudication
            .selected_unit()
            .map(|u| (u.article, u.span))
        else {
            return say(state, "no sentence to open");
        };
        let sentence = state
            .spans(article)
            .iter()
            .position(|s| s.end > span.start)
            .unwrap_or(0);
        state.view = View::Article;
        state.adjudication.in_article = true;
        let effects = go(state, article, sentence);
        let back = state
            .keymap
            .keys_of(&Action::Review)
            .first()
            .map_or_else(|| "review".to_owned(), ToString::to_string);
        say(state, &format!("{back} goes back to the adjudication"));
        return effects;
    }
    state.view = View::Adjudicate;
    state.adjudication.in_article = false;
    let height = height(state);
    state
        .adjudication
        .refresh(&state.model, &state.schema, height);
    let row = state.adjudication.selected();
    select(state, row);
    Vec::new()
}

/// Lists the rows again from the model (others' decisions arrived, the screen changed),
/// keeping the selection on its sentence.
pub(in crate::app) fn refresh(state: &mut State) {
    if state.view == View::Adjudicate {
        let height = height(state);
        state
            .adjudication
            .refresh(&state.model, &state.schema, height);
    }
}

/// After an undo or redo in the adjudication view: the list made again, with the sentence
/// it changed (where the cursor went) selected.
pub(in crate::app) fn after_replay(
    state: &mut State,
    replay: fn(&mut State) -> Vec<Effect>,
) -> Vec<Effect> {
    let effects = replay(state);
    if state.view == View::Adjudicate {
        let height = height(state);
        state
            .adjudication
            .refresh(&state.model, &state.schema, height);
        if let Some(span) = state.current_span() {
            let article = state.cursor.article;
            state.adjudication.select_sentence(article, span, height);
        }
    }
    effects
}

/// The adjudication view's help: `(keys, what they do)`, from the keymap and the schema.
pub(in crate::app) fn help_rows(state: &State) -> Vec<(String, String)> {
    let schema = &state.schema;
    let mut rows: Vec<(String, String)> = schema
        .labels
        .iter()
        .map(|label| {
            let what = if schema.exclusive {
                format!("final: {}; next", label.name)
            } else {
                format!("choose {} (Enter saves)", label.name)
            };
            (label.key.to_string(), what)
        })
        .collect();
    let listed: [(Option<Action>, &str); 25] = [
        (Some(Action::NextSentence), "next row"),
        (Some(Action::PreviousSentence), "previous row"),
        (Some(Action::NextArticle), "next article's rows"),
        (Some(Action::PreviousArticle), "previous article's rows"),
        (Some(Action::FirstSentence), "first row"),
        (Some(Action::LastSentence), "last row"),
        (Some(Action::ScrollDown), "page down"),
        (Some(Action::ScrollUp), "page up"),
        (None, "columns sideways"),
        (Some(Action::Confirm), "save the chosen labels; next"),
        (Some(Action::NoStance), "final: no stance; next"),
        (Some(Action::Ignore), "final: ignore; next"),
        (
            Some(Action::TakeAnswer),
            "then a column number: take that answer",
        ),
        (Some(Action::Clear), "withdraw the final decision"),
        (Some(Action::FilterLabel), "filter by a label some chose"),
        (
            Some(Action::FilterAnnotator),
            "filter by annotator pair, in turn",
        ),
        (Some(Action::FilterDisagreements), "undecided only / all"),
        (Some(Action::ClearFilters), "clear the filters"),
        (Some(Action::Review), "the sentence in its article / back"),
        (Some(Action::Undo), "undo"),
        (Some(Action::Redo), "redo"),
        (Some(Action::Articles), "list of articles"),
        (Some(Action::Stats), "statistics"),
        (Some(Action::Help), "this help"),
        (Some(Action::Quit), "quit (all is saved)"),
    ];
    for (action, what) in listed {
        let keys = match &action {
            // Arrows and angle brackets are the view's own, not the keymap's.
            None => "← → < >".to_owned(),
            Some(action) => {
                let keys: Vec<String> = state
                    .keymap
                    .keys_of(action)
                    .iter()
                    .map(Key::to_string)
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                keys.join(" ")
            }
        };
        rows.push((keys, what.to_owned()));
    }
    rows
}
