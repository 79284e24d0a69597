//! The corpus's sentences keyed by the hash of their folded text, for annotations that name
//! no article: one flat table of (hash, sentence) slots, probed in order from the hash's
//! slot, so that a look-up nearly always reads one cache line (a map reads its tags, then
//! its entry: two misses a look-up over a million sentences).

/// A free slot.
const EMPTY: u64 = u64::MAX;

/// Set in a slot's sentence when it is the number of a list in `Texts::many` instead.
const MANY: u64 = 1 << 63;

/// Sentences (article, index in it) by the hash of their folded text.
pub(super) struct Texts {
    /// (hash, sentence): the sentence as `article << 32 | index`, or `MANY | k` for the
    /// k-th of `many`, or `EMPTY`.
    slots: Vec<(u64, u64)>,
    /// The sentences of hashes met more than once (or too big to pack in a slot).
    many: Vec<Vec<(usize, usize)>>,
    /// Slots taken.
    used: usize,
}

/// What the table holds for one hash.
pub(super) enum Found<'t> {
    /// No sentence.
    None,
    /// One sentence (article, index in it).
    One(usize, usize),
    /// Several, in the order they were added.
    Many(&'t [(usize, usize)]),
}

impl Texts {
    /// A table for about `count` sentences, kept at most half full.
    pub(super) fn with_room(count: usize) -> Texts {
        let size = (count.max(8) * 2).next_power_of_two();
        Texts {
            slots: vec![(0, EMPTY); size],
            many: Vec::new(),
            used: 0,
        }
    }

    /// The slot of `hash`, or of the free slot where it would go.
    fn slot(&self, hash: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let (key, what) = self.slots[at];
            if what == EMPTY || key == hash {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds sentence `index` of `article` under `hash`.
    pub(super) fn add(&mut self, hash: u64, article: usize, index: usize) {
        if (self.used + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let at = self.slot(hash);
        let packed = u32::try_from(article)
            .ok()
            .filter(|&a| a < 1 << 31)
            .zip(u32::try_from(index).ok())
            .map(|(a, i)| u64::from(a) << 32 | u64::from(i));
        let (_, what) = self.slots[at];
        let list = match (what, packed) {
            (EMPTY, Some(packed)) => {
                self.slots[at] = (hash, packed);
                self.used += 1;
                return;
            }
            (EMPTY, None) => {
                self.used += 1;
                Vec::new()
            }
            (what, _) if what & MANY != 0 => {
                self.many[(what & !MANY) as usize].push((article, index));
                return;
            }
            (what, _) => vec![((what >> 32) as usize, (what & 0xffff_ffff) as usize)],
        };
        self.many.push(list);
        self.many
            .last_mut()
            .expect("just pushed")
            .push((article, index));
        self.slots[at] = (hash, MANY | (self.many.len() - 1) as u64);
    }

    /// The sentences under `hash`.
    pub(super) fn get(&self, hash: u64) -> Found<'_> {
        match self.slots[self.slot(hash)].1 {
            EMPTY => Found::None,
            what if what & MANY != 0 => Found::Many(&self.many[(what & !MANY) as usize]),
            what => Found::One((what >> 32) as usize, (what & 0xffff_ffff) as usize),
        }
    }

    fn grow(&mut self) {
        let bigger = vec![(0, EMPTY); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        for (hash, what) in old.into_iter().filter(|&(_, what)| what != EMPTY) {
            let at = self.slot(hash);
            self.slots[at] = (hash, what);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(found: Found<'_>) -> Vec<(usize, usize)> {
        match found {
            Found::None => Vec::new(),
            Found::One(a, i) => vec![(a, i)],
            Found::Many(many) => many.to_vec(),
        }
    }

    #[test]
    fn every_sentence_is_found_under_its_hash_through_collisions_and_growth() {
        // Too small at first, so that it grows; hashes that share their slot, and one
        // hash given three times.
        let mut texts = Texts::with_room(4);
        let hashes: Vec<u64> = (0..1000u64).map(|n| n << 40 | (n % 7)).collect();
        for (n, &hash) in hashes.iter().enumerate() {
            texts.add(hash, n, n % 25);
        }
        texts.add(hashes[3], 1 << 40, 5);
        texts.add(hashes[3], 9, 1 << 33);
        for (n, &hash) in hashes.iter().enumerate() {
            let expected = match n {
                3 => vec![(3, 3), (1 << 40, 5), (9, 1 << 33)],
                _ => vec![(n, n % 25)],
            };
            assert_eq!(listed(texts.get(hash)), expected, "{n}");
        }
        assert!(listed(texts.get(12345)).is_empty());
        // A sentence too big to pack is kept in a list of its own.
        texts.add(77, usize::MAX, 0);
        assert_eq!(listed(texts.get(77)), [(usize::MAX, 0)]);
    }
}
