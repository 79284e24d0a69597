//! Drawing the session: article pane, label pane, status bar, help.
//!
//! The view only reads the state: `impl Widget for &State` draws into a buffer and never
//! decides anything, so whole screens can be snapshot-tested.

mod adjudication;
mod article;
pub mod bar;
mod goto;
mod guidelines;
mod help;
mod labels;
mod metadata;
mod note;
mod picker;
mod preview;
mod review;
mod stats_panel;
mod status;
mod suggestion;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;
use unicode_segmentation::UnicodeSegmentation;

use crate::app::State;
use crate::app::layout::{display_width, sanitize, text_width};
use crate::app::panel::PanelId;
use crate::app::screen::{Area, Screen};
use crate::schema::{Colour, Schema};

impl Widget for &State {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let screen = self.screen();
        if !screen.fits || screen.size.width > area.width || screen.size.height > area.height {
            too_small(self, area, buf);
            return;
        }
        draw(self.view_panel(), self, buf);
        status::render(self, buf);
        let active = self.active_panel();
        if active != self.view_panel() {
            draw(active, self, buf);
        }
        if !self.colour() {
            monochrome(area, buf);
        }
    }
}

/// Takes every colour off the screen, keeping what it told apart: a cell drawn on a
/// background colour (a label chip, the status bar, a search match) is drawn reversed
/// against its surroundings instead. No colour is then ever sent, so no colour reset can
/// undo an attribute: `NO_COLOR` makes crossterm send an empty colour sequence (`ESC [ ; m`),
/// which terminals read as "reset every attribute".
fn monochrome(area: Rect, buf: &mut Buffer) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.bg != Color::Reset {
                cell.modifier.toggle(Modifier::REVERSED);
            }
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
            cell.underline_color = Color::Reset;
        }
    }
}

/// Draws one panel: a full view, or an overlay over it.
fn draw(panel: PanelId, state: &State, buf: &mut Buffer) {
    match panel {
        PanelId::Article => {
            article::render(state, buf);
            labels::render(state, buf);
        }
        PanelId::Review => review::render(state, buf),
        PanelId::Articles => picker::render(state, buf),
        PanelId::Stats => stats_panel::render(state, buf),
        PanelId::Help => help::render(state, buf),
        PanelId::Guidelines => guidelines::render(state, buf),
        PanelId::GoTo => goto::render(state, buf),
        PanelId::Adjudicate => adjudication::render(state, buf),
        PanelId::Metadata => metadata::render(state, buf),
        PanelId::Note => note::render(state, buf),
    }
}

fn too_small(state: &State, area: Rect, buf: &mut Buffer) {
    let (width, height) = Screen::minimum(state.schema().labels.len());
    let lines = [
        "Terminal too small".to_owned(),
        format!("need {width}x{height}, have {}x{}", area.width, area.height),
        "q quits".to_owned(),
    ];
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, line) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.bottom() {
            break;
        }
        let text = truncate(line, usize::from(area.width));
        let x = area.x + area.width.saturating_sub(text_width(&text)) / 2;
        buf.set_stringn(x, y, &text, usize::from(area.width), Style::new());
    }
}

/// The terminal colour of a label colour.
pub fn colour(colour: Colour) -> Color {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match colour {
        Colour::Named(i) => NAMED[usize::from(i) % 16],
        Colour::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// The chip of a schema label: its key on its colour.
pub fn chip_style(schema: &Schema, label: usize) -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(colour(schema.labels[label].colour))
        .add_modifier(Modifier::BOLD)
}

fn rect(area: Area) -> Rect {
    Rect::new(area.x, area.y, area.width, area.height)
}

/// Cuts sanitized text to `width` cells, ending in `…` when something was cut.
fn truncate(text: &str, width: usize) -> String {
    if usize::from(text_width(text)) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = usize::from(display_width(g));
        if used + w + 1 > width {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Cuts sanitized text to `width` cells from the left, starting with `…` when cut.
fn truncate_left(text: &str, width: usize) -> String {
    if usize::from(text_width(text)) <= width {
        return text.to_owned();
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in text.graphemes(true).rev() {
        let w = usize::from(display_width(g));
        if used + w + 1 > width {
            break;
        }
        kept.push(g);
        used += w;
    }
    let mut out = String::from(if width > 0 { "…" } else { "" });
    out.extend(kept.into_iter().rev());
    out
}

/// One line of untrusted text fitted to `width` cells: escaped, whitespace runs folded, cut
/// with `…`. Only a prefix is read, so a sentence of megabytes costs no more than a short one.
fn clip(text: &str, width: usize) -> String {
    let budget = width.saturating_mul(16).max(64);
    let (head, cut) = if text.len() > budget {
        let mut end = budget;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (&text[..end], true)
    } else {
        (text, false)
    };
    let mut folded = String::with_capacity(head.len());
    for c in sanitize(head.trim()).chars() {
        if !(c == ' ' && folded.ends_with(' ')) {
            folded.push(c);
        }
    }
    let out = truncate(&folded, width);
    if cut && out == folded && width > 0 {
        let mut shorter = truncate(&folded, width - 1);
        if !shorter.ends_with('…') {
            shorter.push('…');
        }
        return shorter;
    }
    out
}

/// `12345` as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The bottom border of a scrolling overlay showing `rows` of `total` lines from `top`:
/// `fits` when all show, else which lines show, with the scroll keys and `scrolls` when
/// that fits in `width` cells.
fn scroll_footer(
    state: &State,
    width: u16,
    (top, rows, total): (usize, usize, usize),
    fits: &str,
    scrolls: &str,
) -> String {
    if total <= rows {
        return format!(" {fits} ");
    }
    let last = (top + rows).min(total);
    let place = format!("{}–{last} of {total}", top + 1);
    let full = state
        .help_scroll_keys()
        .map(|keys| format!(" {place} · {keys} scroll · {scrolls} "));
    match full {
        Some(full) if text_width(&full) + 2 <= width => full,
        _ => format!(" {place} "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_helpers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("東京東京", 5), "東京…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate_left("/a/b/labels.jsonl", 8), "…s.jsonl");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(
            clip("  Talks\n\n  resumed\t\u{1b}[2J ", 40),
            "Talks resumed ^[[2J"
        );
        let huge = "word ".repeat(1_000_000);
        let clipped = clip(&huge, 20);
        assert_eq!(text_width(&clipped), 20);
        assert!(clipped.ends_with('…'));
        assert_eq!(
            clip(&"e\u{301}".repeat(10_000), 3).chars().last(),
            Some('…')
        );
    }
}
