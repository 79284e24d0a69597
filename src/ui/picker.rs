//! The article list over the screen: the query, then each matching article's title, id,
//! sentence count ("…" until segmented), the session annotator's progress, and the
//! annotators' agreement on it (units, MASI alpha); `+` marks an article that still needs
//! this annotator under `--overlap`.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};

use super::article::CURRENT;
use super::bar::gauge;
use super::{clip, rect, text_width, thousands, truncate_left};
use crate::app::State;
use crate::app::layout::sanitize;
use crate::app::preview::title_or_first_words;

const DIM: Style = Style::new().fg(Color::DarkGray);
/// The filled part of a progress gauge.
pub const DONE: Style = Style::new().fg(Color::Green);
/// Cells of a progress gauge.
const GAUGE: usize = 10;
/// Cells of the agreement: a space, units, a space, alpha.
const AGREEMENT: usize = 1 + 5 + 1 + 6;

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let popup = rect(state.screen().popup);
    Clear.render(popup, buf);
    let metadata = state.picker().is_metadata();
    let (title, hint) = match metadata {
        false => (
            " Articles ",
            " type to filter · ↑↓ choose · Enter opens · Ctrl-o order · Esc closes ",
        ),
        true => (
            " Articles by metadata ",
            " FIELD=VALUE (* any run), >= > <= < on numbers, dates · Enter opens · Esc closes ",
        ),
    };
    let title = format!("{title}· {} ", state.picker().order().words());
    let block = Block::bordered()
        .title(title)
        .title_bottom(hint)
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    block.render(popup, buf);
    if inner.width < 4 || inner.height < 3 {
        return;
    }
    let picker = state.picker();
    let width = usize::from(inner.width);
    let count = format!(
        " {} of {}",
        thousands(picker.matches().len()),
        thousands(state.article_count())
    );
    let count_width = usize::from(text_width(&count));
    let room = width.saturating_sub(count_width + 1);
    let prompt = if metadata { "where " } else { "> " };
    let query = truncate_left(&format!("{prompt}{}▏", sanitize(picker.query())), room);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    buf.set_stringn(inner.x, inner.y, &query, room, bold);
    if count_width < width {
        let x = inner.right() - count_width as u16;
        buf.set_stringn(x, inner.y, &count, count_width, DIM);
    }
    // sentences, gauge and percentage, then the agreement, right-aligned
    // Below 100 cells the gauge is half as wide, to leave the title room beside the
    // agreement; the `--overlap` mark takes cells only when there is an overlap to mark.
    let gauge_cells = if width >= 100 { GAUGE } else { GAUGE / 2 };
    let mark_cells = if state.overlap() > 1 { 2 } else { 0 };
    let right = 9 + 2 + gauge_cells + 1 + 4 + AGREEMENT;
    let left = width.saturating_sub(right + 1);
    let done = format!("{:<gauge_cells$}      ", "done");
    let heading = format!(
        "{:mark_cells$}{:<title$} {:>9}  {done}{:>5} {:>6}",
        "",
        "title · id",
        "sentences",
        "units",
        "alpha",
        title = left.saturating_sub(mark_cells),
    );
    match picker.problem().filter(|_| metadata) {
        Some(problem) => {
            let problem = format!("{} · showing every article", sanitize(problem));
            buf.set_stringn(inner.x, inner.y + 1, &problem, width, DIM)
        }
        None => buf.set_stringn(inner.x, inner.y + 1, &heading, width, DIM),
    };
    let top = inner.y + 2;
    let rows = usize::from(inner.bottom().saturating_sub(top));
    let visible = picker.matches().iter().enumerate().skip(picker.scroll());
    for (row, (index, &article)) in visible.take(rows).enumerate() {
        let y = top + row as u16;
        let selected = index == picker.selected();
        let base = if selected { CURRENT } else { Style::new() };
        let a = &state.articles()[article as usize];
        let mark = if state.overlap() > 1 && state.needs_you(article as usize) {
            "+ "
        } else {
            "  "
        };
        buf.set_stringn(inner.x, y, mark, mark_cells, base.fg(Color::Cyan));
        let left = left.saturating_sub(mark_cells);
        let inner_x = inner.x + mark_cells as u16;
        let title = clip(&title_or_first_words(a), left);
        let (x, _) = buf.set_stringn(inner_x, y, &title, left, base.add_modifier(Modifier::BOLD));
        let used = usize::from(x - inner_x);
        if used + 3 < left {
            let id = clip(&a.id, left - used - 2);
            let (end, _) = buf.set_stringn(x, y, "  ", 2, base);
            buf.set_stringn(end, y, &id, left - used - 2, base.fg(Color::DarkGray));
        }
        let (done, sentences) = state.article_progress(article as usize);
        let mut x = inner_x + (left + 1) as u16;
        let shown = sentences.map_or_else(|| "…".to_owned(), thousands);
        x = buf
            .set_stringn(x, y, format!("{shown:>9}  "), 11, Style::new())
            .0;
        let (filled, empty) = match sentences {
            Some(total) => gauge(done, total, gauge_cells),
            None => (String::new(), " ".repeat(gauge_cells)),
        };
        x = buf.set_stringn(x, y, &filled, gauge_cells, DONE).0;
        x = buf.set_stringn(x, y, &empty, gauge_cells, DIM).0;
        let percent = match sentences {
            Some(0) => "  —".to_owned(),
            Some(total) => format!("{:>3}%", done.min(total) * 100 / total),
            None => String::new(),
        };
        buf.set_stringn(x + 1, y, &percent, 4, Style::new());
        let agreement = match state.picker().agreement(article as usize) {
            None => format!("{:>5} {:>6}", "—", ""),
            Some(set) => {
                let alpha = set
                    .alpha_masi
                    .value()
                    .map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"));
                format!("{:>5} {alpha:>6}", thousands(set.units))
            }
        };
        buf.set_stringn(x + 6, y, &agreement, AGREEMENT, Style::new());
    }
}
