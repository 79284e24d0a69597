//! The counted layout and its windows against a reference wrap: the straightforward one that
//! gathers every cell of the text and keeps every line, which the view drew before lines were
//! laid out on demand. Any window of the text, at any width, must be those lines exactly.

use proptest::prelude::*;
use stance::app::layout::{MARK_WIDTH, Part, Piece, TextLayout, display_width, is_hostile, layout};
use stance::corpus::{Span, segment};
use unicode_segmentation::UnicodeSegmentation;

mod reference {
    use super::*;

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
        lines: Vec<Vec<Piece>>,
        sentence_lines: Vec<(usize, usize)>,
        line: Vec<Piece>,
        column: u16,
    }

    fn push_display(out: &mut String, run: &str, width: u16) {
        if width == 0 {
            return;
        }
        if run == "\t" {
            out.extend(std::iter::repeat_n(' ', usize::from(width)));
            return;
        }
        if !run.contains(is_hostile) {
            out.push_str(run);
            return;
        }
        for c in run.chars().filter(|c| is_hostile(*c)) {
            match c {
                '\u{0}'..='\u{1f}' => {
                    out.push('^');
                    out.push(char::from(c as u8 + 0x40));
                }
                '\u{7f}' => out.push_str("^?"),
                _ => out.push_str(&format!("<U+{:04X}>", u32::from(c))),
            }
        }
    }

    impl Builder<'_> {
        fn new_line(&mut self) {
            self.lines.push(std::mem::take(&mut self.line));
            self.column = 0;
        }

        fn place(&mut self, cell: Cell) {
            let row = self.lines.len();
            if let Part::Sentence(i) | Part::Mark(i) = cell.part {
                let lines = &mut self.sentence_lines[i];
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

        fn place_word(&mut self, word: &[Cell]) {
            let total: u32 = word.iter().map(|c| u32::from(c.width)).sum();
            let fits_a_line = total <= u32::from(self.width);
            if self.column > 0
                && fits_a_line
                && u32::from(self.column) + total > u32::from(self.width)
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
                cell.width = (4 - usize::from(self.column) % 4) as u16;
            }
            if self.column + cell.width > self.width {
                if self.column > 0 {
                    self.new_line();
                }
                return;
            }
            self.place(cell);
        }
    }

    /// Every line of `text` and each sentence's lines.
    pub fn wrap(text: &str, spans: &[Span], width: u16) -> (Vec<Vec<Piece>>, Vec<(usize, usize)>) {
        let width = width.max(MARK_WIDTH);
        let mut b = Builder {
            text,
            width,
            lines: Vec::new(),
            sentence_lines: vec![(usize::MAX, usize::MAX); spans.len()],
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
            if !b.lines.is_empty() || !b.line.is_empty() {
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
        let last = b.lines.len().saturating_sub(1);
        for lines in &mut b.sentence_lines {
            if lines.0 == usize::MAX {
                *lines = (last, last);
            }
        }
        (b.lines, b.sentence_lines)
    }
}

/// Text made of what wrapping cares about: words short and long, spaces, tabs, line breaks,
/// blank lines, `\r`, wide, combining and zero-width characters, flags, emoji sequences and
/// control characters.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z]{1,8}",
        1 => "[a-z]{20,70}",
        3 => Just(" ".to_owned()),
        1 => Just("  ".to_owned()),
        1 => Just("\t".to_owned()),
        1 => Just(". ".to_owned()),
        1 => Just("\n".to_owned()),
        1 => Just("\n\n".to_owned()),
        1 => Just("\r\n".to_owned()),
        1 => Just("a\rb".to_owned()),
        1 => Just("東京で".to_owned()),
        1 => Just("e\u{301}".to_owned()),
        1 => Just("\u{301}".to_owned()),
        1 => Just("\u{200b}".to_owned()),
        1 => Just("🇺🇸🇬🇧🇫".to_owned()),
        1 => Just("👩\u{200d}👩\u{200d}👧".to_owned()),
        1 => Just("\u{1b}[31m".to_owned()),
        1 => Just("\u{202e}".to_owned()),
        1 => Just("\u{ff76}\u{ff9e}\u{ff9e}".to_owned()),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
}

/// Spans in order on char boundaries, anywhere: inside words, on spaces, over line breaks.
fn spans_of(text: &str, cuts: &[usize]) -> Vec<Span> {
    let mut bounds: Vec<usize> = cuts
        .iter()
        .map(|c| c % (text.len() + 1))
        .filter(|&c| text.is_char_boundary(c))
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    bounds
        .chunks_exact(2)
        .map(|pair| Span {
            start: pair[0],
            end: pair[1],
        })
        .collect()
}

fn check(
    text: &str,
    spans: &[Span],
    width: u16,
    window: (usize, usize),
) -> Result<(), TestCaseError> {
    let (lines, sentence_lines) = reference::wrap(text, spans, width);
    let whole = layout(text, spans, width);
    prop_assert_eq!(whole.lines.len(), lines.len());
    prop_assert_eq!(
        whole.lines.iter().cloned().collect::<Vec<_>>(),
        lines.clone()
    );
    prop_assert_eq!(&whole.sentence_lines, &sentence_lines);
    let mut counted = TextLayout::new(text, spans, width);
    prop_assert_eq!(
        counted.lines.laid_out(),
        0..0,
        "nothing is laid out until asked"
    );
    let start = window.0 % (lines.len() + 1);
    let end = (start + window.1).min(lines.len());
    counted.show(text, spans, start..start + window.1);
    prop_assert_eq!(counted.lines.laid_out(), start..end);
    for (line, expected) in lines.iter().enumerate().take(end).skip(start) {
        prop_assert_eq!(counted.lines.get(line), Some(expected), "line {}", line);
    }
    prop_assert_eq!(counted.lines.get(end), None);
    // Counted in steps, it is the same layout; the lines counted so far are complete.
    let mut lazy = TextLayout::lazy(spans, width);
    let step = window.1 % 40 + 1;
    while !lazy.count_more(text, spans, step) {
        let so_far = lazy.lines.len();
        prop_assert!(so_far <= lines.len());
        lazy.show(text, spans, 0..so_far);
        for (line, expected) in lines.iter().enumerate().take(so_far) {
            prop_assert_eq!(lazy.lines.get(line), Some(expected), "line {}", line);
        }
    }
    let mut whole_counted = TextLayout::new(text, spans, width);
    whole_counted.show(text, spans, 0..0);
    lazy.show(text, spans, 0..0);
    prop_assert_eq!(&lazy, &whole_counted);
    // Asked for one sentence, it counts that sentence's lines in full.
    if !spans.is_empty() {
        let sentence = window.0 % spans.len();
        let mut lazy = TextLayout::lazy(spans, width);
        lazy.count_to_sentence(text, spans, sentence, usize::MAX);
        prop_assert_eq!(lazy.sentence_lines[sentence], sentence_lines[sentence]);
        prop_assert!(lazy.sentence_lines[sentence].1 < lazy.lines.len().max(1));
        // Asked only for more than `tall` lines of it, it has them (or the sentence is whole).
        let tall = step;
        let mut lazy = TextLayout::lazy(spans, width);
        lazy.count_to_sentence(text, spans, sentence, tall);
        let (first, last) = lazy.sentence_lines[sentence];
        prop_assert_eq!(first, sentence_lines[sentence].0);
        prop_assert!(last == sentence_lines[sentence].1 || lazy.lines.len() > first + tall);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn windows_are_the_reference_lines(
        text in text(),
        width in 0u16..50,
        window in (0usize..400, 0usize..80),
    ) {
        let spans = segment(&text);
        check(&text, &spans, width, window)?;
    }

    #[test]
    fn windows_are_the_reference_lines_with_any_spans(
        text in text(),
        cuts in prop::collection::vec(any::<usize>(), 0..30),
        width in 0u16..30,
        window in (0usize..400, 0usize..80),
    ) {
        let spans = spans_of(&text, &cuts);
        check(&text, &spans, width, window)?;
    }
}

#[test]
fn a_long_text_matches_in_every_window() {
    let mut text = String::new();
    let long_word = "x".repeat(150);
    for i in 0..3_000 {
        text.push_str(match i % 5 {
            0 => "Envoys met in Geneva on Tuesday for talks. ",
            1 => "Troops stayed near the 東京 border\u{301}, officials said.\t",
            2 => &long_word,
            3 => "🇺🇸🇬🇧 ok.\n",
            _ => "\n\nNew paragraph here. ",
        });
    }
    let spans = segment(&text);
    for width in [2, 7, 40, 198] {
        let (lines, sentence_lines) = reference::wrap(&text, &spans, width);
        let mut counted = TextLayout::new(&text, &spans, width);
        assert_eq!(counted.lines.len(), lines.len());
        assert_eq!(counted.sentence_lines, sentence_lines);
        for start in (0..lines.len()).step_by(37) {
            counted.show(&text, &spans, start..start + 60);
            for line in counted.lines.laid_out() {
                assert_eq!(
                    counted.lines[line], lines[line],
                    "width {width}, line {line}"
                );
            }
        }
    }
}
