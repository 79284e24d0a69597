//! Byte-position helpers over UTF-8 text: whitespace, neighbouring characters, case.
//!
//! Positions are byte offsets on char boundaries. ASCII takes a fast path; anything else
//! is decoded, so Unicode whitespace (no-break space, ideographic space) counts as such.

/// The character starting at `pos`, if any.
#[inline]
pub(super) fn char_at(text: &str, pos: usize) -> Option<char> {
    let b = *text.as_bytes().get(pos)?;
    if b.is_ascii() {
        Some(b as char)
    } else {
        text[pos..].chars().next()
    }
}

/// The character ending at `pos`, if any.
#[inline]
pub(super) fn char_before(text: &str, pos: usize) -> Option<char> {
    let b = *text.as_bytes().get(pos.checked_sub(1)?)?;
    if b.is_ascii() {
        Some(b as char)
    } else {
        text[..pos].chars().next_back()
    }
}

/// The byte length of the whitespace character at `pos`, or `None` when it is not one.
#[inline]
pub(super) fn whitespace_at(text: &str, pos: usize) -> Option<usize> {
    let b = *text.as_bytes().get(pos)?;
    if b.is_ascii() {
        return matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C).then_some(1);
    }
    char_at(text, pos)
        .filter(|c| c.is_whitespace())
        .map(char::len_utf8)
}

/// True when the character at `pos` is whitespace.
#[inline]
pub(super) fn is_space_at(text: &str, pos: usize) -> bool {
    whitespace_at(text, pos).is_some()
}

/// True when the character before `pos` is whitespace, or `pos` is the start.
#[inline]
pub(super) fn space_before(text: &str, pos: usize) -> bool {
    char_before(text, pos).is_none_or(char::is_whitespace)
}

/// The first position at or after `pos` (and before `end`) that is not whitespace.
#[inline]
pub(super) fn skip_space(text: &str, mut pos: usize, end: usize) -> usize {
    while pos < end {
        match whitespace_at(text, pos) {
            Some(len) => pos += len,
            None => break,
        }
    }
    pos
}

/// The position just after the last non-whitespace character in `start..end`.
pub(super) fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    while end > start {
        match char_before(text, end) {
            Some(c) if c.is_whitespace() => end -= c.len_utf8(),
            _ => break,
        }
    }
    end
}

/// The start of the whitespace-free run that ends at `end`, looking back at most `limit`
/// bytes and never before `floor`; `None` when the run is longer than that.
pub(super) fn run_start(text: &str, floor: usize, end: usize, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let lowest = floor.max(end.saturating_sub(limit));
    let mut pos = end;
    while pos > lowest {
        let b = bytes[pos - 1];
        let len = if b.is_ascii() {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) {
                return Some(pos);
            }
            1
        } else {
            let c = char_before(text, pos)?;
            if c.is_whitespace() {
                return Some(pos);
            }
            c.len_utf8()
        };
        pos -= len;
    }
    (pos <= floor).then_some(pos)
}

/// The end of the whitespace-free run that starts at `start`, looking at most `limit` bytes.
pub(super) fn run_end(text: &str, start: usize, end: usize, limit: usize) -> usize {
    let mut pos = start;
    while pos < end && pos - start < limit && !is_space_at(text, pos) {
        pos += char_at(text, pos).map_or(1, char::len_utf8);
    }
    pos
}

/// Letter case as the segmenter sees it: letters of scripts without case count as capitals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// A lowercase letter.
    Lower,
    /// An uppercase, titlecase or uncased letter.
    Upper,
    /// A digit.
    Digit,
    /// Punctuation, symbols and anything else.
    Other,
}

/// The case of a character.
#[inline]
pub(super) fn case_of(c: char) -> Case {
    if c.is_lowercase() {
        Case::Lower
    } else if c.is_alphabetic() {
        Case::Upper
    } else if c.is_numeric() {
        Case::Digit
    } else {
        Case::Other
    }
}

/// Quotes and brackets that may follow a sentence's final punctuation.
pub(super) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '」' | '』' | '）'
    )
}

/// True for the closers that are quotation marks.
pub(super) fn is_closing_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | '」' | '』')
}

/// Quotes and brackets that may open a sentence or a word.
pub(super) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '‹' | '「' | '『' | '（'
    )
}

/// True for the openers that are quotation marks.
pub(super) fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '‹' | '「' | '『')
}

/// List bullets: one inside a paragraph starts a new sentence.
pub(super) fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '‣' | '⁃' | '◦' | '∙' | '▪' | '●')
}
