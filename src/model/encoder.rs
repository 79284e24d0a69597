//! How a sentence becomes the sparse features the classifier reads. [`Encoder`] is the seam
//! where a second encoder (sentence embeddings read from a local folder) can go later;
//! [`HashedNgrams`] is the one there is.

use crate::hash::{FNV1A64_OFFSET, fmix64, fnv1a64_extend};

/// One non-zero feature: a slot in the model's weight table and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feature {
    /// Slot, below the encoder's [`Encoder::dimension`].
    pub index: u32,
    /// Value: the n-gram's count in the sentence times its group's scale (see
    /// [`HashedNgrams::scales`]); 1 for the bias.
    pub value: f32,
}

/// Turns a sentence into features; the same text gives the same features on every run and
/// machine, since scores must be reproducible to the last digit.
pub trait Encoder: Send + Sync {
    /// Number of slots; every [`Feature::index`] is below it.
    fn dimension(&self) -> usize;

    /// Replaces `out` with the features of `text`, sorted by index, each index once.
    fn features(&self, text: &str, out: &mut Vec<Feature>);

    /// This encoder as hashed n-grams, whose features are a sum over the sentence's word
    /// occurrences, so that a fixed model can score a sentence word by word
    /// ([`super::score`]); `None` for an encoder whose features are not.
    fn ngrams(&self) -> Option<&HashedNgrams> {
        None
    }
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

    /// Whether the character n-grams are features.
    pub fn chars(&self) -> bool {
        self.chars
    }

    /// The scales of the word n-grams and of the character n-grams of a sentence with this
    /// many occurrences of each: `1/√(g·n)` for `n` occurrences and `g` groups present
    /// (1 or 2), the group's length when each of its n-grams occurs once, so that the two
    /// groups weigh alike (character n-grams outnumber words ten to one and would otherwise
    /// drown them); 1 without unit length. A count, not its logarithm, times a scale that
    /// depends on the sentence's length alone keeps the features a sum over word
    /// occurrences.
    pub fn scales(&self, word_occurrences: usize, char_occurrences: usize) -> [f64; 2] {
        let groups = if char_occurrences > 0 { 2.0 } else { 1.0 };
        [word_occurrences, char_occurrences].map(|n| {
            if self.unit_length && n > 0 {
                1.0 / (n as f64 * groups).sqrt()
            } else {
                1.0
            }
        })
    }

    /// The slot of the bigram of a word whose [`HashedNgrams::word_parts`] gave `state`
    /// and the lowercased word `next`.
    pub(super) fn bigram_slot(&self, state: u64, next: &[u8]) -> u32 {
        self.slot_of(fnv1a64_extend(state, next))
    }

    /// Appends the character n-gram slots of the lowercased `word` to `chars` (none
    /// without character n-grams) and returns its unigram's slot and the FNV-1a state its
    /// bigrams continue from; `keys` is scratch space.
    pub(super) fn word_parts(
        &self,
        word: &[u8],
        keys: &mut Vec<u32>,
        chars: &mut Vec<u32>,
    ) -> (u32, u64) {
        keys.clear();
        let (mut marked, mut starts) = (Vec::new(), Vec::new());
        self.word_keys(word, &mut marked, &mut starts, keys);
        chars.extend(keys[1..].iter().map(|key| key >> 1));
        let state = fnv1a64_extend(fnv1a64_extend(kind_hash(Kind::Bigram), word), b" ");
        (keys[0] >> 1, state)
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
/// split) into `lower`, and their byte ranges in it into `words`: only the ranges are words,
/// whatever `lower` holds between them.
pub(super) fn lower_words(text: &str, lower: &mut String, words: &mut Vec<(usize, usize)>) {
    lower.clear();
    words.clear();
    if text.is_ascii() {
        // For ASCII, `char::is_alphanumeric` is `u8::is_ascii_alphanumeric` and lowercasing
        // keeps every byte in its place: the whole text lowercased at once, then one pass
        // over its bytes for the words, without decoding characters.
        lower.push_str(text);
        lower.make_ascii_lowercase();
        let mut from = None;
        for (at, &b) in lower.as_bytes().iter().enumerate() {
            if b.is_ascii_alphanumeric() {
                from.get_or_insert(at);
            } else if let Some(start) = from.take() {
                words.push((start, at));
            }
        }
        if let Some(start) = from {
            words.push((start, lower.len()));
        }
        return;
    }
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

/// Buffers [`HashedNgrams::features`] reuses between sentences.
#[derive(Default)]
struct Scratch {
    lower: String,
    words: Vec<(usize, usize)>,
    marked: Vec<u8>,
    starts: Vec<usize>,
    /// Every n-gram's slot shifted left by one, its low bit 0 for a word n-gram and 1 for a
    /// character n-gram: one sort orders the slots and puts a slot's word n-grams first.
    keys: Vec<u32>,
    /// The keys, sorted.
    sorted: Vec<u32>,
    /// Distinct keys, each with its log-scaled count.
    counted: Vec<(u32, f32)>,
    /// What each word seen lately gives, so that a repeated word costs one lookup.
    words_seen: WordCache,
}

/// The keys of words already hashed, for one encoder's settings: a word's unigram and
/// character n-gram keys depend on the word alone, and news repeats its words (Zipf), so
/// most words of a sentence are looked up instead of hashed n-gram by n-gram.
#[derive(Default)]
struct WordCache {
    /// The settings (`bits`, `chars`) the keys were made with.
    made_for: Option<(u32, bool)>,
    /// Lowercased word (see [`packed`]) to its entry.
    entries: rustc_hash::FxHashMap<u128, CachedWord>,
    /// Every cached word's keys, one word after another: its unigram key, then its
    /// character n-gram keys.
    keys: Vec<u32>,
}

/// One cached word.
#[derive(Clone, Copy)]
struct CachedWord {
    /// Its keys in [`WordCache::keys`].
    from: u32,
    to: u32,
    /// The FNV-1a state after the bigram kind, the word and the space: a bigram's hash is
    /// this continued with the next word.
    bigram: u64,
}

/// A word of at most 16 bytes as one number, for a cache key compared without a call to
/// `memcmp`: its bytes padded with zeros, which no word holds (words are letters and digits).
///
/// Built by shifts in registers: bytes copied into a buffer and read back as one number
/// cost a stall per word, the wide read waiting on the narrow writes.
pub(super) fn packed(word: &[u8]) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    let (low, high) = word.split_at(word.len().min(8));
    let little_endian = |bytes: &[u8]| {
        bytes
            .iter()
            .rev()
            .fold(0u64, |number, &byte| number << 8 | u64::from(byte))
    };
    Some(u128::from(little_endian(low)) | u128::from(little_endian(high)) << 64)
}

/// Words cached at most; past it the cache starts again, which bounds its memory (about
/// 3 MB per thread at most) and changes no feature.
const CACHED_WORDS: usize = 1 << 14;

/// Keys cached at most, for the same reason.
const CACHED_KEYS: usize = 1 << 18;

/// The low bit of a key that marks a character n-gram.
const CHAR_GROUP: u32 = 1;

impl HashedNgrams {
    /// Keys (see [`Scratch::keys`]) of the word n-grams and the character n-grams of `text`,
    /// unsorted.
    fn slots(&self, text: &str, scratch: &mut Scratch) {
        let Scratch {
            lower,
            words,
            marked,
            starts,
            keys,
            words_seen: cache,
            ..
        } = scratch;
        lower_words(text, lower, words);
        keys.clear();
        if cache.made_for != Some((self.bits, self.chars))
            || cache.entries.len() >= CACHED_WORDS
            || cache.keys.len() >= CACHED_KEYS
        {
            cache.made_for = Some((self.bits, self.chars));
            cache.entries.clear();
            cache.keys.clear();
        }
        let bigram_kind = kind_hash(Kind::Bigram);
        for (i, &(from, to)) in words.iter().enumerate() {
            let word = &lower.as_bytes()[from..to];
            let key = packed(word);
            // Longer words are rare: hashed afresh each time, into the cache's keys all the
            // same.
            let entry = match key.and_then(|key| cache.entries.get(&key)) {
                Some(&entry) => entry,
                None => {
                    let from = cache.keys.len();
                    self.word_keys(word, marked, starts, &mut cache.keys);
                    let entry = CachedWord {
                        from: from as u32,
                        to: cache.keys.len() as u32,
                        bigram: fnv1a64_extend(fnv1a64_extend(bigram_kind, word), b" "),
                    };
                    if let Some(key) = key {
                        cache.entries.insert(key, entry);
                    }
                    entry
                }
            };
            keys.extend_from_slice(&cache.keys[entry.from as usize..entry.to as usize]);
            if let Some(&(next_from, next_to)) = words.get(i + 1) {
                let next = &lower.as_bytes()[next_from..next_to];
                keys.push(self.slot_of(fnv1a64_extend(entry.bigram, next)) << 1);
            }
        }
    }

    /// Appends the keys of one lowercased word: its unigram's, then its character
    /// n-grams' (when the encoder has them).
    fn word_keys(
        &self,
        word: &[u8],
        marked: &mut Vec<u8>,
        starts: &mut Vec<usize>,
        keys: &mut Vec<u32>,
    ) {
        let chars_kind = kind_hash(Kind::Chars);
        let char_key = |hash: u64| (self.slot_of(hash) << 1) | CHAR_GROUP;
        keys.push(self.slot_of(fnv1a64_extend(kind_hash(Kind::Word), word)) << 1);
        if !self.chars {
            return;
        }
        marked.clear();
        marked.push(b'<');
        marked.extend_from_slice(word);
        marked.push(b'>');
        if word.is_ascii() {
            // One byte per character: the n-grams cut anywhere.
            let m = marked.len();
            for first in 0..m.saturating_sub(2) {
                let mut hash = fnv1a64_extend(chars_kind, &marked[first..first + 2]);
                for &byte in &marked[first + 2..m.min(first + 5)] {
                    hash = fnv1a64_extend(hash, &[byte]);
                    keys.push(char_key(hash));
                }
            }
            return;
        }
        // N-grams of characters, not bytes: cut only on character boundaries.
        starts.clear();
        let text = std::str::from_utf8(marked).expect("built from a str and ASCII");
        starts.extend(text.char_indices().map(|(at, _)| at));
        starts.push(marked.len());
        let chars = starts.len() - 1;
        // The 3-, 4- and 5-grams from one start share their prefix, so one FNV-1a pass
        // gives all three hashes.
        for first in 0..chars.saturating_sub(2) {
            let mut hash = fnv1a64_extend(chars_kind, &marked[starts[first]..starts[first + 2]]);
            for n in 3..=5.min(chars - first) {
                hash = fnv1a64_extend(hash, &marked[starts[first + n - 1]..starts[first + n]]);
                keys.push(char_key(hash));
            }
        }
    }
}

/// Keys below which a comparison sort beats counting digits.
const RADIX_FROM: usize = 64;

/// Sorts `keys` (each below `2^bits`) into `sorted`, a byte at a time from the lowest (a
/// least-significant-digit radix sort): a sentence's few hundred keys take three passes
/// instead of a comparison sort's several thousand comparisons.
fn radix_sort(keys: &mut Vec<u32>, sorted: &mut Vec<u32>, bits: u32) {
    sorted.clear();
    if keys.len() < RADIX_FROM {
        keys.sort_unstable();
        sorted.extend_from_slice(keys);
        return;
    }
    let passes = bits.div_ceil(8).max(1) as usize;
    let mut counts = [[0u32; 256]; 4];
    for &key in keys.iter() {
        for (pass, count) in counts.iter_mut().enumerate().take(passes) {
            count[((key >> (8 * pass)) & 0xff) as usize] += 1;
        }
    }
    sorted.resize(keys.len(), 0);
    let (mut from, mut to) = (keys, sorted);
    for (pass, count) in counts.iter_mut().enumerate().take(passes) {
        let mut at = 0;
        for c in count.iter_mut() {
            let n = *c;
            *c = at;
            at += n;
        }
        for &key in from.iter() {
            let digit = ((key >> (8 * pass)) & 0xff) as usize;
            to[count[digit] as usize] = key;
            count[digit] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    // After an even number of passes the sorted keys are back in `keys`' buffer.
    if passes.is_multiple_of(2) {
        std::mem::swap(from, to);
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

impl Encoder for HashedNgrams {
    fn dimension(&self) -> usize {
        1 << self.bits
    }

    fn ngrams(&self) -> Option<&HashedNgrams> {
        Some(self)
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
            keys,
            sorted,
            counted,
            ..
        } = scratch;
        radix_sort(keys, sorted, self.bits + 1);
        let keys = &sorted[..];
        // Count equal keys, and each group's n-gram occurrences (its count summed).
        // Written by position into buffers sized once, rather than pushed: a push per key
        // reloads the vector's length and capacity through the scratch space.
        counted.clear();
        counted.resize(keys.len(), (0, 0.0));
        let mut distinct = 0;
        let (mut word_occurrences, mut char_occurrences) = (0usize, 0usize);
        let mut i = 0;
        while i < keys.len() {
            let key = keys[i];
            let mut j = i + 1;
            while j < keys.len() && keys[j] == key {
                j += 1;
            }
            // Two running sums in registers avoid a chain of stores and loads through one
            // indexed array.
            let count = j - i;
            let is_char = key & CHAR_GROUP != 0;
            word_occurrences += if is_char { 0 } else { count };
            char_occurrences += if is_char { count } else { 0 };
            counted[distinct] = (key, count as f32);
            distinct += 1;
            i = j;
        }
        let counted = &counted[..distinct];
        let scales = self
            .scales(word_occurrences, char_occurrences)
            .map(|scale| scale as f32);
        let bias = Feature {
            index: 0,
            value: 1.0,
        };
        out.resize(counted.len() + 1, bias);
        // A word n-gram and a character n-gram of the same slot add into one feature, the
        // word's value first; no slot is 0, the bias's.
        let mut last = 0;
        for &(key, value) in counted {
            let index = key >> 1;
            let value = value * scales[(key & CHAR_GROUP) as usize];
            if out[last].index == index {
                out[last].value += value;
            } else {
                last += 1;
                out[last] = Feature { index, value };
            }
        }
        out.truncate(last + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowered_words_are_the_texts_alphanumeric_runs_lowercased() {
        let (mut lower, mut words) = (String::new(), Vec::new());
        for text in [
            "",
            "  ... ",
            "Talks resumed in GENEVA; 12 talks, x-ray.",
            "end2end",
            "Zürich-based Straße ΣΟΦΟΣ talks",
        ] {
            lower_words(text, &mut lower, &mut words);
            let got: Vec<&str> = words.iter().map(|&(from, to)| &lower[from..to]).collect();
            let expected: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }

    #[test]
    fn a_packed_word_is_its_bytes_padded_with_zeros_read_little_endian() {
        let word = b"internationalisation";
        for len in 0..=word.len() {
            let mut padded = [0u8; 16];
            let expected = (len <= 16).then(|| {
                padded[..len].copy_from_slice(&word[..len]);
                u128::from_le_bytes(padded)
            });
            assert_eq!(packed(&word[..len]), expected, "{len} bytes");
        }
        assert_ne!(packed(b"ab"), packed(b"ba"));
    }

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
        assert_eq!(talks, 2.0, "a repeated word counts twice");
        // 4 unigrams and 3 bigrams, each once: unit length.
        HashedNgrams::variant(18, false, true).features("a b c d", &mut b);
        let length: f32 = b[1..].iter().map(|f| f.value * f.value).sum();
        assert!((length - 1.0).abs() < 1e-6, "{length}");
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

    /// The features as README's model section defines them, written plainly (every n-gram
    /// hashed from its first byte, each group counted and scaled apart): the encoder must
    /// give exactly these.
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
        let groups = if char_part.is_empty() { 1.0 } else { 2.0f64 };
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
            // The count times 1/√(groups · occurrences), occurrences the group's count summed.
            let scale = if encoder.unit_length && !part.is_empty() {
                (1.0 / (part.len() as f64 * groups).sqrt()) as f32
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
    fn cached_words_give_the_features_of_words_hashed_afresh() {
        let bits = |f: &[Feature]| -> Vec<(u32, u32)> {
            f.iter().map(|f| (f.index, f.value.to_bits())).collect()
        };
        let (wide, narrow) = (
            HashedNgrams::new(18),
            HashedNgrams::variant(18, false, true),
        );
        let text = "Talks resumed; TALKS stalled. Straße straße talks talk abcdefghijklmnop \
                    abcdefghijklmnopq internationalisation internationalisation";
        let mut out = Vec::new();
        // Each sentence is encoded after the others filled the cache, under other settings
        // too, and once more after the cache overflowed and started again.
        for round in 0..3 {
            for encoder in [&wide, &narrow, &wide] {
                encoder.features(text, &mut out);
                assert_eq!(bits(&out), bits(&reference(encoder, text)), "round {round}");
            }
            let many: String = (0..CACHED_WORDS / 2 + 1)
                .map(|i| format!("w{round}x{i} "))
                .collect();
            wide.features(&many, &mut out);
            assert_eq!(bits(&out), bits(&reference(&wide, &many)));
        }
        SCRATCH.with(|scratch| {
            let scratch = scratch.borrow();
            assert!(scratch.words_seen.entries.len() < CACHED_WORDS);
            assert!(scratch.words_seen.keys.len() < CACHED_KEYS);
        });
    }

    #[test]
    fn radix_sort_sorts_like_a_comparison_sort() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for (n, bits) in [
            (0, 19),
            (5, 19),
            (63, 12),
            (64, 19),
            (400, 19),
            (1000, 32),
            (300, 8),
        ] {
            let keys: Vec<u32> = (0..n)
                .map(|_| {
                    state = fmix64(state.wrapping_add(1));
                    (state & ((1u64 << bits) - 1)) as u32
                })
                .collect();
            let (mut input, mut sorted) = (keys.clone(), vec![7]);
            radix_sort(&mut input, &mut sorted, bits);
            let mut expected = keys;
            expected.sort_unstable();
            assert_eq!(sorted, expected, "{n} keys of {bits} bits");
        }
    }

    #[test]
    fn features_are_those_of_a_plain_reference_to_the_last_bit() {
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
