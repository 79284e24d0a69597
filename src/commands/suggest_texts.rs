//! The suggestions of sentence texts already scored, shared by the scoring threads: a
//! suggestion depends on the text alone, and news repeats sentences (datelines,
//! boilerplate), so a repeat costs one look-up instead of a score.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Mutex;

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
struct Shard<'c, V>(Mutex<rustc_hash::FxHashMap<TextKey<'c>, V>>);

impl<V> Default for Shard<'_, V> {
    fn default() -> Self {
        Shard(Mutex::default())
    }
}

/// What is kept per distinct text (its suggestion, or its lines' tail), at most about `most` of them (a full shard is
/// emptied), which bounds the memory and changes no score.
pub struct Kept<'c, V> {
    shards: Vec<Shard<'c, V>>,
    per_shard: usize,
}

impl<'c, V> Kept<'c, V> {
    /// An empty table for about `most` texts.
    pub fn new(most: usize) -> Kept<'c, V> {
        Kept {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            per_shard: most.div_ceil(SHARDS).max(1),
        }
    }

    /// `read` of what is kept for `text`, else of `make()` of it, then kept. Two threads may
    /// make one new text's at once; both get the same, as it depends on the text alone.
    pub fn with<R>(
        &self,
        text: &'c str,
        make: impl FnOnce() -> V,
        read: impl FnOnce(&V) -> R,
    ) -> R {
        let key = TextKey::new(text);
        // The hash's top bits: the map's own probing uses its low ones.
        let shard = &self.shards[(key.hash >> 58) as usize % SHARDS].0;
        if let Some(kept) = lock(shard).get(&key) {
            return read(kept);
        }
        let made = make();
        let mut map = lock(shard);
        if map.len() >= self.per_shard {
            map.clear();
        }
        read(map.entry(key).or_insert(made))
    }
}

/// The value behind `mutex`, even if another thread panicked holding it: a shard's map is
/// never left half changed by a panic in `score`, which runs without the lock, and a round
/// segmented ahead is put or taken whole.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_give_equal_keys_and_others_differ() {
        let keys: Vec<TextKey> = ["a", "b", "a", "", "ab"].map(TextKey::new).to_vec();
        assert!(keys[0] == keys[2]);
        assert!(keys[0] != keys[1] && keys[3] != keys[4] && keys[0] != keys[4]);
    }

    #[test]
    fn a_kept_text_is_not_made_again_and_a_full_shard_is_emptied() {
        let kept = Kept::new(1);
        assert_eq!(kept.with("text", || 1, |&v| v), 1);
        assert_eq!(kept.with("text", || panic!("made twice"), |&v| v), 1);
        let texts: Vec<String> = (0..2000).map(|i| format!("t{i}")).collect();
        for text in &texts {
            kept.with(text, || 2, |_| ());
        }
        assert!(kept.shards.iter().all(|shard| lock(&shard.0).len() <= 1));
        assert_eq!(
            kept.with("text", || 3, |&v| v),
            3,
            "emptied shards forget the text"
        );
    }
}
