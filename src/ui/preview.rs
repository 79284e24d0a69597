//! The review preview under the list: a rule with the article's title and the sentence's
//! number, every annotator's decision on it, then the whole sentence wrapped, with the
//! sentences before and after it dimmed and the text filter's matches highlighted.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

use super::article::NO_STANCE;
use super::truncate;
use crate::app::State;
use crate::app::layout::{display_width, sanitize};
use crate::app::preview::Preview;
use crate::app::remark::shown_note;

const DIM: Style = Style::new().fg(Color::DarkGray);
/// A text-filter match: reversed and underlined as well as coloured, so it shows without
/// colour too.
pub const MATCH: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Yellow)
    .add_modifier(Modifier::BOLD)
    .add_modifier(Modifier::UNDERLINED);

/// One grapheme cluster as drawn, and whether it is part of a match.
struct Cell {
    text: String,
    width: u16,
    hit: bool,
}

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let area = state.screen().preview;
    if area.height < 3 || area.width < 4 {
        return;
    }
    let Some(preview) = state.review_preview() else {
        return;
    };
    let (x, width) = (area.x + 1, area.width.saturating_sub(2));
    rule(&preview, buf, area.x, area.y, area.width);
    annotators(state, &preview, buf, x, area.y + 1, width);
    let notes = remark_line(state);
    let noted = u16::from(notes.is_some() && area.height > 3);
    if let (Some(notes), 1) = (&notes, noted) {
        let style = Style::new().fg(Color::LightRed);
        buf.set_stringn(
            x,
            area.y + 2,
            truncate(notes, usize::from(width)),
            usize::from(width),
            style,
        );
    }
    let rows = usize::from(area.height - 2 - noted);
    let w = usize::from(width);
    let sentence = wrap(preview.sentence, &preview.matches, w, rows + 1);
    let shown = sentence.len().min(rows);
    let rest = rows - shown;
    let before = preview
        .before
        .map(|t| wrap(t, &[], w, usize::MAX))
        .unwrap_or_default();
    let after = preview
        .after
        .map(|t| wrap(t, &[], w, rest))
        .unwrap_or_default();
    // Half the spare rows for each neighbour; what one cannot use goes to the other.
    let mut take_before = before.len().min(rest / 2);
    let take_after = after.len().min(rest - take_before);
    take_before = before.len().min(rest - take_after);
    let mut y = area.y + 2 + noted;
    for line in &before[before.len() - take_before..] {
        draw_line(buf, x, y, width, line, DIM);
        y += 1;
    }
    for (i, line) in sentence.iter().take(shown).enumerate() {
        draw_line(buf, x, y, width, line, Style::new());
        if i + 1 == shown && sentence.len() > shown {
            buf.set_stringn(x + width - 1, y, "…", 1, DIM);
        }
        y += 1;
    }
    for line in after.iter().take(take_after) {
        draw_line(buf, x, y, width, line, DIM);
        y += 1;
    }
}

/// The flags and notes on the selected row's sentence and its article, every annotator's:
/// `⚑ alice · alice's note: … · bob's article note: …`; `None` when there are none.
fn remark_line(state: &State) -> Option<String> {
    let review = state.review();
    let id = review.selected_id()?;
    let entry = review.entry(id);
    let article = review.article_id(id, state.articles());
    let remarks = state.remarks();
    let mut parts = Vec::new();
    for (who, r) in remarks.on_sentence(article, entry.start, entry.end) {
        let who = sanitize(who);
        if r.flagged {
            parts.push(format!("⚑ {who}"));
        }
        if let Some(note) = &r.note {
            parts.push(format!("{who}'s note: {}", shown_note(note)));
        }
    }
    for (who, note) in remarks.article_notes(article) {
        parts.push(format!(
            "{}'s article note: {}",
            sanitize(who),
            shown_note(note)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The rule at the top: `─ Title · id · sentence 4 ───`.
fn rule(preview: &Preview, buf: &mut Buffer, x: u16, y: u16, width: u16) {
    for cx in x..x + width {
        buf[(cx, y)].set_symbol("─").set_style(DIM);
    }
    let mut tail = format!(" · {}", sanitize(preview.article_id));
    match (preview.number, preview.orphaned) {
        (_, true) => tail.push_str(" · orphaned "),
        (Some(n), false) => tail.push_str(&format!(" · sentence {n} ")),
        (None, false) => tail.push(' '),
    }
    let title = match &preview.title {
        Some(title) => sanitize(title),
        None => "(article gone)".to_owned(),
    };
    let room = usize::from(width.saturating_sub(4));
    let tail = truncate(&tail, room / 2);
    let tail_width = usize::from(crate::app::layout::text_width(&tail));
    let title = truncate(&format!(" {title}"), room.saturating_sub(tail_width));
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let (end, _) = buf.set_stringn(x + 1, y, &title, room, bold);
    let left = room.saturating_sub(usize::from(end - (x + 1)));
    buf.set_stringn(end, y, &tail, left, DIM);
}

/// `alice: diplomatic, sanctions · bob: no stance`, the session's annotator in bold.
fn annotators(state: &State, preview: &Preview, buf: &mut Buffer, x: u16, y: u16, width: u16) {
    let me = state.annotator();
    let mut cx = x;
    let end = x + width;
    for (n, (name, labels)) in preview.annotators.iter().enumerate() {
        let mut put = |text: &str, style: Style| {
            let room = usize::from(end.saturating_sub(cx));
            if room > 0 {
                cx = buf.set_stringn(cx, y, truncate(text, room), room, style).0;
            }
        };
        if n > 0 {
            put(" · ", DIM);
        }
        let style = if *name == me {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        put(&format!("{}: ", sanitize(name)), style);
        let decision = match labels {
            None => "withdrawn".to_owned(),
            Some(l) if l.is_empty() => format!("{} no stance", NO_STANCE.0),
            Some(l) if crate::store::is_ignore(l) => "⌀ ignored".to_owned(),
            Some(l) => l.iter().map(|n| sanitize(n)).collect::<Vec<_>>().join(", "),
        };
        put(&decision, Style::new().fg(Color::Cyan));
    }
}

fn draw_line(buf: &mut Buffer, x: u16, y: u16, width: u16, line: &[Cell], base: Style) {
    let mut cx = x;
    for cell in line {
        if cx + cell.width > x + width {
            break;
        }
        let style = if cell.hit { MATCH } else { base };
        buf.set_stringn(cx, y, &cell.text, usize::from(cell.width), style);
        cx += cell.width;
    }
}

/// Greedy word wrap of untrusted text into lines of at most `width` cells, whitespace runs
/// folded and hostile characters escaped, marking the graphemes inside `hits`; a word wider
/// than a line is broken. Stops after `most` lines, reading only what they need.
fn wrap(text: &str, hits: &[Range<usize>], width: usize, most: usize) -> Vec<Vec<Cell>> {
    let mut lines: Vec<Vec<Cell>> = Vec::new();
    if width == 0 || most == 0 {
        return lines;
    }
    let mut line: Vec<Cell> = Vec::new();
    let mut line_width = 0;
    let mut word: Vec<Cell> = Vec::new();
    let mut word_width = 0;
    let mut hit = hits.iter().peekable();
    let flush_word = |line: &mut Vec<Cell>,
                      line_width: &mut usize,
                      word: &mut Vec<Cell>,
                      word_width: &mut usize,
                      lines: &mut Vec<Vec<Cell>>| {
        if word.is_empty() {
            return;
        }
        let space = usize::from(!line.is_empty());
        if *line_width + space + *word_width > width && !line.is_empty() {
            lines.push(std::mem::take(line));
            *line_width = 0;
        } else if space == 1 {
            line.push(Cell {
                text: " ".into(),
                width: 1,
                hit: false,
            });
            *line_width += 1;
        }
        for cell in word.drain(..) {
            if *line_width + usize::from(cell.width) > width && !line.is_empty() {
                lines.push(std::mem::take(line));
                *line_width = 0;
            }
            *line_width += usize::from(cell.width);
            line.push(cell);
        }
        *word_width = 0;
    };
    for (at, g) in text.grapheme_indices(true) {
        if lines.len() > most {
            break;
        }
        if g.chars().all(char::is_whitespace) {
            flush_word(
                &mut line,
                &mut line_width,
                &mut word,
                &mut word_width,
                &mut lines,
            );
            continue;
        }
        while hit.peek().is_some_and(|r| r.end <= at) {
            hit.next();
        }
        let is_hit = hit.peek().is_some_and(|r| r.start <= at && at < r.end);
        let width = display_width(g);
        if width == 0 {
            continue;
        }
        word_width += usize::from(width);
        word.push(Cell {
            text: sanitize(g),
            width,
            hit: is_hit,
        });
    }
    flush_word(
        &mut line,
        &mut line_width,
        &mut word,
        &mut word_width,
        &mut lines,
    );
    if !line.is_empty() {
        lines.push(line);
    }
    lines.truncate(most);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Vec<Cell>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn wrapping_folds_breaks_and_marks() {
        let lines = wrap("Oil  prices\nrose sharply today", &[0..3], 11, 10);
        assert_eq!(plain(&lines), ["Oil prices", "rose", "sharply", "today"]);
        assert!(lines[0][..3].iter().all(|c| c.hit));
        assert!(!lines[0][3].hit && !lines[1][0].hit);
        assert_eq!(plain(&wrap("abcdefgh", &[], 3, 10)), ["abc", "def", "gh"]);
        assert_eq!(plain(&wrap("a b c d", &[], 1, 2)), ["a", "b"]);
        assert_eq!(plain(&wrap("a\u{1b}[2J", &[], 20, 2)), ["a^[[2J"]);
        assert!(wrap("", &[], 5, 5).is_empty());
    }
}
