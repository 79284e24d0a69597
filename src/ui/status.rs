//! The status bar: where the analyst is, progress, who, which store, and whether it is saved.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use super::bar::gauge;
use super::{rect, text_width, thousands, truncate, truncate_left};
use crate::app::layout::sanitize;
use crate::app::{Mode, SaveState, State, View};

/// The style of the first status row.
pub const BAR: Style = Style::new().fg(Color::Black).bg(Color::Gray);

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let area = rect(state.screen().status);
    let width = usize::from(area.width);
    buf.set_style(ratatui::layout::Rect { height: 1, ..area }, BAR);
    let cursor = state.cursor();
    let articles = state.article_count();
    let sentences = state.sentence_count();
    // Each wording of the progress, longest first: a count that gains a digit shortens the
    // words, never the gauge.
    let progress = |wording: usize| match state.total_sentences() {
        Some(total) => {
            let done = state.overall().annotated;
            let percent = done as f64 * 100.0 / total.max(1) as f64;
            let counts = format!("{}/{}", thousands(done), thousands(total));
            match wording {
                0 => format!("{counts} annotated ({percent:.1}%)"),
                1 => format!("{counts} ({percent:.1}%)"),
                _ => counts,
            }
        }
        None => {
            let done = thousands(state.overall().annotated);
            match wording {
                0 => format!("{done} annotated / counting…"),
                1 => format!("{done} / counting…"),
                _ => format!("{done}/…"),
            }
        }
    };
    let gauge_cells = |with_gauge: bool| match state.total_sentences() {
        Some(total) if with_gauge => {
            let (filled, empty) = gauge(state.overall().annotated, total, GAUGE);
            format!("{filled}{empty} ")
        }
        _ => String::new(),
    };
    let place = match state.view() {
        View::Article => format!(
            "article {}/{} · sentence {}/{}",
            thousands((cursor.article + 1).min(articles)),
            thousands(articles),
            if sentences == 0 {
                0
            } else {
                cursor.sentence + 1
            },
            thousands(sentences),
        ),
        View::Review => {
            let rows = state.review().rows().len();
            let row = if rows == 0 {
                0
            } else {
                state.review().selected() + 1
            };
            format!("review · row {}/{}", thousands(row), thousands(rows))
        }
        View::Adjudicate => {
            let view = state.adjudication();
            let rows = view.rows().len();
            let row = if rows == 0 { 0 } else { view.selected() + 1 };
            let (done, all) = view.progress();
            format!(
                "row {}/{} · {} of {} adjudicated",
                thousands(row),
                thousands(rows),
                thousands(done),
                thousands(all)
            )
        }
    };
    let help = " ? help ";
    let annotator = sanitize(state.annotator());
    let line = |with_gauge, wording| {
        let gauge = gauge_cells(with_gauge);
        format!(" {place} · {gauge}{} · {annotator}", progress(wording))
    };
    // The words give way first, then the gauge, then `? help`: a count that gains a digit
    // costs a word, and only a narrow terminal loses the gauge or the help.
    let fits = |line: &String, room: usize| usize::from(text_width(line)) < room;
    let choice = [(true, true), (false, true), (false, false)]
        .into_iter()
        .filter(|&(_, with_help)| !with_help || width > help.len())
        .find_map(|(with_gauge, with_help)| {
            let room = width - if with_help { help.len() } else { 0 };
            (0..3)
                .map(|wording| line(with_gauge, wording))
                .find(|line| fits(line, room))
                .map(|line| (line, with_help))
        });
    let (position, help_fits) = choice.unwrap_or_else(|| (truncate(&line(false, 2), width), false));
    buf.set_stringn(area.x, area.y, &position, width, BAR);
    if help_fits {
        let x = area.right() - help.len() as u16;
        buf.set_stringn(x, area.y, help, help.len(), BAR);
    }

    let y = area.y + 1;
    let (saved, short, saved_style) = match state.save_state() {
        SaveState::Idle => (String::new(), String::new(), Style::new()),
        SaveState::Saving => (
            "saving…".to_owned(),
            String::new(),
            Style::new().fg(Color::Yellow),
        ),
        SaveState::Saved => (
            "saved".to_owned(),
            String::new(),
            Style::new().fg(Color::Green),
        ),
        SaveState::NotSaved {
            decisions,
            reason,
            saving,
        } => (
            format!(
                "{}NOT SAVED ({decisions}): {}",
                if saving > 0 { "saving… · " } else { "" },
                sanitize(&reason)
            ),
            format!("NOT SAVED ({decisions})"),
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
        ),
    };
    let error = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    // The quit question comes first: the save state gives way to it, then its reason, then
    // all of it (the question says NOT SAVED itself); only then is the question worded shorter.
    let question = (*state.mode() == Mode::ConfirmQuit).then(|| {
        let room = width.saturating_sub(2);
        let words = state.quit_question();
        let fits = words.iter().find(|q| usize::from(text_width(q)) <= room);
        truncate(fits.unwrap_or(&words[words.len() - 1]), room)
    });
    let saved = match &question {
        Some(question) => {
            let room = width.saturating_sub(usize::from(text_width(question)) + 3);
            let short_width = usize::from(text_width(&short));
            if usize::from(text_width(&saved)) <= room {
                saved
            } else if room >= short_width + REASON_AT_LEAST {
                truncate(&saved, room)
            } else if room >= short_width {
                short
            } else {
                String::new()
            }
        }
        // Beside only the store's path (which the error names anyway), a save error's
        // reason may take the whole row; beside a message or a prompt, two thirds of it.
        None if left_is_path(state) => truncate(&saved, width.saturating_sub(2)),
        None => truncate(&saved, width.saturating_sub(1).min(width * 2 / 3)),
    };
    let saved_width = usize::from(text_width(&saved));
    // one blank cell between the two sides
    let gap = if saved_width > 0 { 3 } else { 2 };
    let left_room = width.saturating_sub(saved_width + gap);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let hint = state.recreate_hint();
    let (left, left_style) = match (state.mode(), state.message()) {
        (Mode::ConfirmQuit, _) => (question.unwrap_or_default(), error),
        (Mode::Search(query), _) => (
            truncate_left(&format!("/{}▏", sanitize(query)), left_room),
            bold,
        ),
        (Mode::FilterText { .. }, _) => {
            let text = &state.review().filter().text;
            let prompt = format!("filter text: {}▏  Enter keeps · Esc undoes", sanitize(text));
            (truncate_left(&prompt, left_room), bold)
        }
        (Mode::FilterKey, _) => (truncate(&filter_keys(state), left_room), bold),
        (Mode::Split { .. }, _) => (truncate(&split_prompt(state), left_room), bold),
        (_, Some(message)) if message.error => {
            (truncate(&sanitize(&message.text), left_room), error)
        }
        (_, Some(message)) => (truncate(&sanitize(&message.text), left_room), Style::new()),
        _ if let Some(words) = &hint => {
            let fits = words
                .iter()
                .find(|w| usize::from(text_width(w)) <= left_room);
            (truncate(fits.unwrap_or(&words[2]), left_room), error)
        }
        _ if state.read_only().is_some() => (
            truncate(
                &format!(
                    "read-only: {}",
                    sanitize(state.read_only().unwrap_or_default())
                ),
                left_room,
            ),
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ),
        _ if let Some(count) = state.reattaching() => (
            truncate(
                &format!("re-attaching {} annotations…", thousands(count)),
                left_room,
            ),
            Style::new().fg(Color::Yellow),
        ),
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

/// True when the left of the status bar's second row shows just the store's path: no
/// prompt, message, read-only notice or recreate hint.
fn left_is_path(state: &State) -> bool {
    let prompt = matches!(
        state.mode(),
        Mode::ConfirmQuit
            | Mode::Search(_)
            | Mode::FilterText { .. }
            | Mode::FilterKey
            | Mode::Split { .. }
    );
    !prompt
        && state.message().is_none()
        && state.read_only().is_none()
        && state.recreate_hint().is_none()
        && state.reattaching().is_none()
}

/// The word cursor of a split: where the sentence would be cut, and the keys.
fn split_prompt(state: &State) -> String {
    let Some((left, right)) = state.split_preview() else {
        return String::new();
    };
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (left, right) = (fold(left), fold(right));
    let tail: String = {
        let chars: Vec<char> = left.chars().collect();
        let from = chars.len().saturating_sub(24);
        chars[from..].iter().collect()
    };
    let head: String = right.chars().take(24).collect();
    format!(
        "split: …{} ┃ {}…  h/l word · Enter splits · Esc cancels",
        sanitize(&tail),
        sanitize(&head)
    )
}

/// Cells of the progress gauge.
const GAUGE: usize = 6;

/// Cells of a save error's reason worth showing beside the quit question; fewer, and only
/// `NOT SAVED (n)` is shown.
const REASON_AT_LEAST: usize = 10;

/// The prompt after the filter key: which keys pick which label.
fn filter_keys(state: &State) -> String {
    let mut parts: Vec<String> = state
        .schema()
        .labels
        .iter()
        .map(|l| format!("{} {}", l.key, sanitize(&l.name)))
        .collect();
    if let Some(key) = state
        .keymap()
        .keys_of(&crate::app::Action::NoStance)
        .first()
    {
        parts.push(format!("{key} no stance"));
    }
    format!("filter by: {} · Esc cancels", parts.join(" · "))
}
