//! The help overlay, generated from the keymap and the schema so it always tells the truth;
//! in the review list it says what the keys do there. When it does not fit, its border says
//! which rows show and which keys scroll.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};

use super::{rect, text_width, truncate};
use crate::app::help::KEYS_WIDTH;
use crate::app::{HelpFit, State, View};

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let area = rect(state.screen().size);
    let rows = state.help_rows();
    let fit = state.help_fit();
    let top = state.help_top().min(fit.last_top());
    let width = fit.width().min(area.width);
    let height = (fit.shown as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    let title = if state.view() == View::Review {
        " Keys: review list "
    } else {
        " Keys "
    };
    let footer = footer(state, &fit, top, rows.len(), popup.width.saturating_sub(2));
    let block = Block::bordered()
        .title(title)
        .title_bottom(footer)
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut column_x = inner.x;
    for (chunk, &(keys_width, what_width)) in rows.chunks(fit.per_column).zip(&fit.columns) {
        for (i, (keys, what)) in chunk.iter().skip(top).take(fit.shown).enumerate() {
            let y = inner.y + i as u16;
            let x = column_x + 1;
            if y >= inner.bottom() || x >= inner.right() {
                continue;
            }
            let room = usize::from(inner.right() - x);
            let keys = truncate(keys, usize::from(KEYS_WIDTH));
            buf.set_stringn(x, y, &keys, room, bold);
            let x = x.saturating_add(keys_width.max(text_width(&keys)) + 2);
            if x >= inner.right() {
                continue;
            }
            let room = usize::from(inner.right() - x);
            buf.set_stringn(x, y, truncate(what, room), room, Style::new());
        }
        column_x = column_x.saturating_add(1 + keys_width + 2 + what_width + 1);
    }
}

/// The bottom border: how to close, or, when the help scrolls, which rows show and how to
/// see the others, as much of it as fits in `room` cells.
fn footer(state: &State, fit: &HelpFit, top: usize, total: usize, room: u16) -> String {
    if !fit.scrolls() {
        return " any key closes ".to_owned();
    }
    let last = top + fit.shown;
    let place = format!("{}–{last} of {total}", top + 1);
    let mut candidates = Vec::new();
    if let Some(keys) = state.help_scroll_keys() {
        candidates.push(format!(" {place} · {keys} scroll · other keys close "));
        candidates.push(format!(" {place} · {keys} scroll "));
    }
    candidates.push(format!(" {place} "));
    candidates.push(format!(" {}–{last}/{total} ", top + 1));
    candidates
        .into_iter()
        .find(|text| text_width(text) <= room)
        .unwrap_or_default()
}
