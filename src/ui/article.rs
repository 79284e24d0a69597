//! The article pane: title, metadata, and the visible lines of the wrapped text.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use ratatui::layout::Rect;

use super::{colour, text_width, truncate};
use crate::app::State;
use crate::app::layout::{MARK_WIDTH, Part, sanitize};
use crate::app::query::TextQuery;
use crate::app::remark::shown_note;
use crate::store::is_ignore;

/// The style of the sentence under the cursor.
pub const CURRENT: Style = Style::new().add_modifier(Modifier::REVERSED);
/// The mark of a sentence nobody has decided yet.
pub const NOT_ANNOTATED: (char, Style) = ('·', Style::new().fg(Color::DarkGray));
/// The mark of a sentence decided "reviewed, no stance".
pub const NO_STANCE: (char, Style) = ('○', Style::new().fg(Color::Gray));
/// The mark of a sentence ignored: not one to train on, and not a negative either.
pub const IGNORED: (char, Style) = ('⌀', Style::new().fg(Color::DarkGray));
/// The mark of a decision that could not be written.
pub const UNSAVED: (char, Style) = (
    '!',
    Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD),
);
/// Beside the mark of a sentence whose boundary an analyst split or merged.
pub const BOUNDARY_CHANGED: (char, Style) = ('┊', Style::new().fg(Color::Yellow));
/// The mark, while others' decisions are shown, of a sentence another annotator decided
/// otherwise than the session's annotator.
pub const OTHERS_DIFFER: (char, Style) = (
    '≠',
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD),
);
/// Beside the mark of a sentence flagged for discussion (by the session's annotator, or by
/// another while others' decisions are shown); it takes the place of [`BOUNDARY_CHANGED`].
pub const FLAGGED: (char, Style) = (
    '⚑',
    Style::new()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD),
);
/// Beside the mark of a sentence with a note but no flag.
pub const NOTED: (char, Style) = ('✎', Style::new().fg(Color::Cyan));

/// The mark of a sentence with several labels: the first label's colour, then the second's.
pub const SEVERAL: char = '▌';

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let screen = state.screen();
    let header = screen.header;
    let width = usize::from(header.width);
    let Some(article) = state.article() else {
        buf.set_stringn(
            header.x,
            header.y,
            "The corpus has no articles.",
            width,
            Style::new().add_modifier(Modifier::BOLD),
        );
        return;
    };
    let title = if article.title.trim().is_empty() {
        "(untitled)".to_owned()
    } else {
        sanitize(article.title.trim())
    };
    buf.set_stringn(
        header.x,
        header.y,
        truncate(&title, width),
        width,
        Style::new().add_modifier(Modifier::BOLD),
    );
    let mut meta = article_notes(state);
    meta.push_str(&format!("id: {}", sanitize(&article.id)));
    for (key, value) in &article.meta {
        meta.push_str(&format!(" · {}: {}", sanitize(key), sanitize(value.trim())));
    }
    let dim = Style::new().fg(Color::DarkGray);
    buf.set_stringn(header.x, header.y + 1, truncate(&meta, width), width, dim);
    rule(state, buf);
    text(state, buf);
}

/// The article's notes, each followed by ` · `: the session annotator's, and others' while
/// their decisions are shown.
fn article_notes(state: &State) -> String {
    let mut notes = String::new();
    if let Some(note) = state.article_note() {
        notes.push_str(&format!("article note: {} · ", shown_note(note)));
    }
    if state.shows_others() {
        for (who, note) in state.others_article_notes() {
            notes.push_str(&format!(
                "{}'s note: {} · ",
                sanitize(who),
                shown_note(note)
            ));
        }
    }
    notes
}

/// The line under the header, with how far down the text is when it does not all fit.
fn rule(state: &State, buf: &mut Buffer) {
    let header = state.screen().header;
    let y = header.y + 2;
    let dim = Style::new().fg(Color::DarkGray);
    for x in header.x..header.x + header.width {
        buf[(x, y)].set_symbol("─").set_style(dim);
    }
    let layout = state.layout();
    let lines = layout.lines.len();
    let height = usize::from(state.screen().text.height);
    if lines > height || !layout.is_counted() {
        let last = (state.scroll() + height).min(lines);
        let tag = if layout.is_counted() {
            format!(" {}% ", last * 100 / lines.max(1))
        } else {
            // Lines still being counted: the share of the text above the screen's end, by
            // the share of the text counted so far.
            let text = state.article().map_or("", |a| a.text.as_str());
            let share = layout.counted_share(text);
            let percent = (last as f64 / lines.max(1) as f64 * share * 100.0) as usize;
            format!(" ~{percent}% ")
        };
        let x = (header.x + header.width).saturating_sub(tag.len() as u16 + 1);
        buf.set_stringn(x, y, tag, usize::from(header.width), dim);
    }
}

fn text(state: &State, buf: &mut Buffer) {
    let area = state.screen().text;
    let cursor = state.cursor().sentence;
    let layout = state.layout();
    let query = state.last_search().map(TextQuery::new);
    for row in 0..area.height {
        let Some(line) = layout.lines.get(state.scroll() + usize::from(row)) else {
            break;
        };
        let y = area.y + row;
        for piece in line {
            if piece.column >= area.width {
                break;
            }
            let x = area.x + piece.column;
            let room = usize::from(area.width - piece.column);
            match piece.part {
                Part::Mark(i) => {
                    let (symbol, style) = mark(state, i);
                    let mut bytes = [0u8; 4];
                    let symbol = symbol.encode_utf8(&mut bytes);
                    buf.set_stringn(x, y, symbol, room.min(usize::from(MARK_WIDTH)), style);
                    let keys = (!state.colour()).then(|| several_keys(state, i)).flatten();
                    let remark = remark_mark(state, i);
                    if let Some(keys) = keys {
                        buf.set_stringn(x, y, keys, room.min(usize::from(MARK_WIDTH)), style);
                    } else if room > 1 && (remark.is_some() || state.boundary_changed(i)) {
                        let (symbol, style) = remark.unwrap_or(BOUNDARY_CHANGED);
                        buf[(x + 1, y)].set_char(symbol).set_style(style);
                    }
                }
                Part::Sentence(i) => {
                    let style = if i == cursor { CURRENT } else { Style::new() };
                    buf.set_stringn(x, y, &piece.text, room, style);
                    if let Some(query) = &query {
                        highlight(buf, x, y, room, &piece.text, query);
                    }
                }
                _ => {
                    buf.set_stringn(x, y, &piece.text, room, Style::new());
                }
            }
        }
    }
}

/// Marks the matches of the last search in a piece of sentence drawn at `x`, `y` (a match
/// that a line break cuts in two is not marked).
fn highlight(buf: &mut Buffer, x: u16, y: u16, room: usize, text: &str, query: &TextQuery) {
    for range in query.ranges(text) {
        let start = usize::from(text_width(&text[..range.start]));
        let width = usize::from(text_width(&text[range]));
        let end = (start + width).min(room);
        if start < end {
            let area = Rect::new(x + start as u16, y, (end - start) as u16, 1);
            buf.set_style(area, super::preview::MATCH);
        }
    }
}

/// Without colour, the mark of a sentence with several labels: the keys of its first two
/// labels (`+` for the second when there are more), as the two colours tell them apart in
/// colour. It takes the cell the boundary-change mark uses.
fn several_keys(state: &State, sentence: usize) -> Option<String> {
    if mark(state, sentence).0 != SEVERAL {
        return None;
    }
    let schema = state.schema();
    let labels = state.annotation(sentence)?;
    let keys: Vec<char> = labels
        .iter()
        .filter_map(|name| schema.index_of(name))
        .map(|i| schema.labels[i].key)
        .collect();
    let second = if keys.len() > 2 { '+' } else { keys[1] };
    Some(format!("{}{second}", keys[0]))
}

/// The mark of a flagged or noted sentence: the session annotator's, or while others'
/// decisions are shown, anyone's.
fn remark_mark(state: &State, sentence: usize) -> Option<(char, Style)> {
    let mut remarks: Vec<_> = state.remark_on(sentence).into_iter().collect();
    if state.shows_others() {
        remarks.extend(
            state
                .others_remarks_on(sentence)
                .into_iter()
                .map(|(_, r)| r),
        );
    }
    if remarks.iter().any(|r| r.flagged) {
        Some(FLAGGED)
    } else if remarks.iter().any(|r| r.note.is_some()) {
        Some(NOTED)
    } else {
        None
    }
}

/// The one-cell mark before a sentence: its decision at a glance.
pub fn mark(state: &State, sentence: usize) -> (char, Style) {
    if state.is_unsaved(sentence) {
        return UNSAVED;
    }
    if state.shows_others() && state.others_differ_on(sentence) {
        return OTHERS_DIFFER;
    }
    let Some(labels) = state.annotation(sentence) else {
        return NOT_ANNOTATED;
    };
    if is_ignore(labels) {
        return IGNORED;
    }
    let schema = state.schema();
    let mut known = labels.iter().filter_map(|name| schema.index_of(name));
    match (known.next(), known.next()) {
        (None, _) if labels.is_empty() => NO_STANCE,
        // Labels the schema no longer has.
        (None, _) => ('?', Style::new().fg(Color::Magenta)),
        (Some(first), None) => (
            schema.labels[first].key,
            Style::new()
                .fg(Color::Black)
                .bg(colour(schema.labels[first].colour))
                .add_modifier(Modifier::BOLD),
        ),
        (Some(first), Some(second)) => (
            SEVERAL,
            Style::new()
                .fg(colour(schema.labels[first].colour))
                .bg(colour(schema.labels[second].colour)),
        ),
    }
}
