//! Sentence texts as keys of the table of texts already scored, hashed on every core so
//! that the lookups, which must run in corpus order on one core, only probe and compare.

use std::hash::{BuildHasher, Hash, Hasher};

/// A text and its hash, computed once.
#[derive(Clone, Copy)]
pub struct TextKey<'c> {
    hash: u64,
    text: &'c str,
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

/// The keys of `texts`, in order, hashed on every core.
pub fn keys<'c>(texts: &[&'c str]) -> Vec<TextKey<'c>> {
    let chunks: Vec<&[&'c str]> = texts.chunks(4096).collect();
    crate::cores::map(&chunks, |chunk| {
        chunk
            .iter()
            .map(|&text| TextKey {
                hash: rustc_hash::FxBuildHasher.hash_one(text),
                text,
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_texts_give_equal_keys_and_others_differ() {
        let texts = ["a", "b", "a", "", "ab"];
        let keys = super::keys(&texts);
        assert!(keys[0] == keys[2]);
        assert!(keys[0] != keys[1] && keys[3] != keys[4] && keys[0] != keys[4]);
        let set: std::collections::HashSet<_> = keys.iter().map(|k| k.text).collect();
        assert_eq!(set.len(), 4);
    }
}
