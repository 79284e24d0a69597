//! A fixed model's log-odds of a sentence, word occurrence by word occurrence.
//!
//! [`HashedNgrams`]' features are counts times a scale per group that depends on the
//! sentence's numbers of n-grams alone, so each label's log-odds is
//! `bias + s_word · Σ_i (unigram_i + bigram_i) + s_char · Σ_i C(word_i)`, over the word
//! occurrences `i`, where `C(word)` is the sum of the word's character n-gram weights. `C`
//! and the unigram's weight depend on the word and the model's weights alone, so a [`Memo`]
//! keeps them per word while the model does not change: a sentence then costs a look-up per
//! word and a bigram's weight, not a few hundred n-grams hashed, sorted and read.
//!
//! Every score of a sentence goes through [`Scorer::add`] and [`Scorer::finish`] in this
//! order, whether a word's part comes from the memo or is summed afresh
//! ([`Scorer::word_part`], [`Occurrences`]), so the two give the same bits.

use super::encoder::{HashedNgrams, lower_words, packed};
use super::learner::{Optimizer, Table};

/// A sentence's word occurrences as the word-by-word score reads them: their slots, found
/// once, for a sentence scored by many models in turn (cross-validation).
#[derive(Debug, Clone, Default)]
pub struct Occurrences {
    words: Vec<Occurrence>,
    /// Every occurrence's character n-gram slots, one occurrence after another.
    chars: Vec<u32>,
}

/// One word occurrence of [`Occurrences`].
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    unigram: u32,
    /// The bigram with the next word; 0 (the bias's slot, never an n-gram's) for the last.
    bigram: u32,
    /// The end of its character n-gram slots in [`Occurrences::chars`].
    chars_to: u32,
}

impl Occurrences {
    /// The word occurrences of `text` as `ngrams` finds them.
    pub fn of(ngrams: &HashedNgrams, text: &str) -> Occurrences {
        let (mut lower, mut spans, mut keys) = (String::new(), Vec::new(), Vec::new());
        lower_words(text, &mut lower, &mut spans);
        let mut out = Occurrences::default();
        let mut states = Vec::with_capacity(spans.len());
        for &(from, to) in &spans {
            let (unigram, state) =
                ngrams.word_parts(&lower.as_bytes()[from..to], &mut keys, &mut out.chars);
            states.push(state);
            out.words.push(Occurrence {
                unigram,
                bigram: 0,
                chars_to: out.chars.len() as u32,
            });
        }
        for i in 1..spans.len() {
            let (from, to) = spans[i];
            out.words[i - 1].bigram =
                ngrams.bigram_slot(states[i - 1], &lower.as_bytes()[from..to]);
        }
        out
    }
}

/// Words whose parts a memo keeps at most, and numbers it keeps at most: past either it
/// starts afresh, which bounds its memory (about 6 MB for three labels) and changes no score.
const MEMO_WORDS: usize = 1 << 16;
const MEMO_VALUES: usize = 1 << 19;

/// What scoring sentences one after another keeps: each word's part of the log-odds for one
/// state of one model (never used after the model learns), and buffers reused between
/// sentences. Any memo gives any model's scores; a warm one gives them sooner.
#[derive(Default)]
pub struct Memo {
    /// The [`super::Model`] generation the parts are of.
    made_for: Option<u64>,
    /// Lowercased word (see [`packed`]) to its entry's position.
    entries: rustc_hash::FxHashMap<u128, u32>,
    /// Per entry, per label, the unigram's weight and then the character n-grams' sum.
    parts: Vec<f64>,
    /// Per entry, its character n-gram count and the FNV-1a state its bigrams continue from.
    words: Vec<(u32, u64)>,
    lower: String,
    spans: Vec<(usize, usize)>,
    keys: Vec<u32>,
    chars: Vec<u32>,
    part: Vec<f64>,
    sums: Vec<f64>,
    /// Per word occurrence of the sentence scored, where its part is and its bigram's slot.
    plan: Vec<(Part, u32)>,
    /// The parts of the sentence's words too long to be kept, one after another.
    fresh: Vec<f64>,
    /// Features, for a model whose encoder is not scored word by word.
    pub(super) features: Vec<super::encoder::Feature>,
}

/// Where a word occurrence's part is: at a position in [`Memo`]'s kept parts, or in the
/// sentence's fresh ones.
#[derive(Clone, Copy)]
enum Part {
    Kept(usize),
    Fresh(usize),
}

/// The weights a sentence is scored with: one model's, as they are now.
pub(super) struct Scorer<'m> {
    pub(super) table: &'m Table,
    pub(super) optimizer: &'m Optimizer,
    pub(super) ngrams: &'m HashedNgrams,
    pub(super) labels: usize,
}

impl Scorer<'_> {
    /// A word's part, into `part` (two numbers per label): its unigram's weight per label,
    /// then the sum of its character n-grams' weights, in their order.
    fn word_part(&self, unigram: u32, chars: &[u32], part: &mut Vec<f64>) {
        part.clear();
        part.resize(2 * self.labels, 0.0);
        let (uni, sums) = part.split_at_mut(self.labels);
        self.table.add_weights(self.optimizer, unigram, uni);
        for &slot in chars {
            self.table.add_weights(self.optimizer, slot, sums);
        }
    }

    /// Adds one word occurrence to `sums` (per label, the word n-grams' sum, then the
    /// character n-grams'): its part, then its bigram's weight (none for slot 0).
    #[inline]
    fn add(&self, sums: &mut [f64], part: &[f64], bigram: u32) {
        let n = self.labels;
        for (sum, &x) in sums[..n].iter_mut().zip(&part[..n]) {
            *sum += x;
        }
        if bigram != 0 {
            self.table
                .add_weights(self.optimizer, bigram, &mut sums[..n]);
        }
        for (sum, &x) in sums[n..2 * n].iter_mut().zip(&part[n..2 * n]) {
            *sum += x;
        }
    }

    /// The log-odds per label, into `out`, of a sentence of `words` word occurrences and
    /// `chars` character n-grams whose sums are `sums`.
    fn finish(&self, sums: &[f64], words: usize, chars: usize, out: &mut [f64]) {
        let n = self.labels;
        let [s_word, s_char] = self.ngrams.scales(words + words.saturating_sub(1), chars);
        let out = &mut out[..n];
        out.fill(0.0);
        self.table.add_weights(self.optimizer, 0, out);
        for (label, logit) in out.iter_mut().enumerate() {
            *logit = *logit + s_word * sums[label] + s_char * sums[n + label];
        }
    }

    /// The log-odds of the sentence `occurrences`, into `out` (one per label).
    pub(super) fn occurrences(&self, occurrences: &Occurrences, out: &mut [f64]) {
        let mut sums = vec![0.0; 2 * self.labels];
        let mut part = Vec::new();
        let mut from = 0;
        for word in &occurrences.words {
            let to = word.chars_to as usize;
            self.word_part(word.unigram, &occurrences.chars[from..to], &mut part);
            self.add(&mut sums, &part, word.bigram);
            from = to;
        }
        let (words, chars) = (occurrences.words.len(), occurrences.chars.len());
        self.finish(&sums, words, chars, out);
    }

    /// The log-odds of `text`, into `out` (one per label), with the word parts of `memo`
    /// when it was filled by this model state (`generation`), else afresh.
    pub(super) fn text(&self, text: &str, generation: u64, memo: &mut Memo, out: &mut [f64]) {
        let n = self.labels;
        if memo.made_for != Some(generation)
            || memo.entries.len() >= MEMO_WORDS
            || memo.parts.len() >= MEMO_VALUES
        {
            memo.made_for = Some(generation);
            memo.entries.clear();
            memo.parts.clear();
            memo.words.clear();
        }
        let Memo {
            entries,
            parts,
            words,
            lower,
            spans,
            keys,
            chars,
            part,
            sums,
            plan,
            fresh,
            ..
        } = memo;
        lower_words(text, lower, spans);
        // First every word's part and bigram slot, each bigram's weights fetched into the
        // cache as its slot is found; then the sums, in the order `add` takes them. The
        // bigrams' weights are scattered over the table, and fetched while the other
        // words are looked up they no longer wait one after another.
        plan.clear();
        fresh.clear();
        let mut char_count = 0;
        for (i, &(from, to)) in spans.iter().enumerate() {
            let word = &lower.as_bytes()[from..to];
            let key = packed(word);
            let (count, state, at) = match key.and_then(|key| entries.get(&key)) {
                Some(&at) => {
                    let at = at as usize;
                    let (count, state) = words[at];
                    (count, state, Part::Kept(2 * n * at))
                }
                None => {
                    chars.clear();
                    let (unigram, state) = self.ngrams.word_parts(word, keys, chars);
                    self.word_part(unigram, chars, part);
                    let count = chars.len() as u32;
                    // Longer words are rare: summed afresh each time, and not kept.
                    let at = match key {
                        Some(key) => {
                            entries.insert(key, words.len() as u32);
                            words.push((count, state));
                            parts.extend_from_slice(part);
                            Part::Kept(parts.len() - 2 * n)
                        }
                        None => {
                            fresh.extend_from_slice(part);
                            Part::Fresh(fresh.len() - 2 * n)
                        }
                    };
                    (count, state, at)
                }
            };
            let bigram = spans.get(i + 1).map_or(0, |&(from, to)| {
                self.ngrams.bigram_slot(state, &lower.as_bytes()[from..to])
            });
            if bigram != 0 {
                self.table.prefetch(bigram);
            }
            plan.push((at, bigram));
            char_count += count as usize;
        }
        sums.clear();
        sums.resize(2 * n, 0.0);
        for &(at, bigram) in plan.iter() {
            let word_part = match at {
                Part::Kept(from) => &parts[from..from + 2 * n],
                Part::Fresh(from) => &fresh[from..from + 2 * n],
            };
            self.add(sums, word_part, bigram);
        }
        self.finish(sums, spans.len(), char_count, out);
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;
    use crate::model::encoder::HashedNgrams;
    use crate::model::learner::Optimizer;
    use crate::model::{Example, Model, OPTIMIZER, Suggestion};
    use crate::schema::Schema;

    const TEXTS: [&str; 7] = [
        "Envoys from both governments resumed talks in Geneva on Tuesday, officials said.",
        "Talks talks TALKS: the the the a a I I.",
        "New sanctions and an asset freeze on internationalisation-minded banks.",
        "東京で会談, Zürich-based Straße ĲSSEL x y z 12 345 ΣΟΦΟΣ Οδυσσεύς",
        "Troops moved to the border; artillery fired.",
        "  ... ",
        "",
    ];

    fn trained(encoder: HashedNgrams, optimizer: Optimizer) -> Model {
        let examples: Vec<Example> = (0..60)
            .map(|i| Example {
                article: i / 6,
                sentence: i % 6,
                text: format!("{} (number {i})", TEXTS[i % 5]),
                labels: match i % 3 {
                    0 => vec![0],
                    1 => vec![1, 2],
                    _ => vec![],
                },
            })
            .collect();
        let mut model = Model::with(&Schema::default(), Box::new(encoder), optimizer);
        model.fit(&examples);
        model
    }

    fn bits(s: &Suggestion) -> Vec<u64> {
        s.scores.iter().map(|x| x.to_bits()).collect()
    }

    fn encoders() -> [HashedNgrams; 4] {
        // 4 bits: many collisions, so words and character n-grams share slots.
        [
            HashedNgrams::new(18),
            HashedNgrams::new(4),
            HashedNgrams::variant(12, false, true),
            HashedNgrams::variant(12, true, false),
        ]
    }

    const FTRL: Optimizer = Optimizer::Ftrl {
        alpha: 0.5,
        beta: 1.0,
        l1: 0.01,
        l2: 0.0,
    };

    #[test]
    fn word_by_word_scores_are_the_features_scores() {
        for encoder in encoders() {
            for optimizer in [OPTIMIZER, FTRL] {
                let mut model = trained(encoder.clone(), optimizer);
                assert_eq!(model.learned(), 3);
                let mut features = Vec::new();
                for text in TEXTS {
                    let by_word = model.suggest(text);
                    model.encode(text, &mut features);
                    let summed = model.suggest_encoded(&features, &[]);
                    for (a, b) in by_word.scores.iter().zip(&summed.scores) {
                        // The features are f32, the word-by-word sums f64.
                        assert!((a - b).abs() < 1e-6, "{text}: {a} against {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_memo_gives_the_scores_of_a_fresh_one_and_of_occurrences_to_the_last_bit() {
        let mut kept = Memo::default();
        for encoder in encoders() {
            for optimizer in [OPTIMIZER, FTRL] {
                let mut model = trained(encoder.clone(), optimizer);
                for round in 0..3 {
                    for text in TEXTS {
                        let warm = model.suggest_with(text, &mut kept);
                        let fresh = model.suggest_with(text, &mut Memo::default());
                        assert_eq!(bits(&warm), bits(&fresh), "round {round}: {text}");
                        let occurrences = model.occurrences(text).expect("hashed n-grams");
                        let found = model.suggest_occurrences(&occurrences, &[]);
                        assert_eq!(bits(&found), bits(&fresh), "round {round}: {text}");
                        assert_eq!(bits(&model.suggest(text)), bits(&fresh));
                    }
                    // A step changes the weights the memo summed: it must not be read again.
                    let before = model.suggest_with(TEXTS[0], &mut kept);
                    model.update(TEXTS[0], &[1]);
                    let after = model.suggest_with(TEXTS[0], &mut kept);
                    assert_ne!(bits(&before), bits(&after));
                    assert_eq!(
                        bits(&after),
                        bits(&model.suggest_with(TEXTS[0], &mut Memo::default()))
                    );
                }
            }
        }
    }
}
