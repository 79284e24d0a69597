//! The suggestions of sentence texts already scored, shared by the scoring threads: a
//! suggestion depends on the text alone, and news repeats sentences (datelines,
//! boilerplate), so a repeat costs one look-up instead of a score.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Mutex, OnceLock};

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

/// Per distinct text, its lines' tail, kept next to a copy of the text in one allocation,
/// in one fixed table of slots that every scoring thread fills without a lock. A repeat then
/// costs two cache misses (its slot, then the copy it compares and the tail right after it),
/// where the locked shards cost four and an atomic exchange per look-up.
pub struct Tails {
    slots: Box<[OnceLock<Tail>]>,
}

/// One kept text: its hash, then one block of the text's bytes and its tail's.
struct Tail {
    hash: u64,
    text_len: usize,
    beyond_ascii: bool,
    bytes: Box<[u8]>,
}

/// Slots probed past a text's own before it counts as not kept: keeps a full table's
/// look-ups short, so past about its size new texts are scored and simply not kept.
const PROBES: usize = 32;

impl Tails {
    /// A table of `slots` slots (a power of two), for up to about `slots` texts.
    pub fn new(slots: usize) -> Tails {
        assert!(slots.is_power_of_two(), "a power of two of slots");
        Tails {
            slots: (0..slots).map(|_| OnceLock::new()).collect(),
        }
    }

    /// `read` of the tail kept for `text` (and whether it has a byte from DEL up), else of
    /// the one `make` appends to a buffer (returning that), then kept if a slot is free. Two
    /// threads may make one new text's at once; the first to take a slot keeps it, and both
    /// read the same, as it depends on the text alone.
    pub fn with<R>(
        &self,
        text: &str,
        make: impl FnOnce(&mut Vec<u8>) -> bool,
        read: impl FnOnce(&[u8], bool) -> R,
    ) -> R {
        let hash = rustc_hash::FxBuildHasher.hash_one(text);
        let mask = self.slots.len() - 1;
        // Mixed: the slot comes from the hash's low bits, which FxHash leaves weak.
        let first = crate::hash::fmix64(hash) as usize & mask;
        let mut make = Some(make);
        let mut new_tail = |made: &mut Option<Tail>| {
            made.take().unwrap_or_else(|| {
                let make = make.take().expect("a text's tail is made once");
                let mut bytes = Vec::with_capacity(text.len() + 256);
                bytes.extend_from_slice(text.as_bytes());
                let beyond_ascii = make(&mut bytes);
                Tail {
                    hash,
                    text_len: text.len(),
                    beyond_ascii,
                    bytes: bytes.into_boxed_slice(),
                }
            })
        };
        let mut made: Option<Tail> = None;
        for step in 0..PROBES.min(self.slots.len()) {
            let slot = &self.slots[(first + step) & mask];
            // A slot is filled once and never emptied, so the first empty one ends the
            // probe: a text kept earlier would sit before it.
            let kept = match slot.get() {
                Some(kept) => kept,
                None => match slot.set(new_tail(&mut made)) {
                    Ok(()) => slot.get().expect("filled just now"),
                    // Another thread filled the slot meanwhile, maybe with this text.
                    Err(tail) => {
                        made = Some(tail);
                        slot.get().expect("filled by the other thread")
                    }
                },
            };
            if kept.hash == hash && &kept.bytes[..kept.text_len] == text.as_bytes() {
                return read(&kept.bytes[kept.text_len..], kept.beyond_ascii);
            }
        }
        let tail = new_tail(&mut made);
        read(&tail.bytes[tail.text_len..], tail.beyond_ascii)
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
    use std::collections::HashSet;

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

    #[test]
    fn a_kept_tail_is_read_back_for_its_text_alone_and_a_full_table_still_answers() {
        let tails = Tails::new(4);
        let tail = |text: &str| format!("<{text}>").into_bytes();
        let read = |bytes: &[u8], flag: bool| (bytes.to_vec(), flag);
        let made = tails.with(
            "a",
            |out| {
                out.extend(tail("a"));
                true
            },
            read,
        );
        assert_eq!(made, (tail("a"), true));
        assert_eq!(
            tails.with("a", |_| panic!("made twice"), read),
            (tail("a"), true)
        );
        // More texts than slots: the probe wraps round the table, and texts that find no
        // slot are made each time, never confused with a kept one.
        let texts: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
        for _ in 0..2 {
            for text in &texts {
                let got = tails.with(
                    text,
                    |out| {
                        out.extend(tail(text));
                        false
                    },
                    read,
                );
                assert_eq!(got, (tail(text), false));
            }
        }
        assert!(tails.slots.iter().all(|slot| slot.get().is_some()));
        assert_eq!(
            tails.with("a", |_| panic!("a stays kept"), read),
            (tail("a"), true)
        );
    }

    #[test]
    fn threads_filling_one_table_read_each_text_as_it_was_made() {
        let tails = Tails::new(1 << 10);
        let texts: Vec<String> = (0..3000).map(|i| format!("text {}", i % 1500)).collect();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for text in &texts {
                        let got = tails.with(
                            text,
                            |out| {
                                out.extend_from_slice(text.to_uppercase().as_bytes());
                                text.ends_with('7')
                            },
                            |bytes, flag| (bytes.to_vec(), flag),
                        );
                        assert_eq!(got, (text.to_uppercase().into_bytes(), text.ends_with('7')));
                    }
                });
            }
        });
        let kept: HashSet<&str> = tails
            .slots
            .iter()
            .filter_map(|slot| slot.get())
            .map(|tail| std::str::from_utf8(&tail.bytes[..tail.text_len]).unwrap())
            .collect();
        let filled = tails
            .slots
            .iter()
            .filter(|slot| slot.get().is_some())
            .count();
        assert_eq!(kept.len(), filled, "no text is kept twice");
    }
}
