//! The metadata overlay: every field of the article, its name in bold, its value wrapped;
//! the border says which lines show and what the keys do.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};

use super::{rect, scroll_footer, truncate};
use crate::app::metadata::MetadataLine;
use crate::app::{Mode, State};

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let Mode::Metadata { top } = *state.mode() else {
        return;
    };
    let popup = rect(state.screen().popup);
    let lines = state.metadata_lines(state.metadata_width());
    let rows = state.metadata_rows();
    let top = top.min(state.metadata_last_top());
    Clear.render(popup, buf);
    let footer = scroll_footer(
        state,
        popup.width,
        (top, rows, lines.len()),
        "Esc closes",
        "Esc closes",
    );
    let block = Block::bordered()
        .title(" Metadata ")
        .title_bottom(footer)
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let x = inner.x + 1;
    let width = usize::from(inner.width.saturating_sub(2));
    for (row, (text, kind)) in lines.iter().skip(top).take(rows).enumerate() {
        let y = inner.y + row as u16;
        if y >= inner.bottom() {
            break;
        }
        let text = truncate(text, width);
        match kind {
            MetadataLine::Field => {
                let name_end = text.find(':').map_or(text.len(), |i| i + 1);
                let bold = Style::new().add_modifier(Modifier::BOLD);
                let (end, _) = buf.set_stringn(x, y, &text[..name_end], width, bold);
                let room = width.saturating_sub(usize::from(end - x));
                buf.set_stringn(end, y, &text[name_end..], room, Style::new());
            }
            MetadataLine::Value => {
                buf.set_stringn(x, y, &text, width, Style::new());
            }
            MetadataLine::Empty => {
                let dim = Style::new().fg(Color::DarkGray);
                buf.set_stringn(x, y, &text, width, dim);
            }
        }
    }
}
