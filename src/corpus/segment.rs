//! Sentence segmentation of news text, with byte offsets.

use serde::Serialize;

/// A sentence: `text[start..end]` as written, trimmed of surrounding whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// Splits `text` into sentences.
pub fn segment(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if start.is_none() && !c.is_whitespace() {
            start = Some(i);
        }
        if let Some(s) = start
            && matches!(c, '.' | '?' | '!')
            && text[i + 1..].starts_with(char::is_whitespace)
        {
            spans.push(Span {
                start: s,
                end: i + 1,
            });
            start = None;
        }
    }
    if let Some(s) = start {
        spans.push(Span {
            start: s,
            end: text.trim_end().len(),
        });
    }
    spans
}
