//! The label pane: each label's key, colour, guideline, whether the current sentence has it,
//! and how many sentences have it here and overall.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use super::{colour, rect, suggestion, text_width, thousands, truncate};
use crate::app::State;
use crate::app::layout::{sanitize, word_wrap};
use crate::app::remark::shown_note;

const DIM: Style = Style::new().fg(Color::DarkGray);

pub(super) fn render(state: &State, buf: &mut Buffer) {
    if state.screen().side_labels {
        side(state, buf);
    } else {
        below(state, buf);
    }
}

/// What the current sentence's decision is, in words.
fn current_decision(state: &State) -> (String, Style) {
    let sentence = state.cursor().sentence;
    if state.sentence_count() == 0 {
        return ("no sentences".into(), DIM);
    }
    let unsaved = state.is_unsaved(sentence);
    let (text, style) = match state.annotation(sentence) {
        None => ("not annotated".to_owned(), DIM),
        Some(labels) if labels.is_empty() => ("no stance".to_owned(), Style::new()),
        Some(labels) if crate::store::is_ignore(labels) => ("ignored".to_owned(), Style::new()),
        Some(labels) => (labels.join(", "), Style::new().add_modifier(Modifier::BOLD)),
    };
    let text = format!("{text}{}", remark_words(state, sentence));
    if unsaved {
        let red = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
        return (format!("{text} (NOT SAVED)"), red);
    }
    (text, style)
}

/// The flag and note of the current sentence, after its decision: ` · flagged · note: …`,
/// and others' (`bob flagged`, `bob's note: …`) while their decisions are shown.
fn remark_words(state: &State, sentence: usize) -> String {
    let mut words = String::new();
    if let Some(remark) = state.remark_on(sentence) {
        if remark.flagged {
            words.push_str(" · ⚑ flagged");
        }
        if let Some(note) = &remark.note {
            words.push_str(&format!(" · note: {}", shown_note(note)));
        }
    }
    if state.shows_others() {
        for (who, remark) in state.others_remarks_on(sentence) {
            let who = sanitize(who);
            if remark.flagged {
                words.push_str(&format!(" · ⚑ {who} flagged"));
            }
            if let Some(note) = &remark.note {
                words.push_str(&format!(" · {who}'s note: {}", shown_note(note)));
            }
        }
    }
    words
}

/// The other annotators' decisions on the current sentence, one `name: labels` each; empty
/// unless they are shown.
fn others_decisions(state: &State) -> Vec<String> {
    if !state.shows_others() {
        return Vec::new();
    }
    let others = state.others_on(state.cursor().sentence);
    if others.is_empty() {
        return vec!["others: none decided it".to_owned()];
    }
    others
        .into_iter()
        .map(|(name, labels)| {
            let labels = if labels.is_empty() {
                "no stance".to_owned()
            } else {
                labels.join(", ")
            };
            format!("{}: {}", sanitize(name), sanitize(&labels))
        })
        .collect()
}

fn check(state: &State, label: usize) -> &'static str {
    let name = &state.schema().labels[label].name;
    match state.annotation(state.cursor().sentence) {
        Some(labels) if labels.contains(name) => "[x]",
        Some(_) => "[ ]",
        // Pre-selected from the suggestion, not decided: Enter would decide it.
        None if state.preselected().is_some_and(|p| p.contains(name)) => "[+]",
        None => "[ ]",
    }
}

fn chip(state: &State, label: usize) -> (String, Style) {
    let label = &state.schema().labels[label];
    let style = Style::new()
        .fg(Color::Black)
        .bg(colour(label.colour))
        .add_modifier(Modifier::BOLD);
    (format!(" {} ", label.key), style)
}

/// One row per label under the article.
fn below(state: &State, buf: &mut Buffer) {
    let area = rect(state.screen().labels);
    let width = usize::from(area.width);
    for x in area.left()..area.right() {
        buf[(x, area.y)].set_symbol("─").set_style(DIM);
    }
    let (decision, style) = current_decision(state);
    let others = others_decisions(state);
    let mut title = if others.is_empty() {
        format!(" this sentence: {decision} ")
    } else {
        format!(" this sentence: {decision} · {} ", others.join(" · "))
    };
    if let Some(model) = suggestion::summary(state) {
        title.push_str(&format!("· {model} "));
    }
    buf.set_stringn(
        area.x + 1,
        area.y,
        truncate(&title, width - 2),
        width - 2,
        style,
    );
    let counts = " here / all ";
    let x = area.right().saturating_sub(counts.len() as u16 + 1);
    if usize::from(text_width(&title)) + counts.len() + 3 < width {
        buf.set_stringn(x, area.y, counts, counts.len(), DIM);
    }
    let schema = state.schema();
    let name_width = schema.labels.iter().map(|l| text_width(&l.name)).max();
    let name_width = usize::from(name_width.unwrap_or(0)).min(20);
    for (i, label) in schema.labels.iter().enumerate() {
        let y = area.y + 1 + i as u16;
        if y >= area.bottom() {
            break;
        }
        let mut x = area.x + 1;
        let end = area.right();
        let mut put = |x: &mut u16, text: &str, style: Style| {
            let room = usize::from(end.saturating_sub(*x));
            let (next, _) = buf.set_stringn(*x, y, text, room, style);
            *x = next;
        };
        put(&mut x, check(state, i), Style::new());
        put(&mut x, " ", Style::new());
        let (chip_text, chip_style) = chip(state, i);
        put(&mut x, &chip_text, chip_style);
        let name = truncate(&sanitize(&label.name), name_width);
        put(&mut x, &format!(" {name:<name_width$} "), Style::new());
        let here = state.in_article().labels[i];
        let all = state.overall().labels[i];
        put(
            &mut x,
            &format!("{here:>4} /{:>6}  ", thousands(all)),
            Style::new(),
        );
        if let Some(scores) = state.suggestion() {
            let style = if scores.suggested.contains(&i) {
                Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
            } else {
                Style::new().fg(Color::Cyan)
            };
            put(&mut x, &suggestion::cell(scores, i), style);
            put(&mut x, " ", Style::new());
        }
        let room = usize::from(end.saturating_sub(x));
        put(&mut x, &truncate(&sanitize(&label.guideline), room), DIM);
    }
}

/// A column beside the article: labels with wrapped guidelines, then totals.
fn side(state: &State, buf: &mut Buffer) {
    let area = rect(state.screen().labels);
    for y in area.top()..area.bottom() {
        buf[(area.x, y)].set_symbol("│").set_style(DIM);
    }
    let x = area.x + 2;
    let width = usize::from(state.screen().side_text_width());
    let mut y = area.y;
    let bottom = area.bottom();
    let row = |buf: &mut Buffer, y: &mut u16, left: &str, left_style: Style, right: &str| {
        if *y >= bottom {
            return;
        }
        let right_width = text_width(right);
        let left_room = width.saturating_sub(usize::from(right_width) + 1);
        buf.set_stringn(x, *y, truncate(left, left_room), left_room, left_style);
        let rx = x + (width as u16).saturating_sub(right_width);
        buf.set_stringn(rx, *y, right, usize::from(right_width), Style::new());
        *y += 1;
    };
    row(
        buf,
        &mut y,
        "Labels",
        Style::new().add_modifier(Modifier::BOLD),
        "here     all",
    );
    let schema = state.schema();
    for (i, (label, &(top, height))) in schema
        .labels
        .iter()
        .zip(&state.screen().label_rows(schema))
        .enumerate()
    {
        y = top;
        let counts = format!(
            "{:>4} {:>7}",
            state.in_article().labels[i],
            thousands(state.overall().labels[i])
        );
        let (chip_text, chip_style) = chip(state, i);
        let check = check(state, i);
        buf.set_stringn(x, y, check, 3, Style::new());
        buf.set_stringn(x + 4, y, &chip_text, 3, chip_style);
        let name_room = width.saturating_sub(8 + counts.len() + 1);
        let name = truncate(&sanitize(&label.name), name_room);
        buf.set_stringn(x + 8, y, &name, name_room, Style::new());
        let rx = x + (width as u16).saturating_sub(counts.len() as u16);
        buf.set_stringn(rx, y, &counts, counts.len(), Style::new());
        let guideline = wrap(
            &sanitize(&label.guideline),
            width.saturating_sub(4),
            usize::from(height.saturating_sub(1)).max(1),
        );
        for (line, y) in guideline.iter().zip(top + 1..top + height) {
            buf.set_stringn(x + 4, y, line, width.saturating_sub(4), DIM);
        }
        y = top + height + 1;
    }
    y = y.max(area.y + 2);
    let here = state.in_article();
    let all = state.overall();
    let no_stance = format!("{:>4} {:>7}", here.no_stance, thousands(all.no_stance));
    row(buf, &mut y, "no stance", Style::new(), &no_stance);
    let annotated = format!(
        "{:>4} {:>7}",
        format!("{}/{}", here.annotated, state.sentence_count()),
        thousands(all.annotated)
    );
    row(buf, &mut y, "annotated", Style::new(), &annotated);
    if state.orphaned() > 0 {
        let orphaned = thousands(state.orphaned());
        row(
            buf,
            &mut y,
            "orphaned",
            Style::new().fg(Color::Magenta),
            &orphaned,
        );
    }
    y += 1;
    row(buf, &mut y, "This sentence:", DIM, "");
    let (decision, style) = current_decision(state);
    for line in wrap(&decision, width, 3) {
        row(buf, &mut y, &line, style, "");
    }
    let others = others_decisions(state);
    if !others.is_empty() {
        row(buf, &mut y, "Others:", DIM, "");
    }
    for other in others {
        for line in wrap(&other, width, 2) {
            row(buf, &mut y, &line, Style::new().fg(Color::Yellow), "");
        }
    }
    let Some(model) = suggestion::summary(state) else {
        return;
    };
    y += 1;
    for line in wrap(&model, width.saturating_sub(1), 2) {
        row(buf, &mut y, &line, Style::new().fg(Color::Cyan), "");
    }
    if let Some(scores) = state.suggestion() {
        for (i, label) in state.schema().labels.iter().enumerate() {
            let right = format!(
                "{} {:>7}{}",
                suggestion::bar(scores.scores[i]),
                suggestion::percent(scores.scores[i]),
                suggestion::source_mark(scores.sources[i])
            );
            let mark = if scores.suggested.contains(&i) {
                "→ "
            } else {
                "  "
            };
            let left = format!("{mark}{}", sanitize(&label.name));
            row(buf, &mut y, &left, Style::new().fg(Color::Cyan), &right);
        }
    }
}

/// Word-wraps sanitized text to `width` cells, at most `max_lines` lines (the last cut with `…`).
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines = word_wrap(text, width);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(truncate(&rest, width));
    }
    lines.into_iter().map(|l| truncate(&l, width)).collect()
}
