//! The words on either side of a candidate boundary, classified.
//!
//! Every look here is bounded (a few dozen bytes), so that deciding one candidate costs
//! the same however long the text around it is.

use super::rules::{Kind, RULES};
use super::text::{
    Case, case_of, char_at, is_bullet, is_opener, is_opening_quote, is_space_at, run_start,
    skip_space, trim_end,
};

/// Longest word looked at; longer runs (URLs, hashes) are ordinary words.
const WORD_LIMIT: usize = 64;

/// What the word before a full stop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Left {
    /// An ordinary word or a number: the full stop ends the sentence.
    Plain,
    /// One capital letter, as in `John F. Kennedy`.
    Initial,
    /// A listed or letter-dotted abbreviation.
    Abbreviation(Kind),
}

/// The word before the terminator at `end`: where it starts (after any opening quote,
/// bracket or bullet) and its text, or `None` when it is too long to be anything special.
pub(super) fn word_before(text: &str, floor: usize, end: usize) -> Option<(usize, &str)> {
    let mut start = run_start(text, floor, end, WORD_LIMIT)?;
    while start < end {
        match char_at(text, start) {
            Some(c) if is_opener(c) || is_bullet(c) => start += c.len_utf8(),
            _ => break,
        }
    }
    Some((start, &text[start..end]))
}

/// Classifies `word`, the text before a full stop that starts at `start`; `floor` is
/// where the sentence starts, for telling the pronoun `I` from an initial.
pub(super) fn classify(text: &str, floor: usize, start: usize, word: &str) -> Left {
    if let Some(kind) = RULES.abbreviation(word) {
        return Left::Abbreviation(kind);
    }
    // a listed abbreviation after a hyphen: `Staff-Insp.`, `ex-Gov.`
    if let Some((head, last)) = word.rsplit_once('-')
        && !head.is_empty()
        && last.starts_with(char::is_uppercase)
        && let Some(kind) = RULES.abbreviation(last)
    {
        return Left::Abbreviation(kind);
    }
    let mut chars = word.chars();
    let (Some(first), rest) = (chars.next(), chars.as_str()) else {
        return Left::Plain;
    };
    if rest.is_empty() {
        return match case_of(first) {
            Case::Upper => initial_or_word(text, floor, start, first),
            Case::Lower => Left::Abbreviation(Kind::Starter),
            _ => Left::Plain,
        };
    }
    if is_dotted(word) {
        // unlisted capitals are a person's initials (`J.R.R. Tolkien`), not a country's
        let initials = word
            .split('.')
            .all(|part| part.chars().all(char::is_uppercase));
        return if initials && word.split('.').all(|part| part.len() == 1) {
            Left::Initial
        } else {
            Left::Abbreviation(Kind::Starter)
        };
    }
    Left::Plain
}

/// The word before the one that starts at `start`, in the sentence from `floor`: `the` in
/// `in the U.S.`; `None` at the start of the sentence or when no space separates them.
pub(super) fn previous_word(text: &str, floor: usize, start: usize) -> Option<&str> {
    let end = trim_end(text, floor, start);
    if end <= floor || end == start {
        return None;
    }
    word_before(text, floor, end).map(|(_, word)| word)
}

/// True for letters joined by full stops: `U.S.A`, `Ph.D`, `e.g`.
fn is_dotted(word: &str) -> bool {
    if !word.contains('.') {
        return false;
    }
    let mut parts = 0;
    for part in word.split('.') {
        let letters = part.chars().count();
        if letters == 0 || letters > 3 || !part.chars().all(char::is_alphabetic) {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// A capital letter is an initial (`John F.`, `I. M. Pei`) unless it labels a noun
/// (`Plan B.`) or is the pronoun or article after a lowercase word (`you and I.`).
fn initial_or_word(text: &str, floor: usize, start: usize, letter: char) -> Left {
    let end = trim_end(text, floor, start);
    if end <= floor || end == start {
        return Left::Initial;
    }
    let Some((word_start, word)) = word_before(text, floor, end) else {
        return Left::Initial;
    };
    let lowercase = char_at(text, word_start).is_some_and(char::is_lowercase);
    if RULES.is_label_noun(word) || (matches!(letter, 'I' | 'A') && lowercase) {
        Left::Plain
    } else {
        Left::Initial
    }
}

/// The word after a candidate boundary.
#[derive(Debug, Clone, Copy)]
pub(super) struct Next<'a> {
    /// Where the word (after any opening quote or bracket) starts.
    pub start: usize,
    /// The case of its first letter; camel-case words (`iPhone`) count as capitalised.
    pub case: Case,
    /// It opens with a quotation mark.
    pub quoted: bool,
    /// It opens with a bracket.
    pub bracketed: bool,
    /// Its leading letters.
    pub letters: &'a str,
    /// A full stop follows the letters (`Mr.`, or an initial `A.`).
    pub dotted: bool,
}

impl Next<'_> {
    /// True when the word often opens a sentence: `The`, `He`, `Mr.` (not the initial `A.`).
    pub(super) fn is_starter(&self, text: &str) -> bool {
        if self.dotted {
            let with_dot = &text[self.start..self.start + self.letters.len() + 1];
            RULES.is_starter(with_dot)
        } else {
            RULES.is_starter(self.letters)
        }
    }
}

/// Reads the word at `start` (not whitespace), looking no further than `end`.
pub(super) fn next_word(text: &str, start: usize, end: usize) -> Next<'_> {
    let mut pos = start;
    let mut quoted = false;
    let mut bracketed = false;
    while pos < end && pos - start < 8 {
        match char_at(text, pos) {
            Some(c) if is_opener(c) => {
                quoted |= is_opening_quote(c);
                bracketed |= !is_opening_quote(c);
                pos += c.len_utf8();
            }
            _ => break,
        }
    }
    let first = char_at(text, pos).filter(|_| pos < end);
    let mut letters_end = pos;
    let mut camel = false;
    let bytes = text.as_bytes();
    while letters_end < end && letters_end - pos < 32 {
        let b = bytes[letters_end];
        if b.is_ascii() {
            if !b.is_ascii_alphabetic() {
                break;
            }
            camel |= letters_end > pos && b.is_ascii_uppercase();
            letters_end += 1;
            continue;
        }
        match char_at(text, letters_end) {
            Some(c) if c.is_alphabetic() => {
                camel |= letters_end > pos && c.is_uppercase();
                letters_end += c.len_utf8();
            }
            _ => break,
        }
    }
    let mut case = first.map_or(Case::Other, case_of);
    if case == Case::Lower && camel {
        case = Case::Upper;
    }
    Next {
        start: pos,
        case,
        quoted,
        bracketed,
        letters: &text[pos..letters_end],
        dotted: letters_end > pos && text.as_bytes().get(letters_end) == Some(&b'.'),
    }
}

/// True when the capitalised words at `next` lead to a verb of saying, as in
/// `"Why now?" Gen. Ivo Brandt asked.`: the quote's attribution, not a new sentence.
pub(super) fn is_attribution(text: &str, next: &Next, end: usize) -> bool {
    let title = next.dotted && RULES.abbreviation(next.letters) == Some(Kind::Title);
    if next.quoted || next.bracketed || next.case != Case::Upper {
        return false;
    }
    if next.is_starter(text) && !title {
        return false;
    }
    let mut word = *next;
    for _ in 0..5 {
        if word.letters.is_empty() {
            return false;
        }
        let Some(after) = following_word(text, &word, end) else {
            return false;
        };
        word = after;
        if word.quoted || word.bracketed {
            return false;
        }
        match word.case {
            Case::Upper => continue,
            Case::Lower => return RULES.is_speech_verb(word.letters),
            _ => return false,
        }
    }
    false
}

/// The word after `word`, when only a little whitespace (a line break, say) comes between.
pub(super) fn following_word<'a>(text: &'a str, word: &Next, end: usize) -> Option<Next<'a>> {
    let after = word.start + word.letters.len() + usize::from(word.dotted);
    if after >= end || !is_space_at(text, after) {
        return None;
    }
    let start = skip_space(text, after, end.min(after + 8));
    (start < end && !is_space_at(text, start)).then(|| next_word(text, start, end))
}

/// The case of the word after `next`, if it is a plain word: `Security` in
/// `U.N. Security Council`, `in` in `U.S. Officials in Ottawa`.
pub(super) fn case_after(text: &str, next: &Next, end: usize) -> Option<Case> {
    following_word(text, next, end)
        .filter(|word| !word.quoted && !word.bracketed)
        .map(|word| word.case)
}

/// True when the sentence from `start` up to `end` is a preposition and at most two more
/// words, as in `At 5 a.m.`: too little to stand as a sentence of its own.
pub(super) fn is_short_opener(text: &str, start: usize, end: usize) -> bool {
    if end.saturating_sub(start) > 40 {
        return false;
    }
    let mut words = text[start..end].split_whitespace();
    let first = words.next().unwrap_or("");
    RULES.is_opener(first) && words.count() <= 2
}
