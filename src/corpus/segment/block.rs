//! Paragraphs and line breaks.
//!
//! A paragraph break (a blank line, or U+2029) always ends a sentence. Inside a
//! paragraph, a line break ends one only when it was made on purpose: the next line's
//! first word would have fitted on the line (measured against the paragraph's longest
//! line), so hard-wrapping did not put it there. Every break counts as on purpose when
//! the longest line is under 30 or over 150 characters. Such a break ends a sentence
//! - after sentence punctuation, when the next line opens with a capital, a quote or a
//!   symbol (a lowercase word or a number is left to the punctuation rules, and so is a
//!   line ending in a title or an initial: `Gen.`, `John F.`);
//! - before a line that opens with a list bullet or marker (`- `, `• `, `2. `);
//! - after a line that reads as a title: no final punctuation, not ending in `,` `:` `-`
//!   or a word such as `the` or `of`, and the next line not opening in lowercase. A
//!   headline in capitals or title case counts even where the break looks wrapped.
//!
//! Every other newline is whitespace, and the punctuation rules decide.

use memchr::memchr2;

use super::Span;
use super::rules::{Kind, RULES};
use super::scan::{self, Lists, Marker};
use super::text::{
    Case, case_of, char_at, char_before, is_bullet, is_closer, is_opener, run_end, trim_end,
};
use super::token::{self, Left};

/// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR, as UTF-8.
const LINE_SEPARATOR: &[u8] = "\u{2028}".as_bytes();
const PARAGRAPH_SEPARATOR: &[u8] = "\u{2029}".as_bytes();

/// Lines longer than this are paragraphs, never hard-wrapped text.
const MAX_WRAP_WIDTH: usize = 150;
/// Paragraphs whose lines are all this short are lists of lines, not wrapped text.
const MIN_WRAP_WIDTH: usize = 30;

/// The next paragraph at or after `from`: its trimmed `(start, end)` and where to look
/// for the one after; `None` when only whitespace is left.
pub(super) fn next_paragraph(text: &str, from: usize) -> Option<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let start = super::text::skip_space(text, from, text.len());
    if start >= text.len() {
        return None;
    }
    let mut search = start;
    while let Some(offset) = memchr2(b'\n', 0xE2, &bytes[search..]) {
        let at = search + offset;
        if bytes[at] == 0xE2 {
            if bytes[at..].starts_with(PARAGRAPH_SEPARATOR) {
                return Some((
                    start,
                    trim_end(text, start, at),
                    at + PARAGRAPH_SEPARATOR.len(),
                ));
            }
            search = at + 1;
            continue;
        }
        // a newline: a blank line follows when only whitespace comes before the next one
        let mut pos = at + 1;
        loop {
            match char_at(text, pos) {
                None | Some('\n' | '\u{2029}') => {
                    return Some((start, trim_end(text, start, at), pos));
                }
                Some(c) if c.is_whitespace() => pos += c.len_utf8(),
                Some(_) => break,
            }
        }
        search = pos;
    }
    Some((start, trim_end(text, start, text.len()), text.len()))
}

/// One line of a paragraph.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// First byte that is not whitespace.
    content: usize,
    /// End of the last byte that is not whitespace.
    end: usize,
    /// Characters from the start of the line (indentation included) to `end`.
    width: usize,
}

/// Appends the sentences of the paragraph `text[start..end]`.
pub(super) fn segment_paragraph(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let mut lists = Lists::default();
    let lines = lines(text, start, end);
    if lines.len() < 2 {
        scan::scan(text, start, end, &mut lists, out);
        return;
    }
    let longest = lines.iter().map(|l| l.width).max().unwrap_or(0);
    let unwrapped = !(MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&longest);
    let mut unit = start;
    for pair in lines.windows(2) {
        let fits = unwrapped || pair[0].width + 1 + first_word_width(text, &pair[1]) <= longest;
        if forces_break(text, &pair[0], &pair[1], fits) {
            scan::scan(text, unit, pair[0].end, &mut lists, out);
            unit = pair[1].content;
        }
    }
    scan::scan(text, unit, end, &mut lists, out);
}

fn lines(text: &str, start: usize, end: usize) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut line_start = start;
    let mut search = start;
    loop {
        let found = memchr2(b'\n', 0xE2, &bytes[search..end]).map(|offset| search + offset);
        let (line_end, next) = match found {
            Some(at) if bytes[at] == b'\n' => (at, at + 1),
            Some(at) if bytes[at..].starts_with(LINE_SEPARATOR) => (at, at + LINE_SEPARATOR.len()),
            Some(at) => {
                search = at + 1;
                continue;
            }
            None => (end, end),
        };
        let content = super::text::skip_space(text, line_start, line_end);
        let trimmed = trim_end(text, content, line_end);
        if trimmed > content {
            let width = bytes[line_start..trimmed]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count();
            lines.push(Line {
                content,
                end: trimmed,
                width,
            });
        }
        if next >= end {
            return lines;
        }
        line_start = next;
        search = next;
    }
}

fn first_word_width(text: &str, line: &Line) -> usize {
    let end = run_end(text, line.content, line.end, 64);
    text[line.content..end].chars().count()
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
    (fits && opens_item(text, next))
        || ((fits || is_headline(text, line)) && is_title_like(text, line, next))
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
    ) || last.is_some_and(is_opener)
    {
        return false;
    }
    let word_start = super::text::run_start(text, line.content, line.end, 32);
    if word_start.is_some_and(|s| RULES.is_line_end_word(&text[s..line.end])) {
        return false;
    }
    next_case(text, next).is_some_and(|case| case != Case::Lower)
}

/// True for a headline: in capitals, or every word of four letters or more capitalised.
fn is_headline(text: &str, line: &Line) -> bool {
    let content = &text[line.content..line.end];
    if content.len() > MAX_WRAP_WIDTH {
        return false;
    }
    if !content.chars().any(char::is_lowercase) {
        return content.chars().filter(|c| c.is_uppercase()).count() >= 2;
    }
    let long: Vec<&str> = content
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    long.len() >= 2 && long.iter().all(|w| w.starts_with(char::is_uppercase))
}
