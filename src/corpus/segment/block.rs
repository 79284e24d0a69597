//! Paragraphs and line breaks.
//!
//! A paragraph break (a blank line) always ends a sentence. Inside a
//! paragraph, a line break ends one only when it was made on purpose: the next line's
//! first word would have fitted on the line (measured against the paragraph's longest
//! line), so hard-wrapping did not put it there, or the next line is indented deeper, as
//! wire copy opens its paragraphs. Every break counts as on purpose when
//! the longest line is under 30 or over 150 characters. Such a break ends a sentence
//! - after sentence punctuation, when the next line opens with a capital, a quote or a
//!   symbol (a lowercase word or a number is left to the punctuation rules, and so is a
//!   line ending in a title or an initial: `Gen.`, `John F.`);
//! - before a line that opens with a list bullet or marker (`- `, `• `, `2. `);
//! - after a line that reads as a title: no final punctuation, not ending in `,` `:` `-`
//!   or a word such as `the` or `of`, and the next line opening with a capital, a quote
//!   or a symbol, but not where a name runs on (a capitalised word at the end of the
//!   line, one that seldom opens a sentence at the start of the next: `BP North
//!   America\nInc said`). Such a line counts even where the break looks wrapped when it
//!   is in capitals (and the next line is not), or the next line opens with a dateline
//!   (`SEOUL (Reuters) -`) or a byline (`By Ana Ruiz`): a long headline above the story.
//!   This is also the only place where a sentence without final punctuation ends: a
//!   missing stop inside a line is never guessed.
//!
//! Every other newline is whitespace, and the punctuation rules decide.

use memchr::memchr;

use super::Span;
use super::lists::{Lists, Marker};
use super::rules::{Kind, RULES};
use super::scan;
use super::text::{
    Case, case_of, char_at, char_before, is_bullet, is_closer, is_opener, run_end, skip_space,
    trim_end,
};
use super::token::{self, Left};

/// Lines longer than this are paragraphs, never hard-wrapped text.
const MAX_WRAP_WIDTH: usize = 150;
/// Paragraphs whose lines are all this short are lists of lines, not wrapped text.
const MIN_WRAP_WIDTH: usize = 30;

/// A paragraph: trimmed byte range, and the newlines inside it.
#[derive(Debug, Default)]
pub(super) struct Paragraph {
    pub start: usize,
    pub end: usize,
    /// Where to look for the next paragraph.
    pub next: usize,
    /// Positions of the newlines between `start` and `end`.
    pub newlines: Vec<usize>,
}

/// Finds the next paragraph at or after `from` into `paragraph`; false when only
/// whitespace is left.
pub(super) fn next_paragraph(text: &str, from: usize, paragraph: &mut Paragraph) -> bool {
    let bytes = text.as_bytes();
    let start = skip_space(text, from, text.len());
    if start >= text.len() {
        return false;
    }
    paragraph.start = start;
    paragraph.newlines.clear();
    let mut search = start;
    while let Some(offset) = memchr(b'\n', &bytes[search..]) {
        let at = search + offset;
        // a blank line follows when only whitespace comes before the next newline
        let mut pos = at + 1;
        loop {
            match char_at(text, pos) {
                None | Some('\n') => {
                    paragraph.end = trim_end(text, start, at);
                    paragraph.next = pos;
                    return true;
                }
                Some(c) if c.is_whitespace() => pos += c.len_utf8(),
                Some(_) => break,
            }
        }
        paragraph.newlines.push(at);
        search = pos;
    }
    paragraph.end = trim_end(text, start, text.len());
    paragraph.next = text.len();
    true
}

/// One line of a paragraph.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// First byte, indentation included.
    start: usize,
    /// First byte that is not whitespace.
    content: usize,
    /// End of the last byte that is not whitespace.
    end: usize,
}

/// Appends the sentences of `paragraph`.
pub(super) fn segment_paragraph(text: &str, paragraph: &Paragraph, out: &mut Vec<Span>) {
    let mut lists = Lists::default();
    let (start, end) = (paragraph.start, paragraph.end);
    if paragraph.newlines.is_empty() {
        scan::scan(text, start, end, &mut lists, out);
        return;
    }
    // widths in characters; in bytes when that is the same, which is the common case
    let ascii = text[start..end].is_ascii();
    let width = |from: usize, to: usize| {
        if ascii {
            to - from
        } else {
            text[from..to].chars().count()
        }
    };
    let longest = lines(text, paragraph)
        .map(|line| width(line.start, line.end))
        .max()
        .unwrap_or(0);
    let unwrapped = !(MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&longest);
    let mut unit = start;
    let mut lines = lines(text, paragraph);
    let Some(mut line) = lines.next() else {
        return;
    };
    for next in lines {
        let first_word = width(next.content, run_end(text, next.content, next.end, 64));
        // an indented line opens a paragraph, as in wire copy: `workers\n    Toshin Steel`
        let indented = next.content - next.start > line.content - line.start;
        let fits = unwrapped || indented || width(line.start, line.end) + 1 + first_word <= longest;
        if forces_break(text, &line, &next, fits) {
            scan::scan(text, unit, line.end, &mut lists, out);
            unit = next.content;
        }
        line = next;
    }
    scan::scan(text, unit, end, &mut lists, out);
}

/// The lines of `paragraph`; none is blank, or the paragraph would have ended there.
fn lines<'p>(text: &'p str, paragraph: &'p Paragraph) -> impl Iterator<Item = Line> + 'p {
    let starts = std::iter::once(paragraph.start).chain(paragraph.newlines.iter().map(|n| n + 1));
    let ends = paragraph.newlines.iter().copied().chain([paragraph.end]);
    starts.zip(ends).map(|(start, end)| {
        let content = skip_space(text, start, end);
        Line {
            start,
            content,
            end: trim_end(text, content, end),
        }
    })
}

/// True when the break after `line` ends a sentence whatever follows; `fits` says the
/// next line's first word would have fitted on it, so the break was made on purpose.
fn forces_break(text: &str, line: &Line, next: &Line, fits: bool) -> bool {
    let mut end = line.end;
    while let Some(c) = char_before(text, end).filter(|&c| is_closer(c)) {
        if line.end - end > 8 {
            break;
        }
        end -= c.len_utf8();
    }
    let terminated = matches!(
        char_before(text, end),
        Some('.' | '?' | '!' | '…' | '。' | '！' | '？' | '‼' | '⁇' | '⁈' | '⁉')
    );
    if terminated {
        // a lowercase word or a number after the break is left to the punctuation rules
        let opens = matches!(next_case(text, next), Some(Case::Upper | Case::Other));
        return fits && opens && !continues_name(text, line, end);
    }
    if fits && opens_item(text, next) {
        return true;
    }
    if !is_title_like(text, line, next) {
        return false;
    }
    is_headline(text, line, next) || (fits && !name_runs_on(text, line, next))
}

/// True when `line` ends in a capitalised word and `next` goes on with one that seldom
/// opens a sentence: a name broken across lines (`BP North America\nInc said`, `Drexel
/// Burnham\nLambert Inc`), not a title above its story nor a row of a table (a line
/// with columns, `Avge   Rate-X  Level`).
fn name_runs_on(text: &str, line: &Line, next: &Line) -> bool {
    if text[line.content..line.end].contains("   ") {
        return false;
    }
    let Some(start) = super::text::run_start(text, line.content, line.end, 32) else {
        return false;
    };
    let last = text[start..line.end].trim_start_matches(|c: char| is_opener(c) || c == '<');
    let word = token::next_word(text, next.content, next.end);
    last.starts_with(char::is_uppercase)
        && word.case == Case::Upper
        && !word.quoted
        && !word.is_starter(text)
}

/// True when `line` starts with a list bullet or marker: `- `, `• `, `2. `, `b) `.
fn opens_item(text: &str, line: &Line) -> bool {
    let content = &text[line.content..line.end];
    let Some((space, _)) = content
        .char_indices()
        .take(5)
        .find(|(_, c)| c.is_whitespace())
    else {
        return false;
    };
    let marker = &content[..space];
    let mut chars = marker.chars();
    match (chars.next(), chars.as_str()) {
        (Some(c), "") => is_bullet(c) || matches!(c, '-' | '*' | '+' | '–' | '—'),
        _ => {
            let body = marker.trim_end_matches(['.', ')']);
            body.len() < marker.len() && Marker::parse(body).is_some()
        }
    }
}

/// The case of the first letter of `line`, after any opening quote or bracket.
fn next_case(text: &str, line: &Line) -> Option<Case> {
    let mut pos = line.content;
    while let Some(c) = char_at(text, pos).filter(|&c| is_opener(c) && pos < line.end) {
        pos += c.len_utf8();
    }
    char_at(text, pos).map(case_of)
}

/// True when the line ends with a title or an initial (`Gen.`, `John F.`): a name
/// goes on on the next line.
fn continues_name(text: &str, line: &Line, end: usize) -> bool {
    let stop = end - 1;
    if text.as_bytes()[stop] != b'.' || char_before(text, stop) == Some('.') {
        return false;
    }
    match token::word_before(text, line.content, stop) {
        Some((start, word)) => matches!(
            token::classify(text, line.content, start, word),
            Left::Initial | Left::Abbreviation(Kind::Title)
        ),
        None => false,
    }
}

/// True when a line without final punctuation can stand as a sentence of its own before
/// `next`: it does not end mid-phrase, and `next` does not continue in lowercase.
fn is_title_like(text: &str, line: &Line, next: &Line) -> bool {
    let last = char_before(text, line.end);
    if matches!(
        last,
        Some(',' | ';' | ':' | '-' | '–' | '—' | '/' | '&' | '+' | '=' | '\\')
    ) || last.is_some_and(|c| is_opener(c) && !is_closer(c))
    {
        return false;
    }
    let word_start = super::text::run_start(text, line.content, line.end, 32);
    if word_start.is_some_and(|s| RULES.is_line_end_word(&text[s..line.end])) {
        return false;
    }
    // a line that opens with a number goes on a sentence: `31 banks having\n13.5 billion`
    next_case(text, next).is_some_and(|case| matches!(case, Case::Upper | Case::Other))
}

/// True when `line` is a headline whatever its length: it is in capitals and the next
/// line is not, or the next line opens with a dateline (`SEOUL (Reuters) -`) or a
/// byline (`By Ana Ruiz`).
fn is_headline(text: &str, line: &Line, next: &Line) -> bool {
    let content = &text[line.content..line.end];
    let capitals = |s: &str| {
        !s.chars().any(char::is_lowercase) && s.chars().filter(|c| c.is_uppercase()).count() >= 2
    };
    let mut head_end = next.end.min(next.content + 64);
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let next_head = &text[next.content..head_end];
    (content.len() <= MAX_WRAP_WIDTH && capitals(content) && !capitals(next_head))
        || is_dateline(next_head)
        || next_head
            .strip_prefix("By ")
            .is_some_and(|name| name.starts_with(char::is_uppercase))
}

/// True for the start of a wire dateline: a place in capitals, then within a few words a
/// dash, as in `SEOUL (Reuters) -` or `WASHINGTON, Jan. 5 (AP) —`.
fn is_dateline(head: &str) -> bool {
    let place = head.split([' ', ',']).next().unwrap_or("");
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && !place.chars().any(char::is_lowercase)
        && [" - ", " — ", " – "]
            .iter()
            .any(|dash| head.contains(dash) || head.ends_with(dash.trim_end()))
}
