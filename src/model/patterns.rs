//! Schema patterns: words or phrases that suggest a label before the model has learned it.
//!
//! A pattern is one or more words, matched case-insensitively against the sentence's words
//! (runs of letters and digits, as [`words`] finds them); a word may end in `*` to match
//! every word it begins: `asset freeze` matches only those two words in a row, `asset
//! freez*` also "Asset freezes".

use std::fmt;

/// One checked pattern: its words, lowercased, each with whether it ends in `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    words: Vec<(String, bool)>,
    text: String,
}

/// Characters a pattern may hold between its words besides spaces: the ones that join
/// words in news text ("al-Assad", "Kim's", "U.S."), which [`words`] also splits on.
const JOINERS: [char; 4] = ['-', '\'', '\u{2019}', '.'];

impl Pattern {
    /// Checks a pattern as written in the schema; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("empty pattern".into());
        }
        let mut words: Vec<(String, bool)> = Vec::new();
        let mut word = String::new();
        let mut chars = trimmed.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else if c == '*' {
                let ends_word = chars
                    .peek()
                    .is_none_or(|&next| next == ' ' || JOINERS.contains(&next));
                if word.is_empty() || !ends_word {
                    return Err(format!(
                        "{} is not a word or phrase: `*` may only end a word",
                        crate::escape::quote(text)
                    ));
                }
                words.push((std::mem::take(&mut word), true));
            } else if c == ' ' || JOINERS.contains(&c) {
                if !word.is_empty() {
                    words.push((std::mem::take(&mut word), false));
                }
            } else {
                return Err(format!(
                    "{} is not a word or phrase: it holds {}",
                    crate::escape::quote(text),
                    crate::escape::quote(&c.to_string())
                ));
            }
        }
        if !word.is_empty() {
            words.push((word, false));
        }
        if words.is_empty() {
            return Err(format!(
                "{} is not a word or phrase: it has no letters or digits",
                crate::escape::quote(text)
            ));
        }
        Ok(Pattern {
            words,
            text: trimmed.to_owned(),
        })
    }

    /// True when the pattern's words occur in `sentence`, one after another.
    pub fn matches(&self, sentence: &[String]) -> bool {
        let n = self.words.len();
        sentence.len() >= n
            && sentence.windows(n).any(|window| {
                window
                    .iter()
                    .zip(&self.words)
                    .all(|(word, (want, prefix))| {
                        if *prefix {
                            word.starts_with(want.as_str())
                        } else {
                            word == want
                        }
                    })
            })
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The sentence's words as patterns see them: maximal runs of letters and digits, lowercased.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(pattern: &str, text: &str) -> bool {
        Pattern::parse(pattern).unwrap().matches(&words(text))
    }

    #[test]
    fn words_phrases_and_suffix_wildcards_match_case_insensitively() {
        assert!(hit("sanction*", "The EU SANCTIONED two banks."));
        assert!(hit("sanction*", "New sanctions."));
        assert!(!hit("sanction", "New sanctions."));
        assert!(hit("asset freeze", "an asset freeze on"));
        assert!(!hit("asset freeze", "asset sales freeze"));
        assert!(hit("asset freez*", "Asset freezes were lifted"));
        assert!(hit("U.S. troops", "more u.s. troops"));
        assert!(!hit("embargo", "emb argo"));
    }

    #[test]
    fn empty_and_non_word_patterns_are_refused() {
        assert_eq!(Pattern::parse("  ").unwrap_err(), "empty pattern");
        assert!(
            Pattern::parse("*")
                .unwrap_err()
                .contains("may only end a word")
        );
        assert!(
            Pattern::parse("a*b")
                .unwrap_err()
                .contains("may only end a word")
        );
        assert!(Pattern::parse("<b>").unwrap_err().contains("holds"));
        assert!(Pattern::parse("--").unwrap_err().contains("no letters"));
        assert!(Pattern::parse("sanctions|tariffs").is_err());
    }
}
