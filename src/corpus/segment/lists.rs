//! Lists inside a paragraph: `1. The first item 2. The second item`, `a) ... b) ...`.
//!
//! A sentence that opens with a marker (a one- or two-digit number or a lowercase letter,
//! then `.` or `)`) opens a list; the next marker in sequence then ends the sentence
//! before it, even without punctuation. A marker after `:` or `;` is an item inside a
//! sentence (`demands: 1. a ceasefire; 2. talks`) and ends nothing.

use super::text::{
    char_at, char_before, is_bullet, is_space_at, run_start, space_before, trim_end,
};

/// The item a list expects next, once a sentence has opened one.
#[derive(Debug, Default)]
pub(super) struct Lists {
    expected: Option<Marker>,
}

/// What a marker word means for the sentence it is in.
pub(super) enum Item {
    /// It opens a list or is an item inside the sentence: no boundary.
    Inside,
    /// It is the list's next item: the sentence ends at `end`, before it.
    Next { end: usize },
}

/// A list item marker: a one- or two-digit number, or a lowercase letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Number(u8),
    Letter(u8),
}

impl Marker {
    /// The marker that `word` (without its `.` or `)`) is, if it is one.
    pub(super) fn parse(word: &str) -> Option<Marker> {
        match *word.as_bytes() {
            [d] if d.is_ascii_digit() => Some(Marker::Number(d - b'0')),
            [a, b] if (b'1'..=b'9').contains(&a) && b.is_ascii_digit() => {
                Some(Marker::Number((a - b'0') * 10 + (b - b'0')))
            }
            [l] if l.is_ascii_lowercase() => Some(Marker::Letter(l)),
            _ => None,
        }
    }

    fn successor(self) -> Option<Marker> {
        match self {
            Marker::Number(n) if n < 99 => Some(Marker::Number(n + 1)),
            Marker::Letter(l) if l < b'z' => Some(Marker::Letter(l + 1)),
            _ => None,
        }
    }
}

impl Lists {
    /// True while a list waits for its next item (so `)` is worth a look).
    pub(super) fn is_open(&self) -> bool {
        self.expected.is_some()
    }

    /// Opens a list when the sentence at `sentence` starts with a marker and `)`:
    /// `1) The first item` (a marker with `.` is seen with the other full stops).
    pub(super) fn open_at(&mut self, text: &str, sentence: usize, end: usize) {
        let mut pos = sentence;
        while let Some(c) = char_at(text, pos).filter(|&c| is_bullet(c) || c == ' ') {
            if pos - sentence > 8 {
                return;
            }
            pos += c.len_utf8();
        }
        if pos >= end {
            return;
        }
        let head = &text.as_bytes()[pos..end.min(pos + 4)];
        let Some(close) = head.iter().position(|&b| b == b')') else {
            return;
        };
        let after = pos + close + 1;
        if after < end && !is_space_at(text, after) {
            return;
        }
        let marker = std::str::from_utf8(&head[..close])
            .ok()
            .and_then(Marker::parse);
        if let Some(marker) = marker {
            self.expected = marker.successor();
        }
    }

    /// What `word` (at `word_start`, before `.` or `)`) means in the sentence starting at
    /// `sentence`; `None` when it is not a marker or means nothing here.
    pub(super) fn item(
        &mut self,
        text: &str,
        sentence: usize,
        word_start: usize,
        word: &str,
    ) -> Option<Item> {
        let marker = Marker::parse(word)?;
        let before = trim_end(text, sentence, word_start);
        if before < word_start && matches!(char_before(text, before), Some(':' | ';')) {
            return Some(Item::Inside);
        }
        let lead = &text[sentence..word_start];
        if lead.len() <= 8 && lead.chars().all(|c| c.is_whitespace() || is_bullet(c)) {
            self.expected = marker.successor();
            return Some(Item::Inside);
        }
        if self.expected == Some(marker) && space_before(text, word_start) {
            self.expected = marker.successor();
            return Some(Item::Next { end: before });
        }
        None
    }
}

/// Where the marker before the `)` at `at` starts (after any bullet), if it is short.
pub(super) fn word_before_paren(text: &str, sentence: usize, at: usize) -> Option<usize> {
    let mut start = run_start(text, sentence, at, 8)?;
    while let Some(c) = char_at(text, start).filter(|&c| is_bullet(c)) {
        start += c.len_utf8();
    }
    Some(start.min(at))
}
