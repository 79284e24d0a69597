//! The adjudication view: a header with the progress and the filter in force, one row per
//! disputed sentence (the final decision, the sentence, a column per annotator with the keys
//! of the labels they chose), and under the rows the selected sentence whole, wrapped, with
//! every annotator's answer in full.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use super::article::{CURRENT, IGNORED, NO_STANCE, NOT_ANNOTATED};
use super::{chip_style, clip, text_width, thousands, truncate};
use crate::app::State;
use crate::app::adjudication::Unit;
use crate::app::layout::{sanitize, word_wrap};
use crate::app::vocabulary::{LabelFilter, Labels};
use crate::store::is_ignore;

const DIM: Style = Style::new().fg(Color::DarkGray);
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);
/// Cells of the final decision's cell, before the sentence.
const FINAL: u16 = 8;
/// Cells of each annotator's column, its separator included.
const COLUMN: u16 = 9;
/// Cells the sentence keeps at least; columns that do not fit beside it scroll sideways.
const SENTENCE_MIN: u16 = 24;
/// The mark of the selected row, for terminals (and snapshots) without reverse video.
const SELECTED: char = '▸';

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let list = state.screen().list;
    let width = list.width;
    let shown = columns_shown(state, width);
    header(state, buf, width, &shown);
    rows(state, buf, &shown);
    detail(state, buf);
}

/// The columns (indices into the view's columns) that fit beside the sentence, from the
/// first scrolled to.
fn columns_shown(state: &State, width: u16) -> Vec<usize> {
    let view = state.adjudication();
    let room = width.saturating_sub(1 + FINAL + SENTENCE_MIN);
    let fit = usize::from((room / COLUMN).max(1));
    let first = view.first_column();
    (first..view.columns().len()).take(fit).collect()
}

fn header(state: &State, buf: &mut Buffer, width: u16, shown: &[usize]) {
    let view = state.adjudication();
    let w = usize::from(width.saturating_sub(2));
    let (done, all) = view.progress();
    let count = format!("{} of {} adjudicated ", thousands(done), thousands(all));
    let count_width = usize::from(text_width(&count));
    let title = "Adjudicate: sentences where annotators disagree";
    let room = w.saturating_sub(count_width + 1);
    buf.set_stringn(1, 0, truncate(title, room), room, BOLD);
    if count_width < w {
        buf.set_stringn(1 + (w - count_width) as u16, 0, &count, count_width, BOLD);
    }

    let filter = view.filter();
    let mut parts = Vec::new();
    if filter.undecided {
        parts.push("undecided".to_owned());
    }
    match filter.label {
        LabelFilter::Any => {}
        LabelFilter::NoStance => parts.push("someone said no stance".to_owned()),
        LabelFilter::Ignored => parts.push("someone ignored".to_owned()),
        LabelFilter::Label(i) => parts.push(format!(
            "label {}",
            sanitize(&state.schema().labels[i].name)
        )),
    }
    if let Some((a, b)) = filter.pair {
        let name = |c: usize| column_name(state, c);
        parts.push(format!("pair {} | {}", name(a), name(b)));
    }
    let line = if parts.is_empty() {
        format!(
            "filter: none · {} of {} rows",
            thousands(view.rows().len()),
            thousands(all)
        )
    } else {
        format!(
            "filter: {} · {} of {} rows",
            parts.join(" · "),
            thousands(view.rows().len()),
            thousands(all)
        )
    };
    let style = if parts.is_empty() {
        DIM
    } else {
        Style::new().fg(Color::Yellow)
    };
    buf.set_stringn(1, 1, clip(&line, w), w, style);

    let sentence_width = sentence_width(width, shown.len());
    let mut x = 1;
    buf.set_stringn(x, 2, "final", usize::from(FINAL), BOLD);
    x += FINAL;
    let label = if view.first_column() > 0 {
        "sentence ‹"
    } else {
        "sentence"
    };
    buf.set_stringn(x, 2, label, usize::from(sentence_width), BOLD);
    x += sentence_width;
    for &c in shown {
        let head = format!("│{} {}", c + 1, column_name(state, c));
        buf.set_stringn(
            x,
            2,
            truncate(&head, usize::from(COLUMN)),
            usize::from(COLUMN),
            BOLD,
        );
        x += COLUMN;
    }
    if shown.last().is_some_and(|&c| c + 1 < view.columns().len()) {
        buf.set_stringn(x.min(width - 1), 2, "›", 1, BOLD);
    }
}

/// The name of the annotator of column `c`, made safe to draw.
fn column_name(state: &State, c: usize) -> String {
    let view = state.adjudication();
    let annotator = view.columns()[c];
    sanitize(&state.annotations().annotators()[annotator as usize])
}

/// Cells left for the sentence once the final cell and `columns` columns are drawn.
fn sentence_width(width: u16, columns: usize) -> u16 {
    width
        .saturating_sub(2 + FINAL)
        .saturating_sub(COLUMN * columns as u16)
}

fn rows(state: &State, buf: &mut Buffer, shown: &[usize]) {
    let list = state.screen().list;
    let view = state.adjudication();
    if view.rows().len() == 0 {
        let text = if view.units().is_empty() {
            "No disagreements: every sentence that two annotators decided has one label set."
        } else {
            "No sentence passes the filter (F clears it)."
        };
        let w = usize::from(list.width.saturating_sub(2));
        buf.set_stringn(1, list.y, clip(text, w), w, DIM);
        return;
    }
    let sentence_width = sentence_width(list.width, shown.len());
    for (i, unit) in view
        .rows()
        .enumerate()
        .skip(view.scroll())
        .take(usize::from(list.height))
    {
        let y = list.y + (i - view.scroll()) as u16;
        let selected = i == view.selected();
        if selected {
            buf.set_string(0, y, SELECTED.to_string(), BOLD);
        }
        let mut x = 1;
        let (decision, draft) = match (selected, view.draft()) {
            (true, Some(draft)) => (Some(draft), true),
            _ => (unit.decision.as_ref(), false),
        };
        let end = cell(state, buf, x, y, FINAL - 1, decision);
        if draft && end < x + FINAL {
            buf.set_string(end, y, "*", Style::new().fg(Color::Yellow));
        }
        x += FINAL;
        let text = sentence_of(state, unit);
        let w = usize::from(sentence_width.saturating_sub(1));
        let style = if selected { CURRENT } else { Style::new() };
        buf.set_stringn(x, y, clip(text, w), w, style);
        x += sentence_width;
        for &c in shown {
            buf.set_string(x, y, "│", DIM);
            let annotator = view.columns()[c];
            cell(state, buf, x + 1, y, COLUMN - 1, unit.answer_of(annotator));
            x += COLUMN;
        }
    }
}

/// The text of a unit's sentence.
fn sentence_of<'a>(state: &'a State, unit: &Unit) -> &'a str {
    state.articles()[unit.article]
        .text
        .get(unit.span.start..unit.span.end)
        .unwrap_or_default()
}

/// Draws a label set as its labels' keys on their colours (no stance, ignored and not
/// decided as their marks) in `width` cells from `x`; returns the column after the last cell.
fn cell(
    state: &State,
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    labels: Option<&Labels>,
) -> u16 {
    let schema = state.schema();
    let mark = |buf: &mut Buffer, (c, style): (char, Style), word: &str| {
        let text = format!("{c} {word}");
        buf.set_stringn(x, y, &text, usize::from(width), style);
        x + text_width(&text).min(width)
    };
    let Some(labels) = labels else {
        return mark(buf, NOT_ANNOTATED, "");
    };
    if labels.is_empty() {
        return mark(buf, NO_STANCE, "none");
    }
    if is_ignore(labels) {
        return mark(buf, IGNORED, "ign");
    }
    let mut at = x;
    for name in labels {
        if at + 1 > x + width {
            break;
        }
        match schema.labels.iter().position(|l| l.name == *name) {
            Some(i) => {
                let key = schema.labels[i].key.to_string();
                buf.set_string(at, y, sanitize(&key), chip_style(schema, i));
            }
            None => {
                buf.set_string(at, y, "?", Style::new().fg(Color::Black).bg(Color::Magenta));
            }
        }
        at += 2;
    }
    at.saturating_sub(1).max(x)
}

/// The label set in full words, made safe to draw.
fn words(labels: Option<&Labels>) -> String {
    match labels {
        None => "—".to_owned(),
        Some(l) if l.is_empty() => "no stance".to_owned(),
        Some(l) if is_ignore(l) => "ignored".to_owned(),
        Some(l) => sanitize(&l.join(", ")),
    }
}

/// Under the rows: the sentence whole, wrapped, then each annotator's answer and the final
/// decision in words.
fn detail(state: &State, buf: &mut Buffer) {
    let area = state.screen().preview;
    let view = state.adjudication();
    let Some(unit) = view.selected_unit() else {
        return;
    };
    if area.height < 3 || area.width < 4 {
        return;
    }
    let (x, w) = (area.x + 1, usize::from(area.width.saturating_sub(2)));
    let article = &state.articles()[unit.article];
    let title = format!(
        "── article {} · {} ",
        thousands(unit.article + 1),
        sanitize(crate::app::preview::title_or_first_words(article).as_str())
    );
    let mut rule = clip(&title, w.saturating_sub(1));
    rule.push(' ');
    while usize::from(text_width(&rule)) < w {
        rule.push('─');
    }
    buf.set_stringn(x, area.y, &rule, w, DIM);

    let mut answers: Vec<String> = view
        .columns()
        .iter()
        .enumerate()
        .map(|(c, &a)| {
            format!(
                "{} {}: {}",
                c + 1,
                column_name(state, c),
                words(unit.answer_of(a))
            )
        })
        .collect();
    let final_line = match view.draft() {
        Some(draft) => format!("final (not saved yet): {}", words(Some(draft))),
        None => format!("final: {}", words(unit.decision.as_ref())),
    };
    // Answers side by side on one line when they fit, else one a line.
    let joined = answers.join(" · ");
    if usize::from(text_width(&joined)) <= w {
        answers = vec![joined];
    }
    answers.push(final_line);
    let rows = usize::from(area.height - 1);
    let for_sentence = rows.saturating_sub(answers.len()).max(1);
    // Only a prefix is wrapped: a sentence of megabytes costs what a screenful does.
    let text = sentence_of(state, unit);
    let budget = w
        .saturating_mul(for_sentence + 1)
        .saturating_mul(16)
        .max(64);
    let mut end = text.len().min(budget);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut lines = word_wrap(&sanitize(&text[..end]), w);
    let cut = lines.len() > for_sentence || end < text.len();
    lines.truncate(for_sentence);
    if cut && let Some(last) = lines.last_mut() {
        *last = truncate(&format!("{last} …"), w);
    }
    let mut y = area.y + 1;
    for line in &lines {
        buf.set_stringn(x, y, truncate(line, w), w, Style::new());
        y += 1;
    }
    for line in answers {
        if y >= area.y + area.height {
            break;
        }
        buf.set_stringn(x, y, clip(&line, w), w, BOLD);
        y += 1;
    }
}
