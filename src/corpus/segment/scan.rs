//! Sentence ends inside one stretch of text that holds no forced break.
//!
//! The scan jumps from candidate byte to candidate byte (`.?!`, `)`, and the lead bytes of
//! the few multi-byte characters that matter) and decides each from a bounded look at the
//! words around it. Every decision moves past the candidate, so the scan is linear.

use memchr::{memchr3, memrchr};

use super::Span;
use super::lists::{self, Item, Lists};
use super::rules::{Kind, RULES};
use super::text::{
    Case, char_at, char_before, is_bullet, is_closer, is_closing_quote, is_opener, is_space_at,
    skip_space, space_before, trim_end,
};
use super::token::{self, Left, Next};

/// The next position of one of three bytes at or after where the scan is, searched with
/// memchr and remembered: the scan only moves forward, so each byte is searched once.
struct Finder {
    needles: [u8; 3],
    next: Option<usize>,
}

impl Finder {
    fn new(needles: [u8; 3]) -> Finder {
        Finder {
            needles,
            next: None,
        }
    }

    fn find(&mut self, bytes: &[u8], pos: usize, end: usize) -> usize {
        match self.next {
            Some(next) if next >= pos => next,
            _ => {
                let [a, b, c] = self.needles;
                let next = memchr3(a, b, c, &bytes[pos..end]).map_or(end, |i| pos + i);
                self.next = Some(next);
                next
            }
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
    /// Where the stretch starts and ends.
    start: usize,
    end: usize,
    sentence: usize,
    lists: &'l mut Lists,
    /// The last straight quote in the stretch that closes a quotation, once looked for.
    last_closing_quote: Option<Option<usize>>,
    /// Straight quotes counted in the sentence that starts at `.1`, up to `.2`: the scan
    /// only moves forward, so each byte is counted once.
    quotes: (usize, usize, usize),
}

/// Appends the sentences of `text[start..end]` (trimmed, with no forced break inside).
pub(super) fn scan(text: &str, start: usize, end: usize, lists: &mut Lists, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut scanner = Scanner {
        text,
        start,
        end,
        sentence: start,
        lists,
        last_closing_quote: None,
        quotes: (0, start, start),
    };
    // terminators; lead bytes of `…` `‼` and bullets (E2), `。` (E3), fullwidth `！` `？` (EF);
    // and `)`, which matters only inside a list (`1) The first item 2) The second`)
    let mut terminators = Finder::new([b'.', b'?', b'!']);
    let mut others = Finder::new([0xE2, 0xE3, 0xEF]);
    let mut parens = Finder::new([b')'; 3]);
    scanner.lists.open_at(text, start, end);
    let mut pos = start;
    loop {
        let mut at = terminators
            .find(bytes, pos, end)
            .min(others.find(bytes, pos, end));
        if scanner.lists.is_open() {
            at = at.min(parens.find(bytes, pos, end));
        }
        if at >= end {
            break;
        }
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
                scanner.lists.open_at(text, scanner.sentence, end);
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
        let mut run = self.run(at);
        if run.omission || run.end >= self.end {
            return Step::On(run.end);
        }
        if !is_space_at(self.text, run.end) {
            return self.glued(at, &run);
        }
        let mut start = skip_space(self.text, run.end, self.end);
        if let Some(after) = self.stray_quote(start) {
            run.end = after;
            run.closed = true;
            run.quoted = true;
            start = skip_space(self.text, after, self.end);
        }
        let next = token::next_word(self.text, start, self.end);
        let end_here = Step::End {
            end: run.end,
            resume: start,
        };
        let ends = if run.strong {
            self.strong_ends(at, &run, &next)
        } else if run.ellipsis || run.dots > 1 || run.spaced > 0 {
            if run.attached && run.dots == 1 && !run.ellipsis && run.spaced >= 3 {
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
                    _ => Step::On(run.end),
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
        if ends { end_here } else { Step::On(run.end) }
    }

    /// A terminator with no space after it ends a sentence only where a space went
    /// missing between two sentences, as in scraped news: a plain lowercase word, one
    /// `.`, `?` or `!`, then a capitalised word that often opens a sentence or stands
    /// alone (`he said.The talks`, `said.Professor Smith`). Domains, versions and
    /// abbreviations (`Amazon.Com`, `v1.2`, `e.g.The`, `www.bbc.Co.uk`) stay whole.
    fn glued(&self, at: usize, run: &Run) -> Step {
        let single = run.dots + usize::from(run.strong) == 1 && run.end == at + 1 && !run.ellipsis;
        let ends = single
            && token::word_before(self.text, self.sentence, at).is_some_and(|(start, word)| {
                word.chars().count() >= 2
                    && word.chars().all(char::is_lowercase)
                    && matches!(
                        token::classify(self.text, self.sentence, start, word),
                        Left::Plain
                    )
            })
            && {
                let next = token::next_word(self.text, run.end, self.end);
                let after = next.start + next.letters.len();
                let alone = after >= self.end
                    || is_space_at(self.text, after)
                    || matches!(
                        char_at(self.text, after),
                        Some(',' | ';' | ':' | '\'' | '’')
                    );
                next.start == run.end
                    && next.case == Case::Upper
                    && next.letters.chars().count() >= 2
                    && !next.dotted
                    && (alone || next.is_starter(self.text))
            };
        if ends {
            Step::End {
                end: run.end,
                resume: run.end,
            }
        } else {
            Step::On(run.end)
        }
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
        let capital_starter = || next.case == Case::Upper && next.is_starter(text);
        let starter_ends = || {
            next.quoted
                || capital_starter()
                || (next.case == Case::Upper
                    && !next.dotted
                    && !RULES.is_continuation(next.letters)
                    && token::case_after(text, next, self.end) == Some(Case::Lower))
        };
        let ends = match token::classify(text, self.sentence, word_start, word) {
            // a title comes before a name, and no name is a word such as `The` or `He`
            Left::Abbreviation(Kind::Title) => capital_starter(),
            Left::Abbreviation(Kind::Number) if next.case == Case::Digit => false,
            Left::Plain | Left::Abbreviation(Kind::Number) => {
                !(run.closed && next.case == Case::Lower)
            }
            Left::Initial => next.quoted || capital_starter(),
            Left::Abbreviation(Kind::Starter) => !opener() && starter_ends(),
            // only `the U.S.` is a noun that can close a sentence; `a U.S.`, `of U.S.`,
            // `Coloroll U.S.` describe the word after
            Left::Abbreviation(Kind::Initialism) => {
                let noun = token::previous_word(text, self.sentence, word_start)
                    .is_some_and(|w| w.eq_ignore_ascii_case("the"));
                !opener()
                    && if noun {
                        starter_ends()
                    } else {
                        next.quoted || capital_starter()
                    }
            }
            Left::Abbreviation(Kind::Capital) => match next.case {
                _ if next.quoted => true,
                // a bracket after it is most often an aside: `Apple Inc. (AAPL.O) rose`
                _ if next.bracketed => capital_starter(),
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
            Step::On(run.end)
        }
    }

    /// Where a closing quotation mark at `start`, cut off by a space from the sentence end
    /// before it, ends: `too early this season. "Seles, slow into her stride`. A straight
    /// quote closes when the sentence so far holds an unclosed quote and no quote closes
    /// later in the stretch (else it opens the next sentence: `life. "I would ... do."`);
    /// a lone quote, or a curly closing one, always closes.
    fn stray_quote(&mut self, start: usize) -> Option<usize> {
        let after = match char_at(self.text, start) {
            Some('"') => start + 1,
            Some('”') => return Some(start + '”'.len_utf8()),
            _ => return None,
        };
        if after >= self.end || is_space_at(self.text, after) {
            return Some(after);
        }
        let (mut count, sentence, mut counted) = self.quotes;
        if sentence != self.sentence || counted > start {
            (count, counted) = (0, self.sentence);
        }
        count += memchr::memchr_iter(b'"', &self.text.as_bytes()[counted..start]).count();
        self.quotes = (count, self.sentence, start);
        let unclosed = count % 2 == 1;
        (unclosed && self.last_closing_quote().is_none_or(|at| at < start)).then_some(after)
    }

    /// The last straight quote in the stretch written right after a word or punctuation
    /// (`done."`, `over".`), as a closing quote is; searched once per stretch.
    fn last_closing_quote(&mut self) -> Option<usize> {
        if let Some(found) = self.last_closing_quote {
            return found;
        }
        let bytes = self.text.as_bytes();
        let mut end = self.end;
        let found = loop {
            match memrchr(b'"', &bytes[self.start..end]) {
                Some(i) => {
                    let at = self.start + i;
                    if char_before(self.text, at)
                        .is_some_and(|c| !c.is_whitespace() && !is_opener(c))
                    {
                        break Some(at);
                    }
                    end = at;
                }
                None => break None,
            }
        };
        self.last_closing_quote = Some(found);
        found
    }

    /// A list marker before `.` or `)`: see [`Lists::item`].
    fn list_item(&mut self, word_start: usize, word: &str, after: usize) -> Option<Step> {
        match self
            .lists
            .item(self.text, self.sentence, word_start, word)?
        {
            Item::Inside => Some(Step::On(after)),
            Item::Next { end } => Some(Step::End { end, resume: after }),
        }
    }

    /// `)` after a list marker: `1) The first item 2) The second item`.
    fn paren(&mut self, at: usize) -> Step {
        let after = at + 1;
        if after < self.end && !is_space_at(self.text, after) {
            return Step::On(after);
        }
        match lists::word_before_paren(self.text, self.sentence, at) {
            Some(start) => {
                let word = &self.text[start..at];
                self.list_item(start, word, after)
                    .unwrap_or(Step::On(after))
            }
            None => Step::On(after),
        }
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
            '\u{2029}' => Step::End {
                end: trim_end(self.text, self.sentence, at),
                resume: after,
            },
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

/// True when `next` starts a phrase of up to three capitalised words ending in `time`:
/// `3 p.m. Beijing time`, `8:30 a.m. New York time`.
fn time_follows(text: &str, next: &Next, end: usize) -> bool {
    let mut word = *next;
    for _ in 0..3 {
        match token::following_word(text, &word, end) {
            Some(after) if after.letters == "time" => return true,
            Some(after) if after.case == Case::Upper && !after.quoted && !after.bracketed => {
                word = after;
            }
            _ => return false,
        }
    }
    false
}
