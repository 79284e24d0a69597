//! The help text, generated from the keymap and the schema so it never drifts from the keys:
//! what each action does, in the article view and in the review list.

use super::action::{Action, Effect};
use super::keymap::{Key, Keymap};
use super::layout::{sanitize, text_width};
use super::panel::Panel;
use super::state::Mode;
use super::state::{State, View};
use crate::schema::Schema;

/// Widest a column of keys is drawn; longer key lists are cut.
pub const KEYS_WIDTH: u16 = 20;
/// The keys column of a help too wide for the terminal: as wide as `g Home`. Wider keys push
/// their row's text right, so texts are cut before keys are.
const NARROW_KEYS_WIDTH: u16 = 6;

/// How the help overlay sits on the screen: its columns, and how many rows of each show at
/// once. Shared by the update (scrolling) and the view (drawing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpFit {
    /// Cells of the keys and of the text, per column; keys wider than their column push
    /// their row's text right.
    pub columns: Vec<(u16, u16)>,
    /// Rows of the help in each column (the last column may hold fewer).
    pub per_column: usize,
    /// Rows of each column on screen: fewer than `per_column` when the help scrolls.
    pub shown: usize,
}

impl HelpFit {
    /// Two columns when one does not fit the height and two fit the width; otherwise one
    /// column, which scrolls when it does not fit the height either.
    pub fn new(rows: &[(String, String)], width: u16, height: u16) -> HelpFit {
        let room = usize::from(height.saturating_sub(2)).max(1);
        if rows.len() > room {
            let two = HelpFit::of(rows, 2, room);
            if two.shown == two.per_column && two.width() <= width {
                return two;
            }
        }
        let mut one = HelpFit::of(rows, 1, room);
        if one.width() > width
            && let Some((keys, text)) = one.columns.first_mut()
        {
            let spare = width.saturating_sub(2 + 1 + 2 + *text + 1);
            *keys = (*keys).min(spare.max(NARROW_KEYS_WIDTH));
        }
        one
    }

    fn of(rows: &[(String, String)], columns: usize, room: usize) -> HelpFit {
        let per_column = rows.len().div_ceil(columns).max(1);
        let columns = rows
            .chunks(per_column)
            .map(|chunk| {
                let keys = chunk.iter().map(|(k, _)| text_width(k)).max().unwrap_or(0);
                let text = chunk.iter().map(|(_, w)| text_width(w)).max().unwrap_or(0);
                (keys.min(KEYS_WIDTH), text)
            })
            .collect();
        HelpFit {
            columns,
            per_column,
            shown: per_column.min(room),
        }
    }

    /// Cells the overlay would take across, its border included, if nothing were cut.
    pub fn width(&self) -> u16 {
        self.columns
            .iter()
            .map(|(keys, text)| 1 + keys + 2 + text + 1)
            .fold(2, u16::saturating_add)
    }

    /// True when some rows are not on screen.
    pub fn scrolls(&self) -> bool {
        self.shown < self.per_column
    }

    /// The first row shown when scrolled to the end.
    pub fn last_top(&self) -> usize {
        self.per_column - self.shown
    }
}

impl State {
    /// The help for the view shown: `(keys, what they do)`, the keys safe to draw.
    pub fn help_rows(&self) -> Vec<(String, String)> {
        if self.view == View::Adjudicate {
            let rows = super::adjudication::help_rows(self);
            return rows.into_iter().map(|(k, w)| (sanitize(&k), w)).collect();
        }
        self.keymap
            .help_for(&self.schema, self.view == View::Review)
            .into_iter()
            .map(|(keys, what)| (sanitize(&keys), what))
            .collect()
    }

    /// How the help sits on the terminal as it is now.
    pub fn help_fit(&self) -> HelpFit {
        let size = self.screen.size;
        HelpFit::new(&self.help_rows(), size.width, size.height)
    }

    /// The first help row on screen (of its one column, when it scrolls).
    pub fn help_top(&self) -> usize {
        self.help_top
    }

    /// The keys that scroll the help a row, as the help's border names them (`j/k`).
    pub fn help_scroll_keys(&self) -> Option<String> {
        [
            (Action::NextSentence, Action::PreviousSentence),
            (Action::ScrollDown, Action::ScrollUp),
        ]
        .iter()
        .find_map(|(down, up)| {
            let down = self.keymap.keys_of(down).first()?;
            let up = self.keymap.keys_of(up).first()?;
            Some(sanitize(&format!("{down}/{up}")))
        })
    }

    /// Moves the help to show from row `top`, kept so that the last row is at the bottom at
    /// most.
    pub(super) fn scroll_help_to(&mut self, top: usize) {
        self.help_top = top.min(self.help_fit().last_top());
    }
}

impl Keymap {
    /// The help text: one `(keys, what they do)` row per label and bound action.
    pub fn help(&self, schema: &Schema) -> Vec<(String, String)> {
        self.help_for(schema, false)
    }

    /// The help text for the article view, or (`review`) for the review list.
    pub fn help_for(&self, schema: &Schema, review: bool) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = schema
            .labels
            .iter()
            .map(|label| {
                let verb = if schema.exclusive { "set" } else { "toggle" };
                (label.key.to_string(), format!("{verb} {}", label.name))
            })
            .collect();
        for (action, keys) in self.bindings() {
            let Some(description) = action.description() else {
                continue;
            };
            let what = if review {
                description.review
            } else {
                description.article
            };
            if let Some(what) = what
                && !keys.is_empty()
            {
                let shown: Vec<String> = keys.iter().map(Key::to_string).collect();
                rows.push((shown.join(" "), what.to_owned()));
            }
        }
        rows
    }
}

/// The help overlay's panel.
pub(super) struct HelpPanel;

impl Panel for HelpPanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        // The moving keys scroll the help; any other key closes it, a label key too.
        let plain = match key.code {
            super::keymap::KeyCode::Char(c) if !key.ctrl && !key.alt => Some(c),
            _ => None,
        };
        if plain.is_some_and(|c| state.schema().index_of_key(c).is_some()) {
            return Some(Action::Cancel);
        }
        // A help that fits has nothing to scroll: as its border says, any key closes it.
        if !state.help_fit().scrolls() {
            return Some(if super::keys::is_redraw(state, key) {
                Action::Redraw
            } else {
                Action::Cancel
            });
        }
        match state.keymap().action(&key) {
            Some(
                action @ (Action::NextSentence
                | Action::PreviousSentence
                | Action::ScrollDown
                | Action::ScrollUp
                | Action::FirstSentence
                | Action::LastSentence
                | Action::Redraw),
            ) => Some(action.clone()),
            _ => Some(Action::Cancel),
        }
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        help(state, action);
        Vec::new()
    }
}

/// In the help, the moving keys scroll it; anything else closes it.
fn help(state: &mut State, action: Action) {
    let top = state.help_top;
    let page = state.help_fit().shown;
    let to = match action {
        Action::NextSentence => top + 1,
        Action::PreviousSentence => top.saturating_sub(1),
        Action::ScrollDown => top + page,
        Action::ScrollUp => top.saturating_sub(page),
        Action::FirstSentence => 0,
        Action::LastSentence => usize::MAX,
        Action::Wheel(lines) => top.saturating_add_signed(lines as isize * 3),
        _ => {
            state.mode = Mode::Normal;
            return;
        }
    };
    state.scroll_help_to(to);
}
