//! The note prompt, on the status bar's second row.

use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};

use super::{text_width, truncate, truncate_left};
use crate::app::layout::sanitize;
use crate::app::{Mode, State};

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let Mode::Note { text, article } = state.mode() else {
        return;
    };
    let status = state.screen().status;
    let y = status.y + status.height.saturating_sub(1);
    let width = usize::from(status.width);
    buf.set_stringn(status.x, y, " ".repeat(width), width, Style::new());
    let room = width.saturating_sub(2);
    let on = if *article {
        "article note".to_owned()
    } else {
        format!("note on sentence {}", state.cursor().sentence + 1)
    };
    let prompt = format!("{on}: {}▏", sanitize(text));
    let other = if *article { "sentence" } else { "article" };
    let help = format!("  Enter saves · Tab: {other} · Esc cancels");
    let line = if usize::from(text_width(&prompt)) + help.len() <= room {
        format!("{prompt}{help}")
    } else {
        truncate_left(&prompt, room)
    };
    let bold = Style::new().add_modifier(Modifier::BOLD);
    buf.set_stringn(status.x + 1, y, truncate(&line, room), room, bold);
}
