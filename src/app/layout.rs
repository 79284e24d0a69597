//! The article text wrapped to a width: visual lines made of pieces that know their sentence.
//!
//! Counted once per (article, width); only the lines near the screen are laid out into
//! pieces, so drawing a frame only copies the visible lines and a long text costs little more
//! than its sentence list.
//! Corpus text is untrusted: control characters and bidi overrides are shown escaped, tabs
//! are expanded, and widths come from grapheme clusters so wide and combining characters align.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::corpus::Span;

mod wrap;
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

/// The article text wrapped to `width` columns: how many lines each sentence takes, for the
/// whole text, and the pieces of the lines near the screen only.
///
/// Wrapping again from a checkpoint gives the same lines as wrapping from the top, so a text
/// of any size costs its counts (16 bytes a sentence and a few bytes a line) plus a screenful
/// of pieces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextLayout {
    /// The width it was wrapped to.
    pub width: u16,
    /// Visual lines from the top: those counted so far (see [`TextLayout::is_counted`]), the
    /// ones near the screen laid out.
    pub lines: Lines,
    /// For each sentence, its first and last visual line.
    pub sentence_lines: Vec<(usize, usize)>,
    checkpoints: Vec<wrap::Checkpoint>,
    /// Where counting carries on; `None` once the whole text is counted.
    resume: Option<wrap::Checkpoint>,
}

impl TextLayout {
    /// Counts the lines of `text`, whose sentences are `spans` (in order), in `width` columns
    /// (at least 2); no line is laid out yet.
    pub fn new(text: &str, spans: &[Span], width: u16) -> TextLayout {
        let mut layout = TextLayout::lazy(spans, width);
        layout.count_to_line(text, spans, usize::MAX);
        layout
    }

    /// A layout of a text with `spans` in `width` columns of which nothing is counted yet:
    /// lines are counted as they are asked for ([`TextLayout::count_to_line`],
    /// [`TextLayout::count_to_sentence`]) or in steps ([`TextLayout::count_more`]), so the
    /// first screen of a long text costs what is above it, not the whole text.
    pub fn lazy(spans: &[Span], width: u16) -> TextLayout {
        let width = width.max(MARK_WIDTH);
        let index = wrap::Index::started(spans.len());
        TextLayout {
            width,
            lines: Lines::default(),
            sentence_lines: index.sentence_lines,
            checkpoints: index.checkpoints,
            resume: index.resume,
        }
    }

    /// Whether every line of the text is counted (then `lines.len()` is the whole text's).
    pub fn is_counted(&self) -> bool {
        self.resume.is_none()
    }

    /// How much of the text is counted, from 0 to 1.
    pub fn counted_share(&self, text: &str) -> f64 {
        match self.resume {
            None => 1.0,
            Some(resume) => resume.offset() as f64 / text.len().max(1) as f64,
        }
    }

    /// Counts on until line `line` is counted (a few lines more, to the next checkpoint) or
    /// the text ends.
    pub fn count_to_line(&mut self, text: &str, spans: &[Span], line: usize) {
        if self.resume.is_none() || self.lines.count > line {
            return;
        }
        let mut index = wrap::Index {
            lines: self.lines.count,
            sentence_lines: std::mem::take(&mut self.sentence_lines),
            checkpoints: std::mem::take(&mut self.checkpoints),
            resume: self.resume,
        };
        wrap::count(text, spans, self.width, &mut index, line.saturating_add(1));
        self.lines.count = index.lines;
        self.sentence_lines = index.sentence_lines;
        self.checkpoints = index.checkpoints;
        self.resume = index.resume;
    }

    /// Counts on until every line of sentence `sentence` is counted (and so its entry in
    /// `sentence_lines` is final), or until more than `tall` of its lines are: a sentence
    /// taller than the screen is shown from its top, wherever it ends.
    pub fn count_to_sentence(&mut self, text: &str, spans: &[Span], sentence: usize, tall: usize) {
        while self.resume.is_some() {
            let after = self.sentence_lines.get(sentence + 1).map(|lines| lines.0);
            if after.is_some_and(|first| first != usize::MAX && first < self.lines.count) {
                return;
            }
            let first = self.sentence_lines.get(sentence).map_or(0, |lines| lines.0);
            if first != usize::MAX && self.lines.count > first.saturating_add(tall) {
                return;
            }
            let step = self.lines.count.max(MORE_LINES);
            self.count_to_line(text, spans, self.lines.count + step);
        }
    }

    /// Counts about `lines` more lines; true once the whole text is counted.
    pub fn count_more(&mut self, text: &str, spans: &[Span], lines: usize) -> bool {
        let line = self.lines.count.saturating_add(lines);
        self.count_to_line(text, spans, line);
        self.is_counted()
    }

    /// Lays out `rows` (cut to the lines counted), dropping the lines laid out before; `text`
    /// and `spans` must be the ones it was counted from.
    pub fn show(&mut self, text: &str, spans: &[Span], rows: Range<usize>) {
        let rows = rows.start.min(self.lines.count)..rows.end.min(self.lines.count);
        let before = self
            .checkpoints
            .partition_point(|c| c.starts_before(rows.start));
        let Some(from) = before.checked_sub(1).map(|i| self.checkpoints[i]) else {
            return;
        };
        self.lines.shown = wrap::lines(text, spans, self.width, from, rows.clone());
        self.lines.first = rows.start;
    }
}

/// Lines counted in one step when a sentence further down is asked for: steps grow with what
/// is counted, so reaching the end of a long text takes few of them.
const MORE_LINES: usize = 4096;

/// The visual lines of a text: `len` counts them all, `get` and iteration give the ones laid
/// out (see [`Lines::laid_out`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    count: usize,
    first: usize,
    shown: Vec<Vec<Piece>>,
}

impl Lines {
    /// Visual lines in the whole text.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True for a text that takes no line.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The pieces of visual line `line`; `None` past the end or outside the lines laid out.
    pub fn get(&self, line: usize) -> Option<&Vec<Piece>> {
        self.shown.get(line.checked_sub(self.first)?)
    }

    /// Which lines are laid out (those on screen and a screenful either side, in a session).
    pub fn laid_out(&self) -> Range<usize> {
        self.first..self.first + self.shown.len()
    }

    /// The lines laid out, from the first of [`Lines::laid_out`].
    pub fn iter(&self) -> std::slice::Iter<'_, Vec<Piece>> {
        self.shown.iter()
    }
}

impl std::ops::Index<usize> for Lines {
    type Output = Vec<Piece>;

    fn index(&self, line: usize) -> &Vec<Piece> {
        self.get(line)
            .expect("a line that is laid out (see Lines::laid_out)")
    }
}

impl<'a> IntoIterator for &'a Lines {
    type Item = &'a Vec<Piece>;
    type IntoIter = std::slice::Iter<'a, Vec<Piece>>;

    fn into_iter(self) -> Self::IntoIter {
        self.shown.iter()
    }
}

/// Cells of a mark: the mark and a space.
pub const MARK_WIDTH: u16 = 2;

/// Lays out every line of `text`, whose sentences are `spans`, in `width` columns (at least
/// 2); a session lays out only the lines near the screen (see [`TextLayout::show`]).
pub fn layout(text: &str, spans: &[Span], width: u16) -> TextLayout {
    let mut layout = TextLayout::new(text, spans, width);
    let all = 0..layout.lines.len();
    layout.show(text, spans, all);
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
    if let [byte] = grapheme.as_bytes() {
        let c = char::from(*byte);
        return if is_hostile(c) { escaped_width(c) } else { 1 };
    }
    if grapheme.contains(is_hostile) {
        return grapheme
            .chars()
            .map(|c| if is_hostile(c) { escaped_width(c) } else { 0 })
            .sum();
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
