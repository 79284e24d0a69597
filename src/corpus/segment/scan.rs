//! Sentence ends inside one stretch of text that holds no forced break.
//!
//! The scan jumps from candidate byte to candidate byte (`.?!`, `)`, and the lead bytes of
//! the few multi-byte characters that matter) and decides each from a bounded look at the
//! words around it. Every decision moves past the candidate, so the scan is linear.

use super::Span;
use super::rules::{Kind, RULES};
use super::text::{
    Case, char_at, char_before, is_bullet, is_closer, is_closing_quote, is_space_at, run_start,
    skip_space, space_before, trim_end,
};
use super::token::{self, Left, Next};

/// Bytes worth a look; the rest are skipped without decoding.
static CANDIDATE: [bool; 256] = {
    let mut table = [false; 256];
    table[b'.' as usize] = true;
    table[b'?' as usize] = true;
    table[b'!' as usize] = true;
    table[b')' as usize] = true;
    // lead bytes of `…` `‼` and bullets (E2), `。` (E3), fullwidth `！` `？` `｡` (EF)
    table[0xE2] = true;
    table[0xE3] = true;
    table[0xEF] = true;
    table
};

/// The next item of a list that opened a sentence with `1.`, `a)` or the like, so that
/// `1. The first item 2. The second item` splits before `2.`.
#[derive(Debug, Default)]
pub(super) struct Lists {
    expected: Option<Marker>,
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

/// What one candidate decided.
enum Step {
    /// No sentence ends here; look on from this position.
    On(usize),
    /// The sentence ends at `end`; look on from `resume`.
    End { end: usize, resume: usize },
}

/// The run of terminators at a candidate, with the spaced dots and closers after it.
#[derive(Debug, Default)]
struct Run {
    /// Position after the closers.
    end: usize,
    /// Full stops written together (`.`, `...`).
    dots: usize,
    /// Full stops after it, each after one space (`. . .`).
    spaced: usize,
    /// A `…` is part of it.
    ellipsis: bool,
    /// A `?` or `!` is part of it.
    strong: bool,
    /// It is written right after a word (`complex.` rather than `complex .`).
    attached: bool,
    /// A closing quotation mark follows.
    quoted: bool,
    /// A closing bracket or quotation mark follows.
    closed: bool,
    /// It is an omission mark in brackets: `[...]`.
    omission: bool,
}

struct Scanner<'a, 'l> {
    text: &'a str,
    end: usize,
    sentence: usize,
    lists: &'l mut Lists,
}

/// Appends the sentences of `text[start..end]` (trimmed, with no forced break inside).
pub(super) fn scan(text: &str, start: usize, end: usize, lists: &mut Lists, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut scanner = Scanner {
        text,
        end,
        sentence: start,
        lists,
    };
    let mut pos = start;
    while let Some(at) = bytes[pos..end]
        .iter()
        .position(|&b| CANDIDATE[usize::from(b)])
    {
        let at = pos + at;
        let step = match bytes[at] {
            b'.' | b'?' | b'!' => scanner.terminator(at),
            b')' => scanner.paren(at),
            _ => scanner.multibyte(at),
        };
        pos = match step {
            Step::On(next) => next,
            Step::End {
                end: sentence_end,
                resume,
            } => {
                push(out, text, scanner.sentence, sentence_end);
                scanner.sentence = skip_space(text, sentence_end, end);
                resume.max(scanner.sentence)
            }
        };
    }
    push(out, text, scanner.sentence, end);
}

fn push(out: &mut Vec<Span>, text: &str, start: usize, end: usize) {
    let end = trim_end(text, start, end);
    if end > start {
        out.push(Span { start, end });
    }
}

impl Scanner<'_, '_> {
    fn terminator(&mut self, at: usize) -> Step {
        let run = self.run(at);
        if run.omission || run.end >= self.end || !is_space_at(self.text, run.end) {
            return Step::On(run.end);
        }
        let start = skip_space(self.text, run.end, self.end);
        let next = token::next_word(self.text, start, self.end);
        let end_here = Step::End {
            end: run.end,
            resume: start,
        };
        let ends = if run.strong {
            self.strong_ends(at, &run, &next)
        } else if run.ellipsis || run.dots > 1 || run.spaced > 0 {
            if run.attached && run.dots == 1 && run.spaced >= 3 {
                // a full stop, then an ellipsis that opens the next sentence
                return match next.case {
                    Case::Upper | Case::Digit => Step::End {
                        end: at + 1,
                        resume: run.end,
                    },
                    _ if next.quoted => Step::End {
                        end: at + 1,
                        resume: run.end,
                    },
                    _ => Step::On(start),
                };
            }
            let marks = run.dots + run.spaced + 3 * usize::from(run.ellipsis);
            match (run.spaced > 0, marks >= 4) {
                (_, true) => next.case != Case::Lower,
                (true, false) => false,
                (false, false) => next.case == Case::Upper || next.quoted,
            }
        } else {
            return self.full_stop(at, &run, &next, start);
        };
        if ends { end_here } else { Step::On(start) }
    }

    /// `?` and `!`: a sentence end unless a lowercase word or a quote's attribution follows.
    fn strong_ends(&self, at: usize, run: &Run, next: &Next) -> bool {
        if next.case == Case::Lower
            || (run.quoted && token::is_attribution(self.text, next, self.end))
        {
            return false;
        }
        let named = token::word_before(self.text, self.sentence, at)
            .is_some_and(|(_, word)| RULES.is_exclaimed_name(word));
        !named || next.quoted || (next.case == Case::Upper && next.is_starter(self.text))
    }

    fn full_stop(&mut self, at: usize, run: &Run, next: &Next, start: usize) -> Step {
        let text = self.text;
        let Some((word_start, word)) = token::word_before(text, self.sentence, at) else {
            return Step::End {
                end: run.end,
                resume: start,
            };
        };
        if let Some(step) = self.list_item(word_start, word, run.end) {
            return step;
        }
        let opener = || token::is_short_opener(text, self.sentence, at);
        let capital_starter = next.case == Case::Upper && next.is_starter(text);
        let ends = match token::classify(text, self.sentence, word_start, word) {
            Left::Abbreviation(Kind::Title) => false,
            Left::Abbreviation(Kind::Number) if next.case == Case::Digit => false,
            Left::Plain | Left::Abbreviation(Kind::Number) => {
                !(run.closed && next.case == Case::Lower)
            }
            Left::Initial => next.quoted || capital_starter,
            Left::Abbreviation(Kind::Starter) => {
                !opener()
                    && (next.quoted
                        || capital_starter
                        || (next.case == Case::Upper
                            && !next.dotted
                            && !RULES.is_continuation(next.letters)
                            && token::case_after(text, next, self.end) == Some(Case::Lower)))
            }
            Left::Abbreviation(Kind::Capital) => match next.case {
                _ if next.quoted => true,
                Case::Upper => {
                    !RULES.is_continuation(next.letters)
                        && !time_follows(text, next, self.end)
                        && !opener()
                }
                _ => false,
            },
        };
        if ends {
            Step::End {
                end: run.end,
                resume: start,
            }
        } else {
            Step::On(start)
        }
    }

    /// A list marker (`2.` or `b)`): it opens the list at a sentence start, or ends the
    /// sentence before it when it is the item the list expects next.
    fn list_item(&mut self, word_start: usize, word: &str, after: usize) -> Option<Step> {
        let marker = Marker::parse(word)?;
        let before = trim_end(self.text, self.sentence, word_start);
        if matches!(char_before(self.text, before), Some(':' | ';')) && before < word_start {
            // an item of a list inside the sentence: `demands: 1. a ceasefire; 2. talks`
            return Some(Step::On(after));
        }
        let lead = &self.text[self.sentence..word_start];
        if lead.len() <= 8 && lead.chars().all(|c| c.is_whitespace() || is_bullet(c)) {
            self.lists.expected = marker.successor();
            return Some(Step::On(after));
        }
        if self.lists.expected == Some(marker) && space_before(self.text, word_start) {
            self.lists.expected = marker.successor();
            let end = trim_end(self.text, self.sentence, word_start);
            return Some(Step::End { end, resume: after });
        }
        None
    }

    /// `)` after a list marker: `1) The first item 2) The second item`.
    fn paren(&mut self, at: usize) -> Step {
        let after = at + 1;
        if after < self.end && !is_space_at(self.text, after) {
            return Step::On(after);
        }
        let mut start = match run_start(self.text, self.sentence, at, 8) {
            Some(start) => start,
            None => return Step::On(after),
        };
        while let Some(c) = char_at(self.text, start).filter(|&c| is_bullet(c)) {
            start += c.len_utf8();
        }
        let word = &self.text[start.min(at)..at];
        self.list_item(start.min(at), word, after)
            .unwrap_or(Step::On(after))
    }

    fn multibyte(&mut self, at: usize) -> Step {
        let Some(c) = char_at(self.text, at) else {
            return Step::On(at + 1);
        };
        let after = at + c.len_utf8();
        match c {
            '…' | '‼' | '⁇' | '⁈' | '⁉' => self.terminator(at),
            '。' | '！' | '？' | '｡' => {
                let run = self.run(at);
                Step::End {
                    end: run.end,
                    resume: run.end,
                }
            }
            _ if is_bullet(c) && at > self.sentence && space_before(self.text, at) => {
                let end = trim_end(self.text, self.sentence, at);
                Step::End { end, resume: after }
            }
            _ => Step::On(after),
        }
    }

    fn run(&self, at: usize) -> Run {
        let (text, bytes) = (self.text, self.text.as_bytes());
        let mut run = Run {
            attached: !space_before(text, at),
            ..Run::default()
        };
        let mut pos = at;
        while let Some(c) = char_at(text, pos).filter(|_| pos < self.end) {
            match c {
                '.' => run.dots += 1,
                '?' | '!' | '‼' | '⁇' | '⁈' | '⁉' | '！' | '？' => run.strong = true,
                '…' => run.ellipsis = true,
                '。' | '｡' => {}
                _ => break,
            }
            pos += c.len_utf8();
        }
        if !run.strong {
            while pos + 1 < self.end
                && bytes[pos] == b' '
                && bytes[pos + 1] == b'.'
                && (pos + 2 == self.end
                    || char_at(text, pos + 2).is_some_and(|c| c.is_whitespace() || is_closer(c)))
            {
                run.spaced += 1;
                pos += 2;
            }
        }
        let close_start = pos;
        while let Some(c) = char_at(text, pos).filter(|&c| pos < self.end && is_closer(c)) {
            run.closed = true;
            run.quoted |= is_closing_quote(c);
            pos += c.len_utf8();
        }
        let bracketed = matches!(char_before(text, at), Some('[' | '('));
        let marks_only = !run.strong && (run.dots > 1 || run.ellipsis);
        run.omission =
            bracketed && marks_only && matches!(char_at(text, close_start), Some(']' | ')'));
        run.end = pos;
        run
    }
}

/// True when `next` is followed by the word `time`: `3 p.m. Beijing time`.
fn time_follows(text: &str, next: &Next, end: usize) -> bool {
    let after = next.start + next.letters.len();
    let rest = &text.as_bytes()[after.min(end)..end];
    rest.starts_with(b" time") && !rest.get(5).is_some_and(u8::is_ascii_alphabetic)
}
