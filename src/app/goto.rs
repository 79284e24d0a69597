//! Go to an article by its number in the corpus or its id, typed in a prompt over either
//! view: the article opens at its first sentence not yet decided, as from the article list.

use super::action::{Action, Effect};
use super::keymap::Key;
use super::keys::prompt_keys;
use super::navigate::{go, say_error};
use super::panel::Panel;
use super::state::{Mode, State, View};

/// The go-to prompt's panel.
pub(super) struct GoToPanel;

impl Panel for GoToPanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        prompt_keys(state, key)
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        let Mode::GoTo(mut text) = state.mode.clone() else {
            return Vec::new();
        };
        match action {
            Action::Type(c) => text.push(c),
            Action::Paste(pasted) => text.push_str(&pasted),
            Action::Erase => {
                text.pop();
            }
            Action::Submit => {
                state.mode = Mode::Normal;
                return go_to(state, text.trim());
            }
            Action::Cancel => {
                state.mode = Mode::Normal;
                return Vec::new();
            }
            _ => return Vec::new(),
        }
        state.mode = Mode::GoTo(text);
        Vec::new()
    }
}

/// The article `text` names: an exact id first (ids may be numbers too), else a number from
/// 1; `Err` says why there is none.
pub fn find_article(state: &State, text: &str) -> Result<usize, String> {
    if text.is_empty() {
        return Err("type an article's number or id".to_owned());
    }
    if let Some(i) = state.articles.iter().position(|a| a.id == text) {
        return Ok(i);
    }
    let count = state.articles.len();
    match text.parse::<usize>() {
        Ok(n) if (1..=count).contains(&n) => Ok(n - 1),
        Ok(n) => Err(format!("no article {n}: the corpus has 1 to {count}")),
        Err(_) => Err(format!("no article with id {text:?}")),
    }
}

/// Opens the article at its first sentence not yet decided (else its first), in the article
/// view; an unknown number or id is said and nothing moves.
fn go_to(state: &mut State, text: &str) -> Vec<Effect> {
    let article = match find_article(state, text) {
        Ok(article) => article,
        Err(why) => return say_error(state, &why),
    };
    if state.view == View::Review {
        state.view = View::Article;
        state.from_review = true;
    }
    let count = state.spans(article).len();
    let sentence = (0..count)
        .find(|&i| state.annotation_at(article, i).is_none())
        .unwrap_or(0);
    go(state, article, sentence)
}

impl State {
    /// Opens the go-to prompt, empty.
    pub(super) fn open_go_to(&mut self) {
        self.mode = Mode::GoTo(String::new());
    }
}
