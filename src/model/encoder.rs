//! How a sentence becomes the sparse features the classifier reads. [`Encoder`] is the seam
//! where a second encoder (sentence embeddings read from a local folder) can go later;
//! [`HashedNgrams`] is the one there is.

use crate::hash::{fmix64, fnv1a64};

/// One non-zero feature: a slot in the model's weight table and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feature {
    /// Slot, below the encoder's [`Encoder::dimension`].
    pub index: u32,
    /// Value: `1 + ln(count)` of the n-gram in the sentence, scaled so that the word
    /// n-grams and the character n-grams each have length `1/√2` (1 for the bias).
    pub value: f32,
}

/// Turns a sentence into features; the same text gives the same features on every run and
/// machine, since scores must be reproducible to the last digit.
pub trait Encoder: Send + Sync {
    /// Number of slots; every [`Feature::index`] is below it.
    fn dimension(&self) -> usize;

    /// Replaces `out` with the features of `text`, sorted by index, each index once.
    fn features(&self, text: &str, out: &mut Vec<Feature>);
}

/// Word unigrams and bigrams and character 3- to 5-grams of each word (marked at both ends,
/// as fastText does), hashed into `2^bits` slots, plus a bias slot.
#[derive(Debug, Clone)]
pub struct HashedNgrams {
    bits: u32,
    chars: bool,
    unit_length: bool,
}

/// Kinds of n-gram, hashed apart so that the word "war" and the trigram "war" differ.
#[derive(Clone, Copy)]
enum Kind {
    Word = 1,
    Bigram = 2,
    Chars = 3,
}

impl HashedNgrams {
    /// An encoder with `2^bits` slots (slot 0 is the bias); `bits` is at most 31.
    pub fn new(bits: u32) -> HashedNgrams {
        assert!((4..=31).contains(&bits), "2^{bits} slots is out of range");
        HashedNgrams {
            bits,
            chars: true,
            unit_length: true,
        }
    }

    /// The same encoder, without the character n-grams unless `chars`, and with raw
    /// log-scaled counts unless `unit_length` (for measurements).
    pub fn variant(bits: u32, chars: bool, unit_length: bool) -> HashedNgrams {
        HashedNgrams {
            chars,
            unit_length,
            ..HashedNgrams::new(bits)
        }
    }

    fn slot(&self, kind: Kind, bytes: &[u8]) -> u32 {
        let hash = fmix64(fnv1a64(std::iter::once(&(kind as u8)).chain(bytes)));
        // Slot 0 is kept for the bias.
        let mask = (1u64 << self.bits) - 1;
        ((hash & mask) as u32).max(1)
    }
}

/// Lowercased words of `text`: maximal runs of letters and digits, as the patterns split.
fn lower_words(text: &str, out: &mut Vec<String>) {
    out.clear();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            out.push(word.to_lowercase());
        }
    }
}

impl Encoder for HashedNgrams {
    fn dimension(&self) -> usize {
        1 << self.bits
    }

    fn features(&self, text: &str, out: &mut Vec<Feature>) {
        out.clear();
        let mut words = Vec::new();
        lower_words(text, &mut words);
        let mut slots: Vec<u32> = Vec::with_capacity(words.len() * 2);
        let mut char_slots: Vec<u32> = Vec::with_capacity(words.len() * 12);
        let mut buffer: Vec<u8> = Vec::with_capacity(64);
        for (i, word) in words.iter().enumerate() {
            slots.push(self.slot(Kind::Word, word.as_bytes()));
            if let Some(next) = words.get(i + 1) {
                buffer.clear();
                buffer.extend_from_slice(word.as_bytes());
                buffer.push(b' ');
                buffer.extend_from_slice(next.as_bytes());
                slots.push(self.slot(Kind::Bigram, &buffer));
            }
            if !self.chars {
                continue;
            }
            buffer.clear();
            buffer.push(b'<');
            buffer.extend_from_slice(word.as_bytes());
            buffer.push(b'>');
            // N-grams of characters, not bytes: cut only on character boundaries.
            let marked = std::str::from_utf8(&buffer).expect("built from a str and ASCII");
            let starts: Vec<usize> = marked
                .char_indices()
                .map(|(at, _)| at)
                .chain(std::iter::once(marked.len()))
                .collect();
            let chars = starts.len() - 1;
            for n in 3..=5 {
                for first in 0..(chars + 1).saturating_sub(n) {
                    let gram = &marked.as_bytes()[starts[first]..starts[first + n]];
                    char_slots.push(self.slot(Kind::Chars, gram));
                }
            }
        }
        let word_slots = slots.len();
        slots.append(&mut char_slots);
        let slots_len = slots.len();
        // Word n-grams and character n-grams are scaled to unit length apart and then
        // weighted equally: character n-grams outnumber words ten to one and would
        // otherwise drown them.
        out.push(Feature {
            index: 0,
            value: 1.0,
        });
        let words_end = if self.chars { word_slots } else { slots.len() };
        let (word_part, char_part) = slots.split_at_mut(words_end);
        let groups = if char_part.is_empty() { 1.0 } else { 2.0f32 };
        let mut counted: Vec<(u32, f32)> = Vec::with_capacity(slots_len);
        for part in [word_part, char_part] {
            part.sort_unstable();
            let from = counted.len();
            for &slot in part.iter() {
                match counted[from..].last_mut() {
                    Some((last, count)) if *last == slot => *count += 1.0,
                    _ => counted.push((slot, 1.0)),
                }
            }
            let group = &mut counted[from..];
            for (_, c) in group.iter_mut() {
                *c = 1.0 + c.ln();
            }
            let norm = group.iter().map(|&(_, v)| v * v).sum::<f32>().sqrt();
            let scale = if self.unit_length && norm > 0.0 {
                1.0 / (norm * groups.sqrt())
            } else {
                1.0
            };
            for (_, v) in group.iter_mut() {
                *v *= scale;
            }
        }
        counted.sort_by_key(|&(slot, _)| slot);
        for (index, value) in counted {
            match out.last_mut() {
                Some(last) if last.index == index => last.value += value,
                _ => out.push(Feature { index, value }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_sorted_unique_and_stable() {
        let encoder = HashedNgrams::new(18);
        let mut a = Vec::new();
        encoder.features("Talks resumed in Geneva; talks went well.", &mut a);
        assert_eq!(
            a[0],
            Feature {
                index: 0,
                value: 1.0
            }
        );
        assert!(a.windows(2).all(|w| w[0].index < w[1].index));
        assert!(a.iter().all(|f| (f.index as usize) < encoder.dimension()));
        let length: f32 = a[1..].iter().map(|f| f.value * f.value).sum();
        assert!((length - 1.0).abs() < 1e-5, "{length}");
        let mut b = Vec::new();
        encoder.features("TALKS resumed in Geneva, talks went well", &mut b);
        assert_eq!(
            a, b,
            "case and punctuation between words do not change the features"
        );
        encoder.features("Talks stalled in Geneva; talks went well.", &mut b);
        assert_ne!(a, b);
        HashedNgrams::variant(18, false, false).features("talks talks", &mut b);
        let talks = b.iter().map(|f| f.value).fold(0.0f32, f32::max);
        assert!(
            (talks - (1.0 + 2f32.ln())).abs() < 1e-6,
            "a repeated word counts twice"
        );
    }

    #[test]
    fn empty_and_non_ascii_text_only_get_what_they_have() {
        let encoder = HashedNgrams::new(10);
        let mut out = Vec::new();
        encoder.features("  ... ", &mut out);
        assert_eq!(out.len(), 1, "only the bias");
        encoder.features("東京で会談", &mut out);
        assert!(out.len() > 3);
    }
}
