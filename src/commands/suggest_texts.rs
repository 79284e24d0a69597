//! The suggestions of sentence texts already scored, shared by the scoring threads: a
//! suggestion depends on the text alone, and news repeats sentences (datelines,
//! boilerplate), so a repeat costs one look-up instead of a score.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::model::Suggestion;

/// A text and its hash, computed once.
#[derive(Clone, Copy)]
pub struct TextKey<'c> {
    hash: u64,
    text: &'c str,
}

impl<'c> TextKey<'c> {
    /// The key of `text`, hashed with FxHash (the texts are the corpus's, the table ours).
    pub fn new(text: &'c str) -> TextKey<'c> {
        TextKey {
            hash: rustc_hash::FxBuildHasher.hash_one(text),
            text,
        }
    }
}

impl PartialEq for TextKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        // Equal hashes first: most other texts in a probe differ there, without reading them.
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for TextKey<'_> {}

impl Hash for TextKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Shards of the table, each behind its own lock, so that two threads rarely wait on one.
const SHARDS: usize = 64;

/// One shard, on cache lines of its own: two threads locking neighbouring shards would
/// otherwise pass one line back and forth.
#[repr(align(128))]
#[derive(Default)]
struct Shard<'c>(Mutex<rustc_hash::FxHashMap<TextKey<'c>, Arc<Suggestion>>>);

/// Suggestions kept per distinct text, at most about `most` of them (a full shard is
/// emptied), which bounds the memory and changes no score.
pub struct Kept<'c> {
    shards: Vec<Shard<'c>>,
    per_shard: usize,
}

impl<'c> Kept<'c> {
    /// An empty table for about `most` texts.
    pub fn new(most: usize) -> Kept<'c> {
        Kept {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            per_shard: most.div_ceil(SHARDS).max(1),
        }
    }

    /// The suggestion kept for `text`, else `score()` of it, kept. Two threads may score one
    /// new text at once; both get the same suggestion, as scores depend on the text alone.
    pub fn get_or_insert_with(
        &self,
        text: &'c str,
        score: impl FnOnce() -> Suggestion,
    ) -> Arc<Suggestion> {
        let key = TextKey::new(text);
        // The hash's top bits: the map's own probing uses its low ones.
        let shard = &self.shards[(key.hash >> 58) as usize % SHARDS].0;
        if let Some(kept) = lock(shard).get(&key) {
            return Arc::clone(kept);
        }
        let suggestion = Arc::new(score());
        let mut map = lock(shard);
        if map.len() >= self.per_shard {
            map.clear();
        }
        map.insert(key, Arc::clone(&suggestion));
        suggestion
    }
}

/// A shard's map, even if another thread panicked holding it (a map is never left half
/// changed by a panic in `score`, which runs without the lock).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(uncertainty: f64) -> Suggestion {
        Suggestion {
            scores: Vec::new(),
            sources: Vec::new(),
            suggested: Vec::new(),
            uncertainty,
        }
    }

    #[test]
    fn equal_texts_give_equal_keys_and_others_differ() {
        let keys: Vec<TextKey> = ["a", "b", "a", "", "ab"].map(TextKey::new).to_vec();
        assert!(keys[0] == keys[2]);
        assert!(keys[0] != keys[1] && keys[3] != keys[4] && keys[0] != keys[4]);
    }

    #[test]
    fn a_kept_text_is_not_scored_again_and_a_full_shard_is_emptied() {
        let kept = Kept::new(1);
        let first = kept.get_or_insert_with("text", || suggestion(0.25));
        let again = kept.get_or_insert_with("text", || panic!("scored twice"));
        assert!(Arc::ptr_eq(&first, &again));
        let texts: Vec<String> = (0..2000).map(|i| format!("t{i}")).collect();
        for text in &texts {
            kept.get_or_insert_with(text, || suggestion(0.5));
        }
        assert!(kept.shards.iter().all(|shard| lock(&shard.0).len() <= 1));
        let scored = std::cell::Cell::new(false);
        let after = kept.get_or_insert_with("text", || {
            scored.set(true);
            suggestion(0.25)
        });
        assert!(scored.get(), "emptied shards forget the text");
        assert_eq!(after.uncertainty, 0.25);
    }
}
