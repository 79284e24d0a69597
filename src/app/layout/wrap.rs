//! The greedy word wrap, run in one of two ways: over the text keeping only counts (each
//! sentence's lines, and a checkpoint every few lines; in steps that stop at a checkpoint),
//! or from a checkpoint keeping the pieces of a few lines. Both run the same steps, so the lines drawn are the lines counted.
//!
//! A word is gathered only until it is known to be wider than a line (then it is broken where
//! it stands, cell by cell, as a whole word would be), so a text with no break at all never
//! holds more than a line's worth of cells.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::{MARK_WIDTH, Part, Piece, TAB_STOP, display_width, push_display};
use crate::corpus::Span;

/// Lines between checkpoints: a window starts at most this many lines above what it shows.
const CHECKPOINT_LINES: usize = 32;

/// The wrap's whole state at a grapheme boundary where no word is being gathered: enough to
/// carry on from there and lay out the same lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Checkpoint {
    /// Byte offset of the next grapheme.
    offset: usize,
    /// End of its source line's content (line break and trailing `\r` left out).
    content_end: usize,
    /// The visual line the next cell goes on.
    pub(super) row: usize,
    /// The column the next cell goes at.
    pub(super) column: u16,
    /// Inside a word wider than the line, which is placed cell by cell.
    streaming: bool,
    /// At the very start of the text, before any source line.
    at_start: bool,
}

impl Checkpoint {
    const START: Checkpoint = Checkpoint {
        offset: 0,
        content_end: 0,
        row: 0,
        column: 0,
        streaming: false,
        at_start: true,
    };

    /// Byte offset of the text where this checkpoint carries on.
    pub(super) fn offset(&self) -> usize {
        self.offset
    }

    /// Whether a window whose first line is `line` can start here: nothing of that line
    /// has been placed yet.
    pub(super) fn starts_before(&self, line: usize) -> bool {
        self.row < line || (self.row == line && self.column == 0)
    }
}

/// What the counting pass keeps of the whole text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Index {
    /// Visual lines in all.
    pub(super) lines: usize,
    /// For each sentence, its first and last visual line.
    pub(super) sentence_lines: Vec<(usize, usize)>,
    /// Where to start laying out, in text order (the first is the start of the text).
    pub(super) checkpoints: Vec<Checkpoint>,
    /// Where counting carries on; `None` once the whole text is counted.
    pub(super) resume: Option<Checkpoint>,
}

/// Cells with one meaning: one grapheme, or a run of printable ASCII bytes of one cell each
/// (which wraps as those cells would one by one).
#[derive(Clone, Copy)]
struct Cell {
    start: usize,
    end: usize,
    width: u16,
    part: Part,
    run: bool,
}

/// Most bytes in one run, so a word with no break still has checkpoints in it.
const LONGEST_RUN: usize = 1024;

/// Printable ASCII but the space: one cell, never escaped, never a break.
fn plain(byte: u8) -> bool {
    (0x21..=0x7e).contains(&byte)
}

struct Wrap<'a> {
    text: &'a str,
    spans: &'a [Span],
    width: u16,
    row: usize,
    column: u16,
    /// The word being gathered: at most a line's width of cells.
    word: Vec<Cell>,
    word_width: u32,
    streaming: bool,
    next_span: usize,
    /// Counting: sentence lines and checkpoints are kept.
    counting: bool,
    sentence_lines: Vec<(usize, usize)>,
    checkpoints: Vec<Checkpoint>,
    next_checkpoint: usize,
    /// Counting stops at the first checkpoint on or below this line (`usize::MAX`: never).
    pause_row: usize,
    /// Where counting stopped, to carry on from there.
    paused: Option<Checkpoint>,
    /// Laying out: the pieces of these lines are kept.
    rows: Range<usize>,
    lines: Vec<Vec<Piece>>,
    line: Vec<Piece>,
}

impl<'a> Wrap<'a> {
    fn new(text: &'a str, spans: &'a [Span], width: u16) -> Wrap<'a> {
        Wrap {
            text,
            spans,
            width: width.max(MARK_WIDTH),
            row: 0,
            column: 0,
            word: Vec::new(),
            word_width: 0,
            streaming: false,
            next_span: 0,
            counting: false,
            sentence_lines: Vec::new(),
            checkpoints: Vec::new(),
            next_checkpoint: 0,
            pause_row: usize::MAX,
            paused: None,
            rows: 0..0,
            lines: Vec::new(),
            line: Vec::new(),
        }
    }

    /// Laying out, once the last line asked for is complete; counting, once paused.
    fn done(&self) -> bool {
        (!self.counting && self.row >= self.rows.end) || self.paused.is_some()
    }

    fn new_line(&mut self) {
        if self.rows.contains(&self.row) {
            let line = std::mem::take(&mut self.line);
            self.lines.push(line);
        }
        self.row += 1;
        self.column = 0;
    }

    fn place(&mut self, cell: Cell) {
        let row = self.row;
        if self.counting
            && let Part::Sentence(i) | Part::Mark(i) = cell.part
        {
            let lines = &mut self.sentence_lines[i];
            if lines.0 == usize::MAX {
                lines.0 = row;
            }
            lines.1 = row;
        }
        let column = self.column;
        self.column += cell.width;
        if !self.rows.contains(&row) {
            return;
        }
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

    /// Places one cell of a word, breaking the word before it when it does not fit.
    fn place_in_word(&mut self, cell: Cell) {
        if !cell.run {
            if self.column > 0 && self.column + cell.width > self.width {
                self.new_line();
            }
            self.place(cell);
            return;
        }
        let mut start = cell.start;
        while start < cell.end {
            if self.column > 0 && self.column + 1 > self.width {
                self.new_line();
            }
            let room = usize::from(self.width.saturating_sub(self.column)).max(1);
            let end = cell.end.min(start + room);
            self.place(Cell {
                start,
                end,
                width: (end - start) as u16,
                ..cell
            });
            start = end;
        }
    }

    /// The run of printable ASCII starting at `at`, up to where the sentence (or the gap
    /// between sentences) it is in ends; `None` when a grapheme must be looked at alone.
    fn ascii_run(&mut self, at: usize, end: usize) -> Option<Cell> {
        let bytes = self.text.as_bytes();
        if !plain(bytes[at]) {
            return None;
        }
        let spans = self.spans;
        while self.next_span < spans.len() && spans[self.next_span].end <= at {
            self.next_span += 1;
        }
        let (part, limit) = match spans.get(self.next_span) {
            Some(span) if span.start == at => return None,
            Some(span) if span.start < at => (Part::Sentence(self.next_span), span.end),
            Some(span) => (Part::Between, span.start),
            None => (Part::Between, end),
        };
        let limit = limit.min(end).min(at + LONGEST_RUN);
        let mut run_end = bytes[at..limit]
            .iter()
            .position(|b| !plain(*b))
            .map_or(limit, |n| at + n);
        // The last byte joins a combining mark (or any non-ASCII) after it into one grapheme.
        if run_end < end && !bytes[run_end].is_ascii() {
            run_end -= 1;
        }
        (run_end > at).then_some(Cell {
            start: at,
            end: run_end,
            width: (run_end - at) as u16,
            part,
            run: true,
        })
    }

    /// Adds a cell to the word; once the word is wider than a line it cannot be moved down
    /// whole, so what was gathered and the rest are placed as they come.
    fn push_word(&mut self, cell: Cell) {
        if self.streaming {
            self.place_in_word(cell);
            return;
        }
        self.word.push(cell);
        self.word_width += u32::from(cell.width);
        if self.word_width > u32::from(self.width) {
            self.streaming = true;
            let word = std::mem::take(&mut self.word);
            for cell in &word {
                self.place_in_word(*cell);
            }
            self.word = word;
            self.word.clear();
        }
    }

    /// Places the word gathered (one that fits a line), wrapping before it when it does not
    /// fit what is left of this one.
    fn end_word(&mut self) {
        if !self.streaming && !self.word.is_empty() {
            let total = self.word_width;
            if self.column > 0 && u32::from(self.column) + total > u32::from(self.width) {
                self.new_line();
            }
            let word = std::mem::take(&mut self.word);
            for cell in &word {
                self.place_in_word(*cell);
            }
            self.word = word;
        }
        self.word.clear();
        self.word_width = 0;
        self.streaming = false;
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

    fn grapheme(&mut self, start: usize, grapheme: &str) {
        let spans = self.spans;
        while self.next_span < spans.len() && spans[self.next_span].end <= start {
            self.next_span += 1;
        }
        let span = spans.get(self.next_span);
        if let Some(span) = span
            && span.start == start
        {
            self.push_word(Cell {
                start,
                end: start,
                width: MARK_WIDTH,
                part: Part::Mark(self.next_span),
                run: false,
            });
        }
        let part = match span {
            Some(span) if span.start <= start => Part::Sentence(self.next_span),
            _ => Part::Between,
        };
        let space = grapheme == " " || grapheme == "\t";
        let cell = Cell {
            start,
            end: start + grapheme.len(),
            width: if space { 1 } else { display_width(grapheme) },
            part,
            run: false,
        };
        if space {
            self.end_word();
            self.place_space(cell);
        } else if cell.width > 0 {
            self.push_word(cell);
        }
    }

    /// Wraps the graphemes of `start..end`, the rest of one source line's content.
    fn content(&mut self, start: usize, end: usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = start;
        while at < end {
            if self.counting && self.word.is_empty() && self.row >= self.next_checkpoint {
                let checkpoint = Checkpoint {
                    offset: at,
                    content_end: end,
                    row: self.row,
                    column: self.column,
                    streaming: self.streaming,
                    at_start: false,
                };
                self.checkpoints.push(checkpoint);
                self.next_checkpoint = self.row + CHECKPOINT_LINES;
                if self.row >= self.pause_row {
                    // A checkpoint holds the whole state: counting carries on from it later.
                    self.paused = Some(checkpoint);
                    return;
                }
            }
            if let Some(run) = self.ascii_run(at, end) {
                self.push_word(run);
                at = run.end;
                if self.done() {
                    return;
                }
                continue;
            }
            let len = grapheme_len(&bytes[at..end]).unwrap_or_else(|| {
                text[at..end]
                    .graphemes(true)
                    .next()
                    .map_or(end - at, str::len)
            });
            self.grapheme(at, &text[at..at + len]);
            at += len;
            if self.done() {
                return;
            }
        }
        self.end_word();
    }

    /// Wraps from `from` to the end of the text, or until the lines asked for are laid out.
    fn run(&mut self, from: Checkpoint) {
        let text = self.text;
        let bytes = text.as_bytes();
        let after_break =
            |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i + 1);
        self.row = from.row;
        self.column = from.column;
        self.streaming = from.streaming;
        let mut at = from.offset;
        if !from.at_start {
            let spans = self.spans;
            self.next_span = spans.partition_point(|s| s.end <= at);
            self.content(at, from.content_end);
            if self.done() {
                return;
            }
            at = after_break(from.content_end);
        }
        let mut blank_lines = 0;
        while at < text.len() {
            let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
            let content = text[at..line_end].trim_end_matches('\r');
            let next = (line_end + 1).min(text.len());
            if content.trim().is_empty() {
                blank_lines += 1;
                at = next;
                continue;
            }
            if self.row > 0 || self.column > 0 {
                self.new_line();
                if blank_lines > 0 {
                    self.new_line();
                }
            }
            blank_lines = 0;
            if self.done() {
                return;
            }
            self.content(at, at + content.len());
            if self.done() {
                return;
            }
            at = next;
        }
        if self.column > 0 {
            self.new_line();
        }
    }
}

/// The length of the grapheme `rest` starts with when it is one ASCII byte: an ASCII
/// character followed by another (or by nothing) is a grapheme of its own, but for `\r\n`.
/// `None` when the grapheme rules must be asked (a boundary is one wherever they start, so
/// asking from here finds the same graphemes as from the start of the line).
fn grapheme_len(rest: &[u8]) -> Option<usize> {
    match rest {
        [b, next, ..] if b.is_ascii() && next.is_ascii() && (*b, *next) != (b'\r', b'\n') => {
            Some(1)
        }
        [b] if b.is_ascii() => Some(1),
        _ => None,
    }
}

impl Index {
    /// An index of a text with `sentences` sentences of which nothing is counted yet.
    pub(super) fn started(sentences: usize) -> Index {
        Index {
            lines: 0,
            sentence_lines: vec![(usize::MAX, usize::MAX); sentences],
            checkpoints: vec![Checkpoint::START],
            resume: Some(Checkpoint::START),
        }
    }
}

/// Carries on counting `index` until a checkpoint on or below line `until` (checkpoints come
/// every few lines) or the end of the text. Lines `0..index.lines` are then complete; a
/// sentence not reached yet has `(usize::MAX, usize::MAX)`, one being counted its lines so far.
pub(super) fn count(text: &str, spans: &[Span], width: u16, index: &mut Index, until: usize) {
    let Some(from) = index.resume else {
        return;
    };
    let mut wrap = Wrap::new(text, spans, width);
    wrap.counting = true;
    wrap.sentence_lines = std::mem::take(&mut index.sentence_lines);
    wrap.checkpoints = std::mem::take(&mut index.checkpoints);
    // The checkpoint counting stopped at is in the list already.
    wrap.next_checkpoint = if from.at_start {
        CHECKPOINT_LINES
    } else {
        from.row + CHECKPOINT_LINES
    };
    wrap.pause_row = until;
    wrap.run(from);
    index.checkpoints = wrap.checkpoints;
    index.sentence_lines = wrap.sentence_lines;
    index.resume = wrap.paused;
    if let Some(paused) = wrap.paused {
        index.lines = paused.row;
        return;
    }
    index.lines = wrap.row;
    let last = index.lines.saturating_sub(1);
    for lines in &mut index.sentence_lines {
        if lines.0 == usize::MAX {
            *lines = (last, last);
        }
    }
}

/// The pieces of visual lines `rows`, wrapping from `from` (which must start before them).
pub(super) fn lines(
    text: &str,
    spans: &[Span],
    width: u16,
    from: Checkpoint,
    rows: Range<usize>,
) -> Vec<Vec<Piece>> {
    let mut wrap = Wrap::new(text, spans, width);
    wrap.rows = rows;
    wrap.run(from);
    wrap.lines
}
