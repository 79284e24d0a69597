//! How a sentence becomes the sparse features the classifier reads. [`Encoder`] is the seam
//! where a second encoder (sentence embeddings read from a local folder) can go later;
//! [`HashedNgrams`] is the one there is.

use crate::hash::{FNV1A64_OFFSET, fmix64, fnv1a64_extend};

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

    /// The slot of an n-gram whose FNV-1a hash (kind byte first) is `hash`.
    fn slot_of(&self, hash: u64) -> u32 {
        // Slot 0 is kept for the bias.
        let mask = (1u64 << self.bits) - 1;
        ((fmix64(hash) & mask) as u32).max(1)
    }
}

/// The FNV-1a hash of the kind byte alone, from which every n-gram's hash continues.
fn kind_hash(kind: Kind) -> u64 {
    fnv1a64_extend(FNV1A64_OFFSET, &[kind as u8])
}

/// Lowercases the words of `text` (maximal runs of letters and digits, as the patterns
/// split) into `lower`, one after another, and their byte ranges in it into `words`.
fn lower_words(text: &str, lower: &mut String, words: &mut Vec<(usize, usize)>) {
    lower.clear();
    words.clear();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let from = lower.len();
        if word.is_ascii() {
            lower.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            // Per word, as `str::to_lowercase` treats a final sigma by its place in the word.
            lower.push_str(&word.to_lowercase());
        }
        words.push((from, lower.len()));
    }
}

/// Buffers [`HashedNgrams::features`] reuses between the words of one sentence.
#[derive(Default)]
struct Scratch {
    lower: String,
    words: Vec<(usize, usize)>,
    marked: Vec<u8>,
    starts: Vec<usize>,
    word_slots: Vec<u32>,
    char_slots: Vec<u32>,
    counted: Vec<(u32, f32)>,
}

impl HashedNgrams {
    /// Slots of the word n-grams and of the character n-grams of `text`, unsorted.
    fn slots(&self, text: &str, scratch: &mut Scratch) {
        let Scratch {
            lower,
            words,
            marked,
            starts,
            word_slots,
            char_slots,
            ..
        } = scratch;
        lower_words(text, lower, words);
        word_slots.clear();
        char_slots.clear();
        let (word_kind, bigram_kind, chars_kind) = (
            kind_hash(Kind::Word),
            kind_hash(Kind::Bigram),
            kind_hash(Kind::Chars),
        );
        for (i, &(from, to)) in words.iter().enumerate() {
            let word = &lower.as_bytes()[from..to];
            word_slots.push(self.slot_of(fnv1a64_extend(word_kind, word)));
            if let Some(&(next_from, next_to)) = words.get(i + 1) {
                let hash = fnv1a64_extend(fnv1a64_extend(bigram_kind, word), b" ");
                let next = &lower.as_bytes()[next_from..next_to];
                word_slots.push(self.slot_of(fnv1a64_extend(hash, next)));
            }
            if !self.chars {
                continue;
            }
            marked.clear();
            marked.push(b'<');
            marked.extend_from_slice(word);
            marked.push(b'>');
            // N-grams of characters, not bytes: cut only on character boundaries.
            starts.clear();
            if word.is_ascii() {
                starts.extend(0..=marked.len());
            } else {
                let text = std::str::from_utf8(marked).expect("built from a str and ASCII");
                starts.extend(text.char_indices().map(|(at, _)| at));
                starts.push(marked.len());
            }
            let chars = starts.len() - 1;
            // The 3-, 4- and 5-grams from one start share their prefix, so one FNV-1a pass
            // gives all three hashes.
            for first in 0..chars.saturating_sub(2) {
                let mut hash =
                    fnv1a64_extend(chars_kind, &marked[starts[first]..starts[first + 2]]);
                for n in 3..=5.min(chars - first) {
                    hash = fnv1a64_extend(hash, &marked[starts[first + n - 1]..starts[first + n]]);
                    char_slots.push(self.slot_of(hash));
                }
            }
        }
    }

    /// Counts equal slots of one group (sorting it), log-scales the counts and scales the
    /// group to length `1/sqrt(groups)` (unless not `unit_length`), appending to `counted`.
    fn count_group(&self, part: &mut [u32], groups: f32, counted: &mut Vec<(u32, f32)>) {
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
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

impl Encoder for HashedNgrams {
    fn dimension(&self) -> usize {
        1 << self.bits
    }

    fn features(&self, text: &str, out: &mut Vec<Feature>) {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.features_with(text, &mut scratch, out),
            Err(_) => self.features_with(text, &mut Scratch::default(), out),
        })
    }
}

impl HashedNgrams {
    fn features_with(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Feature>) {
        out.clear();
        self.slots(text, scratch);
        let Scratch {
            word_slots,
            char_slots,
            counted,
            ..
        } = scratch;
        // Without character n-grams the word n-grams are the only group.
        let groups = if char_slots.is_empty() { 1.0 } else { 2.0f32 };
        // Word n-grams and character n-grams are scaled to unit length apart and then
        // weighted equally: character n-grams outnumber words ten to one and would
        // otherwise drown them.
        counted.clear();
        self.count_group(word_slots, groups, counted);
        let words_end = counted.len();
        self.count_group(char_slots, groups, counted);
        out.push(Feature {
            index: 0,
            value: 1.0,
        });
        // Both groups are sorted: merge them, a word n-gram before a character n-gram of
        // the same slot, and add the two into one feature.
        let (word_part, char_part) = counted.split_at(words_end);
        let (mut w, mut c) = (0, 0);
        while w < word_part.len() || c < char_part.len() {
            let take_word =
                c == char_part.len() || (w < word_part.len() && word_part[w].0 <= char_part[c].0);
            let (index, value) = if take_word {
                w += 1;
                word_part[w - 1]
            } else {
                c += 1;
                char_part[c - 1]
            };
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

    /// The encoder as first written (a hash of every n-gram from its first byte, sorted
    /// once): the faster one must give exactly its features.
    fn reference(encoder: &HashedNgrams, text: &str) -> Vec<Feature> {
        use crate::hash::fnv1a64;
        let slot = |kind: Kind, bytes: &[u8]| {
            let hash = fmix64(fnv1a64(std::iter::once(&(kind as u8)).chain(bytes)));
            ((hash & ((1u64 << encoder.bits) - 1)) as u32).max(1)
        };
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let (mut slots, mut char_slots) = (Vec::new(), Vec::new());
        for (i, word) in words.iter().enumerate() {
            slots.push(slot(Kind::Word, word.as_bytes()));
            if let Some(next) = words.get(i + 1) {
                slots.push(slot(Kind::Bigram, format!("{word} {next}").as_bytes()));
            }
            if !encoder.chars {
                continue;
            }
            let marked = format!("<{word}>");
            let starts: Vec<usize> = marked
                .char_indices()
                .map(|(at, _)| at)
                .chain(std::iter::once(marked.len()))
                .collect();
            let chars = starts.len() - 1;
            for n in 3..=5 {
                for first in 0..(chars + 1).saturating_sub(n) {
                    char_slots.push(slot(
                        Kind::Chars,
                        &marked.as_bytes()[starts[first]..starts[first + n]],
                    ));
                }
            }
        }
        let words_end = slots.len();
        slots.append(&mut char_slots);
        let (word_part, char_part) = slots.split_at_mut(words_end);
        let groups = if char_part.is_empty() { 1.0 } else { 2.0f32 };
        let mut counted: Vec<(u32, f32)> = Vec::new();
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
            let scale = if encoder.unit_length && norm > 0.0 {
                1.0 / (norm * groups.sqrt())
            } else {
                1.0
            };
            for (_, v) in group.iter_mut() {
                *v *= scale;
            }
        }
        counted.sort_by_key(|&(slot, _)| slot);
        let mut out = vec![Feature {
            index: 0,
            value: 1.0,
        }];
        for (index, value) in counted {
            match out.last_mut() {
                Some(last) if last.index == index => last.value += value,
                _ => out.push(Feature { index, value }),
            }
        }
        out
    }

    #[test]
    fn features_are_those_of_the_first_encoder_to_the_last_bit() {
        let texts = [
            "Envoys from both governments resumed talks in Geneva on Tuesday, officials said.",
            "ΣΟΦΟΣ Οδυσσεύς: the the the a a I I.",
            "東京で会談, Zürich-based Straße ĲSSEL x y z 12 345",
            "  ... ",
            "",
        ];
        // 4 bits: many collisions, so words and character n-grams share slots and merge.
        for encoder in [
            HashedNgrams::new(18),
            HashedNgrams::new(4),
            HashedNgrams::variant(12, false, true),
            HashedNgrams::variant(12, true, false),
        ] {
            let mut out = Vec::new();
            for text in texts {
                encoder.features(text, &mut out);
                let bits = |f: &[Feature]| -> Vec<(u32, u32)> {
                    f.iter().map(|f| (f.index, f.value.to_bits())).collect()
                };
                assert_eq!(bits(&out), bits(&reference(&encoder, text)), "{text}");
            }
        }
    }
}
