//! The help overlay, generated from the keymap and the schema so it always tells the truth;
//! in the review list it says what the keys do there.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};

use super::{display_width_of, truncate};
use crate::app::layout::sanitize;
use crate::app::{State, View};

pub(super) fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let review = state.view() == View::Review;
    let rows: Vec<(String, String)> = state
        .keymap()
        .help_for(state.schema(), review)
        .into_iter()
        .map(|(keys, what)| (sanitize(&keys), what))
        .collect();
    // Two columns when one would not fit the height.
    let columns: usize = if rows.len() + 2 > usize::from(area.height) {
        2
    } else {
        1
    };
    let per_column = rows.len().div_ceil(columns).max(1);
    // Each column is as wide as its own keys and texts.
    let widths: Vec<(u16, u16)> = rows
        .chunks(per_column)
        .map(|chunk| {
            let keys = chunk.iter().map(|(k, _)| display_width_of(k)).max();
            let text = chunk.iter().map(|(_, w)| display_width_of(w)).max();
            (keys.unwrap_or(0).min(20), text.unwrap_or(0))
        })
        .collect();
    let inner_width: u16 = widths.iter().map(|(k, t)| 1 + k + 2 + t + 1).sum();
    let width = (inner_width + 2).min(area.width);
    let height = (per_column as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    let title = if review {
        " Keys: review list "
    } else {
        " Keys "
    };
    let block = Block::bordered()
        .title(title)
        .title_bottom(" any key closes ")
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut column_x = inner.x;
    for (chunk, (keys_width, text_width)) in rows.chunks(per_column).zip(widths) {
        for (i, (keys, what)) in chunk.iter().enumerate() {
            let y = inner.y + i as u16;
            let x = column_x + 1;
            if y >= inner.bottom() || x >= inner.right() {
                continue;
            }
            let room = usize::from(inner.right() - x);
            let keys = truncate(keys, usize::from(keys_width));
            buf.set_stringn(x, y, &keys, room, bold);
            let x = x + keys_width + 2;
            if x >= inner.right() {
                continue;
            }
            let room = usize::from(inner.right() - x);
            buf.set_stringn(x, y, truncate(what, room), room, Style::new());
        }
        column_x += 1 + keys_width + 2 + text_width + 1;
    }
}
