//! Sentence segmentation of news text, with byte offsets.
//!
//! Rules, in the order they apply:
//! - A paragraph break (a blank line, or U+2029 PARAGRAPH SEPARATOR) always ends a
//!   sentence.
//! - A line break ends one when the line before ends with sentence punctuation or looks
//!   like a title, unless the paragraph is hard-wrapped and the break falls where the
//!   wrapping put it (see `block`); otherwise a newline is just whitespace.
//! - `?` and `!` end a sentence unless a lowercase word or a quote's attribution follows
//!   (`"Why now?" Smith asked.`).
//! - A full stop ends one depending on the word before it and the word after it: the
//!   abbreviation lists and their kinds are data, in `rules.txt`.
//! - Ellipses: `...` and `…` end a sentence before a capital, `. . .` never does, four
//!   dots end one before anything but a lowercase word.
//! - A list that opens a sentence with `1.`, `a.` or `1)` splits before its next item;
//!   a bullet (`•`) inside a paragraph starts a new sentence.
//! - An agency's sign-off after the last sentence (`Reuter`, `REUTER`) is no sentence: it
//!   is left out, between the sentences like whitespace, so nobody has to label it.
//!
//! The text is searched for candidate bytes with memchr; each candidate is decided from a
//! bounded look around it, so segmentation is linear in the length of the text.

mod block;
mod lists;
mod rules;
mod scan;
mod text;
mod token;

use serde::Serialize;

use block::Paragraph;
use rules::RULES;

/// A sentence: `text[start..end]` as written, trimmed of surrounding whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// Splits `text` into sentences, in order; only whitespace lies between them, and after
/// the last one, perhaps an agency's sign-off (`Reuter`).
pub fn segment(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut paragraph = Paragraph::default();
    let mut pos = 0;
    while block::next_paragraph(text, pos, &mut paragraph) {
        block::segment_paragraph(text, &paragraph, &mut spans);
        pos = paragraph.next;
    }
    drop_sign_off(text, &mut spans, 0);
    spans
}

/// Drops the last of `spans`, which end the text, when it is an agency's sign-off
/// (`Reuter`, `REUTER...`) and `before` more sentences come before these.
fn drop_sign_off(text: &str, spans: &mut Vec<Span>, before: usize) {
    let Some(last) = spans.last() else {
        return;
    };
    let word = text[last.start..last.end].trim_end_matches('.');
    if before + spans.len() >= 2 && RULES.is_sign_off(word) {
        spans.pop();
    }
}

/// The sentences of `text`, found one paragraph at a time as the iterator advances.
pub fn sentences(text: &str) -> Sentences<'_> {
    Sentences {
        text,
        pos: 0,
        paragraph: Paragraph::default(),
        found: Vec::new(),
        next: 0,
        given: 0,
    }
}

/// Iterator over the sentences of a text; see [`sentences`].
#[derive(Debug)]
pub struct Sentences<'a> {
    text: &'a str,
    pos: usize,
    paragraph: Paragraph,
    found: Vec<Span>,
    next: usize,
    /// Sentences found in the paragraphs before `found`.
    given: usize,
}

impl Iterator for Sentences<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        loop {
            if let Some(span) = self.found.get(self.next) {
                self.next += 1;
                return Some(*span);
            }
            if !block::next_paragraph(self.text, self.pos, &mut self.paragraph) {
                return None;
            }
            self.given += self.found.len();
            self.found.clear();
            self.next = 0;
            self.pos = self.paragraph.next;
            block::segment_paragraph(self.text, &self.paragraph, &mut self.found);
            if text::skip_space(self.text, self.pos, self.text.len()) == self.text.len() {
                drop_sign_off(self.text, &mut self.found, self.given);
            }
        }
    }
}
