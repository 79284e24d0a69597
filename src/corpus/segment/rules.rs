//! The abbreviation and word lists of `rules.txt`, parsed once on first use.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use rustc_hash::FxBuildHasher;

/// The lists, as compiled into the binary.
const SOURCE: &str = include_str!("rules.txt");

/// The parsed lists, shared by every call to the segmenter.
pub(super) static RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::parse(SOURCE).unwrap_or_else(|err| panic!("rules.txt: {err}")));

/// How an abbreviation behaves before the next word (see the head of `rules.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Precedes a name; never ends a sentence.
    Title,
    /// Precedes a number; otherwise an ordinary word.
    Number,
    /// Ends a sentence before a capitalised word that does not continue the phrase.
    Capital,
    /// Ends a sentence only before a common sentence opener.
    Starter,
    /// A country or body: a `Starter` after `the`, otherwise it describes the next word.
    Initialism,
}

/// Abbreviations by kind, and the word lists that the boundary rules consult.
#[derive(Debug, Default)]
pub(super) struct Rules {
    /// Abbreviations without their final `.` or `!`.
    abbreviations: HashMap<&'static str, Kind, Fast>,
    /// Two bits per abbreviation, from its length and first and last letters in any case
    /// (see [`shape`]).
    shapes: Vec<u64>,
    /// Lowercased capitalised entries, so that `GEN.` matches `Gen.`.
    folded: HashMap<String, Kind, Fast>,
    /// Names written with a final `!`, such as `Yahoo!`, without it.
    exclaimed: Words,
    starters: Words,
    continuations: Words,
    speech_verbs: Words,
    openers: Words,
    label_nouns: Words,
    line_end_words: Words,
    sign_offs: Words,
}

impl Rules {
    /// Parses the `[section]` lists; an unknown section or a duplicate entry is an error.
    pub(super) fn parse(source: &'static str) -> Result<Rules, String> {
        let mut rules = Rules {
            shapes: vec![0; 64],
            ..Rules::default()
        };
        let mut section = None;
        for (number, line) in source.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(name);
                continue;
            }
            for entry in line.split_whitespace() {
                let Some(name) = section else {
                    return Err(format!("line {}: `{entry}` before any section", number + 1));
                };
                rules
                    .add(name, entry)
                    .map_err(|err| format!("line {}: {err}", number + 1))?;
            }
        }
        Ok(rules)
    }

    fn add(&mut self, section: &str, entry: &'static str) -> Result<(), String> {
        let kind = match section {
            "title" => Kind::Title,
            "number" => Kind::Number,
            "capital" => Kind::Capital,
            "starter" => Kind::Starter,
            "initialism" => Kind::Initialism,
            _ => {
                let list = match section {
                    "starters" => &mut self.starters,
                    "continuations" => &mut self.continuations,
                    "speech-verbs" => &mut self.speech_verbs,
                    "openers" => &mut self.openers,
                    "label-nouns" => &mut self.label_nouns,
                    "line-end-words" => &mut self.line_end_words,
                    "sign-offs" => &mut self.sign_offs,
                    _ => return Err(format!("unknown section [{section}]")),
                };
                return if list.insert(entry) {
                    Ok(())
                } else {
                    Err(format!("`{entry}` twice in [{section}]"))
                };
            }
        };
        if let Some(name) = entry.strip_suffix('!') {
            return if self.exclaimed.insert(name) {
                Ok(())
            } else {
                Err(format!("`{entry}` listed twice"))
            };
        }
        let key = entry
            .strip_suffix('.')
            .ok_or_else(|| format!("abbreviation `{entry}` must end with `.` or `!`"))?;
        for bit in shape(key) {
            self.shapes[bit / 64] |= 1 << (bit % 64);
        }
        if self.abbreviations.insert(key, kind).is_some() {
            return Err(format!("abbreviation `{entry}` listed twice"));
        }
        if key.starts_with(char::is_uppercase) {
            self.folded.entry(key.to_lowercase()).or_insert(kind);
        }
        Ok(())
    }

    /// The kind of the abbreviation `word` (without its final `.`), if it is one.
    pub(super) fn abbreviation(&self, word: &str) -> Option<Kind> {
        if shape(word)
            .iter()
            .any(|&bit| self.shapes[bit / 64] & (1 << (bit % 64)) == 0)
        {
            return None;
        }
        if let Some(kind) = self.abbreviations.get(word) {
            return Some(*kind);
        }
        let all_caps = word.len() >= 2
            && word.bytes().any(|b| b.is_ascii_uppercase())
            && word
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'.' || b == b'-');
        if !all_caps {
            return None;
        }
        let mut buf = [0u8; 16];
        lowered(word, &mut buf).and_then(|w| self.folded.get(w).copied())
    }

    /// True when `word` is a name written with a final `!` (`Yahoo` for `Yahoo!`), which
    /// ends a sentence only before a word that often opens one.
    pub(super) fn is_exclaimed_name(&self, word: &str) -> bool {
        self.exclaimed.contains(word)
    }

    /// True when `word` (with its `.` if it is an abbreviation) often opens a sentence.
    pub(super) fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    /// True when the capitalised `word` continues a phrase after a `capital` abbreviation.
    pub(super) fn is_continuation(&self, word: &str) -> bool {
        self.continuations.contains(word)
    }

    /// True when `word` is a verb of saying, as in a quote's attribution.
    pub(super) fn is_speech_verb(&self, word: &str) -> bool {
        self.speech_verbs.contains(word)
    }

    /// True when `word` is a preposition that opens a phrase such as `At 5 a.m.`.
    pub(super) fn is_opener(&self, word: &str) -> bool {
        self.openers.contains(word)
    }

    /// True when `word` (any case) is a noun that a capital letter labels: `Plan B.`.
    pub(super) fn is_label_noun(&self, word: &str) -> bool {
        let mut buf = [0u8; 16];
        lowered(word, &mut buf).is_some_and(|w| self.label_nouns.contains(w))
    }

    /// True when a line ending with `word` (any case) must continue on the next line.
    pub(super) fn is_line_end_word(&self, word: &str) -> bool {
        let mut buf = [0u8; 16];
        lowered(word, &mut buf).is_some_and(|w| self.line_end_words.contains(w))
    }

    /// True when `word` is an agency's sign-off (`Reuter`), which ends an article.
    pub(super) fn is_sign_off(&self, word: &str) -> bool {
        self.sign_offs.contains(word)
    }
}

/// Two bit indexes (below 4096) from a word's length and its first and last bytes, in
/// any case: a filter that rules out most words before any hashing.
fn shape(word: &str) -> [usize; 2] {
    let bytes = word.as_bytes();
    let (first, last) = match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => (first.to_ascii_lowercase(), last.to_ascii_lowercase()),
        _ => return [0, 0],
    };
    let mixed = (bytes.len() as u32)
        .wrapping_mul(0x9E37_79B9)
        .wrapping_add(u32::from(first) << 8 | u32::from(last))
        .wrapping_mul(0x85EB_CA6B);
    let mixed = (mixed ^ (mixed >> 15)).wrapping_mul(0xC2B2_AE35);
    [(mixed >> 20) as usize, ((mixed >> 4) & 0xFFF) as usize]
}

/// A set of words from the lists.
type Words = HashSet<&'static str, Fast>;

/// Hashing for the word lists: they are fixed, so a fast hash costs nothing in safety,
/// and looking words up is much of the work per sentence.
type Fast = FxBuildHasher;

/// `word` in ASCII lowercase, in `buf`; `None` when it is not short ASCII.
fn lowered<'b>(word: &str, buf: &'b mut [u8; 16]) -> Option<&'b str> {
    if word.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    let out = &mut buf[..word.len()];
    out.copy_from_slice(word.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_lists_parse() {
        let rules = Rules::parse(SOURCE).unwrap();
        assert_eq!(rules.abbreviation("Gen"), Some(Kind::Title));
        assert_eq!(rules.abbreviation("GEN"), Some(Kind::Title));
        assert_eq!(rules.abbreviation("U.S"), Some(Kind::Initialism));
        assert_eq!(rules.abbreviation("D.C"), Some(Kind::Starter));
        assert!(rules.is_sign_off("REUTER") && !rules.is_sign_off("reuter"));
        assert_eq!(rules.abbreviation("P.M"), Some(Kind::Capital));
        assert_eq!(rules.abbreviation("No"), Some(Kind::Number));
        assert!(rules.is_exclaimed_name("Yahoo") && rules.abbreviation("Yahoo").is_none());
        assert_eq!(rules.abbreviation("said"), None);
        assert!(rules.is_starter("The") && !rules.is_starter("Treasury"));
        assert!(rules.is_line_end_word("The"));
    }

    #[test]
    fn every_listed_abbreviation_passes_the_shape_filter() {
        let rules = Rules::parse(SOURCE).unwrap();
        for (key, kind) in &rules.abbreviations {
            assert_eq!(rules.abbreviation(key), Some(*kind), "{key}");
            if key.starts_with(char::is_uppercase) && key.is_ascii() {
                let caps = key.to_ascii_uppercase();
                assert!(rules.abbreviation(&caps).is_some(), "{caps}");
            }
        }
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(Rules::parse("[title]\nMr. Mr.").is_err());
        assert!(Rules::parse("[title]\nMr").is_err());
        assert!(Rules::parse("[nonsense]\nx").is_err());
        assert!(Rules::parse("Mr.").is_err());
    }
}
