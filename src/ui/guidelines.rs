//! The guidelines overlay: each label's chip and name, its guideline in full and its
//! examples, wrapped to the panel; the border says which lines show and what the keys do.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};

use super::{chip_style, rect, scroll_footer, truncate};
use crate::app::guidelines::GuidelineLine;
use crate::app::{Mode, State};

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let Mode::Guidelines { top } = *state.mode() else {
        return;
    };
    let popup = rect(state.screen().popup);
    let lines = state.guideline_lines(state.guidelines_width());
    let rows = state.guidelines_rows();
    let top = top.min(state.guidelines_last_top());
    Clear.render(popup, buf);
    let footer = scroll_footer(
        state,
        popup.width,
        (top, rows, lines.len()),
        "any key closes",
        "other keys close",
    );
    let block = Block::bordered()
        .title(" Guidelines ")
        .title_bottom(footer)
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let schema = state.schema();
    let x = inner.x + 1;
    let width = usize::from(inner.width.saturating_sub(2));
    for (row, (text, kind)) in lines.iter().skip(top).take(rows).enumerate() {
        let y = inner.y + row as u16;
        if y >= inner.bottom() {
            break;
        }
        match *kind {
            GuidelineLine::Label(i) => {
                let chip = format!(" {} ", schema.labels[i].key);
                let (end, _) = buf.set_stringn(x, y, &chip, width, chip_style(schema, i));
                let room = width.saturating_sub(usize::from(end - x) + 1);
                let bold = Style::new().add_modifier(Modifier::BOLD);
                buf.set_stringn(end + 1, y, truncate(text, room), room, bold);
            }
            GuidelineLine::Guideline => {
                buf.set_stringn(x, y, truncate(text, width), width, Style::new());
            }
            GuidelineLine::Example => {
                let style = Style::new().fg(Color::Cyan);
                buf.set_stringn(x, y, truncate(text, width), width, style);
            }
            GuidelineLine::Blank => {}
        }
    }
}
