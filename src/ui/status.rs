//! The status bar: where the analyst is, progress, who, which store, and whether it is saved.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use super::{display_width_of, rect, thousands, truncate, truncate_left};
use crate::app::layout::sanitize;
use crate::app::{Mode, SaveState, State};

/// The style of the first status row.
pub const BAR: Style = Style::new().fg(Color::Black).bg(Color::Gray);

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let area = rect(state.screen().status);
    let width = usize::from(area.width);
    buf.set_style(ratatui::layout::Rect { height: 1, ..area }, BAR);
    let cursor = state.cursor();
    let articles = state.article_count();
    let sentences = state.sentence_count();
    let progress = match state.total_sentences() {
        Some(total) => {
            let percent = state.overall().annotated as f64 * 100.0 / total.max(1) as f64;
            format!(
                "{}/{} annotated ({percent:.1}%)",
                thousands(state.overall().annotated),
                thousands(total)
            )
        }
        None => format!(
            "{} annotated / counting…",
            thousands(state.overall().annotated)
        ),
    };
    let position = format!(
        " article {}/{} · sentence {}/{} · {progress} · {}",
        thousands((cursor.article + 1).min(articles)),
        thousands(articles),
        if sentences == 0 {
            0
        } else {
            cursor.sentence + 1
        },
        thousands(sentences),
        sanitize(state.annotator()),
    );
    let help = " ? help ";
    let help_fits = usize::from(display_width_of(&position)) + help.len() < width;
    buf.set_stringn(area.x, area.y, truncate(&position, width), width, BAR);
    if help_fits {
        let x = area.right() - help.len() as u16;
        buf.set_stringn(x, area.y, help, help.len(), BAR);
    }

    let y = area.y + 1;
    let (saved, saved_style) = match state.save_state() {
        SaveState::Idle => (String::new(), Style::new()),
        SaveState::Saving => ("saving…".to_owned(), Style::new().fg(Color::Yellow)),
        SaveState::Saved => ("saved".to_owned(), Style::new().fg(Color::Green)),
        SaveState::NotSaved { decisions, reason } => (
            format!("NOT SAVED ({decisions}): {}", sanitize(&reason)),
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
        ),
    };
    let saved = truncate(&saved, width.saturating_sub(1).min(width * 2 / 3));
    let saved_width = usize::from(display_width_of(&saved));
    let left_room = width.saturating_sub(saved_width + 2);
    let (left, left_style) = match (state.mode(), state.message()) {
        (Mode::Search(query), _) => (
            truncate_left(&format!("/{}▏", sanitize(query)), left_room),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        (_, Some(message)) if message.error => (
            truncate(&sanitize(&message.text), left_room),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        (_, Some(message)) => (truncate(&sanitize(&message.text), left_room), Style::new()),
        _ => (
            truncate_left(&sanitize(state.store_path()), left_room),
            Style::new().fg(Color::DarkGray),
        ),
    };
    buf.set_stringn(area.x + 1, y, &left, left_room, left_style);
    if saved_width > 0 {
        let x = area.right().saturating_sub(saved_width as u16 + 1);
        buf.set_stringn(x, y, &saved, saved_width, saved_style);
    }
}
