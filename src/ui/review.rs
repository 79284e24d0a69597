//! The review list: a header with the filter in force and the match count, then one row per
//! annotation: label chips, the sentence, the article's title (or first words), the
//! annotator. Only the rows on screen are drawn; the preview under them shows the selected
//! row in full.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use super::article::{CURRENT, IGNORED, NO_STANCE};
use super::{chip_style, clip, rect, text_width, thousands, truncate};
use crate::app::layout::sanitize;
use crate::app::preview::title_or_first_words;
use crate::app::review_list::{Entry, GONE, LabelFilter};
use crate::app::{Action, State};
use crate::store::BoundaryKind;

const DIM: Style = Style::new().fg(Color::DarkGray);
/// The marker of an orphaned annotation.
pub const ORPHAN: (char, Style) = (
    '!',
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
);
/// The marker of an annotation withdrawn in this session.
pub const WITHDRAWN: (char, Style) = ('×', DIM);
/// The marker of a row changed so that it no longer passes the filter.
pub const EDITED_OUT: (char, Style) = ('~', Style::new().fg(Color::Yellow));
/// The chip of a label name the schema does not have.
const UNKNOWN_CHIP: Style = Style::new().fg(Color::Black).bg(Color::Magenta);
/// Chips a row shows at most.
const MAX_CHIPS: usize = 4;

pub(super) fn render(state: &State, buf: &mut Buffer) {
    header(state, buf);
    rows(state, buf);
    super::preview::render(state, buf);
}

/// The first key bound to `action`, for hints.
fn key(state: &State, action: &Action) -> String {
    state
        .keymap()
        .keys_of(action)
        .first()
        .map_or_else(|| "?".to_owned(), ToString::to_string)
}

fn header(state: &State, buf: &mut Buffer) {
    let list = state.screen().list;
    let (x, width) = (list.x + 1, usize::from(list.width.saturating_sub(2)));
    let review = state.review();
    let total: usize =
        review.counts().iter().map(|c| c.annotated).sum::<usize>() + review.orphans();
    let shown = review.rows().len() - review.edited_out();
    let mut count = format!("{} match · {} in all ", thousands(shown), thousands(total));
    if review.edited_out() > 0 {
        count = format!("+{} edited · {count}", review.edited_out());
    }
    let title = "Review: every annotator's annotations in the store";
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let count_width = usize::from(text_width(&count));
    let room = width.saturating_sub(count_width + 1);
    buf.set_stringn(x, 0, truncate(title, room), room, bold);
    if count_width < width {
        let cx = x + (width - count_width) as u16;
        buf.set_stringn(cx, 0, &count, count_width, bold);
    }
    let filter = review.filter();
    let mut parts = Vec::new();
    match filter.label {
        LabelFilter::Any => {}
        LabelFilter::NoStance => parts.push("no stance".to_owned()),
        LabelFilter::Ignored => parts.push("ignored".to_owned()),
        LabelFilter::Label(i) => parts.push(format!(
            "label {}",
            sanitize(&state.schema().labels[i].name)
        )),
    }
    if let Some(a) = filter.annotator {
        parts.push(format!(
            "annotator {}",
            sanitize(&review.annotators()[a as usize])
        ));
    }
    if !filter.text.is_empty() {
        parts.push(format!("text \"{}\"", sanitize(&filter.text)));
    }
    if filter.orphaned {
        parts.push("orphaned only".to_owned());
    }
    if filter.disagreements {
        parts.push("disagreements only".to_owned());
    }
    if filter.flagged {
        parts.push("flagged only".to_owned());
    }
    let line = if parts.is_empty() {
        format!(
            "filter: none · {} label · {} annotator · {} orphaned · {} text",
            key(state, &Action::FilterLabel),
            key(state, &Action::FilterAnnotator),
            key(state, &Action::FilterOrphaned),
            key(state, &Action::Search),
        )
    } else {
        format!(
            "filter: {} · {} clears",
            parts.join(" · "),
            key(state, &Action::ClearFilters)
        )
    };
    let style = if parts.is_empty() {
        DIM
    } else {
        Style::new().fg(Color::Cyan)
    };
    buf.set_stringn(x, 1, truncate(&line, width), width, style);
    legend(state, buf, x, width);
}

/// The rule under the header, with what the chips and markers mean.
fn legend(state: &State, buf: &mut Buffer, x: u16, width: usize) {
    let end = x + width as u16;
    for cx in x..end {
        buf[(cx, 2)].set_symbol("─").set_style(DIM);
    }
    let mut cx = x + 1;
    let mut put = |text: &str, style: Style| {
        let room = usize::from(end.saturating_sub(cx));
        if room < 2 {
            return;
        }
        cx = buf.set_stringn(cx, 2, text, room, style).0;
    };
    let schema = state.schema();
    for (i, label) in schema.labels.iter().enumerate() {
        put(&format!(" {} ", label.key), chip_style(schema, i));
        put(&format!(" {} ", sanitize(&label.name)), DIM);
    }
    put(&format!(" {} no stance ", NO_STANCE.0), DIM);
    put(&format!(" {} ignored ", IGNORED.0), DIM);
    put(&format!(" {} orphaned ", ORPHAN.0), DIM);
}

/// Column widths for a list `width` cells wide.
struct Columns {
    chips: u16,
    sentence: u16,
    title: u16,
    annotator: u16,
}

fn columns(state: &State, width: u16) -> Columns {
    let chips = 3 * state.schema().labels.len().clamp(1, MAX_CHIPS) as u16;
    let annotator = state
        .review()
        .annotators()
        .iter()
        .map(|a| text_width(&sanitize(a)))
        .max()
        .unwrap_or(0)
        .clamp(4, 14);
    let mut title = (width / 5).clamp(10, 40);
    // marker, chips, then a space before each text column
    let fixed = 1 + chips + 1 + 1 + annotator + 1;
    if width < fixed + title + 1 + 12 {
        title = 0;
    }
    let sentence = width.saturating_sub(fixed + title + u16::from(title > 0));
    Columns {
        chips,
        sentence,
        title,
        annotator,
    }
}

fn rows(state: &State, buf: &mut Buffer) {
    let area = rect(state.screen().list);
    let review = state.review();
    if review.rows().is_empty() {
        let text = if review.is_empty() {
            format!(
                "No annotations in the store yet: {} goes to the article to annotate.",
                key(state, &Action::Review)
            )
        } else {
            format!(
                "Nothing matches the filter: {} clears it.",
                key(state, &Action::ClearFilters)
            )
        };
        let width = usize::from(area.width.saturating_sub(2));
        buf.set_stringn(area.x + 1, area.y + 1, truncate(&text, width), width, DIM);
        return;
    }
    let columns = columns(state, area.width);
    let visible = review.rows().iter().enumerate().skip(review.scroll());
    for (row, (index, &id)) in visible.take(usize::from(area.height)).enumerate() {
        let y = area.y + row as u16;
        row_line(state, buf, y, id, index == review.selected(), &columns);
    }
}

/// The marker of a row whose sentence an annotator flagged or noted; blank otherwise.
fn remark_marker(state: &State, id: u32) -> (char, Style) {
    let review = state.review();
    let entry = review.entry(id);
    let article = review.article_id(id, state.articles());
    let mut remarks = state
        .remarks()
        .on_sentence(article, entry.start, entry.end)
        .map(|(_, r)| r);
    let (mut flagged, mut noted) = (false, false);
    for r in remarks.by_ref() {
        flagged |= r.flagged;
        noted |= r.note.is_some();
    }
    match (flagged, noted) {
        (true, _) => super::article::FLAGGED,
        (false, true) => super::article::NOTED,
        _ => (' ', Style::new()),
    }
}

fn row_line(state: &State, buf: &mut Buffer, y: u16, id: u32, selected: bool, c: &Columns) {
    let review = state.review();
    let entry = review.entry(id);
    let articles = state.articles();
    let matches = review.matches(id, articles, state.schema());
    let base = if selected { CURRENT } else { Style::new() };
    let (marker, marker_style) = if entry.orphan.is_some() && entry.labels.is_some() {
        ORPHAN
    } else if entry.labels.is_none() {
        WITHDRAWN
    } else if !matches {
        EDITED_OUT
    } else {
        remark_marker(state, id)
    };
    let mut bytes = [0u8; 4];
    buf.set_stringn(
        0,
        y,
        marker.encode_utf8(&mut bytes),
        1,
        marker_style.patch(base),
    );
    chips(state, buf, 1, y, entry, c.chips);
    let mut x = 1 + c.chips;
    let text_style = if matches || entry.labels.is_none() {
        base
    } else {
        base.fg(Color::DarkGray)
    };
    let mut cell = |x: &mut u16, width: u16, text: &str, style: Style| {
        let w = usize::from(width);
        buf.set_stringn(*x, y, " ", 1, base);
        let (end, _) = buf.set_stringn(*x + 1, y, clip(text, w), w, style);
        let rest = w.saturating_sub(usize::from(end - (*x + 1)));
        buf.set_stringn(end, y, " ".repeat(rest), rest, base);
        *x += width + 1;
    };
    let changed = state.boundary_changed_by(id).map(|(kind, who)| {
        let what = match kind {
            BoundaryKind::Split => "split",
            BoundaryKind::Merge => "merged",
        };
        format!("[{what} by {who}] {}", review.text(id, articles))
    });
    let text = changed.as_deref().unwrap_or(review.text(id, articles));
    cell(&mut x, c.sentence, text, text_style);
    if c.title > 0 {
        let title = match articles.get(entry.article) {
            Some(article) => title_or_first_words(article),
            None if entry.article == GONE => {
                format!("(gone: {})", review.article_id(id, articles))
            }
            None => String::new(),
        };
        cell(&mut x, c.title, &title, base.fg(Color::DarkGray));
    }
    let name = &review.annotators()[entry.annotator as usize];
    let name_style = if entry.annotator == review.me() {
        base.add_modifier(Modifier::BOLD)
    } else {
        base
    };
    cell(&mut x, c.annotator, name, name_style);
}

/// The label chips of a row, in schema order; `+n` when they do not all fit.
fn chips(state: &State, buf: &mut Buffer, x: u16, y: u16, entry: &Entry, width: u16) {
    let schema = state.schema();
    let Some(labels) = &entry.labels else {
        return;
    };
    if labels.is_empty() {
        buf.set_stringn(x, y, format!(" {} ", NO_STANCE.0), 3, NO_STANCE.1);
        return;
    }
    if crate::store::is_ignore(labels) {
        buf.set_stringn(x, y, format!(" {} ", IGNORED.0), 3, IGNORED.1);
        return;
    }
    let fit = usize::from(width / 3);
    let mut cx = x;
    for (n, name) in labels.iter().enumerate() {
        if n + 1 == fit && labels.len() > fit {
            let more = format!("+{:<2}", labels.len() - n);
            buf.set_stringn(cx, y, &more, 3, DIM);
            break;
        }
        if n >= fit {
            break;
        }
        let (text, style) = match schema.index_of(name) {
            Some(i) => (format!(" {} ", schema.labels[i].key), chip_style(schema, i)),
            None => (" ? ".to_owned(), UNKNOWN_CHIP),
        };
        buf.set_stringn(cx, y, &text, 3, style);
        cx += 3;
    }
}
