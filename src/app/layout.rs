//! The article text wrapped to a width: visual lines made of pieces that know their sentence.
//!
//! Computed once per (article, width), so drawing a frame only copies the visible lines.
//! Corpus text is untrusted: control characters and bidi overrides are shown escaped, tabs
//! are expanded, and widths come from grapheme clusters so wide and combining characters align.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::corpus::Span;
/// Re-exported so the view and its tests name the one rule messages use too.
pub use crate::escape::is_hostile;

/// Columns between tab stops.
const TAB_STOP: usize = 4;

/// What a piece of a visual line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Text of the sentence with this index.
    Sentence(usize),
    /// Text between sentences (whitespace, or text the segmenter left out).
    Between,
    /// The one-cell mark before a sentence, followed by a space; drawn from its annotation.
    Mark(usize),
}

/// A run of cells on one visual line with one meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Column within the text area where the piece starts.
    pub column: u16,
    /// Cells it covers.
    pub width: u16,
    /// What to draw, already escaped (for a mark, two spaces to draw over).
    pub text: String,
    /// Whose it is.
    pub part: Part,
}

/// The article text wrapped to `width` columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextLayout {
    /// The width it was wrapped to.
    pub width: u16,
    /// Visual lines from the top.
    pub lines: Vec<Vec<Piece>>,
    /// For each sentence, its first and last visual line.
    pub sentence_lines: Vec<(usize, usize)>,
}

/// Cells of a mark: the mark and a space.
pub const MARK_WIDTH: u16 = 2;

#[derive(Clone, Copy)]
struct Cell {
    start: usize,
    end: usize,
    width: u16,
    part: Part,
    space: bool,
}

struct Builder<'a> {
    text: &'a str,
    width: u16,
    layout: TextLayout,
    line: Vec<Piece>,
    column: u16,
}

impl Builder<'_> {
    fn new_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.layout.lines.push(line);
        self.column = 0;
    }

    fn place(&mut self, cell: Cell) {
        let row = self.layout.lines.len();
        if let Part::Sentence(i) | Part::Mark(i) = cell.part {
            let lines = &mut self.layout.sentence_lines[i];
            if lines.0 == usize::MAX {
                lines.0 = row;
            }
            lines.1 = row;
        }
        let column = self.column;
        self.column += cell.width;
        if let Some(last) = self.line.last_mut()
            && last.part == cell.part
            && !matches!(cell.part, Part::Mark(_))
        {
            push_display(&mut last.text, &self.text[cell.start..cell.end], cell.width);
            last.width += cell.width;
            return;
        }
        let mut text = String::new();
        match cell.part {
            Part::Mark(_) => text.push_str("  "),
            _ => push_display(&mut text, &self.text[cell.start..cell.end], cell.width),
        }
        self.line.push(Piece {
            column,
            width: cell.width,
            text,
            part: cell.part,
        });
    }

    /// Places a word (cells with no break between them), wrapping before it when it does not
    /// fit and breaking it by grapheme when it is wider than a line.
    fn place_word(&mut self, word: &[Cell]) {
        let total: u32 = word.iter().map(|c| u32::from(c.width)).sum();
        // A word wider than a whole line is broken where it stands rather than moved down.
        let fits_a_line = total <= u32::from(self.width);
        if self.column > 0 && fits_a_line && u32::from(self.column) + total > u32::from(self.width)
        {
            self.new_line();
        }
        for cell in word {
            if self.column > 0 && self.column + cell.width > self.width {
                self.new_line();
            }
            self.place(*cell);
        }
    }

    fn place_space(&mut self, mut cell: Cell) {
        if self.text[cell.start..cell.end].starts_with('\t') {
            let column = usize::from(self.column);
            cell.width = (TAB_STOP - column % TAB_STOP) as u16;
        }
        if self.column + cell.width > self.width {
            // A space at the end of a line is not carried to the next.
            if self.column > 0 {
                self.new_line();
            }
            return;
        }
        self.place(cell);
    }
}

/// Lays out `text`, whose sentences are `spans`, in `width` columns (at least 2).
pub fn layout(text: &str, spans: &[Span], width: u16) -> TextLayout {
    let width = width.max(MARK_WIDTH);
    let mut b = Builder {
        text,
        width,
        layout: TextLayout {
            width,
            lines: Vec::new(),
            sentence_lines: vec![(usize::MAX, usize::MAX); spans.len()],
        },
        line: Vec::new(),
        column: 0,
    };
    let mut next_span = 0;
    let mut word: Vec<Cell> = Vec::new();
    let mut blank_lines = 0;
    let mut offset = 0;
    for source_line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += source_line.len();
        let content = source_line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            blank_lines += 1;
            continue;
        }
        if !b.layout.lines.is_empty() || !b.line.is_empty() {
            b.new_line();
            if blank_lines > 0 {
                b.new_line();
            }
        }
        blank_lines = 0;
        for (at, grapheme) in content.grapheme_indices(true) {
            let start = line_start + at;
            while next_span < spans.len() && spans[next_span].end <= start {
                next_span += 1;
            }
            let span = spans.get(next_span);
            if let Some(span) = span
                && span.start == start
            {
                word.push(Cell {
                    start,
                    end: start,
                    width: MARK_WIDTH,
                    part: Part::Mark(next_span),
                    space: false,
                });
            }
            let part = match span {
                Some(span) if span.start <= start => Part::Sentence(next_span),
                _ => Part::Between,
            };
            let space = grapheme == " " || grapheme == "\t";
            let cell = Cell {
                start,
                end: start + grapheme.len(),
                width: if space { 1 } else { display_width(grapheme) },
                part,
                space,
            };
            if cell.space {
                b.place_word(&word);
                word.clear();
                b.place_space(cell);
            } else if cell.width > 0 {
                word.push(cell);
            }
        }
        b.place_word(&word);
        word.clear();
    }
    if !b.line.is_empty() {
        b.new_line();
    }
    let mut layout = b.layout;
    let last = layout.lines.len().saturating_sub(1);
    for lines in &mut layout.sentence_lines {
        if lines.0 == usize::MAX {
            *lines = (last, last);
        }
    }
    layout
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\u{0}'..='\u{1f}' => {
            out.push('^');
            out.push(char::from(c as u8 + 0x40));
        }
        '\u{7f}' => out.push_str("^?"),
        _ => {
            use std::fmt::Write;
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        }
    }
}

fn escaped_width(c: char) -> u16 {
    match c {
        '\u{0}'..='\u{1f}' | '\u{7f}' => 2,
        _ => format!("<U+{:04X}>", u32::from(c)).len() as u16,
    }
}

/// Cells a line of sanitized text takes (saturating: a long title or metadata value can
/// be wider than `u16` counts).
pub fn text_width(text: &str) -> u16 {
    text.graphemes(true)
        .map(display_width)
        .fold(0, u16::saturating_add)
}

/// Greedy word wrap of sanitized text to `width` cells; a word wider than the line gets a
/// line of its own (to be cut by whoever draws it).
pub fn word_wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if usize::from(text_width(&candidate)) <= width || line.is_empty() {
            line = candidate;
            continue;
        }
        lines.push(std::mem::replace(&mut line, word.to_owned()));
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Cells a grapheme takes on screen, with hostile characters escaped; 0 means it is not drawn.
pub fn display_width(grapheme: &str) -> u16 {
    if grapheme.contains(is_hostile) {
        return grapheme
            .chars()
            .map(|c| if is_hostile(c) { escaped_width(c) } else { 0 })
            .sum();
    }
    if grapheme.len() == 1 {
        return 1;
    }
    // Halfwidth (han)dakuten take a cell of their own in terminals (as ratatui counts them).
    let marks = grapheme
        .chars()
        .filter(|c| matches!(c, '\u{ff9e}' | '\u{ff9f}'))
        .count();
    // One grapheme may hold any number of marks; capped so sums of widths cannot overflow.
    u16::try_from(grapheme.width() + marks).map_or(WIDEST_GRAPHEME, |w| w.min(WIDEST_GRAPHEME))
}

/// The most cells one grapheme is counted as: wider than any terminal line, so such a
/// grapheme is still laid out alone, and small enough that a line's sums stay in `u16`.
const WIDEST_GRAPHEME: u16 = 4096;

fn push_display(out: &mut String, grapheme_run: &str, width: u16) {
    if width == 0 {
        return;
    }
    if grapheme_run == "\t" {
        out.extend(std::iter::repeat_n(' ', usize::from(width)));
        return;
    }
    if !grapheme_run.contains(is_hostile) {
        out.push_str(grapheme_run);
        return;
    }
    for c in grapheme_run.chars() {
        if is_hostile(c) {
            push_escaped(out, c);
        }
    }
}

/// One line of untrusted text made safe to draw: hostile characters escaped, line breaks and
/// tabs as spaces.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' => out.push(' '),
            '\r' => {}
            c if is_hostile(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::segment;

    fn rows(layout: &TextLayout) -> Vec<String> {
        layout
            .lines
            .iter()
            .map(|line| {
                let mut row = String::new();
                for piece in line {
                    while row.chars().count() < usize::from(piece.column) {
                        row.push('.');
                    }
                    match piece.part {
                        Part::Mark(_) => row.push_str("* "),
                        _ => row.push_str(&piece.text),
                    }
                }
                row
            })
            .collect()
    }

    #[test]
    fn wraps_words_and_marks_each_sentence() {
        let text = "Talks resumed today. Envoys met in Geneva for hours.\n\nNew paragraph.";
        let spans = segment(text);
        let layout = layout(text, &spans, 20);
        assert_eq!(
            rows(&layout),
            [
                "* Talks resumed ",
                "today. * Envoys met ",
                "in Geneva for hours.",
                "",
                "* New paragraph.",
            ]
        );
        assert_eq!(layout.sentence_lines, [(0, 1), (1, 2), (4, 4)]);
        let pieces = &layout.lines[1];
        assert_eq!(pieces[0].part, Part::Sentence(0));
        assert_eq!(pieces[1].part, Part::Between);
        assert_eq!(pieces[2].part, Part::Mark(1));
        assert_eq!(pieces[2].column, 7);
    }

    #[test]
    fn wide_and_combining_characters_take_their_cells() {
        let text = "東京で会談が行われた。cafe\u{301} ok.";
        let spans = [Span {
            start: 0,
            end: text.len(),
        }];
        let layout = layout(text, &spans, 10);
        let widths: Vec<u16> = layout
            .lines
            .iter()
            .map(|l| l.iter().map(|p| p.width).sum())
            .collect();
        assert!(widths.iter().all(|w| *w <= 10), "{widths:?}");
        assert_eq!(rows(&layout)[0], "* 東京で会");
        assert!(rows(&layout).iter().any(|r| r.contains("cafe\u{301}")));
        for line in &layout.lines {
            for piece in line {
                if !matches!(piece.part, Part::Mark(_)) {
                    assert_eq!(usize::from(piece.width), piece.text.width(), "{piece:?}");
                }
            }
        }
    }

    #[test]
    fn hostile_characters_are_escaped_and_tabs_expanded() {
        let text = "a\u{1b}[31mred\u{7}\u{202e}x\u{85}\tz";
        let spans = [Span {
            start: 0,
            end: text.len(),
        }];
        let layout = layout(text, &spans, 80);
        assert_eq!(rows(&layout), ["* a^[[31mred^G<U+202E>x<U+0085> z"]);
        let tabbed = "ab\tc";
        let spans = [Span {
            start: 0,
            end: tabbed.len(),
        }];
        assert_eq!(rows(&super::layout(tabbed, &spans, 80)), ["* ab    c"]);
        assert!(!rows(&layout)[0].contains(is_hostile));
        assert_eq!(
            sanitize("t\u{1b}]0;pwned\u{7}\ttitle"),
            "t^[]0;pwned^G title"
        );
    }

    #[test]
    fn every_width_lays_out_without_overflowing() {
        let text = "U.S. envoy 東京 met\u{202e} officials.\tThen\u{1b} left. 😀😀 Done.";
        let spans = segment(text);
        for width in 0..30 {
            let layout = layout(text, &spans, width);
            let cap = u32::from(width.max(MARK_WIDTH));
            for line in &layout.lines {
                let end = line.last().map_or(0, |p| u32::from(p.column + p.width));
                // Only an escape wider than the whole line may stick out, alone on its line.
                let lone_escape = line.len() == 1 && line[0].text.starts_with("<U+");
                assert!(end <= cap || lone_escape, "width {width}: {line:?}");
            }
            assert_eq!(layout.sentence_lines.len(), spans.len());
        }
    }
}
