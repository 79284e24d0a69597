//! Where each pane goes for a terminal size, shared by the update (scrolling, clicks) and
//! the view (drawing), so the two never disagree.

use super::layout::{sanitize, word_wrap};
use crate::schema::Schema;

/// A rectangle of cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Area {
    /// Left column.
    pub x: u16,
    /// Top row.
    pub y: u16,
    /// Columns.
    pub width: u16,
    /// Rows.
    pub height: u16,
}

impl Area {
    /// True when the cell is inside.
    pub fn contains(&self, column: u16, row: u16) -> bool {
        column >= self.x
            && row >= self.y
            && u32::from(column) < u32::from(self.x) + u32::from(self.width)
            && u32::from(row) < u32::from(self.y) + u32::from(self.height)
    }
}

/// Lines of a label's guideline the label pane beside the article shows at least, when the
/// guideline has them; more when the pane has room for every label's.
pub const GUIDELINE_LINES: usize = 3;
/// Columns of the label pane when it sits beside the article.
pub const SIDE_PANE_WIDTH: u16 = 38;
/// Below this width the label pane goes under the article.
pub const SIDE_PANE_MIN_TERMINAL_WIDTH: u16 = 110;
/// Narrower than this, nothing but a message is drawn.
pub const MIN_WIDTH: u16 = 30;
/// Rows of text the article pane needs at least.
pub const MIN_TEXT_ROWS: u16 = 3;
/// Rows of the article header: title, metadata, rule.
pub const HEADER_ROWS: u16 = 3;
/// Rows of the status bar.
pub const STATUS_ROWS: u16 = 2;
/// Columns left free on each side of the article list and the statistics panel.
pub const POPUP_MARGIN: u16 = 2;

/// The panes for one terminal size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Screen {
    /// The whole terminal.
    pub size: Area,
    /// False when the terminal is too small to draw the session; then only a message shows.
    pub fits: bool,
    /// Title and metadata of the article.
    pub header: Area,
    /// The wrapped article text.
    pub text: Area,
    /// The label pane, including its border line.
    pub labels: Area,
    /// True when the label pane is beside the article rather than under it.
    pub side_labels: bool,
    /// The status bar.
    pub status: Area,
    /// The rows of the review list, under its header (which takes `header`'s rows).
    pub list: Area,
    /// The panel over the screen for the article list and the statistics, border included.
    pub popup: Area,
    /// Under the review list's rows: the selected row's sentence in full, with its
    /// neighbours, title and annotators; no rows when the terminal is too short for it.
    pub preview: Area,
}

impl Screen {
    /// Lays out the panes for a terminal of `width` x `height` and a schema of `labels` labels.
    pub fn new(width: u16, height: u16, labels: usize) -> Screen {
        let size = Area {
            x: 0,
            y: 0,
            width,
            height,
        };
        let labels = u16::try_from(labels).unwrap_or(u16::MAX);
        let side = width >= SIDE_PANE_MIN_TERMINAL_WIDTH;
        let below_rows = if side { 0 } else { labels.saturating_add(1) };
        let needed = (HEADER_ROWS + MIN_TEXT_ROWS + STATUS_ROWS).saturating_add(below_rows);
        if width < MIN_WIDTH || height < needed {
            return Screen {
                size,
                ..Screen::default()
            };
        }
        let body = height - STATUS_ROWS;
        let article_width = if side { width - SIDE_PANE_WIDTH } else { width };
        let article_rows = body - below_rows;
        let (list_rows, preview_rows) = review_split(body - HEADER_ROWS);
        let labels_area = if side {
            Area {
                x: article_width,
                y: 0,
                width: SIDE_PANE_WIDTH,
                height: body,
            }
        } else {
            Area {
                x: 0,
                y: article_rows,
                width,
                height: below_rows,
            }
        };
        Screen {
            size,
            fits: true,
            header: Area {
                x: 1,
                y: 0,
                width: article_width - 2,
                height: HEADER_ROWS,
            },
            text: Area {
                x: 1,
                y: HEADER_ROWS,
                width: article_width - 2,
                height: article_rows - HEADER_ROWS,
            },
            labels: labels_area,
            side_labels: side,
            status: Area {
                x: 0,
                y: body,
                width,
                height: STATUS_ROWS,
            },
            list: Area {
                x: 0,
                y: HEADER_ROWS,
                width,
                height: list_rows,
            },
            popup: Area {
                x: POPUP_MARGIN,
                y: 1,
                width: width - 2 * POPUP_MARGIN,
                height: body - 2,
            },
            preview: Area {
                x: 0,
                y: HEADER_ROWS + list_rows,
                width,
                height: preview_rows,
            },
        }
    }

    /// Rows of articles the article list shows (inside its border, under its query line and
    /// column titles).
    pub fn picker_rows(&self) -> u16 {
        self.popup.height.saturating_sub(4).max(1)
    }

    /// Where each label of the label pane is drawn: its first row and how many rows it
    /// takes (its line, and beside the article its guideline, wrapped into the room the pane
    /// has), cut at the pane's bottom; labels that do not fit are left out.
    pub fn label_rows(&self, schema: &Schema) -> Vec<(u16, u16)> {
        let area = self.labels;
        let bottom = area.y.saturating_add(area.height);
        let mut rows = Vec::with_capacity(schema.labels.len());
        if !self.side_labels {
            for i in 0..schema.labels.len() {
                let y = area.y.saturating_add(1).saturating_add(i as u16);
                if y >= bottom {
                    break;
                }
                rows.push((y, 1));
            }
            return rows;
        }
        // a title row and a blank one, then each label, its guideline and a blank row
        let width = usize::from(self.side_text_width()).saturating_sub(4);
        let wrapped: Vec<usize> = schema
            .labels
            .iter()
            .map(|label| word_wrap(&sanitize(&label.guideline), width).len())
            .collect();
        let cap = guideline_cap(&wrapped, area.height);
        let mut y = area.y.saturating_add(2);
        for &lines in &wrapped {
            if y >= bottom {
                break;
            }
            let guideline = lines.min(cap) as u16;
            let height = (1 + guideline).min(bottom - y);
            rows.push((y, height));
            y = y.saturating_add(height + 1);
        }
        rows
    }

    /// Columns of text in the label pane beside the article (inside its border and margin).
    pub fn side_text_width(&self) -> u16 {
        self.labels.width.saturating_sub(3)
    }

    /// The label whose rows hold `row` of the terminal, if the cell is in the label pane.
    pub fn label_at(&self, schema: &Schema, column: u16, row: u16) -> Option<usize> {
        if !self.fits || !self.labels.contains(column, row) {
            return None;
        }
        self.label_rows(schema)
            .iter()
            .position(|&(y, height)| row >= y && row < y + height)
    }

    /// The smallest terminal (columns, rows) that draws the session for this many labels.
    pub fn minimum(labels: usize) -> (u16, u16) {
        let labels = u16::try_from(labels).unwrap_or(u16::MAX);
        (
            MIN_WIDTH,
            (HEADER_ROWS + MIN_TEXT_ROWS + STATUS_ROWS).saturating_add(labels.saturating_add(1)),
        )
    }
}

/// Rows the side label pane keeps under the labels for the totals and the decision.
const TOTALS_ROWS: usize = 9;

/// Lines of guideline each label beside the article gets at most: [`GUIDELINE_LINES`], or
/// more while every label's wrapped guideline (`wrapped` lines each) still fits a pane of
/// `height` rows with the totals under them.
fn guideline_cap(wrapped: &[usize], height: u16) -> usize {
    let fixed = 2 + TOTALS_ROWS + 2 * wrapped.len();
    let budget = usize::from(height).saturating_sub(fixed);
    let used = |cap: usize| wrapped.iter().map(|&n| n.min(cap)).sum::<usize>();
    let longest = wrapped.iter().copied().max().unwrap_or(0);
    let mut cap = GUIDELINE_LINES;
    while cap < longest && used(cap + 1) <= budget {
        cap += 1;
    }
    cap
}

/// Rows of the review preview at least: its rule, the annotators, and a few lines of text.
pub const PREVIEW_MIN_ROWS: u16 = 8;
/// Rows of the review preview at most, however tall the terminal.
pub const PREVIEW_MAX_ROWS: u16 = 16;

/// The `rows` under the review header shared between the list and the preview: about two
/// fifths for the preview, none when the list would keep fewer than [`MIN_TEXT_ROWS`] + 2.
fn review_split(rows: u16) -> (u16, u16) {
    let preview = (rows * 2 / 5).clamp(PREVIEW_MIN_ROWS, PREVIEW_MAX_ROWS);
    if rows < preview + MIN_TEXT_ROWS + 2 {
        return (rows, 0);
    }
    (rows - preview, preview)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_terminal() {
        for (w, h) in [(80, 24), (160, 48), (30, 12), (109, 20), (110, 9)] {
            let s = Screen::new(w, h, 3);
            assert!(s.fits, "{w}x{h}");
            assert_eq!(s.status.y + s.status.height, h);
            assert!(s.text.height >= MIN_TEXT_ROWS);
            assert_eq!(s.side_labels, w >= SIDE_PANE_MIN_TERMINAL_WIDTH);
            assert!(s.text.x + s.text.width <= if s.side_labels { s.labels.x } else { w });
            assert_eq!(s.list.y + s.list.height, s.preview.y);
            assert_eq!(s.preview.y + s.preview.height, s.status.y);
            assert!(s.preview.height == 0 || s.preview.height >= PREVIEW_MIN_ROWS);
            assert!(s.list.height >= MIN_TEXT_ROWS && s.picker_rows() >= 1);
            assert!(s.popup.x + s.popup.width <= w && s.popup.y + s.popup.height <= s.status.y);
        }
        assert!(!Screen::new(29, 24, 3).fits);
        assert!(!Screen::new(80, 11, 3).fits);
        assert!(!Screen::new(0, 0, 3).fits);
        assert_eq!(Screen::minimum(3), (30, 12));
        assert_eq!(Screen::new(80, 24, 3).preview.height, PREVIEW_MIN_ROWS);
        assert_eq!(Screen::new(30, 12, 3).preview.height, 0);
    }
}
