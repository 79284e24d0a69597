//! The current article's metadata in full, over either view: the header line has room for
//! a few fields at most, cut at the screen's edge. Every field on lines of its own, long
//! values (a topics list) wrapped; the moving keys scroll, Esc, `q` and its own key close it.

use unicode_segmentation::UnicodeSegmentation;

use super::action::{Action, Effect};
use super::keymap::{Key, KeyCode};
use super::keys::is_redraw;
use super::layout::{display_width, sanitize, text_width, word_wrap};
use super::panel::Panel;
use super::state::{Mode, State, View};
use crate::corpus::Article;

/// What a line of the metadata overlay is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataLine {
    /// A field's name, with the first part of its value.
    Field,
    /// More of a field's value.
    Value,
    /// The article has no metadata.
    Empty,
}

/// The metadata overlay: the moving keys scroll; Esc, the quit key and its own key close
/// it; other keys do nothing, so a stray key does not lose the place.
pub(super) struct MetadataPanel;

impl Panel for MetadataPanel {
    fn action_for(&self, state: &State, key: Key) -> Option<Action> {
        if is_redraw(state, key) {
            return Some(Action::Redraw);
        }
        if key.code == KeyCode::Esc {
            return Some(Action::Cancel);
        }
        match state.keymap().action(&key) {
            Some(
                action @ (Action::NextSentence
                | Action::PreviousSentence
                | Action::ScrollDown
                | Action::ScrollUp
                | Action::FirstSentence
                | Action::LastSentence),
            ) => Some(action.clone()),
            Some(Action::Quit | Action::ShowMetadata | Action::Cancel) => Some(Action::Cancel),
            _ => None,
        }
    }

    fn update(&self, state: &mut State, action: Action) -> Vec<Effect> {
        let Mode::Metadata { top } = state.mode else {
            return Vec::new();
        };
        let rows = state.metadata_rows();
        state.mode = match super::panel::scrolled(top, &action, rows, state.metadata_last_top()) {
            Some(top) => Mode::Metadata { top },
            None => Mode::Normal,
        };
        Vec::new()
    }
}

impl State {
    /// The article whose metadata the overlay shows: the current one, or in the review list
    /// the selected row's (`None` when its article is gone or the list is empty).
    pub fn metadata_article(&self) -> Option<&Article> {
        if self.view == View::Review {
            let id = self.review.selected_id()?;
            let article = self.model.entry(id).article;
            return self.articles.get(article);
        }
        self.article()
    }

    /// The overlay's lines for text `width` cells wide: the id, the title, then every field
    /// as `name: value`, the value wrapped under itself (a word wider than the line is cut
    /// into pieces, so nothing of it is lost off the edge). Escaped: outside text.
    pub fn metadata_lines(&self, width: usize) -> Vec<(String, MetadataLine)> {
        let width = width.max(8);
        let Some(article) = self.metadata_article() else {
            return vec![("(no article)".to_owned(), MetadataLine::Empty)];
        };
        let mut fields = vec![
            ("id".to_owned(), sanitize(&article.id)),
            ("title".to_owned(), sanitize(article.title.trim())),
        ];
        fields.extend(
            article
                .meta
                .iter()
                .map(|(name, value)| (sanitize(name), sanitize(value.trim()))),
        );
        let names = fields.iter().map(|(name, _)| usize::from(text_width(name)));
        // Names wider than a third of the line do not push every value to the right.
        let indent = names.max().unwrap_or(0).min(width / 3) + 2;
        let mut lines = Vec::new();
        for (name, value) in &fields {
            let pad = indent.saturating_sub(usize::from(text_width(name)) + 1);
            let head = format!("{name}:{}", " ".repeat(pad));
            let room = width.saturating_sub(indent).max(4);
            let mut parts = wrap_hard(value, room).into_iter();
            let first = parts.next().unwrap_or_default();
            if usize::from(text_width(&head)) > indent {
                lines.push((head.trim_end().to_owned(), MetadataLine::Field));
                if !first.is_empty() {
                    lines.push((
                        format!("{}{first}", " ".repeat(indent)),
                        MetadataLine::Value,
                    ));
                }
            } else {
                lines.push((format!("{head}{first}"), MetadataLine::Field));
            }
            for part in parts {
                lines.push((format!("{}{part}", " ".repeat(indent)), MetadataLine::Value));
            }
        }
        if article.meta.is_empty() {
            lines.push((
                "(no other fields in the corpus)".to_owned(),
                MetadataLine::Empty,
            ));
        }
        lines
    }

    /// Text columns inside the overlay's border and margins.
    pub fn metadata_width(&self) -> usize {
        usize::from(self.screen.popup.width.saturating_sub(4))
    }

    /// Rows of lines the overlay shows at once, inside its border.
    pub fn metadata_rows(&self) -> usize {
        usize::from(self.screen.popup.height.saturating_sub(2)).max(1)
    }

    /// The first line shown when scrolled to the end.
    pub fn metadata_last_top(&self) -> usize {
        let lines = self.metadata_lines(self.metadata_width()).len();
        lines.saturating_sub(self.metadata_rows())
    }

    /// Opens the overlay at its top.
    pub(super) fn open_metadata(&mut self) {
        self.mode = Mode::Metadata { top: 0 };
    }
}

/// [`word_wrap`], with every line still wider than `width` cut into pieces that fit.
fn wrap_hard(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in word_wrap(text, width) {
        if usize::from(text_width(&line)) <= width {
            out.push(line);
            continue;
        }
        let mut piece = String::new();
        let mut used = 0;
        for g in line.graphemes(true) {
            let w = usize::from(display_width(g));
            if used + w > width && !piece.is_empty() {
                out.push(std::mem::take(&mut piece));
                used = 0;
            }
            piece.push_str(g);
            used += w;
        }
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_wider_than_the_line_is_cut_into_pieces_that_keep_every_character() {
        let topics = r#"["crude","opec","ship","nat-gas","iran"]"#;
        let lines = wrap_hard(&format!("a {topics}"), 10);
        assert!(lines.iter().all(|l| text_width(l) <= 10), "{lines:?}");
        assert_eq!(lines[0], "a");
        assert_eq!(lines[1..].concat(), topics);
    }
}
