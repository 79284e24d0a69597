//! The help overlay, generated from the keymap and the schema so it always tells the truth.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};

use super::{display_width_of, truncate};
use crate::app::State;
use crate::app::layout::sanitize;

pub(super) fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let rows = state.keymap().help(state.schema());
    let keys_width = rows
        .iter()
        .map(|(keys, _)| display_width_of(&sanitize(keys)))
        .max()
        .unwrap_or(0)
        .min(20);
    let text_width = rows
        .iter()
        .map(|(_, what)| display_width_of(what))
        .max()
        .unwrap_or(0);
    // Two columns when one would not fit the height.
    let columns: u16 = if rows.len() as u16 + 2 > area.height {
        2
    } else {
        1
    };
    let per_column = rows.len().div_ceil(usize::from(columns)) as u16;
    let column_width = keys_width + 2 + text_width + 2;
    let width = (column_width * columns + 2).min(area.width);
    let height = (per_column + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(" Keys ")
        .title_bottom(" any key closes ")
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    for (i, (keys, what)) in rows.iter().enumerate() {
        let column = i as u16 / per_column.max(1);
        let y = inner.y + i as u16 % per_column.max(1);
        let x = inner.x + 1 + column * column_width;
        if y >= inner.bottom() || x >= inner.right() {
            continue;
        }
        let room = usize::from(inner.right() - x);
        let keys = truncate(&sanitize(keys), usize::from(keys_width));
        buf.set_stringn(x, y, &keys, room, bold);
        let x = x + keys_width + 2;
        if x >= inner.right() {
            continue;
        }
        let room = usize::from(inner.right() - x);
        buf.set_stringn(x, y, truncate(what, room), room, Style::new());
    }
}
